package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.ChildJvm;
import org.jpkl.api.testing.ContainerFuzzer;
import org.jpkl.testing.LibraryMutantCheck;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad days: damaged and hostile files, failures mid-write, racing writers, full disks, concurrent readers, huge offsets. */
class ReliabilityTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
            .parallelism(2).build();

    private static NdArray sample(DType dtype, int... shape) {
        Random r = new Random(11);
        return NdArray.generate(dtype, shape, i -> dtype == DType.UINT8 ? r.nextInt(256) : r.nextInt(60000));
    }

    private Path saved(NdArray a, String name) throws IOException {
        Path f = dir.resolve(name);
        jpkl.save(a, f, WriteOptions.builder().codec(IdentityCodec.ID).metadata("k", "v").build());
        return f;
    }

    @Test
    void thousandsOfMutantsGiveTheOriginalDataOrAFormatError() throws IOException {
        NdArray a = sample(DType.UINT16, 6, 5, 4, 3);
        byte[] valid = Files.readAllBytes(saved(a, "fuzz.jpkl"));
        ContainerFuzzer fuzzer = LibraryMutantCheck.fuzzer(jpkl, valid, 5000);
        ContainerFuzzer.Result on = fuzzer.run(new LibraryMutantCheck(jpkl, a, true), ContainerFuzzer.mutantCount(3000), 1);
        System.out.println("fuzz, checksums on: " + on);
        assertEquals(List.of(), on.failures, on.toString());
        assertTrue(on.outcomes.getOrDefault("rejected at open", 0) > 500 && on.outcomes.getOrDefault("rejected at read", 0) > 100, on.toString());
        ContainerFuzzer.Result off = fuzzer.run(new LibraryMutantCheck(jpkl, a, false), ContainerFuzzer.mutantCount(1500), 2);
        System.out.println("fuzz, checksums off: " + off);
        assertEquals(List.of(), off.failures, off.toString());
    }

    /** A file with a chosen header, footer fields and index, for hostile-header tests. */
    private static byte[] craft(String json, long indexOffsetDelta, long sliceCount, byte[] index) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + h.length + 4 + index.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x89, 'J', 'P', 'K', 'L', 0x0D, 0x0A, 0x1A}).putShort((short) 1).putShort((short) 0).putInt(h.length).put(h);
        b.putInt(crc(h, 0, h.length));
        int indexAt = b.position();
        b.put(index);
        int footerAt = b.position();
        b.putLong(indexAt + indexOffsetDelta).putLong(sliceCount).putInt(crc(index, 0, index.length));
        b.putInt(crc(b.array(), footerAt, 20));
        b.put(new byte[] {'J', 'P', 'K', 'L', 'E', 'N', 'D', 0x1A});
        return b.array();
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private static String header(String shape) {
        return "{\"shape\":" + shape + ",\"dtype\":\"uint8\",\"layout\":{\"y\":0,\"x\":1},\"axis_names\":[],"
                + "\"codec\":{\"id\":\"test-identity\",\"params\":{}},\"metadata\":{}}";
    }

    private void assertRejected(byte[] file, String fragment) {
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(RandomAccessSource.of("hostile", file)).close());
        assertTrue(e.getMessage().startsWith("hostile: ") && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void hostileHeadersAreRefusedBeforeAnythingLargeIsAllocated() {
        assertRejected(craft(header("[65535,65535,65535]"), 0, 65535, new byte[0]), "header: plane 65535x65535x1 has 4294836225 samples; at most 2147483639 are supported");
        assertRejected(craft(header("[4,4," + "2,".repeat(40) + "2]"), 0, 0, new byte[0]), "axes; at most 32");
        assertRejected(craft(header("[4,4,1000000000,1000000]"), 0, 1_000_000_000_000_000L, new byte[0]),
                "index at offset");
        assertRejected(craft(header("[4,4,3]"), 0, 3, new byte[0]), "index at offset");
        byte[] entry = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(16).putLong(Long.MAX_VALUE - 8).putInt(0).array();
        assertRejected(craft(header("[4,4]"), 0, 1, entry), "index entry for slice (): offset 16 and length 9223372036854775799 do not lie");
        // u64 fields are printed unsigned, as the file stores them: -5 is 2^64 - 5.
        byte[] negative = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(10).putInt(0).array();
        assertRejected(craft(header("[4,4]"), 0, 1, negative), "index entry for slice (): offset 18446744073709551611 and length 10 do not lie");
        assertRejected(craft(header("[4,4,2]"), 1L << 40, 2, new byte[40]), "index at offset");
        assertRejected(craft(header("[4,4]"), 0, -1L, new byte[0]), "footer: slice count 18446744073709551615 does not match");
        assertRejected(craft(header("[4,-4]"), 0, 0, new byte[0]), "negative length");
    }

    @Test
    void aReaderOfTheOldFileKeepsReadingItAfterTheFileIsReplaced() throws IOException {
        NdArray old = sample(DType.UINT8, 8, 8, 6);
        Path file = saved(old, "replaced.jpkl");
        try (JpklArray reader = jpkl.open(file)) {
            NdArray replacement = NdArray.generate(DType.UINT8, new int[] {8, 8, 6}, i -> 7);
            jpkl.save(replacement, file, WriteOptions.builder().codec(IdentityCodec.ID).build());
            assertEquals(old, reader.get("..."), "the open handle still sees the old file");
            try (JpklArray fresh = jpkl.open(file)) {
                assertEquals(replacement, fresh.get("..."));
            }
        }
    }

    private Process fork(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + args[0] + "; exec \"$0\" \"$@\""));
        cmd.addAll(ChildJvm.command(List.of("-Xmx128m"), ForkedSave.class, List.of(args).subList(1, args.length).toArray(String[]::new)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void twoProcessesSavingToOneNameLeaveOneCompleteFile() throws Exception {
        Path file = dir.resolve("race.jpkl");
        for (int round = 0; round < 3; round++) {
            Process a = fork("unlimited", file.toString(), "11", "40", "5");
            Process b = fork("unlimited", file.toString(), "22", "60", "5");
            assertTrue(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, a.exitValue(), new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, b.exitValue(), new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            try (JpklArray result = jpkl.open(file)) {
                long writer = (Long) result.metadata().get("writer");
                int planes = writer == 11 ? 40 : 60;
                assertEquals(NdArray.generate(DType.UINT8, new int[] {64, 64, planes}, i -> writer), result.get("..."));
                assertTrue(result.verify().isIntact());
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary files left");
            }
        }
    }

    @Test
    void aFullDiskFailsTheSaveCleanlyAndKeepsTheOldFile() throws Exception {
        Path file = dir.resolve("full.jpkl");
        NdArray old = sample(DType.UINT8, 64, 64, 2);
        jpkl.save(old, file, WriteOptions.builder().codec(IdentityCodec.ID).build());
        byte[] before = Files.readAllBytes(file);
        Process p = fork("64", file.toString(), "5", "100", "1");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("File too large"), out);
        assertArrayEquals(before, Files.readAllBytes(file), "the old file is untouched");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aKilledProcessLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("killed.jpkl");
        Process p = fork("unlimited", file.toString(), "9", "3000", "1000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (partials().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(partials().isEmpty(), "the save should be under way");
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), partials(), "SIGTERM mid-write: the shutdown hook removed the temporary file");
    }

    private List<Path> partials() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).collect(java.util.stream.Collectors.toList());
        }
    }

    @Test
    void eightThreadsDoingTenThousandRandomGetsAgreeWithOneThread() throws Exception {
        NdArray a = sample(DType.UINT16, 24, 20, 7, 5);
        Path file = saved(a, "mt.jpkl");
        List<String> expressions = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            expressions.add(r.nextInt(24) + ":" + (r.nextInt(24) - 3) + ", ::" + (1 + r.nextInt(4)) + ", " + r.nextInt(7) + ", "
                    + (r.nextBoolean() ? ":" : String.valueOf(r.nextInt(5) - 5)));
        }
        List<NdArray> single = new ArrayList<>();
        try (JpklArray one = jpkl.open(file)) {
            for (String e : expressions) {
                single.add(one.get(e));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger done = new AtomicInteger();
        try (JpklArray shared = jpkl.open(file)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int i = thread; i < expressions.size(); i += 8) {
                        assertEquals(single.get(i), shared.get(expressions.get(i)), expressions.get(i));
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(10_000, done.get());
    }

    @Test
    void closingWhileReadersRunMakesLaterReadsFailCleanly() throws Exception {
        NdArray a = sample(DType.UINT8, 32, 32, 20);
        Path file = saved(a, "close.jpkl");
        JpklArray shared = jpkl.open(file);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch running = new CountDownLatch(4);
        List<Future<String>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
                running.countDown();
                Random r = new Random();
                while (true) {
                    int k = r.nextInt(20);
                    try {
                        NdArray got = shared.get(":, :, " + k);
                        if (!got.equals(a.get(":, :, " + k))) {
                            return "wrong data";
                        }
                    } catch (IllegalStateException e) {
                        return e.getMessage().equals("container " + file + " is closed") ? "closed" : "bad message: " + e.getMessage();
                    } catch (IOException e) {
                        return e instanceof java.nio.channels.ClosedChannelException ? "closed" : "unexpected: " + e;
                    }
                }
            }));
        }
        running.await();
        Thread.sleep(50);
        shared.close();
        for (Future<String> f : fs) {
            assertEquals("closed", f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdownNow();
    }

    @Test
    void anInterruptedReaderDoesNotBreakTheOthers() throws Exception {
        NdArray a = sample(DType.UINT8, 64, 64, 20);
        Path file = saved(a, "interrupt.jpkl");
        try (JpklArray shared = jpkl.open(file)) {
            for (int i = 0; i < 20; i++) {
                Thread t = new Thread(() -> {
                    Thread.currentThread().interrupt();
                    try {
                        shared.get("...");
                    } catch (IOException | RuntimeException expected) {
                        // an interrupted read may fail; that is its own business
                    }
                });
                t.start();
                t.join();
                assertEquals(a.get(":, :, " + (i % 20)), shared.get(":, :, " + (i % 20)), "reads after an interrupted reader");
            }
        }
    }

    @Test
    void offsetsBeyondFourGibibytesAreReadFromASparseFile() throws IOException {
        ContainerHeader h = new ContainerHeader(new int[] {4, 4, 2}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
                IdentityCodec.ID, Map.of(), Map.of());
        byte[] json = HeaderJson.toBytes(h);
        NdArray values = sample(DType.UINT8, 4, 4, 2);
        byte[][] slices = new byte[2][];
        for (int n = 0; n < 2; n++) {
            slices[n] = new IdentityCodec().newEncoder(new IdentityCodec().params(Map.of()), h.planeSpec())
                    .encode(planeOf(values, n, h));
        }
        long far = 5L << 30;
        Path file = dir.resolve("sparse.jpkl");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer pre = ByteBuffer.allocate(16 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(new byte[] {(byte) 0x89, 'J', 'P', 'K', 'L', 0x0D, 0x0A, 0x1A}).putShort((short) 1).putShort((short) 0)
                    .putInt(json.length).put(json).putInt(crc(json, 0, json.length)).flip();
            ch.write(pre, 0);
            long first = 16 + json.length + 4;
            ch.write(ByteBuffer.wrap(slices[0]), first);
            ch.write(ByteBuffer.wrap(slices[1]), far);
            long indexAt = far + slices[1].length;
            ByteBuffer index = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
            index.putLong(first).putLong(slices[0].length).putInt(crc(slices[0], 0, slices[0].length));
            index.putLong(far).putLong(slices[1].length).putInt(crc(slices[1], 0, slices[1].length));
            ByteBuffer footer = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            footer.putLong(indexAt).putLong(2).putInt(crc(index.array(), 0, 40));
            footer.putInt(crc(footer.array(), 0, 20)).put(new byte[] {'J', 'P', 'K', 'L', 'E', 'N', 'D', 0x1A});
            ch.write(index.flip(), indexAt);
            ch.write(footer.flip(), indexAt + 40);
        }
        assertTrue(Files.size(file) > far, "the file is over 5 GiB long (sparse)");
        try (JpklArray stored = jpkl.open(file)) {
            assertEquals(values, stored.get("..."));
            assertEquals(values.get(":, :, 1"), stored.get(":, :, 1"), "the slice at 5 GiB");
        }
    }

    private static org.jpkl.api.PlaneBuffer planeOf(NdArray values, long n, ContainerHeader h) {
        org.jpkl.api.PlaneBuffer p = org.jpkl.api.PlaneBuffer.allocate(h.planeSpec());
        values.copyPlane(h.layout(), n, p);
        return p;
    }
}
