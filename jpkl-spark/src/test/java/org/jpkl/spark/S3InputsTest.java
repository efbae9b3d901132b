package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.ObjectChangedException;
import org.jpkl.api.spi.StorageProvider;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.npy.NpyWriter;
import org.jpkl.s3.S3Server;
import org.jpkl.s3.S3StorageProvider;
import org.jpkl.tiff.TiffStacks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The distributed encode from inputs on S3 (S3Proxy in this JVM, loopback only) on local[2]: the
 * executors reach the store through the encoder's {@link JpklFactory} (endpoint and credentials),
 * each task reads only the byte ranges of its slices of a large {@code .npy}, and the container is
 * byte for byte the one {@code Jpkl.save} writes from the same array.
 */
class S3InputsTest {
    private static final String BUCKET = "inputs";
    private static final PlaneLayout ZYX = PlaneLayout.of(1, 2);

    @TempDir
    static Path folder;
    private static S3Server server;
    private static JavaSparkContext sc;
    private final Jpkl local = Jpkl.create();

    @BeforeAll
    static void start() throws Exception {
        sc = LocalSpark.context();
        server = S3Server.start(Files.createDirectory(folder.resolve("store")));
        try (S3Client admin = server.client()) {
            admin.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * How the driver and every task make their Jpkl: the s3 provider with the server's endpoint (a
     * storage option) and credentials; {@code record}: wrapped in a {@link RecordingStorage}.
     */
    private static JpklFactory s3(boolean record) {
        String endpoint = server.endpoint().toString();
        return () -> {
            StorageProvider s3 = new S3StorageProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)));
            return Jpkl.builder().parallelism(1).storage(StorageProviders.of(record ? new RecordingStorage(s3) : s3))
                    .storageOption("s3.endpoint", endpoint).build();
        };
    }

    private static URI uri(String key) {
        return URI.create("s3://" + BUCKET + "/" + key);
    }

    private static void put(String key, byte[] bytes) {
        try (S3Client admin = server.client()) {
            admin.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        }
    }

    private byte[] npyBytes(NdArray a) throws IOException {
        Path f = Files.createTempFile(folder, "a", ".npy");
        NpyWriter.write(a, f);
        return Files.readAllBytes(f);
    }

    private byte[] saved(NdArray a, WriteOptions options) throws IOException {
        Path f = Files.createTempFile(folder, "local", ".jpkl");
        local.save(a, f, options);
        return Files.readAllBytes(f);
    }

    private byte[] encoded(StackFiles input, JpklFactory factory, long slicesPerTask, WriteOptions options) throws IOException {
        Path target = Files.createTempDirectory(folder, "out").resolve("spark.jpkl");
        SparkEncoder.builder().jpkl(factory).slicesPerTask(slicesPerTask).build().encode(sc, input, target, options);
        return Files.readAllBytes(target);
    }

    @Test
    void aLargeNpyIsReadByRangesEachTaskFetchingOnlyItsSlices() throws IOException {
        int z = 24;
        NdArray a = SparkEncoderTest.stack(z, 32, 40);
        byte[] npy = npyBytes(a);
        put("big.npy", npy);
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).build();
        JpklFactory recording = s3(true);

        StackFiles input = StackFiles.npy(uri("big.npy"), ZYX, recording.create());
        assertEquals(List.of("s3://inputs/big.npy"), input.files());
        RecordingStorage.READS.clear();
        byte[] spread = encoded(input, recording, 6, options);

        assertArrayEquals(saved(a, options), spread);
        long planeBytes = 32 * 40 * 2;
        long dataOffset = npy.length - z * planeBytes;
        Map<Integer, RecordingStorage.Read> byTask = new TreeMap<>();
        for (RecordingStorage.Read r : RecordingStorage.READS) {
            assertEquals("s3://inputs/big.npy", r.uri());
            assertEquals(null, byTask.put(r.partition(), r), "one source per task");
        }
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(byTask.keySet()));
        long fetched = 0;
        for (RecordingStorage.Read r : byTask.values()) {
            long start = dataOffset + r.partition() * 6 * planeBytes;
            long end = start + 6 * planeBytes;
            // The first request fetches the head (1 KiB: the .npy header); then one ranged GET per plane.
            assertEquals(1 + 6, r.requests(), "task " + r.partition());
            assertEquals(1024 + end - Math.max(start, 1024), r.bytesFetched(), "task " + r.partition());
            for (long[] region : r.regions()) {
                // Bytes in the head come from the first request; any other byte read is one of the task's slices.
                long from = Math.max(region[0], 1024);
                long to = region[0] + region[1];
                assertTrue(to <= 1024 || (from >= start && to <= end), "task " + r.partition() + " read " + Arrays.toString(region)
                        + " outside the head and its slices [" + start + ", " + end + ")");
            }
            fetched += r.bytesFetched();
        }
        System.out.printf("s3 .npy input of %d bytes, 4 tasks: %d requests, %d bytes fetched in all%n", npy.length,
                byTask.values().stream().mapToLong(RecordingStorage.Read::requests).sum(), fetched);
    }

    @Test
    void aPrefixIsListedInNaturalOrderAndFilesOfEveryKindStack() throws IOException {
        int h = 21;
        int w = 30;
        NdArray a = NdArray.generate(DType.UINT8, new int[] {3, h, w}, i -> (i * 37 + i / 600 * 11) % 256);
        byte[] samples = a.toByteArray();
        String[] names = {"img-1.png", "img-2.png", "img-10.png"};
        for (int n = 0; n < 3; n++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, w, h, Arrays.copyOfRange(samples, n * h * w, (n + 1) * h * w));
            Path png = folder.resolve(names[n]);
            ImageIO.write(img, "png", png.toFile());
            put("acq/" + names[n], Files.readAllBytes(png));
        }
        put("acq/notes.txt", new byte[] {1});
        put("acq/deeper/img-0.png", Files.readAllBytes(folder.resolve("img-1.png")));
        WriteOptions options = WriteOptions.builder().codec("deflate").layout(ZYX).build();

        StackFiles input = StackFiles.probe(sc, List.of(uri("acq/")), s3(false));
        assertEquals(List.of("s3://inputs/acq/img-1.png", "s3://inputs/acq/img-2.png", "s3://inputs/acq/img-10.png"), input.files());
        assertArrayEquals(saved(a, options), encoded(input, s3(false), 2, options));
    }

    @Test
    void aMultiPageTiffAndAnNpyOnS3EncodeAsOneStack() throws IOException {
        NdArray a = SparkEncoderTest.stack(10, 33, 47);
        Path source = folder.resolve("tiff-source.jpkl");
        local.save(a, source, WriteOptions.builder().codec("deflate").layout(ZYX).build());
        Path tif = folder.resolve("first.tif");
        try (JpklArray s = local.open(source)) {
            TiffStacks.exportSelection(s, "0:6", tif);
            put("mixed/first.tif", Files.readAllBytes(tif));
            put("mixed/rest.npy", npyBytes(s.get("6:10")));
        }
        WriteOptions options = WriteOptions.builder().codec("png").layout(ZYX).build();

        StackFiles input = StackFiles.of(List.of(uri("mixed/first.tif"), uri("mixed/rest.npy")), s3(false).create());
        assertArrayEquals(new int[] {10, 33, 47}, input.shape());
        assertArrayEquals(saved(a, options), encoded(input, s3(false), 3, options));
    }

    @Test
    void aGlobalJpegWindowIsBoundFromAFirstPassOverTheObjects() throws IOException {
        NdArray a = SparkEncoderTest.stack(8, 24, 32);
        put("window.npy", npyBytes(a));
        WriteOptions options = WriteOptions.builder().codec("jpeg").param("window", "global").layout(ZYX).build();

        StackFiles input = StackFiles.npy(uri("window.npy"), s3(false).create());
        assertArrayEquals(saved(a, options), encoded(input, s3(false), 3, options));
    }

    @Test
    void aMissingObjectATruncatedNpyAndAReplacedObjectAreRefusedNamingTheUri() throws IOException {
        Jpkl jpkl = s3(false).create();
        FileNotFoundException missing = assertThrows(FileNotFoundException.class,
                () -> StackFiles.npy(uri("no-such.npy"), ZYX, jpkl));
        assertTrue(missing.getMessage().startsWith("s3://inputs/no-such.npy: no such object (HTTP 404"), missing.getMessage());
        FileNotFoundException missingOfMany = assertThrows(FileNotFoundException.class,
                () -> StackFiles.of(List.of(uri("no-such.png")), jpkl));
        assertTrue(missingOfMany.getMessage().startsWith("s3://inputs/no-such.png: no such object (HTTP 404"), missingOfMany.getMessage());

        NdArray a = SparkEncoderTest.stack(4, 8, 8);
        byte[] npy = npyBytes(a);
        put("short.npy", Arrays.copyOf(npy, npy.length - 100));
        JpklFormatException truncated = assertThrows(JpklFormatException.class, () -> StackFiles.npy(uri("short.npy"), ZYX, jpkl));
        assertEquals("s3://inputs/short.npy: data: has " + (npy.length - 100) + " bytes; shape (4, 8, 8) of uint16 needs " + npy.length
                + " (512 after the " + (npy.length - 512) + "-byte header); the file is truncated", truncated.getMessage());

        put("replaced.npy", npy);
        StackFiles input = StackFiles.npy(uri("replaced.npy"), ZYX, jpkl);
        put("replaced.npy", npyBytes(NdArray.generate(DType.UINT16, new int[] {4, 8, 8}, i -> i)));
        IOException changed = assertThrows(IOException.class, () -> encoded(input, s3(false), 2,
                WriteOptions.builder().codec("zstd").layout(ZYX).build()));
        Throwable cause = changed;
        while (cause != null && !(cause instanceof ObjectChangedException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "caused by ObjectChangedException: " + changed);
        assertTrue(cause.getMessage().startsWith("s3://inputs/replaced.npy: the object changed since the input was probed (then "
                + npy.length + " bytes, version "), cause.getMessage());
    }

    @Test
    void anNpyWhosePlanesAreNotContiguousIsRefusedOnObjectStorage() throws IOException {
        put("yxz.npy", npyBytes(SparkEncoderTest.stack(6, 5, 4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackFiles.npy(uri("yxz.npy"), PlaneLayout.of(0, 1), s3(false).create()));
        assertTrue(e.getMessage().startsWith("s3://inputs/yxz.npy: the planes of layout "), e.getMessage());
        assertTrue(e.getMessage().endsWith("each plane would pass over the object: store it with the plane axes last, or read a local"
                + " copy"), e.getMessage());
    }
}
