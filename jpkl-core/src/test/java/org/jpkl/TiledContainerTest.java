package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.TileGrid;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.testing.RandomSelections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiled planes in the default container (format 2.0): region reads decode only the tiles they touch,
 * every selection equals the in-memory array's, writes by plane, tile row or tile agree, untiled files
 * stay byte for byte what format 1.0 wrote, and version checks name the version.
 */
class TiledContainerTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());

    private static WriteOptions.Builder identity() {
        return WriteOptions.builder().codec(IdentityCodec.ID);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TiledContainerTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The array and options of fixtures/untiled-v1.0.jpkl, written by the format-1.0 writer (commit 629aba7). */
    private static NdArray fixtureArray() {
        return NdArray.generate(DType.UINT16, new int[] {20, 36, 3}, i -> (i * 37) % 65536);
    }

    private static WriteOptions fixtureOptions() {
        return identity().axisNames("y", "x", "z").metadata("note", "written by jpkl before tiles (format 1.0)").build();
    }

    @Test
    void anUntiledFileIsByteForByteWhatFormatOneWrote() throws IOException {
        Path file = dir.resolve("now.jpkl");
        jpkl.save(fixtureArray(), file, fixtureOptions());
        assertArrayEquals(resource("untiled-v1.0.jpkl"), Files.readAllBytes(file));
    }

    @Test
    void theReaderOfVersionTwoReadsAFormatOneFile() throws IOException {
        Path file = dir.resolve("old.jpkl");
        Files.write(file, resource("untiled-v1.0.jpkl"));
        try (JpklArray a = jpkl.open(file)) {
            assertFalse(a.tiling().isPresent());
            assertEquals(3, a.chunkCount());
            assertEquals(fixtureArray(), a.get("..."));
            assertTrue(a.verify().isIntact());
        }
    }

    /** fixtures/tiled-v2.0.jpkl: the fixture array, tiles of 16 x 16 (2 x 3 per plane). */
    @Test
    void aStoredTiledFileReadsBackExactly() throws IOException {
        Path file = dir.resolve("tiled.jpkl");
        Files.write(file, resource("tiled-v2.0.jpkl"));
        try (JpklArray a = jpkl.open(file)) {
            assertEquals(new TileGrid(20, 36, 16, 16), a.tiling().orElseThrow());
            assertEquals(18, a.chunkCount());
            assertEquals(fixtureArray(), a.get("..."));
            assertEquals(fixtureArray().get("3:19:5, ::-7, 1"), a.get("3:19:5, ::-7, 1"));
        }
        Path again = dir.resolve("again.jpkl");
        jpkl.save(fixtureArray(), again, fixtureOptions().toBuilder().tiles(16, 16).build());
        assertArrayEquals(resource("tiled-v2.0.jpkl"), Files.readAllBytes(again), "a serial save writes tiles in chunk order");
    }

    @Test
    void aDamagedTileIsNamedBySliceAndTile() throws IOException {
        byte[] bytes = resource("tiled-v2.0.jpkl");
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long indexOffset = le.getLong(bytes.length - 32);
        long chunk = 1 * 6 + 1 * 3 + 2; // slice 1, tile (1, 2)
        int offset = Math.toIntExact(le.getLong(Math.toIntExact(indexOffset + 20 * chunk)));
        bytes[offset + 20] ^= 0x40;
        Path file = dir.resolve("damaged.jpkl");
        Files.write(file, bytes);
        try (JpklArray a = jpkl.open(file)) {
            assertEquals(fixtureArray().get("0:16, :, 1"), a.get("0:16, :, 1"), "other tiles of the plane still read");
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> a.get("19, 35, 1"));
            assertTrue(e.getMessage().startsWith(file + ": slice (1,) tile (1, 2): CRC32C mismatch at offset " + offset), e.getMessage());
            VerificationReport report = a.verify();
            assertEquals(18, report.slicesChecked());
            assertEquals(1, report.problems().size());
            assertEquals(chunk, report.problems().get(0).sliceNumber());
        }
    }

    @Test
    void aTiledFileIsVersionTwoZero() throws IOException {
        byte[] tiled = resource("tiled-v2.0.jpkl");
        ByteBuffer pre = ByteBuffer.wrap(tiled).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, pre.getShort(8));
        assertEquals(0, pre.getShort(10));
        assertTrue(new String(tiled, 16, pre.getInt(12), java.nio.charset.StandardCharsets.UTF_8).contains("\"tile_shape\":[16,16]"));
        byte[] untiled = resource("untiled-v1.0.jpkl");
        assertEquals(1, ByteBuffer.wrap(untiled).order(ByteOrder.LITTLE_ENDIAN).getShort(8));
    }

    @Test
    void theFormatOneReaderRefusesATiledFileNamingItsVersion() throws IOException {
        JpklFormatException e = assertThrows(JpklFormatException.class,
                () -> FormatOnePreamble.check("tiled-v2.0.jpkl", resource("tiled-v2.0.jpkl")));
        assertEquals("tiled-v2.0.jpkl: preamble: format version 2.0 is not supported; this library reads version 1.x", e.getMessage());
        FormatOnePreamble.check("untiled-v1.0.jpkl", resource("untiled-v1.0.jpkl"));
    }

    @Test
    void thisReaderRefusesALaterVersionAndTilesInAVersionOneFile() throws IOException {
        byte[] bytes = resource("tiled-v2.0.jpkl");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 4).putShort(10, (short) 1);
        Path v3 = dir.resolve("v4.jpkl");
        Files.write(v3, bytes);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(v3));
        assertEquals(v3 + ": preamble: format version 4.1 is not supported; this library reads versions 1.x to 3.x", e.getMessage());

        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 1).putShort(10, (short) 0);
        Path v1 = dir.resolve("v1.jpkl");
        Files.write(v1, bytes);
        e = assertThrows(JpklFormatException.class, () -> jpkl.open(v1));
        assertEquals(v1 + ": header: 'tile_shape' needs format version 2.0 or later; the file says 1.0"
                + " (a reader of that version would misread its tiles as planes)", e.getMessage());
    }

    /** A 4096 x 4096 plane in 512 x 512 tiles: a 256 x 256 region reads (and decodes) 1, 2 or 4 tiles. */
    @Test
    void aRegionReadsOnlyTheTilesItTouches() throws IOException {
        int side = 4096;
        NdArray plane = NdArray.generate(DType.UINT8, new int[] {side, side}, i -> (i * 31 + i / side * 7) & 0xFF);
        Path tiled = dir.resolve("tiled.jpkl");
        jpkl.save(plane, tiled, identity().tiles(512, 512).build());
        try (CountingSource source = new CountingSource(RandomAccessSource.open(tiled)); JpklArray a = jpkl.open(source)) {
            assertEquals(64, a.chunkCount());
            String[][] cases = {{"0:256, 0:256", "1"}, {"256:512, 256:512", "1"}, {"384:640, 0:256", "2"},
                {"0:256, 400:656", "2"}, {"0:256, 3968:4224", "1"}, {"384:640, 384:640", "4"}, {"-300:-44, 1000:1256", "2"}, {"-600:-344, 1000:1256", "4"}, {"100, ::512", "8"}};
            for (String[] c : cases) {
                long before = source.reads();
                NdArray got = a.get(c[0]);
                assertEquals(Long.parseLong(c[1]), source.reads() - before, c[0] + ": one read per touched tile");
                assertEquals(plane.get(c[0]), got, c[0]);
            }
        }
        // Region versus whole-plane decode time is a benchmark figure: bin/bench measures it beside its baseline.
    }

    /**
     * Every read of several tiles first tells the source the byte ranges it will read
     * ({@link RandomAccessSource#willRead}, so a remote source fetches neighbouring tiles in one request):
     * exactly the ranges it then reads, for a get on level 0 and on a reduced level, decodeSlice,
     * decodeRows and verify; a single tile announces nothing.
     */
    @Test
    void tiledReadsAnnounceExactlyTheTilesTheyRead() throws IOException {
        NdArray array = NdArray.generate(DType.UINT8, new int[] {70, 100, 3}, i -> (i * 7 + i / 100) & 0xFF);
        Path file = dir.resolve("announced.jpkl");
        jpkl.save(array, file, identity().tiles(32, 48).levels(1).build()); // 3 x 3 tiles a plane, 2 x 2 on level 1
        try (CountingSource source = new CountingSource(RandomAccessSource.open(file)); JpklArray a = jpkl.open(source)) {
            assertAnnouncesItsReads(source, "get(...)", 27, () -> assertEquals(array, a.get("...")));
            assertAnnouncesItsReads(source, "a region", 4, () -> assertEquals(array.get("10:40, 50:60, 1:3"), a.get("10:40, 50:60, 1:3")));
            assertAnnouncesItsReads(source, "level 1", 12, () -> a.level(1).get("..."));
            PlaneBuffer plane = PlaneBuffer.allocate(new org.jpkl.api.PlaneSpec(DType.UINT8, 70, 100, org.jpkl.api.ChannelLayout.GREY));
            assertAnnouncesItsReads(source, "decodeSlice", 9, () -> a.decodeSlice(1, plane));
            assertEquals(array.get("..., 1"), plane.toNdArray());
            PlaneBuffer rows = PlaneBuffer.allocate(new org.jpkl.api.PlaneSpec(DType.UINT8, 10, 100, org.jpkl.api.ChannelLayout.GREY));
            assertAnnouncesItsReads(source, "decodeRows", 6, () -> a.decodeRows(2, 30, rows));
            assertEquals(array.get("30:40, :, 2"), rows.toNdArray());
            assertAnnouncesItsReads(source, "verify", 39, () -> assertTrue(a.verify().isIntact()));
            int announced = source.announced().size();
            assertAnnouncesItsReads(source, "one tile", 1, () -> a.get("0:10, 0:10, 0"));
            assertEquals(announced, source.announced().size(), "a single tile is not announced");
        }
        OpenOptions cached = OpenOptions.builder().cache(SliceCache.withBudget(1 << 20)).build();
        try (CountingSource source = new CountingSource(RandomAccessSource.open(file)); JpklArray a = jpkl.open(source, cached)) {
            assertEquals(array, a.get("..."));
            assertEquals(List.of(), source.announced(), "through a slice cache only its misses are read: nothing announced");
            assertAnnouncesItsReads(source, "verify with a cache", 39, () -> assertTrue(a.verify().isIntact()));
        }
    }

    /** A read that may throw. */
    private interface Read {
        void run() throws IOException;
    }

    /** Runs {@code read} and checks it read {@code tiles} ranges, exactly those it announced first (none for one tile). */
    private static void assertAnnouncesItsReads(CountingSource source, String what, int tiles, Read read) throws IOException {
        int announcedBefore = source.announced().size();
        int readsBefore = source.regions().size();
        read.run();
        List<String> reads = sortedRanges(source.regions().subList(readsBefore, source.regions().size()));
        List<String> announced = sortedRanges(source.announced().subList(announcedBefore, source.announced().size()));
        assertEquals(tiles, reads.size(), what + ": reads " + reads);
        assertEquals(tiles == 1 ? List.of() : reads, announced, what);
    }

    private static List<String> sortedRanges(List<long[]> ranges) {
        return ranges.stream().map(r -> r[0] + "+" + r[1]).sorted().toList();
    }

    /** One plane, many tiles: the tiles are decoded by the executor's threads too (untiled, one plane is one task). */
    @Test
    void oneTiledPlaneDecodesOnEveryThread() throws IOException {
        NdArray plane = NdArray.generate(DType.UINT8, new int[] {256, 256}, i -> (i * 5) & 0xFF);
        Path tiled = dir.resolve("t.jpkl");
        Path whole = dir.resolve("w.jpkl");
        jpkl.save(plane, tiled, identity().tiles(64, 64).build());
        jpkl.save(plane, whole, identity().noTiles().build());
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            Jpkl four = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).parallelism(4).executor(task -> {
                tasks.incrementAndGet();
                pool.execute(task);
            }).build();
            try (JpklArray w = four.open(whole)) {
                assertEquals(plane, w.get("..."));
                assertEquals(0, tasks.get(), "one whole plane is one item: no helper task");
            }
            try (JpklArray t = four.open(tiled)) {
                assertEquals(plane, t.get("..."));
                assertEquals(3, tasks.get(), "16 tiles: the caller and 3 helper tasks");
                assertEquals(plane.get("10:200:3, -1:5:-2"), t.get("10:200:3, -1:5:-2"));
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * A result of at least 32 MiB is allocated by the calling thread while the helper decodes: the
     * executor holds the caller back 200 ms after starting the helper, so the helper keeps tiles
     * until its limit (a quarter of the 37 MB result) and waits, then copies them in; every value lands in its place, in a
     * whole-plane read, a reversed strided one and one through the cache.
     */
    @Test
    void aLargeTiledResultIsAllocatedWhileTheHelperDecodesAndEveryTileLandsInPlace() throws Exception {
        NdArray plane = NdArray.generate(DType.UINT16, new int[] {3_000, 6_200}, i -> (i * 2_654_435_761L >>> 7) & 0xFFFF);
        Path tiled = dir.resolve("large.jpkl");
        jpkl.save(plane, tiled, identity().tiles(128, 256).build());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(1);
        java.util.concurrent.Executor slowCaller = task -> {
            pool.execute(task);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            Jpkl two = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).parallelism(2).executor(slowCaller).build();
            try (JpklArray t = two.open(tiled)) {
                assertEquals(plane, t.get("..."));
                assertEquals(plane.get("::-1, 7::2"), t.get("::-1, 7::2"));
            }
            try (JpklArray t = two.open(tiled, OpenOptions.builder().cache(SliceCache.withBudget(64L << 20)).build())) {
                assertEquals(plane, t.get("..."));
                assertEquals(plane, t.get("..."), "again, from the cache");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theCacheHoldsTilesWeighedInBytes() throws IOException {
        NdArray plane = NdArray.generate(DType.UINT16, new int[] {100, 90}, i -> i);
        Path file = dir.resolve("c.jpkl");
        jpkl.save(plane, file, identity().tiles(32, 48).build());
        SliceCache cache = SliceCache.withBudget(1 << 20);
        try (JpklArray a = jpkl.open(file, OpenOptions.builder().cache(cache).build())) {
            assertEquals(plane.get("40:70, 50:60"), a.get("40:70, 50:60"));
            assertEquals(2, cache.size(), "tiles (1, 1) and (2, 1)");
            assertEquals(2L * (32 * 42 * 2), cache.cachedBytes(), "two 32 x 42 edge tiles of uint16");
            assertEquals(plane.get("40:64, 50:60"), a.get("40:64, 50:60"));
            assertEquals(2, cache.misses());
            assertEquals(plane, a.get("..."));
            assertEquals(8, cache.size(), "4 x 2 tiles");
        }
    }


    @Test
    void randomSelectionsEqualTheInMemoryArray() throws IOException {
        Random rnd = new Random(15);
        NdArray grey = NdArray.generate(DType.INT16, new int[] {83, 70, 4, 2}, i -> (i * 7919) % 60000 - 30000);
        NdArray rgb = NdArray.generate(DType.FLOAT32, new int[] {3, 50, 61, 3}, i -> i * 0.5 - 7);
        Object[][] cases = {{grey, PlaneLayout.jpkl(false), 16, 32}, {rgb, PlaneLayout.of(1, 2, 3), 32, 16}};
        for (Object[] c : cases) {
            NdArray array = (NdArray) c[0];
            Path file = dir.resolve("r" + array.dtype() + ".jpkl");
            jpkl.save(array, file, identity().layout((PlaneLayout) c[1]).tiles((int) c[2], (int) c[3]).build());
            for (SliceCache cache : new SliceCache[] {null, SliceCache.withBudget(64 << 10)}) {
                OpenOptions open = cache == null ? OpenOptions.defaults() : OpenOptions.builder().cache(cache).build();
                try (JpklArray a = jpkl.open(file, open)) {
                    assertTrue(a.tiling().isPresent());
                    for (int k = 0; k < 300; k++) {
                        String expr = RandomSelections.expression(rnd, array.shape(), 40);
                        NdArray expected;
                        try {
                            expected = array.get(expr);
                        } catch (IndexOutOfBoundsException e) {
                            assertThrows(IndexOutOfBoundsException.class, () -> a.get(expr), expr);
                            continue;
                        }
                        assertEquals(expected, a.get(expr), expr);
                    }
                    PlaneBuffer plane = PlaneBuffer.allocate(a.header().planeSpec());
                    a.decodeSlice(a.sliceCount() - 1, plane);
                    assertTrue(a.verify().isIntact());
                }
            }
        }
    }

    @Test
    void writingByPlaneByTileRowAndByTileGivesTheSameArray() throws IOException {
        int h = 70;
        int w = 100;
        NdArray array = NdArray.generate(DType.UINT8, new int[] {h, w, 2}, i -> (i * 13) & 0xFF);
        WriteOptions options = identity().tiles(32, 48).build();
        Path byPlane = dir.resolve("plane.jpkl");
        jpkl.save(array, byPlane, options);
        Path byRow = dir.resolve("row.jpkl");
        Path byTile = dir.resolve("tile.jpkl");
        try (JpklWriter rows = jpkl.newWriter(byRow, DType.UINT8, array.shape(), options);
             JpklWriter tiles = jpkl.newWriter(byTile, DType.UINT8, array.shape(), options)) {
            TileGrid grid = rows.header().tiling().orElseThrow();
            assertEquals(new TileGrid(h, w, 32, 48), grid);
            for (int z = 1; z >= 0; z--) {
                for (int r = grid.rows() - 1; r >= 0; r--) {
                    NdArray band = array.get(grid.y0(r) + ":" + (grid.y0(r) + grid.heightOf(r)) + ", :, " + z);
                    rows.writeTileRow(z, r, PlaneBuffer.wrap(rows.header().tileSpec(r, 0).dtype() == DType.UINT8
                            ? new org.jpkl.api.PlaneSpec(DType.UINT8, grid.heightOf(r), w, org.jpkl.api.ChannelLayout.GREY)
                            : null, band.toByteArray(), 0));
                    for (int c = 0; c < grid.columns(); c++) {
                        NdArray tile = array.get(grid.y0(r) + ":" + (grid.y0(r) + grid.heightOf(r)) + ", "
                                + grid.x0(c) + ":" + (grid.x0(c) + grid.widthOf(c)) + ", " + z);
                        tiles.writeTile(z, r, c, PlaneBuffer.wrap(tiles.header().tileSpec(r, c), tile.toByteArray(), 0));
                    }
                }
            }
            rows.commit();
            tiles.commit();
        }
        for (Path p : List.of(byPlane, byRow, byTile)) {
            try (JpklArray a = jpkl.open(p)) {
                assertEquals(array, a.get("..."), p.toString());
                assertEquals(18, a.chunkCount());
            }
        }
    }

    @Test
    void tileWritesCheckTheirArguments() throws IOException {
        try (JpklWriter untiled = jpkl.newWriter(dir.resolve("u.jpkl"), DType.UINT8, new int[] {40, 40}, identity().build())) {
            PlaneBuffer tile = PlaneBuffer.allocate(new org.jpkl.api.PlaneSpec(DType.UINT8, 16, 16, org.jpkl.api.ChannelLayout.GREY));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> untiled.writeTile(0, 0, 0, tile));
            assertTrue(e.getMessage().endsWith(" are not tiled; write whole planes"), e.getMessage());
        }
        try (JpklWriter w = jpkl.newWriter(dir.resolve("t.jpkl"), DType.UINT8, new int[] {40, 40}, identity().tiles(16, 32).build())) {
            PlaneBuffer wrong = PlaneBuffer.allocate(new org.jpkl.api.PlaneSpec(DType.UINT8, 16, 16, org.jpkl.api.ChannelLayout.GREY));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.writeTile(0, 0, 1, wrong));
            assertEquals("tile (0, 1) is uint8 16x16 grey; expected uint8 16x8 grey", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.writeTileRow(0, 2, wrong));
            assertEquals("tile row 2 is uint8 16x16 grey; expected uint8 8x40 grey", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> w.writeTile(0, 3, 0, wrong));
            IllegalStateException missing = assertThrows(IllegalStateException.class, w::commit);
            assertEquals("slice () tile (0, 0) (number 0) was never written; every one of the 6 slices must be written before commit",
                    missing.getMessage());
        }
    }

    @Test
    void tileSizesAreValidatedAndLargePlanesAreTiledByDefault() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().tiles(100, 512));
        assertEquals("tile size 100x512: each side must be a positive multiple of 16 (JPEG's largest block), e.g. 512x512",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WriteOptions.builder().tiles(0, 512));
        try (JpklWriter w = jpkl.newWriter(dir.resolve("big.jpkl"), DType.UINT8, new int[] {4097, 16, 2}, identity().build())) {
            assertEquals(new TileGrid(4097, 16, 512, 512), w.header().tiling().orElseThrow());
            assertEquals(18, w.header().chunkCount());
        }
        try (JpklWriter w = jpkl.newWriter(dir.resolve("edge.jpkl"), DType.UINT8, new int[] {4096, 4096}, identity().build())) {
            assertFalse(w.header().isTiled(), "a side of 4096 is not above the threshold");
        }
        try (JpklWriter w = jpkl.newWriter(dir.resolve("none.jpkl"), DType.UINT8, new int[] {5000, 16}, identity().noTiles().build())) {
            assertFalse(w.header().isTiled());
        }
    }

    @Test
    void convertKeepsTilesCopiesThemAndRetilesOnRequest() throws IOException {
        NdArray array = NdArray.generate(DType.UINT16, new int[] {50, 70, 3}, i -> i * 3);
        Path tiled = dir.resolve("t.jpkl");
        jpkl.save(array, tiled, identity().tiles(16, 32).build());
        Path copy = dir.resolve("copy.jpkl");
        assertTrue(jpkl.convert(tiled, copy, WriteOptions.builder().build()), "same codec and tiles: chunks copied");
        Path retiled = dir.resolve("retiled.jpkl");
        assertFalse(jpkl.convert(tiled, retiled, WriteOptions.builder().tiles(32, 32).build()));
        Path untiled = dir.resolve("untiled.jpkl");
        assertFalse(jpkl.convert(tiled, untiled, WriteOptions.builder().noTiles().build()));
        try (JpklArray c = jpkl.open(copy); JpklArray r = jpkl.open(retiled); JpklArray u = jpkl.open(untiled)) {
            assertEquals(new TileGrid(50, 70, 16, 32), c.tiling().orElseThrow());
            assertEquals(new TileGrid(50, 70, 32, 32), r.tiling().orElseThrow());
            assertFalse(u.tiling().isPresent());
            for (JpklArray a : List.of(c, r, u)) {
                assertEquals(array, a.get("..."));
            }
        }
    }

    @Test
    void rowsOfAPlaneDecodeFromTheTilesTheyTouchAndStreamIntoAnotherTiling() throws IOException {
        NdArray array = NdArray.generate(DType.UINT16, new int[] {3, 50, 70, 3}, i -> (i * 3) % 65536);
        PlaneLayout rgb = PlaneLayout.of(1, 2, 3);
        Path tiled = dir.resolve("t.jpkl");
        Path whole = dir.resolve("w.jpkl");
        jpkl.save(array, tiled, identity().layout(rgb).tiles(16, 32).build());
        jpkl.save(array, whole, identity().layout(rgb).noTiles().build());
        try (CountingSource source = new CountingSource(RandomAccessSource.open(tiled)); JpklArray t = jpkl.open(source);
             JpklArray w = jpkl.open(whole)) {
            org.jpkl.api.PlaneSpec band = new org.jpkl.api.PlaneSpec(DType.UINT16, 10, 70, org.jpkl.api.ChannelLayout.RGB);
            for (JpklArray a : List.of(t, w)) {
                PlaneBuffer rows = PlaneBuffer.allocate(band);
                a.decodeRows(2, 30, rows);
                assertEquals(array.get("2, 30:40"), rows.toNdArray(), a.name());
            }
            long before = source.reads();
            t.decodeRows(1, 30, PlaneBuffer.allocate(band));
            assertEquals(6, source.reads() - before, "rows 30 to 39 touch tile rows 1 and 2, 3 tiles each");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decodeRows(0, 45, PlaneBuffer.allocate(band)));
            assertEquals("rows 45 to 55 as uint16 10x70 rgb do not fit this array's 50x70 uint16 rgb planes", e.getMessage());

            Path retiled = dir.resolve("r.jpkl");
            try (JpklWriter writer = jpkl.newWriter(retiled, DType.UINT16, array.shape(), identity().layout(rgb).tiles(32, 16).build())) {
                for (long n = 0; n < 3; n++) {
                    writer.writeTileRowsFrom(n % 2 == 0 ? t : w, n);
                }
                writer.commit();
            }
            try (JpklArray r = jpkl.open(retiled)) {
                assertEquals(array, r.get("..."));
            }
        }
    }

    @Test
    void headersWithTilesCountChunksAsLongs() {
        ContainerHeader h = new ContainerHeader(new int[] {1000, 700, 5}, DType.UINT8, PlaneLayout.jpkl(false), List.of(), "c",
                java.util.Map.of(), java.util.Map.of(), 512, 256);
        assertEquals(30, h.chunkCount());
        assertEquals(6, h.chunksPerSlice());
        assertEquals("(2,) tile (1, 2)", h.describeChunk(17));
        assertEquals(new org.jpkl.api.PlaneSpec(DType.UINT8, 488, 188, org.jpkl.api.ChannelLayout.GREY), h.chunkSpec(17));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.withTiles(0, 5));
        assertEquals("tile size 0x5: both sides must be >= 1 (or both 0 for untiled planes)", e.getMessage());
        ContainerHeader huge = new ContainerHeader(new int[] {70_000, 70_000}, DType.UINT8, PlaneLayout.jpkl(false), List.of(), "c",
                java.util.Map.of(), java.util.Map.of(), 512, 512);
        assertEquals(137L * 137, huge.chunkCount());
        assertFalse(huge.planeFitsInOneArray());
        assertTrue(h.planeFitsInOneArray());
        assertThrows(IllegalArgumentException.class, huge::planeSpec, "the plane does not fit one Java array; its tiles do");
    }
}
