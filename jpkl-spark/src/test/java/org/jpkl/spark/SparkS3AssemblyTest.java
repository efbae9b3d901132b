package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.container.JpklFileParts;
import org.jpkl.npy.NpyWriter;
import org.jpkl.api.testing.FaultProxy;
import org.jpkl.s3.S3ServerProcess;
import org.jpkl.s3.S3StorageProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The distributed encode into {@code s3://} assembled on S3 by server-side copies, on local[2] against
 * S3Proxy (in a child JVM: its Jackson 2.18 and Spark's 2.15 cannot share one class path). The
 * driver's requests go through a counting proxy, the tasks' straight to the server, so the bytes
 * counted are the driver's alone.
 */
class SparkS3AssemblyTest {
    private static final String BUCKET = "spark-jobs";
    private static final PlaneLayout ZYX = PlaneLayout.of(1, 2);

    @TempDir
    static Path folder;
    private static S3ServerProcess server;
    private static FaultProxy driverProxy;
    private static S3Client admin;
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = S3ServerProcess.start(Files.createDirectory(folder.resolve("store")));
        driverProxy = new FaultProxy(server.endpoint().getPort());
        admin = server.client();
        admin.createBucket(b -> b.bucket(BUCKET));
        sc = LocalSpark.context();
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (driverProxy != null) {
            driverProxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Tasks reach the server directly; the driver (no task context) through the counting proxy. */
    private static JpklFactory factory() {
        String direct = server.endpoint().toString();
        String counted = driverProxy.endpoint().toString();
        return () -> Jpkl.builder().parallelism(1).storage(StorageProviders.of(new S3StorageProvider(S3ServerProcess.credentials())))
                .storageOption("s3.endpoint", TaskContext.get() == null ? counted : direct).build();
    }

    private static URI uri(String key) {
        return URI.create("s3://" + BUCKET + "/" + key);
    }

    private static byte[] object(String key) {
        return admin.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    /**
     * The bucket's object keys. S3Proxy's filesystem store also lists each folder that holds objects as
     * a key ending in '/' (not an object anyone stored): those are left out.
     */
    private static List<String> keys() {
        return admin.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).filter(k -> !k.endsWith("/"))
                .sorted().toList();
    }

    private static int pendingUploads() {
        return admin.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
    }

    /** {@code a} as the .npy file {@code name} in the test's folder. */
    private Path npy(NdArray a, String name) throws IOException {
        Path npy = dir.resolve(name);
        NpyWriter.write(a, npy);
        return npy;
    }

    /** The bytes {@code Jpkl.save} writes for {@code a} with {@code options}. */
    private byte[] saved(NdArray a, WriteOptions options) throws IOException {
        Path local = dir.resolve("local.jpkl");
        Jpkl.create().save(a, local, options);
        return Files.readAllBytes(local);
    }

    /** Noise: incompressible, so that each task's slices make more than S3's 5 MiB part. */
    private static NdArray noise(int z, int y, int x) {
        return NdArray.generate(DType.UINT16, new int[] {z, y, x}, i -> {
            long h = i * 0x9E3779B97F4A7C15L;
            h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
            return (h ^ (h >>> 29)) & 0xFFFF;
        });
    }

    @Test
    void largeShardsAreCopiedOnTheServerAndOnlyTheIndexPassesThroughTheDriver() throws IOException {
        NdArray a = noise(44, 512, 512);
        Path npy = npy(a, "big.npy");
        WriteOptions options = WriteOptions.builder().codec("lz4").layout(ZYX).build();
        byte[] expected = saved(a, options);

        long sentBefore = driverProxy.bytesSent();
        long receivedBefore = driverProxy.bytesReceived();
        int requestsBefore = driverProxy.requests();
        EncodeReport r = SparkEncoder.builder().jpkl(factory()).slicesPerTask(11).build()
                .encode(sc, StackFiles.npy(npy, ZYX), uri("big/stack.jpkl"), options);
        long sent = driverProxy.bytesSent() - sentBefore;
        long received = driverProxy.bytesReceived() - receivedBefore;
        int requests = driverProxy.requests() - requestsBefore;

        assertArrayEquals(expected, object("big/stack.jpkl"));
        assertEquals(4, r.tasks());
        long indexAndFooter = JpklFileParts.indexAndFooterBytes(44);
        // Each task's object (the head in front of task 0's) is more than 5 MiB: 4 copies, and one
        // upload of the index and footer, the only bytes of the container the driver sent.
        assertEquals(indexAndFooter, r.driverBytes());
        assertEquals(expected.length - indexAndFooter, r.serverCopiedBytes());
        System.out.printf("S3 assembly of %d bytes: the driver made %d requests, sent %d bytes and received %d (HTTP included)%n",
                expected.length, requests, sent, received);
        // What the driver's own client sent and received, HTTP headers included: kilobytes for a 22 MB object.
        assertTrue(sent < indexAndFooter + 32_768, "driver sent " + sent);
        assertTrue(received < 32_768, "driver received " + received);
        assertEquals(List.of("big/stack.jpkl"), keys().stream().filter(k -> k.startsWith("big/")).toList(),
                "the tasks' objects are deleted");
        assertEquals(0, pendingUploads());
    }

    @Test
    void smallShardsAreGatheredThroughTheDriverAndTilesAndLevelsStayInOrder() throws IOException {
        NdArray a = SparkEncoderTest.stack(9, 48, 40);
        Path npy = npy(a, "small.npy");
        WriteOptions options = WriteOptions.builder().codec("deflate").layout(ZYX).tiles(16, 16).levels(2)
                .metadata("source", "s3 test").build();
        byte[] expected = saved(a, options);

        EncodeReport r = SparkEncoder.builder().jpkl(factory()).slicesPerTask(2).build()
                .encode(sc, StackFiles.npy(npy, ZYX), uri("small/stack.jpkl"), options);

        assertArrayEquals(expected, object("small/stack.jpkl"));
        assertEquals(5, r.tasks());
        // Every shard is below 5 MiB: the whole container is one part, gathered by the driver.
        assertEquals(expected.length, r.driverBytes());
        assertEquals(0, r.serverCopiedBytes());
        assertEquals(List.of("small/stack.jpkl"), keys().stream().filter(k -> k.startsWith("small/")).toList());
    }

    @Test
    void failedTaskAttemptsStillYieldTheExactObject() throws IOException {
        NdArray a = SparkEncoderTest.stack(20, 32, 32);
        Path npy = npy(a, "stack.npy");
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).build();
        byte[] expected = saved(a, options);

        // Attempt 0 of partition 1 fails after 2 chunks (its upload is abandoned), attempt 0 of
        // partition 3 after its object was stored (it stays under its attempt's name, unused).
        SparkEncoder encoder = SparkEncoder.builder().jpkl(factory()).slicesPerTask(4).build()
                .withFaults(new SparkEncoderTest.FailFirstAttempts("s3-retry", 1, 3));
        encoder.encode(sc, StackFiles.npy(npy, ZYX), uri("retried/stack.jpkl"), options);

        assertEquals(2, SparkEncoderTest.FailFirstAttempts.INJECTED.get("s3-retry").get(), "both injected failures happened");
        assertArrayEquals(expected, object("retried/stack.jpkl"));
        assertEquals(List.of("retried/stack.jpkl"), keys().stream().filter(k -> k.startsWith("retried/")).toList(),
                "every attempt's object is deleted, the failed attempts' included");
        assertEquals(0, pendingUploads());
    }

    @Test
    void anS3ProviderOtherThanJpklS3sOrServerSideCopiesOffAreRefusedByName() throws IOException {
        NdArray a = SparkEncoderTest.stack(2, 8, 8);
        Path npy = npy(a, "tiny.npy");
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).build();
        JpklFactory other = () -> Jpkl.builder().storage(StorageProviders.of(new OtherS3())).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEncoder.builder().jpkl(other).build()
                .encode(sc, StackFiles.npy(npy, ZYX), uri("x/tiny.jpkl"), options));
        assertEquals("the storage provider for s3://spark-jobs/x/tiny.jpkl is other-s3 (" + OtherS3.class.getName() + "), not"
                + " jpkl-s3's, which the server-side assembly needs; use SparkEncoder.Builder.serverSideCopy(false) to copy the slices"
                + " through the driver", e.getMessage());
        // Without server-side copies, the driver copies from a job folder, which must be given.
        e = assertThrows(IllegalArgumentException.class, () -> SparkEncoder.builder().jpkl(factory()).serverSideCopy(false).build()
                .encode(sc, StackFiles.npy(npy, ZYX), uri("x/tiny.jpkl"), options));
        assertEquals("a container written to s3://spark-jobs/x/tiny.jpkl needs a job folder for the shards that every executor and the"
                + " driver can reach: set SparkEncoder.Builder.jobFolder", e.getMessage());
        assertEquals(List.of(), keys().stream().filter(k -> k.startsWith("x/")).toList());
    }

    /** A storage provider for s3:// that is not jpkl-s3's. */
    private static final class OtherS3 implements org.jpkl.api.spi.StorageProvider {
        @Override
        public String id() {
            return "other-s3";
        }

        @Override
        public java.util.Set<String> schemes() {
            return java.util.Set.of("s3");
        }

        @Override
        public org.jpkl.api.io.RandomAccessSource openSource(URI uri, org.jpkl.api.spi.ProviderOptions options) throws IOException {
            throw new IOException("not used");
        }
    }

    /** Fails the driver's assembly after its first part is stored. */
    static final class FailAssembly implements SparkEncoder.Faults {
        private static final long serialVersionUID = 1L;

        @Override
        public void afterChunk(int partition, int attempt, int chunksSoFar) {
        }

        @Override
        public void afterPublish(int partition, int attempt) {
        }

        @Override
        public void afterAssemblyPart(int partNumber) throws IOException {
            throw new IOException("injected: the driver fails after storing part " + partNumber);
        }
    }

    @Test
    void aFailedAssemblyLeavesNoObjectNoUploadAndNoTaskObjects() throws IOException {
        NdArray a = SparkEncoderTest.stack(8, 32, 32);
        Path npy = npy(a, "stack.npy");
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).build();
        admin.putObject(b -> b.bucket(BUCKET).key("failed/existing.jpkl"), RequestBody.fromString("an older version"));
        SparkEncoder encoder = SparkEncoder.builder().jpkl(factory()).slicesPerTask(3).build().withFaults(new FailAssembly());

        IOException e = assertThrows(IOException.class, () -> encoder.encode(sc, StackFiles.npy(npy, ZYX), uri("failed/new.jpkl"),
                options));
        assertEquals("injected: the driver fails after storing part 1", e.getMessage());
        assertThrows(IOException.class, () -> encoder.encode(sc, StackFiles.npy(npy, ZYX), uri("failed/existing.jpkl"), options));

        assertEquals(List.of("failed/existing.jpkl"), keys().stream().filter(k -> k.startsWith("failed/")).toList(),
                "no new object, no task object left");
        assertEquals("an older version", new String(object("failed/existing.jpkl"), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, pendingUploads());
    }
}
