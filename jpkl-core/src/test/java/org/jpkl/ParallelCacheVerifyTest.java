package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.RestrictedCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parallel decode and encode on caller-supplied executors, the slice cache, checksum options and verify(). */
class ParallelCacheVerifyTest {
    @TempDir
    Path dir;

    private static final SliceCodecs CODECS = SliceCodecs.of(new IdentityCodec(), new RestrictedCodec("fails-5th", 4, DType.values()));

    private static Jpkl jpkl(java.util.concurrent.Executor executor, int parallelism) {
        return Jpkl.builder().codecs(CODECS).serializers(ContainerSerializers.load()).executor(executor).parallelism(parallelism).build();
    }

    private static NdArray sample(int... shape) {
        Random r = new Random(7);
        return NdArray.generate(DType.INT16, shape, i -> r.nextInt(65536) - 32768);
    }

    private Path saved(NdArray array) throws IOException {
        Path file = dir.resolve("a" + System.nanoTime() + ".jpkl");
        jpkl(Runnable::run, 1).save(array, file, WriteOptions.builder().codec(IdentityCodec.ID).build());
        return file;
    }

    @Test
    void parallelGetUsesTheGivenExecutorAndMatchesSerialResults() throws Exception {
        NdArray array = sample(20, 30, 8, 6);
        Path file = saved(array);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(() -> {
            threads.add(Thread.currentThread().getName());
            r.run();
        }, "test-pool"));
        try (JpklArray stored = jpkl(pool, 4).open(file)) {
            for (String e : List.of("...", ":, :, ::-1, 1:5", "3, ..., 2", "::3, ::-2, :, -1")) {
                assertEquals(array.get(e), stored.get(e), e);
            }
            assertTrue(threads.contains("test-pool"), "helper work ran on the caller-supplied executor");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectingOrSaturatedExecutorOnlyCostsParallelism() throws Exception {
        NdArray array = sample(10, 12, 9);
        Path file = saved(array);
        try (JpklArray stored = jpkl(task -> {
            throw new RejectedExecutionException("full");
        }, 8).open(file)) {
            assertEquals(array, stored.get("..."));
        }
        ExecutorService one = Executors.newSingleThreadExecutor();
        try (JpklArray stored = jpkl(one, 8).open(file)) {
            Future<NdArray> nested = one.submit(() -> stored.get("..."));
            assertEquals(array, nested.get(), "a get from inside the executor's only thread does not deadlock");
        } finally {
            one.shutdownNow();
        }
    }

    /**
     * An executor that runs each task at once on the calling thread ({@code Runnable::run}) with
     * parallelism 2: the helper task must not start work that waits for the caller's allocation of
     * the result (which the caller only makes after starting its helpers), for each read that
     * allocates the result while helpers decode: a few interleaved planes, many interleaved
     * planes, and a tiled result of 32 MiB or more. Before, the tiled read hung.
     */
    @Test
    void anExecutorRunningTasksOnTheCallerNeverWaitsForTheCallersAllocation() throws Exception {
        NdArray few = sample(20, 30, 3);
        NdArray many = sample(20, 30, 8, 6);
        NdArray large = NdArray.generate(DType.UINT16, new int[] {3_000, 6_000}, i -> (i * 2_654_435_761L >>> 7) & 0xFFFF);
        Path fewFile = saved(few);
        Path manyFile = saved(many);
        Path largeFile = dir.resolve("large.jpkl");
        jpkl(Runnable::run, 1).save(large, largeFile, WriteOptions.builder().codec(IdentityCodec.ID).tiles(128, 256).build());
        Jpkl inline = jpkl(Runnable::run, 2);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            try (JpklArray a = inline.open(fewFile); JpklArray b = inline.open(manyFile); JpklArray c = inline.open(largeFile)) {
                assertEquals(few, a.get("..."));
                assertEquals(many, b.get("..."));
                assertEquals(many.get("::-1, 3:, 1:7, ::2"), b.get("::-1, 3:, 1:7, ::2"));
                assertEquals(large, c.get("..."));
            }
        });
    }

    @Test
    void parallelSaveWritesExactlyWhatSerialSaveWrites() throws IOException {
        NdArray array = sample(16, 8, 5, 7);
        Path serial = dir.resolve("serial.jpkl");
        Path parallel = dir.resolve("parallel.jpkl");
        jpkl(Runnable::run, 1).save(array, serial, WriteOptions.builder().codec(IdentityCodec.ID).build());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            jpkl(pool, 4).save(array, parallel, WriteOptions.builder().codec(IdentityCodec.ID).build());
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(Files.readAllBytes(serial), Files.readAllBytes(parallel), "slices are written in order, whatever the threads");
    }

    @Test
    void aFailingParallelEncodeAbortsTheWholeFile() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Path file = dir.resolve("fail.jpkl");
        try {
            IOException e = assertThrows(IOException.class,
                    () -> jpkl(pool, 3).save(sample(4, 4, 30), file, WriteOptions.builder().codec("fails-5th").build()));
            assertTrue(e.getMessage().startsWith("codec 'fails-5th' failed to encode slice"), e.getMessage());
        } finally {
            pool.shutdownNow();
        }
        assertFalse(Files.exists(file));
        assertEquals(0, dir.toFile().list().length, "no temporary file left");
    }

    @Test
    void streamingWriterAcceptsPlanesInAnyOrderAndReusedBuffers() throws IOException {
        NdArray array = sample(6, 7, 4, 3);
        Path file = dir.resolve("stream.jpkl");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Jpkl j = jpkl(pool, 3);
        try (JpklWriter w = j.newWriter(file, DType.INT16, array.shape(), WriteOptions.builder().codec(IdentityCodec.ID).build())) {
            PlaneBuffer reused = PlaneBuffer.allocate(w.header().planeSpec());
            List<Long> order = new ArrayList<>();
            for (long n = 11; n >= 0; n--) {
                order.add(n);
            }
            for (long n : order) {
                array.copyPlane(w.header().layout(), n, reused);
                w.write(n, reused);
            }
            w.commit();
        } finally {
            pool.shutdownNow();
        }
        try (JpklArray stored = j.open(file)) {
            assertEquals(array, stored.get("..."));
        }
    }

    @Test
    void cacheDecodesEachPlaneOnceAndServesRepeats() throws Exception {
        NdArray array = sample(32, 32, 10);
        Path file = saved(array);
        SliceCache cache = SliceCache.withBudget(1 << 20);
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (JpklArray stored = jpkl(Runnable::run, 1).open(counting, OpenOptions.builder().cache(cache).build())) {
            long atOpen = counting.reads();
            assertEquals(array.get(":, :, 3"), stored.get(":, :, 3"));
            assertEquals(array.get("5:9, ::2, 3"), stored.get("5:9, ::2, 3"));
            assertEquals(array.get("..., 3:5"), stored.get("..., 3:5"));
            assertEquals(atOpen + 2, counting.reads(), "slices 3 and 4 read once each");
            assertEquals(2, cache.misses());
            assertEquals(2, cache.hits());
            assertEquals(2L * 32 * 32 * 2, cache.cachedBytes());
        }
        assertEquals(0, cache.size(), "closing a container drops its planes");
    }

    @Test
    void concurrentRequestsForOnePlaneDecodeItOnce() throws Exception {
        NdArray array = sample(64, 64, 3);
        Path file = saved(array);
        SliceCache cache = SliceCache.withBudget(1 << 20);
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (JpklArray stored = jpkl(Runnable::run, 1).open(counting, OpenOptions.builder().cache(cache).build())) {
            long atOpen = counting.reads();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<NdArray>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return stored.get(":, :, 1");
                }));
            }
            start.countDown();
            for (Future<NdArray> f : results) {
                assertEquals(array.get(":, :, 1"), f.get());
            }
            assertEquals(atOpen + 1, counting.reads(), "eight concurrent requests, one read");
            assertEquals(1, cache.misses());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cachedBytesNeverExceedTheBudgetAcrossContainers() throws Exception {
        NdArray a = sample(40, 40, 12);
        Path fa = saved(a);
        Path fb = saved(a);
        long plane = 40 * 40 * 2;
        SliceCache cache = SliceCache.withBudget(5 * plane);
        Jpkl j = jpkl(Runnable::run, 1);
        try (JpklArray x = j.open(fa, OpenOptions.builder().cache(cache).build());
             JpklArray y = j.open(fb, OpenOptions.builder().cache(cache).build())) {
            Random r = new Random(3);
            for (int i = 0; i < 200; i++) {
                JpklArray c = r.nextBoolean() ? x : y;
                int k = r.nextInt(12);
                assertEquals(a.get(":, :, " + k), c.get(":, :, " + k));
                assertTrue(cache.cachedBytes() <= cache.budgetBytes(), "cached " + cache.cachedBytes());
            }
            assertTrue(cache.hits() > 0 && cache.size() <= 5);
        }
        assertThrows(IllegalArgumentException.class, () -> SliceCache.withBudget(-1));
    }

    @Test
    void theBudgetHoldsEvenWhileOtherThreadsInsert() throws Exception {
        NdArray a = sample(32, 32, 40);
        Path file = saved(a);
        long plane = 32 * 32 * 2;
        SliceCache cache = SliceCache.withBudget(7 * plane + plane / 2);
        java.util.concurrent.atomic.AtomicLong worst = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                worst.accumulateAndGet(cache.cachedBytes(), Math::max);
            }
        });
        watcher.start();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (JpklArray stored = jpkl(Runnable::run, 1).open(file, OpenOptions.builder().cache(cache).build())) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                fs.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 400; i++) {
                        int k = r.nextInt(40);
                        assertEquals(a.get(":, :, " + k), stored.get(":, :, " + k));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            stop.set(true);
            watcher.join();
            pool.shutdownNow();
        }
        assertTrue(worst.get() <= cache.budgetBytes(), "worst seen " + worst.get() + " > budget " + cache.budgetBytes());
        assertTrue(worst.get() >= 7 * plane, "the cache was used up to its budget: " + worst.get());
        assertEquals(1600, cache.hits() + cache.misses());
    }

    @Test
    void verifyNamesEveryDamagedSliceAndChecksumsCanBeSwitchedOff() throws IOException {
        NdArray array = sample(8, 9, 5);
        Path file = saved(array);
        try (JpklArray stored = jpkl(Runnable::run, 2).open(file)) {
            VerificationReport ok = stored.verify();
            assertTrue(ok.isIntact());
            assertEquals(5, ok.slicesChecked());
        }
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        int dataStart = 16 + headerLength + 4;
        int sliceBytes = 16 + 8 * 9 * 2;
        bytes[dataStart + 2 * sliceBytes + 100] ^= 1;
        bytes[dataStart + 4 * sliceBytes + 20] ^= 1;
        Files.write(file, bytes);
        try (JpklArray stored = jpkl(Runnable::run, 2).open(file)) {
            VerificationReport report = stored.verify();
            assertFalse(report.isIntact());
            assertEquals(2, report.problems().size());
            assertArrayEquals(new int[] {2}, report.problems().get(0).key());
            assertArrayEquals(new int[] {4}, report.problems().get(1).key());
            assertTrue(report.problems().get(0).message().contains("slice (2,): CRC32C mismatch"), report.toString());
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> stored.get(":, :, 1:3"));
            assertEquals("slice (2,)", e.region());
            assertEquals(array.get(":, :, 1"), stored.get(":, :, 1"));
        }
        try (JpklArray unchecked = jpkl(Runnable::run, 1).open(file, OpenOptions.builder().verifyChecksums(false).build())) {
            NdArray damaged = unchecked.get(":, :, 2");
            assertFalse(array.get(":, :, 2").equals(damaged), "without checksums the damaged values come through");
            assertEquals(2, unchecked.verify().problems().size(), "verify checks checksums whatever the options");
        }
    }

    @Test
    void decodeSliceChecksTheDestination() throws IOException {
        Path file = saved(sample(8, 9, 2));
        try (JpklArray stored = jpkl(Runnable::run, 1).open(file)) {
            PlaneBuffer wrong = PlaneBuffer.allocate(new PlaneSpec(DType.INT16, 9, 8, org.jpkl.api.ChannelLayout.GREY));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stored.decodeSlice(0, wrong));
            assertEquals("destination is int16 9x8 grey; this array's planes are int16 8x9 grey", e.getMessage());
        }
    }

    @Test
    void builderRejectsBadParallelism() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jpkl.builder().parallelism(0));
        assertEquals("parallelism (0) must be >= 1", e.getMessage());
    }
}
