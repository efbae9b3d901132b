package org.jpkl.s3;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The test S3 server ({@link S3Server}: S3Proxy on a folder) in a child JVM whose class path is
 * jpkl-s3's test class path (the resource {@code s3proxy.classpath}, written by the build) and the
 * test classes' location: for tests whose own class path holds other versions of S3Proxy's libraries
 * (Spark's Jackson 2.15 cannot run S3Proxy's XML parsing, built for Jackson 2.18). This class refers
 * to no S3Proxy type, so such tests need neither S3Proxy nor its libraries, only the AWS SDK.
 * Closing it ends the child JVM.
 */
public final class S3ServerProcess implements AutoCloseable {
    private final Process process;
    private final URI endpoint;

    private S3ServerProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts a server storing its buckets under {@code folder}, and waits until it answers. */
    public static S3ServerProcess start(Path folder) throws IOException, InterruptedException {
        String classPath;
        try (InputStream in = S3ServerProcess.class.getResourceAsStream("s3proxy.classpath")) {
            if (in == null) {
                throw new IllegalStateException("resource org/jpkl/s3/s3proxy.classpath is missing: jpkl-s3's build writes it"
                        + " (maven-dependency-plugin build-classpath)");
            }
            classPath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        String self;
        try {
            self = Path.of(S3ServerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                self + File.pathSeparator + classPath, "org.jpkl.s3.S3Server", folder.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(S3Server.READY)) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(Writer.nullWriter());
                    } catch (IOException e) {
                        // The child ended.
                    }
                }, "s3server-child-output");
                drain.setDaemon(true);
                drain.start();
                return new S3ServerProcess(process, URI.create(line.substring(S3Server.READY.length()).trim()));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the S3Server child JVM ended before it was ready (exit " + process.waitFor() + "): "
                + String.join(" ", command));
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A plain SDK client, for setting up and inspecting buckets. */
    public S3Client client() {
        return client(endpoint);
    }

    /** The credentials the server checks signatures against. */
    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    }

    /** A plain SDK client of the test server at {@code endpoint}. */
    static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials()).build();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
