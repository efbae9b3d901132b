package org.jpkl.s3;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy in this JVM, on a loopback port chosen by the system, storing
 * objects in a folder (jclouds' filesystem blob store), checking AWS V4 signatures against fixed
 * credentials. {@link #startInChildJvm} runs it in a JVM of its own instead, with this module's test
 * class path (for tests whose class path holds other versions of S3Proxy's libraries: Spark's
 * Jackson 2.15 cannot run S3Proxy's XML parsing, built for Jackson 2.18).
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "jpkl-test-access";
    public static final String SECRET_KEY = "jpkl-test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /** Starts a server storing its buckets under {@code folder}. */
    public static S3Server start(Path folder) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
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
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A plain SDK client, for setting up and inspecting buckets. */
    public S3Client client() {
        return client(endpoint);
    }

    /** A plain SDK client of the server at {@code endpoint}. */
    public static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials()).build();
    }

    /** The line {@link #main} prints once the server runs, before its endpoint. */
    private static final String READY = "S3Server ready at ";

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

    /** A server in a child JVM (see the class comment); closing it ends that JVM. */
    public static final class Child implements AutoCloseable {
        private final Process process;
        private final URI endpoint;

        private Child(Process process, URI endpoint) {
            this.process = process;
            this.endpoint = endpoint;
        }

        /** {@code http://127.0.0.1:PORT}. */
        public URI endpoint() {
            return endpoint;
        }

        /** A plain SDK client, for setting up and inspecting buckets. */
        public S3Client client() {
            return S3Server.client(endpoint);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Starts a server storing its buckets under {@code folder} in a child JVM whose class path is
     * jpkl-s3's test class path (the resource {@code s3proxy.classpath}, written by the build) and
     * this class's own location.
     */
    public static Child startInChildJvm(Path folder) throws Exception {
        String classPath;
        try (java.io.InputStream in = S3Server.class.getResourceAsStream("s3proxy.classpath")) {
            if (in == null) {
                throw new IllegalStateException("resource org/jpkl/s3/s3proxy.classpath is missing: jpkl-s3's build writes it"
                        + " (maven-dependency-plugin build-classpath)");
            }
            classPath = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        }
        String self = Path.of(S3Server.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        java.util.List<String> command = java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", self + java.io.File.pathSeparator + classPath, S3Server.class.getName(), folder.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(READY)) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException e) {
                        // The child ended.
                    }
                }, "s3server-child-output");
                drain.setDaemon(true);
                drain.start();
                return new Child(process, URI.create(line.substring(READY.length()).trim()));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the S3Server child JVM ended before it was ready (exit " + process.waitFor() + "): "
                + String.join(" ", command));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
