package org.jpkl.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.ObjectChangedException;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.jpkl.api.testing.FaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The s3 provider against a real S3 server (S3Proxy in this JVM, on a temporary folder, loopback only). */
class S3StorageTest {
    private static final String BUCKET = "jpkl-test";
    /** 48 planes of 256 x 512 noise (JPkl's layout: the plane axes first): 6.3 MB, two parts of 5 MiB. */
    private static final int[] SHAPE = {256, 512, 48};

    @TempDir
    static Path folder;
    private static S3Server server;
    private static S3Client admin;
    private static NdArray noise;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectory(folder.resolve("store"));
        server = S3Server.start(store);
        admin = server.client();
        admin.createBucket(b -> b.bucket(BUCKET));
        noise = NdArray.generate(DType.UINT8, SHAPE, S3StorageTest::noiseAt);
    }

    private static double noiseAt(long i) {
        long z = i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (double) ((z ^ (z >>> 31)) >>> 56);
    }

    /** Plane {@code n} of {@link #noise}. */
    private static NdArray plane(int n) {
        return NdArray.generate(DType.UINT8, new int[] {SHAPE[0], SHAPE[1]}, i -> noiseAt(i * SHAPE[2] + n));
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A Jpkl reading and writing s3:// through the server, with 5 MiB parts. */
    private static Jpkl jpkl(URI endpoint, String... options) {
        Jpkl.Builder b = Jpkl.builder().parallelism(2)
                .storage(StorageProviders.of(new S3StorageProvider(S3Server.credentials())))
                .storageOption("s3.endpoint", endpoint.toString())
                .storageOption("s3.part-size", Integer.toString(S3Settings.MIN_PART_SIZE));
        for (int i = 0; i < options.length; i += 2) {
            b.storageOption(options[i], options[i + 1]);
        }
        return b.build();
    }

    private static URI uri(String key) {
        return URI.create("s3://" + BUCKET + "/" + key);
    }

    private static byte[] object(String key) {
        return admin.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static boolean exists(String key) {
        try {
            admin.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static int pendingUploads() {
        return admin.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
    }

    @Test
    void savedObjectIsTheLocalFileByteForByteAndReadsBack() throws IOException {
        Jpkl jpkl = jpkl(server.endpoint());
        WriteOptions options = WriteOptions.builder().codec("deflate").build();
        Path local = folder.resolve("noise.jpkl");
        jpkl.save(noise, local, options);
        jpkl.save(noise, uri("dir/noise.jpkl"), options);
        byte[] stored = object("dir/noise.jpkl");
        assertTrue(stored.length > S3Settings.MIN_PART_SIZE, "a multipart upload of 2 parts: " + stored.length);
        assertArrayEquals(Files.readAllBytes(local), stored);
        assertEquals(0, pendingUploads());
        try (JpklArray array = jpkl.open(uri("dir/noise.jpkl"))) {
            assertEquals(noise, array.get(":"));
            assertEquals(plane(7), array.get(":, :, 7"));
            assertTrue(array.verify().isIntact());
        }
    }

    @Test
    void tilesAndLevelsRoundTripThroughJpklAndZip() throws IOException {
        Jpkl jpkl = jpkl(server.endpoint());
        NdArray small = NdArray.generate(DType.UINT16, new int[] {300, 260, 3}, i -> (i * 7919) % 65521);
        for (String serializer : new String[] {"jpkl", "zip"}) {
            WriteOptions options = WriteOptions.builder().codec("deflate").serializer(serializer).tiles(128, 128).levels(2).build();
            String key = "tiled." + serializer;
            Path local = folder.resolve(key);
            jpkl.save(small, local, options);
            jpkl.save(small, uri(key), options);
            try (JpklArray remote = jpkl.open(uri(key)); JpklArray file = jpkl.open(local)) {
                assertEquals(serializer, remote.serializerId());
                assertEquals(file.header(), remote.header());
                assertEquals(small, remote.get(":"));
                assertEquals(file.level(1).get(":"), remote.level(1).get(":"));
                assertTrue(remote.verify().isIntact());
            }
        }
    }

    @Test
    void openCostsTwoRequestsAndASliceOne() throws IOException {
        Jpkl jpkl = jpkl(server.endpoint());
        jpkl.save(noise, uri("counted.jpkl"), WriteOptions.builder().codec("deflate").build());
        RemoteObjectSource source = (RemoteObjectSource) jpkl.storage().open(uri("counted.jpkl"));
        try (JpklArray array = jpkl.open(source)) {
            long atOpen = source.requests();
            long bytesAtOpen = source.bytesFetched();
            assertTrue(atOpen <= 2, "open made " + atOpen + " requests");
            array.get(":, :, 5");
            assertEquals(atOpen + 1, source.requests());
            System.out.printf("s3 open: %d requests, %d bytes (object %d bytes); one slice: 1 request%n", atOpen, bytesAtOpen,
                    source.size());
        }
    }

    @Test
    void aFullReadFetchesEachGroupOfNeighbouringSlicesOnceOnOneOrTwoThreads() throws IOException {
        Jpkl two = jpkl(server.endpoint());
        Jpkl one = Jpkl.builder().parallelism(1).storage(StorageProviders.of(new S3StorageProvider(S3Server.credentials())))
                .storageOption("s3.endpoint", server.endpoint().toString()).build();
        two.save(noise, uri("full.jpkl"), WriteOptions.builder().codec("deflate").build());
        List<String> counts = new ArrayList<>();
        for (Jpkl jpkl : List.of(one, two, two)) {
            RemoteObjectSource source = (RemoteObjectSource) jpkl.storage().open(uri("full.jpkl"));
            try (JpklArray array = jpkl.open(source)) {
                long atOpen = source.requests();
                assertEquals(noise, array.get(":"));
                // each group once, whichever thread fetches it (a thread that would wait for another fetches the next one)
                counts.add((source.requests() - atOpen) + " requests after open; " + source.bytesFetched() + " of " + source.size()
                        + " bytes in all");
                System.out.printf("s3 full read on %d thread(s): %d of the groups fetched ahead%n", jpkl.parallelism(), source.prefetches());
            }
        }
        assertEquals(List.of(counts.get(0), counts.get(0), counts.get(0)), counts);
        assertEquals("10 requests after open; 6295617 of 6295617 bytes in all", counts.get(0)); // 48 slices of 131 KB: 10 groups of at most 1/8 of them
    }

    @Test
    void anAbortedWriteLeavesNoObjectAndNoUpload() throws IOException {
        Jpkl jpkl = jpkl(server.endpoint());
        try (JpklWriter writer = jpkl.newWriter(uri("aborted.jpkl"), DType.UINT8, SHAPE,
                WriteOptions.builder().codec("deflate").build())) {
            for (int n = 0; n < SHAPE[2] - 1; n++) {
                writer.write(new int[] {n}, plane(n));
            }
            // Closed without commit: more than one part was under way.
        }
        assertFalse(exists("aborted.jpkl"));
        assertEquals(0, pendingUploads());
    }

    @Test
    void aReplacedObjectIsNotMixedWithTheNewOne() throws IOException {
        Jpkl jpkl = jpkl(server.endpoint());
        WriteOptions options = WriteOptions.builder().codec("deflate").build();
        jpkl.save(noise, uri("replaced.jpkl"), options);
        try (JpklArray array = jpkl.open(uri("replaced.jpkl"))) {
            jpkl.save(NdArray.zeros(DType.UINT8, SHAPE), uri("replaced.jpkl"), options);
            ObjectChangedException e = assertThrows(ObjectChangedException.class, () -> array.get(":, :, 3"));
            assertTrue(e.getMessage().startsWith("s3://" + BUCKET + "/replaced.jpkl: the object changed since it was opened"),
                    e.getMessage());
        }
    }

    @Test
    void aFolderListsItsObjectsButNotThoseOfDeeperFolders() throws IOException {
        Jpkl jpkl = jpkl(server.endpoint());
        for (String key : new String[] {"listed/b 2.npy", "listed/a.tif", "listed/deeper/c.npy", "listedx.npy"}) {
            admin.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[] {1}));
        }
        java.util.List<URI> found = new java.util.ArrayList<>(jpkl.storage().list(uri("listed/")));
        found.sort(null);
        assertEquals(java.util.List.of(URI.create("s3://" + BUCKET + "/listed/a.tif"), URI.create("s3://" + BUCKET + "/listed/b%202.npy")),
                found);
        try (RandomAccessSource s = jpkl.storage().open(found.get(1))) {
            assertEquals(1, s.size(), "a listed URI opens the object");
        }
        assertEquals(java.util.List.of(), jpkl.storage().list(uri("nothing-here/")));
        assertTrue(jpkl.storage().list(URI.create("s3://" + BUCKET + "/")).contains(uri("listedx.npy")));
        FileNotFoundException noBucket = assertThrows(FileNotFoundException.class,
                () -> jpkl.storage().list(URI.create("s3://no-such-bucket/dir/")));
        assertTrue(noBucket.getMessage().startsWith("s3://no-such-bucket/dir/: "), noBucket.getMessage());
    }

    @Test
    void missingObjectAndBucketAreFileNotFoundNamingTheUri() {
        Jpkl jpkl = jpkl(server.endpoint());
        FileNotFoundException key = assertThrows(FileNotFoundException.class, () -> jpkl.open(uri("nothing.jpkl")));
        assertEquals("s3://" + BUCKET + "/nothing.jpkl: no such object (HTTP 404 NoSuchKey)", key.getMessage());
        FileNotFoundException bucket = assertThrows(FileNotFoundException.class,
                () -> jpkl.open(URI.create("s3://no-such-bucket/x.jpkl")));
        assertEquals("s3://no-such-bucket/x.jpkl: no such object (HTTP 404 NoSuchBucket)", bucket.getMessage());
        IOException write = assertThrows(IOException.class,
                () -> jpkl.save(NdArray.zeros(DType.UINT8, 8, 8, 1), URI.create("s3://no-such-bucket/x.jpkl"), WriteOptions.defaults()));
        assertTrue(write.getMessage().startsWith("s3://no-such-bucket/x.jpkl: publishing failed (HTTP 404 NoSuchBucket: "),
                write.getMessage());
    }

    @Test
    void wrongCredentialsAre403NamingTheUri() throws IOException {
        Jpkl jpkl = jpkl(server.endpoint());
        jpkl.save(noise, uri("private.jpkl"), WriteOptions.builder().codec("deflate").build());
        Jpkl stranger = Jpkl.builder()
                .storage(StorageProviders.of(new S3StorageProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, "wrong-secret")))))
                .storageOption("s3.endpoint", server.endpoint().toString()).build();
        IOException e = assertThrows(IOException.class, () -> stranger.open(uri("private.jpkl")));
        assertTrue(e.getMessage().startsWith("s3://" + BUCKET + "/private.jpkl: access denied (HTTP 403 "), e.getMessage());
        IOException write = assertThrows(IOException.class,
                () -> stranger.save(NdArray.zeros(DType.UINT8, 8, 8, 1), uri("denied.jpkl"), WriteOptions.defaults()));
        assertTrue(write.getMessage().startsWith("s3://" + BUCKET + "/denied.jpkl: access denied (HTTP 403 "), write.getMessage());
        assertFalse(exists("denied.jpkl"));
    }

    @Test
    void serverErrorsAreRetriedWithinTheBudget() throws Exception {
        jpkl(server.endpoint()).save(noise, uri("flaky.jpkl"), WriteOptions.builder().codec("deflate").build());
        try (FaultProxy proxy = new FaultProxy(server.endpoint().getPort())) {
            Jpkl jpkl = jpkl(proxy.endpoint(), "s3.retry-backoff-ms", "1");
            RemoteObjectSource source = (RemoteObjectSource) jpkl.storage().open(uri("flaky.jpkl"));
            try (JpklArray array = jpkl.open(source)) {
                slowDown(proxy, 2, "");
                assertEquals(plane(9), array.get(":, :, 9"));
                assertEquals(2, proxy.failed());
                assertEquals(2, source.retries());
                slowDown(proxy, 10, "");
                IOException e = assertThrows(IOException.class, () -> array.get(":, :, 10"));
                assertTrue(e.getMessage().startsWith("s3://" + BUCKET + "/flaky.jpkl: gave up after 5 attempts"), e.getMessage());
                assertTrue(e.getMessage().contains("HTTP 503 SlowDown"), e.getMessage());
            }
            Jpkl noRetries = jpkl(proxy.endpoint(), "s3.retries", "0");
            slowDown(proxy, 1, "");
            IOException e = assertThrows(IOException.class, () -> noRetries.open(uri("flaky.jpkl")));
            assertTrue(e.getMessage().startsWith("s3://" + BUCKET + "/flaky.jpkl: gave up after 1 attempt "), e.getMessage());
        }
    }

    @Test
    void uploadFailuresAreRetriedAndAFailedUploadLeavesNothing() throws Exception {
        try (FaultProxy proxy = new FaultProxy(server.endpoint().getPort())) {
            Jpkl jpkl = jpkl(proxy.endpoint(), "s3.retries", "2");
            WriteOptions options = WriteOptions.builder().codec("deflate").build();
            slowDown(proxy, 2, "partNumber=");
            jpkl.save(noise, uri("retried.jpkl"), options);
            assertEquals(2, proxy.failed());
            Path local = folder.resolve("retried.jpkl");
            jpkl.save(noise, local, options);
            assertArrayEquals(Files.readAllBytes(local), object("retried.jpkl"));

            slowDown(proxy, 100, "partNumber=");
            IOException e = assertThrows(IOException.class, () -> jpkl.save(noise, uri("failed.jpkl"), options));
            assertTrue(e.getMessage().startsWith("s3://" + BUCKET + "/failed.jpkl: uploading part 1 failed (HTTP 503 SlowDown)"),
                    e.getMessage());
            assertFalse(exists("failed.jpkl"));
            assertEquals(0, pendingUploads());
        }
    }

    @Test
    void aSerializerThatCannotStreamSaysSo() {
        Jpkl jpkl = jpkl(server.endpoint());
        NdArray plane = NdArray.zeros(DType.UINT8, 8, 8, 1);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> jpkl.save(plane, uri("x.pkl"), WriteOptions.builder().serializer("jpkl-pickle").build()));
        assertEquals("serializer 'jpkl-pickle' cannot stream a container to s3://" + BUCKET + "/x.pkl: its format is not written"
                + " front to back; write it to a local file and copy that, or use a serializer that streams (such as 'jpkl')",
                e.getMessage());
        assertFalse(exists("x.pkl"));
    }

    @Test
    void badUrisAndOptionsAreRefusedByName() {
        S3StorageProvider provider = new S3StorageProvider();
        assertEquals("s3 URI 's3://bucket' names no object key; the form is s3://BUCKET/KEY",
                assertThrows(IllegalArgumentException.class,
                        () -> provider.openSource(URI.create("s3://bucket"), ProviderOptions.empty())).getMessage());
        assertEquals("storage option s3.part-size=1000 is out of range [5242880, 1073741824]",
                assertThrows(IllegalArgumentException.class, () -> provider.openOutput(URI.create("s3://b/k"),
                        ProviderOptions.of(java.util.Map.of("s3.part-size", "1000")), Runnable::run)).getMessage());
        assertEquals("storage option s3.path-style='yes' is not a boolean; use true or false",
                assertThrows(IllegalArgumentException.class, () -> provider.openSource(URI.create("s3://b/k"),
                        ProviderOptions.of(java.util.Map.of("s3.path-style", "yes")))).getMessage());
        assertTrue(provider.availability().isAvailable());
    }

    @Test
    void theProviderIsFoundOnTheClassPath() {
        StorageProviders found = StorageProviders.load(S3StorageTest.class.getClassLoader());
        assertEquals(java.util.Optional.of(S3StorageProvider.class), found.forScheme("s3").map(Object::getClass));
        assertTrue(found.problems().isEmpty(), found.problems().toString());
    }

    @Test
    void smallObjectsAreOnePutAndTheSourceReadsThem() throws IOException {
        admin.putObject(b -> b.bucket(BUCKET).key("raw.bin"), RequestBody.fromBytes(new byte[] {1, 2, 3, 4, 5}));
        try (RandomAccessSource source = jpkl(server.endpoint()).storage().open(uri("raw.bin"))) {
            assertEquals(5, source.size());
            ByteBuffer dst = ByteBuffer.allocate(3);
            source.readFully(2, dst);
            assertArrayEquals(new byte[] {3, 4, 5}, dst.array());
        }
    }

    /** The next {@code n} requests whose request line contains {@code matching} are answered as a throttled S3 does: 503 SlowDown. */
    private static void slowDown(FaultProxy proxy, int n, String matching) {
        proxy.fail(n, 503, matching, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                + "<Message>injected by FaultProxy</Message></Error>");
    }
}
