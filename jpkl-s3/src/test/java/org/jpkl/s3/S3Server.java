package org.jpkl.s3;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy in this JVM, on a loopback port chosen by the system, storing
 * objects in a folder (jclouds' filesystem blob store), checking AWS V4 signatures against fixed
 * credentials, or accepting anonymous requests ({@link #startAnonymous}). Public in this module's
 * test-jar, for the tests of modules that read or write S3 (jpkl-cli, jpkl-spark); {@link S3ServerProcess}
 * runs it in a JVM of its own instead ({@link #main}).
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "jpkl-test-access";
    public static final String SECRET_KEY = "jpkl-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;
    private S3Client admin;

    private S3Server(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /** Starts a server storing its buckets under {@code folder}, checking signatures. */
    public static S3Server start(Path folder) throws Exception {
        return start(folder, AuthenticationType.AWS_V2_OR_V4);
    }

    /**
     * Starts a server storing its buckets under {@code folder} that takes unsigned requests (a client
     * with the storage option {@code s3.anonymous=true}, or with any credentials).
     */
    public static S3Server startAnonymous(Path folder) throws Exception {
        return start(folder, AuthenticationType.NONE);
    }

    private static S3Server start(Path folder, AuthenticationType authentication) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .awsAuthentication(authentication, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        return new S3Server(proxy, context, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The right credentials. */
    public static StaticCredentialsProvider credentials() {
        return S3ServerProcess.credentials();
    }

    /** One plain SDK client for setting up and inspecting buckets, made on first use and closed with the server. */
    public synchronized S3Client admin() {
        if (admin == null) {
            admin = client();
        }
        return admin;
    }

    /** A plain SDK client, for setting up and inspecting buckets (the caller closes it). */
    public S3Client client() {
        return S3ServerProcess.client(endpoint);
    }

    /** The line {@link #main} prints once the server runs, before its endpoint. */
    static final String READY = "S3Server ready at ";

    /**
     * Runs a server on the folder {@code args[0]} until its standard input ends (so it ends with the
     * JVM that started it), after printing {@code "S3Server ready at http://127.0.0.1:PORT"}.
     */
    public static void main(String[] args) throws Exception {
        try (S3Server server = start(Path.of(args[0]))) {
            System.out.println(READY + server.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Wait for the parent to close the pipe.
            }
        }
    }

    @Override
    public void close() throws Exception {
        synchronized (this) {
            if (admin != null) {
                admin.close();
            }
        }
        proxy.stop();
        context.close();
    }
}
