package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.Downsampling;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.container.HeaderJson;
import org.jpkl.testing.RandomSelections;
import org.jpkl.testing.ReferenceLevels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolution levels in the default container (format 3.0): each level equals the reference
 * downsampling of the level before, every selection on a level equals the in-memory one, a level
 * read touches only its chunks, files without levels are unchanged, and old readers refuse.
 */
class LevelsTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());

    private static WriteOptions.Builder identity() {
        return WriteOptions.builder().codec(IdentityCodec.ID);
    }

    @Test
    void everyLevelEqualsTheReferenceAndEverySelectionOnItEqualsTheInMemoryOne() throws IOException {
        Random rnd = new Random(16);
        NdArray grey = NdArray.generate(DType.UINT16, new int[] {83, 70, 3}, i -> (i * 7919) % 65536);
        NdArray signed = NdArray.generate(DType.INT16, new int[] {2, 45, 37}, i -> (i * 7919) % 60000 - 30000);
        NdArray rgb = NdArray.generate(DType.FLOAT32, new int[] {3, 50, 61, 3}, i -> i * 0.37 - 7);
        NdArray bytes = NdArray.generate(DType.UINT8, new int[] {33, 17, 2}, i -> (i * 131) % 256);
        Object[][] cases = {
            {grey, PlaneLayout.jpkl(false), 16, 32, Downsampling.MEAN, 3},
            {grey, PlaneLayout.jpkl(false), 0, 0, Downsampling.NEAREST, 2},
            {signed, PlaneLayout.of(1, 2), 16, 16, Downsampling.MEAN, 6},
            {rgb, PlaneLayout.of(1, 2, 3), 32, 16, Downsampling.MEAN, 2},
            {bytes, PlaneLayout.jpkl(false), 0, 0, Downsampling.MEAN, 1}};
        int fileNumber = 0;
        for (Object[] c : cases) {
            NdArray array = (NdArray) c[0];
            PlaneLayout layout = (PlaneLayout) c[1];
            int tile = (int) c[2];
            Downsampling d = (Downsampling) c[4];
            int levels = (int) c[5];
            WriteOptions.Builder options = identity().layout(layout).levels(levels).downsampling(d);
            if (tile == 0) {
                options.noTiles();
            } else {
                options.tiles(tile, (int) c[3]);
            }
            Path file = dir.resolve("levels" + fileNumber++ + ".jpkl");
            jpkl.save(array, file, options.build());
            try (JpklArray a = jpkl.open(file)) {
                assertEquals(levels + 1, a.levelCount());
                assertSame(a, a.level(0));
                NdArray expected = array;
                for (int k = 0; k <= levels; k++) {
                    JpklArray level = a.level(k);
                    assertArrayEquals(expected.shape(), a.levelShape(k), "level " + k);
                    assertArrayEquals(expected.shape(), level.shape(), "level " + k);
                    assertEquals(expected, level.get("..."), file + " level " + k);
                    for (int s = 0; s < 60; s++) {
                        String expr = RandomSelections.expression(rnd, expected.shape(), 9);
                        NdArray want;
                        try {
                            want = expected.get(expr);
                        } catch (IndexOutOfBoundsException e) {
                            assertThrows(IndexOutOfBoundsException.class, () -> level.get(expr), expr);
                            continue;
                        }
                        assertEquals(want, level.get(expr), "level " + k + " " + expr);
                    }
                    expected = ReferenceLevels.downsampled(expected, layout, d);
                }
                assertTrue(a.verify().isIntact());
                assertEquals(a.chunkCount(), a.verify().slicesChecked());
            }
        }
    }

    @Test
    void aParallelWriterWritesTheSameLevels() throws IOException {
        Jpkl parallel = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
                .parallelism(4).build();
        NdArray array = NdArray.generate(DType.INT16, new int[] {45, 38, 7}, i -> (i * 7919) % 60000 - 30000);
        for (boolean tiled : new boolean[] {false, true}) {
            WriteOptions.Builder options = identity().levels(3);
            if (tiled) {
                options.tiles(16, 16);
            }
            Path serialFile = dir.resolve("serial" + tiled + ".jpkl");
            Path parallelFile = dir.resolve("parallel" + tiled + ".jpkl");
            jpkl.save(array, serialFile, options.build());
            parallel.save(array, parallelFile, options.build());
            try (JpklArray a = parallel.open(parallelFile)) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(ReferenceLevels.level(array, PlaneLayout.jpkl(false), Downsampling.MEAN, k), a.level(k).get("..."),
                            "tiled " + tiled + " level " + k);
                }
            }
            // planes are written one by one through JpklWriter.write as well
            Path byPlane = dir.resolve("byplane" + tiled + ".jpkl");
            try (JpklWriter w = parallel.newWriter(byPlane, DType.INT16, array.shape(), options.build())) {
                PlaneBuffer plane = PlaneBuffer.allocate(w.header().planeSpec());
                for (long n = 0; n < w.header().sliceCount(); n++) {
                    array.copyPlane(PlaneLayout.jpkl(false), n, plane);
                    w.write(n, plane);
                }
                w.commit();
            }
            assertArrayEquals(Files.readAllBytes(serialFile), Files.readAllBytes(byPlane), "tiled " + tiled);
        }
    }

    @Test
    void levelsAreBuiltTileRowByTileRow() throws IOException {
        Jpkl parallel = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
                .parallelism(3).build();
        NdArray array = NdArray.generate(DType.UINT16, new int[] {83, 70, 3, 2}, i -> (i * 7919) % 65536);
        PlaneLayout layout = PlaneLayout.jpkl(true);
        for (Jpkl j : new Jpkl[] {jpkl, parallel}) {
            for (Downsampling d : Downsampling.values()) {
                Path file = dir.resolve("rows" + d + (j == jpkl) + ".jpkl");
                try (JpklWriter w = j.newWriter(file, DType.UINT16, array.shape(),
                        identity().layout(layout).tiles(16, 32).levels(4).downsampling(d).build())) {
                    org.jpkl.api.TileGrid grid = w.header().tiling().orElseThrow();
                    PlaneBuffer plane = PlaneBuffer.allocate(w.header().planeSpec());
                    int rowSamples = 70 * 3;
                    for (long n = 0; n < 2; n++) {
                        array.copyPlane(layout, n, plane);
                        for (int r = 0; r < grid.rows(); r++) {
                            PlaneBuffer rows = PlaneBuffer.allocate(new PlaneSpec(DType.UINT16, grid.heightOf(r), 70,
                                    org.jpkl.api.ChannelLayout.RGB));
                            System.arraycopy(plane.array(), grid.y0(r) * rowSamples, rows.array(), 0, rows.spec().sampleCount());
                            w.writeTileRow(n, r, rows);
                        }
                    }
                    w.commit();
                }
                try (JpklArray a = jpkl.open(file)) {
                    for (int k = 0; k < 5; k++) {
                        assertEquals(ReferenceLevels.level(array, layout, d, k), a.level(k).get("..."), file + " level " + k);
                    }
                }
            }
        }
        try (JpklWriter w = jpkl.newWriter(dir.resolve("order.jpkl"), DType.UINT8, new int[] {64, 64, 2},
                identity().tiles(16, 16).levels(1).build())) {
            PlaneBuffer rows = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 16, 64, org.jpkl.api.ChannelLayout.GREY));
            w.writeTileRow(1, 0, rows);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.writeTileRow(1, 2, rows));
            assertEquals("with resolution levels, write the tile rows of a plane in order, one plane at a time: expected row 1 of"
                    + " slice (1,) (or row 0 of another), got row 2 of slice (1,)", e.getMessage());
        }
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> jpkl.newWriter(dir.resolve("odd.jpkl"),
                DType.UINT8, new int[] {50_000, 50_000}, identity().storedTiles(15, 16).levels(1).build()));
        assertEquals("the levels of a 50000x50000 plane, larger than one Java array, are built tile row by tile row, which needs an"
                + " even tile height (not 15): write with even tiles, or without levels", odd.getMessage());
    }

    @Test
    void levelShapesHalveRoundingUpAndAnOutOfRangeLevelIsRefused() throws IOException {
        Path file = dir.resolve("shapes.jpkl");
        jpkl.save(NdArray.generate(DType.UINT8, new int[] {101, 7, 2}, i -> i % 251), file, identity().levels(3).build());
        try (JpklArray a = jpkl.open(file)) {
            assertEquals(4, a.levelCount());
            assertArrayEquals(new int[] {51, 4, 2}, a.levelShape(1));
            assertArrayEquals(new int[] {26, 2, 2}, a.levelShape(2));
            assertArrayEquals(new int[] {13, 1, 2}, a.levelShape(3));
            assertEquals(2 * 4, a.chunkCount());
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.level(4));
            assertEquals("level 4 is out of range [0, 4)", e.getMessage());
            IndexOutOfBoundsException negative = assertThrows(IndexOutOfBoundsException.class, () -> a.levelShape(-1));
            assertEquals("level -1 is out of range [0, 4)", negative.getMessage());
            assertEquals(1, a.level(2).levelCount());
        }
    }

    @Test
    void aLevelReadDecodesOnlyThatLevelsChunks() throws IOException {
        NdArray array = NdArray.generate(DType.UINT8, new int[] {128, 128, 2}, i -> (i * 13) & 0xFF);
        Path file = dir.resolve("count.jpkl");
        jpkl.save(array, file, identity().tiles(32, 32).levels(2).build());
        ContainerHeader h;
        try (JpklArray a = jpkl.open(file)) {
            h = a.header();
        }
        // level 0: 4x4 tiles x 2 planes = 32 chunks; level 1 (64x64): 2x2 x 2 = 8; level 2 (32x32): 1 x 2 = 2
        assertEquals(32, h.levelChunkStart(1));
        assertEquals(40, h.levelChunkStart(2));
        assertEquals(42, h.chunkCount());
        NdArray level1 = ReferenceLevels.downsampled(array, PlaneLayout.jpkl(false), Downsampling.MEAN);
        try (CountingSource source = new CountingSource(RandomAccessSource.open(file)); JpklArray a = jpkl.open(source)) {
            long before = source.reads();
            List<long[]> regionsBefore = source.regions();
            assertEquals(level1.get("0:32, 32:64, 1"), a.level(1).get("0:32, 32:64, 1"));
            assertEquals(1, source.reads() - before, "one tile of level 1");
            long[] read = source.regions().get(regionsBefore.size());
            long[] entries = indexEntries(file);
            // chunk of level 1, plane 1, tile (0, 1): 32 + 1 * 4 + 1
            assertEquals(entries[2 * 37], read[0]);
            assertEquals(entries[2 * 37 + 1], read[1]);
            before = source.reads();
            a.level(2).get("...");
            assertEquals(2, source.reads() - before, "the two chunks of level 2");
        }
    }

    @Test
    void verifyNamesADamagedLevelChunkByLevelKeyAndTile() throws IOException {
        NdArray array = NdArray.generate(DType.UINT8, new int[] {64, 64, 3}, i -> (i * 7) & 0xFF);
        Path file = dir.resolve("damaged.jpkl");
        jpkl.save(array, file, identity().tiles(32, 32).levels(2).build());
        long[] entries = indexEntries(file);
        // level 1 (32x32, one tile per plane) starts at chunk 3 * 4 = 12: damage plane 2's tile, chunk 14
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) entries[2 * 14] + 5] ^= 1;
        Files.write(file, bytes);
        try (JpklArray a = jpkl.open(file)) {
            VerificationReport report = a.verify();
            assertEquals(12 + 3 + 3, report.slicesChecked());
            assertEquals(1, report.problems().size());
            VerificationReport.Problem p = report.problems().get(0);
            assertEquals(14, p.sliceNumber());
            assertArrayEquals(new int[] {2}, p.key());
            assertTrue(p.message().startsWith(file + ": slice level 1 (2,) tile (0, 0): CRC32C mismatch"), p.message());
            assertEquals(ReferenceLevels.downsampled(array, PlaneLayout.jpkl(false), Downsampling.MEAN).get(":, :, 0"),
                    a.level(1).get(":, :, 0"), "the undamaged planes of level 1 read as before");
        }
    }

    /** {offset, length} of every index entry of a jpkl file. */
    private static long[] indexEntries(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long index = le.getLong(bytes.length - 32);
        int count = Math.toIntExact(le.getLong(bytes.length - 24));
        int at = Math.toIntExact(index); // a small test file read whole: the index lies inside the array
        long[] out = new long[2 * count];
        for (int n = 0; n < count; n++) {
            out[2 * n] = le.getLong(at + 20 * n);
            out[2 * n + 1] = le.getLong(at + 20 * n + 8);
        }
        return out;
    }

    @Test
    void withoutLevelsTheFileIsUnchangedAndLevelsComeAfterLevelZerosChunks() throws IOException {
        NdArray array = NdArray.generate(DType.UINT16, new int[] {20, 36, 3}, i -> (i * 37) % 65536);
        Path plain = dir.resolve("plain.jpkl");
        Path zero = dir.resolve("zero.jpkl");
        Path with = dir.resolve("with.jpkl");
        jpkl.save(array, plain, identity().build());
        jpkl.save(array, zero, identity().levels(0).build());
        jpkl.save(array, with, identity().levels(2).build());
        byte[] p = Files.readAllBytes(plain);
        assertArrayEquals(p, Files.readAllBytes(zero));
        assertEquals(1, ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).getShort(8), "version 1.0 as before");
        assertTrue(!new String(p, StandardCharsets.ISO_8859_1).contains("\"levels\""));
        byte[] w = Files.readAllBytes(with);
        assertEquals(3, ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).getShort(8));
        assertEquals(0, ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN).getShort(10));
        assertTrue(new String(w, StandardCharsets.UTF_8).contains("\"layout\":{\"y\":0,\"x\":1},\"levels\":2,\"downsampling\":\"mean\",\"axis_names\""));
        long[] plainEntries = indexEntries(plain);
        long[] withEntries = indexEntries(with);
        assertEquals(3 * 2, plainEntries.length);
        assertEquals(3 * 3 * 2, withEntries.length);
    }

    /**
     * Why levels take a major version: a header reader ignores unknown keys, so a version-2 reader
     * would take a levels file's header for level 0 alone, then meet a footer counting more chunks.
     */
    @Test
    void headerReadersIgnoreUnknownKeysSoLevelsNeedANewMajorVersionThatOldReadersRefuse() throws IOException {
        ContainerHeader plain = new ContainerHeader(new int[] {4, 6, 2}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
                IdentityCodec.ID, java.util.Map.of(), java.util.Map.of());
        String json = new String(HeaderJson.toBytes(plain), StandardCharsets.UTF_8);
        String unknown = json.replace("\"axis_names\"", "\"pyramid\":7,\"axis_names\"");
        assertEquals(plain, HeaderJson.fromBytes(unknown.getBytes(StandardCharsets.UTF_8)), "unknown keys are ignored");
        ContainerHeader levelled = HeaderJson.fromBytes(json.replace("\"axis_names\"", "\"levels\":2,\"axis_names\"")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(plain.withLevels(2), levelled);
        assertEquals(2 + 2 + 2, levelled.chunkCount());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> HeaderJson.fromBytes(
                json.replace("\"axis_names\"", "\"levels\":0,\"axis_names\"").getBytes(StandardCharsets.UTF_8)));
        assertEquals("'levels' 0 is out of range [1, 31] (the number of reduced levels; a file without them has no 'levels')",
                bad.getMessage());

        Path file = dir.resolve("v3.jpkl");
        jpkl.save(NdArray.generate(DType.UINT8, new int[] {20, 36, 3}, i -> i % 256), file, identity().tiles(16, 16).levels(1).build());
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 2);
        Path v2 = dir.resolve("v2.jpkl");
        Files.write(v2, bytes);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(v2));
        assertEquals(v2 + ": header: 'levels' needs format version 3.0 or later; the file says 2.0 (a reader of that version"
                + " would refuse its level chunks)", e.getMessage());
    }

    /** The jpkl container as a serializer that holds no levels (as pickle): it may neither write nor open them. */
    private static final class OneResolution implements org.jpkl.api.spi.ContainerSerializer {
        private final org.jpkl.api.spi.ContainerSerializer jpkl = new org.jpkl.container.JpklFileSerializer();

        @Override
        public String id() {
            return "one";
        }

        @Override
        public String description() {
            return "jpkl without levels";
        }

        @Override
        public List<String> fileExtensions() {
            return List.of(".one");
        }

        @Override
        public boolean canRead(RandomAccessSource source) throws IOException {
            return jpkl.canRead(source);
        }

        @Override
        public org.jpkl.api.spi.ContainerReader openReader(RandomAccessSource source) throws IOException {
            return jpkl.openReader(source);
        }

        @Override
        public boolean supportsTiles() {
            return true;
        }

        @Override
        public org.jpkl.api.spi.ContainerWriter openWriter(Path target, ContainerHeader header) throws IOException {
            return jpkl.openWriter(target, header);
        }
    }

    @Test
    void aSerializerWithoutLevelsRefusesToWriteAndOpenThem() throws IOException {
        Jpkl one = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.of(new OneResolution()));
        NdArray array = NdArray.generate(DType.UINT8, new int[] {8, 8}, i -> i);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.save(array, dir.resolve("a.one"),
                identity().serializer("one").levels(1).build()));
        assertEquals("serializer 'one' cannot hold resolution levels; the 1 levels would be lost: write without levels, or with"
                + " serializer 'jpkl'", e.getMessage());
        Path file = dir.resolve("levels.jpkl");
        jpkl.save(array, file, identity().levels(1).build());
        JpklFormatException open = assertThrows(JpklFormatException.class, () -> one.open(file));
        assertEquals(file + ": header: 'levels' is not supported by serializer 'one', whose containers hold one resolution",
                open.getMessage());
    }

    @Test
    void levelsAreNotBuiltFromSingleTiles() throws IOException {
        try (JpklWriter w = jpkl.newWriter(dir.resolve("tiles.jpkl"), DType.UINT8, new int[] {64, 64},
                identity().tiles(32, 32).levels(1).build())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.writeTile(0, 0, 0,
                    PlaneBuffer.allocate(w.header().tileSpec(0, 0))));
            assertEquals("writeTile cannot build the 1 resolution levels of " + w.header() + ", which are computed from whole"
                    + " planes or tile rows: write whole planes with write(sliceNumber, plane) or tile rows in order with writeTileRow",
                    e.getMessage());
        }
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> identity().levels(32));
        assertEquals("levels 32 is out of range [0, 31]", range.getMessage());
    }

    @Test
    void convertCopiesLevelZeroOfALevelledFileAndBuildsLevelsWhenAsked() throws IOException {
        NdArray array = NdArray.generate(DType.UINT8, new int[] {30, 22, 2}, i -> (i * 29) % 256);
        Path with = dir.resolve("with.jpkl");
        jpkl.save(array, with, identity().levels(2).build());
        Path without = dir.resolve("without.jpkl");
        jpkl.convert(with, without, WriteOptions.defaults());
        Path plain = dir.resolve("plain.jpkl");
        jpkl.save(array, plain, identity().build());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(without));
        Path again = dir.resolve("again.jpkl");
        jpkl.convert(plain, again, WriteOptions.builder().levels(2).build());
        assertArrayEquals(Files.readAllBytes(with), Files.readAllBytes(again));
    }
}
