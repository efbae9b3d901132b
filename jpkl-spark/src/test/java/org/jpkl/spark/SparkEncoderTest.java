package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.container.HeaderJson;
import org.jpkl.npy.NpyWriter;
import org.jpkl.tiff.TiffImportOptions;
import org.jpkl.tiff.TiffStacks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed encode on local[2]: containers byte for byte those of {@code Jpkl.save}, with and without failing tasks. */
class SparkEncoderTest {
    private static JavaSparkContext sc;
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sc = LocalSpark.context();
    }

    /** A (z, y, x) uint16 stack with structure and noise, so that every plane encodes differently. */
    static NdArray stack(int z, int y, int x) {
        return NdArray.generate(DType.UINT16, new int[] {z, y, x}, i -> {
            long p = i % ((long) y * x);
            long plane = i / ((long) y * x);
            return (plane * 977 + (p / x) * 13 + (p % x) * 7 + (i * 2654435761L >>> 20) % 97) % 65536;
        });
    }

    private static final PlaneLayout ZYX = PlaneLayout.of(1, 2);

    @Test
    void oneNpyFileEncodesToTheContainerJpklSaveWrites() throws IOException {
        NdArray a = stack(23, 40, 56);
        Path npy = dir.resolve("stack.npy");
        NpyWriter.write(a, npy);
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).axisNames("z", "y", "x")
                .metadata("source", "test").metadata("spacing", Map.of("z", 2.5, "x", 0.65)).metadata("frames", 23L).build();
        Path local = dir.resolve("local.jpkl");
        jpkl.save(a, local, options);

        Path spread = dir.resolve("spark.jpkl");
        EncodeReport r = SparkEncoder.builder().slicesPerTask(5).build().encode(sc, StackFiles.npy(npy, ZYX), spread, options);

        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(spread));
        assertEquals(23, r.slices());
        assertEquals(5, r.tasks());
        assertEquals(23, r.chunks());
        assertEquals(List.of("spark.jpkl", "stack.npy", "local.jpkl").stream().sorted().toList(), list(dir),
                "the job folder is deleted and no temporary file is left");
    }

    @Test
    void aContainerNamedByAUriIsWrittenThroughTheDriversStorageProvider() throws IOException {
        NdArray a = stack(11, 40, 56);
        Path npy = dir.resolve("stack.npy");
        NpyWriter.write(a, npy);
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).build();
        Path local = dir.resolve("local.jpkl");
        jpkl.save(a, local, options);
        Path store = java.nio.file.Files.createDirectories(dir.resolve("store"));
        String storeName = store.toString();
        JpklFactory withStore = () -> Jpkl.builder().parallelism(1)
                .storage(org.jpkl.api.spi.StorageProviders.of(new FolderStorage(Path.of(storeName)))).build();
        java.net.URI target = java.net.URI.create("folder://spark.jpkl");

        IllegalArgumentException noFolder = assertThrows(IllegalArgumentException.class, () -> SparkEncoder.builder().jpkl(withStore)
                .build().encode(sc, StackFiles.npy(npy, ZYX), target, options));
        assertEquals("a container written to folder://spark.jpkl needs a job folder for the shards that every executor and the"
                + " driver can reach: set SparkEncoder.Builder.jobFolder", noFolder.getMessage());

        Path jobs = dir.resolve("jobs");
        EncodeReport r = SparkEncoder.builder().jpkl(withStore).jobFolder(jobs).slicesPerTask(3).build()
                .encode(sc, StackFiles.npy(npy, ZYX), target, options);
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(store.resolve("spark.jpkl")));
        assertEquals(4, r.tasks());
        assertFalse(Files.exists(jobs), "the job folder is deleted");
        // file: URIs and plain paths are local files, as for Jpkl
        SparkEncoder.builder().slicesPerTask(3).build().encode(sc, StackFiles.npy(npy, ZYX), dir.resolve("u.jpkl").toUri(), options);
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(dir.resolve("u.jpkl")));
    }

    @Test
    void manyNpyFilesWithTilesAndLevelsEncodeAsOneStack() throws IOException {
        NdArray a = stack(9, 48, 40);
        // Files of 4 planes, 1 plane (2-d) and 4 planes, in name order.
        NpyWriter.write(slab(a, 0, 4), dir.resolve("a0.npy"));
        NpyWriter.write(planeOf(a, 4), dir.resolve("a1.npy"));
        NpyWriter.write(slab(a, 5, 4), dir.resolve("a2.npy"));
        WriteOptions options = WriteOptions.builder().codec("deflate").layout(ZYX).tiles(16, 16).levels(2).build();
        Path local = dir.resolve("local.jpkl");
        jpkl.save(a, local, options);

        StackFiles input = StackFiles.probe(sc, List.of(dir));
        assertEquals(List.of(dir.resolve("a0.npy").toString(), dir.resolve("a1.npy").toString(), dir.resolve("a2.npy").toString()),
                input.files());
        Path spread = dir.resolve("spark.jpkl");
        EncodeReport r = SparkEncoder.builder().slicesPerTask(2).build().encode(sc, input, spread, options);

        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(spread));
        try (JpklArray back = jpkl.open(spread)) {
            assertEquals(3, back.levelCount());
            assertEquals(back.chunkCount(), r.chunks());
        }
    }

    @Test
    void tiffFilesInAFolderEncodeToTheContainerOfTheirPlanes() throws IOException {
        NdArray a = stack(10, 33, 47);
        Path source = dir.resolve("source.jpkl");
        jpkl.save(a, source, WriteOptions.builder().codec("deflate").layout(ZYX).build());
        Path tiffs = Files.createDirectory(dir.resolve("tiffs"));
        try (JpklArray s = jpkl.open(source)) {
            TiffStacks.exportSelection(s, "0:6", tiffs.resolve("part1.tif"));
            TiffStacks.exportSelection(s, "6:10", tiffs.resolve("part2.tif"));
        }
        WriteOptions options = WriteOptions.builder().codec("png").layout(ZYX).build();
        Path local = dir.resolve("local.jpkl");
        jpkl.save(a, local, options);

        Path spread = dir.resolve("spark.jpkl");
        SparkEncoder.builder().slicesPerTask(3).build().encode(sc, StackFiles.of(List.of(tiffs)), spread, options);

        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(spread));
        // Value for value also what the one-machine TIFF import reads from the first file.
        Path imported = dir.resolve("imported.jpkl");
        TiffStacks.importStack(jpkl, tiffs.resolve("part1.tif"), imported, TiffImportOptions.builder().writeOptions(options).build());
        try (JpklArray i = jpkl.open(imported); JpklArray d = jpkl.open(spread)) {
            assertArrayEquals(i.get(":").shape(), d.get("0:6").shape());
            assertArrayEquals(i.get(":").toShortArray(), d.get("0:6").toShortArray());
        }
    }

    @Test
    void aFolderOfPngImagesEncodesAsTheirStack() throws IOException {
        int z = 5;
        int h = 21;
        int w = 30;
        NdArray a = NdArray.generate(DType.UINT8, new int[] {z, h, w}, i -> (i * 37 + i / 600 * 11) % 256);
        Path pngs = Files.createDirectory(dir.resolve("pngs"));
        byte[] samples = a.toByteArray();
        for (int n = 0; n < z; n++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, w, h, java.util.Arrays.copyOfRange(samples, n * h * w, (n + 1) * h * w));
            // Names sort in slice order: img-10 would sort before img-2, so the test uses one digit.
            javax.imageio.ImageIO.write(img, "png", pngs.resolve("img-" + n + ".png").toFile());
        }
        WriteOptions options = WriteOptions.builder().codec("deflate").layout(ZYX).build();
        Path local = dir.resolve("local.jpkl");
        jpkl.save(a, local, options);

        Path spread = dir.resolve("spark.jpkl");
        SparkEncoder.builder().slicesPerTask(2).build().encode(sc, StackFiles.probe(sc, List.of(pngs)), spread, options);

        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(spread));
    }

    @Test
    void aGlobalJpegWindowIsBoundFromAFirstPassAsJpklSaveBindsIt() throws IOException {
        NdArray a = stack(8, 24, 32);
        Path npy = dir.resolve("stack.npy");
        NpyWriter.write(a, npy);
        WriteOptions options = WriteOptions.builder().codec("jpeg").param("window", "global").layout(ZYX).build();
        Path local = dir.resolve("local.jpkl");
        jpkl.save(a, local, options);

        Path spread = dir.resolve("spark.jpkl");
        SparkEncoder.builder().slicesPerTask(3).build().encode(sc, StackFiles.npy(npy, ZYX), spread, options);

        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(spread));
        try (JpklArray back = jpkl.open(spread)) {
            assertFalse(back.codecParams().get("window").equals("global"), back.codecParams().toString());
        }
    }

    /** Fails the first attempt of one partition halfway through its shard, and of another after publishing its shard. */
    static final class FailFirstAttempts implements SparkEncoder.Faults {
        private static final long serialVersionUID = 1L;
        /** What was injected, per test run (tasks run in this JVM on local[2]). */
        static final Map<String, AtomicInteger> INJECTED = new ConcurrentHashMap<>();
        private final String run;
        private final int midShard;
        private final int afterPublish;

        FailFirstAttempts(String run, int midShard, int afterPublish) {
            this.run = run;
            this.midShard = midShard;
            this.afterPublish = afterPublish;
        }

        @Override
        public void afterChunk(int partition, int attempt, int chunksSoFar) throws IOException {
            if (partition == midShard && attempt == 0 && chunksSoFar == 2) {
                INJECTED.computeIfAbsent(run, k -> new AtomicInteger()).incrementAndGet();
                throw new IOException("injected: attempt 0 of partition " + partition + " fails after 2 chunks");
            }
        }

        @Override
        public void afterPublish(int partition, int attempt) throws IOException {
            if (partition == afterPublish && attempt == 0) {
                INJECTED.computeIfAbsent(run, k -> new AtomicInteger()).incrementAndGet();
                throw new IOException("injected: attempt 0 of partition " + partition + " fails after publishing its shard");
            }
        }
    }

    @Test
    void failedAttemptsStillYieldTheExactContainerAndCorruptShardsAreRefused() throws IOException {
        NdArray a = stack(20, 32, 32);
        Path npy = dir.resolve("stack.npy");
        NpyWriter.write(a, npy);
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).build();
        Path local = dir.resolve("local.jpkl");
        jpkl.save(a, local, options);

        Path job = dir.resolve("job");
        Path spread = dir.resolve("spark.jpkl");
        SparkEncoder encoder = SparkEncoder.builder().slicesPerTask(4).jobFolder(job).keepJobFolder(true).build()
                .withFaults(new FailFirstAttempts("retry", 1, 3));
        encoder.encode(sc, StackFiles.npy(npy, ZYX), spread, options);

        assertEquals(2, FailFirstAttempts.INJECTED.get("retry").get(), "both injected failures happened");
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(spread));
        assertEquals(List.of("part-000000.shard", "part-000001.shard", "part-000002.shard", "part-000003.shard", "part-000004.shard"),
                list(job), "one shard per partition, no temporary file of the failed attempts left");

        // The driver's checks, on the kept shards: each damage is refused and no container is written.
        Path again = dir.resolve("again.jpkl");
        byte[] shard1 = Files.readAllBytes(job.resolve("part-000001.shard"));
        byte[] flipped = shard1.clone();
        flipped[Shard.HEAD_BYTES + 3] ^= 1;
        Files.write(job.resolve("part-000001.shard"), flipped);
        assertEquals(job.resolve("part-000001.shard") + ": chunk 4: CRC32C of its " + firstChunkLength(shard1)
                + " bytes does not match the shard's index", assembleError(again, a, options, job).getMessage());

        Files.copy(job.resolve("part-000000.shard"), job.resolve("part-000001.shard"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String crc = Integer.toString(Shard.crc(headerOf(options, a)));
        assertEquals(job.resolve("part-000001.shard") + ": shard head: was written for Plan[partition=0, firstSlice=0, sliceCount=4,"
                + " headerCrc=" + crc + "]; this job expects Plan[partition=1, firstSlice=4, sliceCount=4, headerCrc=" + crc
                + "] (a shard of another job or header)", assembleError(again, a, options, job).getMessage());

        Files.write(job.resolve("part-000001.shard"), java.util.Arrays.copyOf(shard1, shard1.length - 1));
        assertEquals(job.resolve("part-000001.shard") + ": shard footer: does not end with JPKLSHD1 (a truncated or unfinished shard)",
                assembleError(again, a, options, job).getMessage());

        Files.write(job.resolve("part-000001.shard"), shard1);
        Files.delete(job.resolve("part-000002.shard"));
        assertEquals(job.resolve("part-000002.shard") + ": shard: is missing: the task for partition 2 (slices 8 to 11) published nothing",
                assembleError(again, a, options, job).getMessage());
        assertFalse(Files.exists(again));

        // A job folder holding an earlier job's shards is refused: one could be copied before this job's task replaced it.
        assertEquals("job folder " + job + " already holds shards (part-000000.shard, part-000001.shard, part-000003.shard, ...) of an"
                + " earlier job; remove them or choose another folder", assertThrows(IllegalArgumentException.class,
                        () -> SparkEncoder.builder().slicesPerTask(4).jobFolder(job).build().encode(sc, StackFiles.npy(npy, ZYX), again,
                                options)).getMessage());
        assertFalse(Files.exists(again));
    }

    @Test
    void aFailingInputFailsTheJobAndWritesNothing() throws IOException {
        NdArray a = stack(6, 16, 16);
        Path npy = dir.resolve("stack.npy");
        NpyWriter.write(a, npy);
        StackFiles input = StackFiles.npy(npy, ZYX);
        // The file shrinks after probing: every attempt of the last task fails; the job fails, no container, no job folder.
        byte[] whole = Files.readAllBytes(npy);
        Files.write(npy, java.util.Arrays.copyOf(whole, whole.length - 100));
        Path spread = dir.resolve("spark.jpkl");
        IOException e = assertThrows(IOException.class, () -> SparkEncoder.builder().slicesPerTask(2).build()
                .encode(sc, input, spread, WriteOptions.builder().codec("zstd").build()));
        assertEquals("org.apache.spark.SparkException", e.getCause().getClass().getName());
        assertTrue(e.getMessage().startsWith("the Spark encode job failed: Job aborted due to stage failure: "), e.getMessage());
        assertTrue(e.getMessage().contains(npy + ": data: has 3100 bytes; shape (6, 16, 16) of uint16 needs 3200"), e.getMessage());
        assertEquals(List.of("stack.npy"), list(dir));
    }

    private static long firstChunkLength(byte[] shard) throws IOException {
        try (var src = org.jpkl.api.io.RandomAccessSource.of("s", shard)) {
            return Shard.read(src, 100).entries().get(0).length();
        }
    }

    private byte[] headerOf(WriteOptions options, NdArray a) throws IOException {
        Path t = dir.resolve("header.jpkl");
        try (JpklWriter w = jpkl.newWriter(t, a.dtype(), a.shape(), options)) {
            return HeaderJson.toBytes(w.header());
        }
    }

    private JpklFormatException assembleError(Path target, NdArray a, WriteOptions options, Path job) throws IOException {
        try (JpklWriter w = jpkl.newWriter(target, a.dtype(), a.shape(), options)) {
            List<Shard.Plan> plans = SparkEncoder.plan(w.header().sliceCount(), 4, Shard.crc(HeaderJson.toBytes(w.header())));
            return assertThrows(JpklFormatException.class, () -> SparkEncoder.assemble(w, job, plans,
                    java.util.concurrent.CompletableFuture.completedFuture(null)));
        }
    }

    private static NdArray slab(NdArray a, int first, int count) {
        int[] s = a.shape();
        int plane = s[1] * s[2];
        short[] d = java.util.Arrays.copyOfRange(a.toShortArray(), first * plane, (first + count) * plane);
        return NdArray.wrapUint16(d, count, s[1], s[2]);
    }

    private static NdArray planeOf(NdArray a, int z) {
        int[] s = a.shape();
        return NdArray.wrapUint16(java.util.Arrays.copyOfRange(a.toShortArray(), z * s[1] * s[2], (z + 1) * s[1] * s[2]), s[1], s[2]);
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
