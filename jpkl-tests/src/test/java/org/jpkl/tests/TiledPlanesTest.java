package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.TileGrid;
import org.jpkl.testing.RandomSelections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiled planes through the real lossless codecs (zstd, deflate, png): every selection of a tiled file
 * equals the untiled file's and the in-memory array's; a plane wider than JPEG can encode is written
 * tile by tile with bounded memory and read back exactly; zip holds tiles, pickle refuses them.
 */
class TiledPlanesTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();


    @Test
    void losslessTiledFilesAnswerEverySelectionLikeTheUntiledFile() throws IOException {
        Random rnd = new Random(1515);
        NdArray grey16 = NdArray.generate(DType.UINT16, new int[] {300, 410, 3}, i -> (i * 2654435761L >>> 7) % 65536);
        NdArray rgb8 = NdArray.generate(DType.UINT8, new int[] {130, 200, 3, 2}, i -> ((i % 251) ^ (i / 600)) & 0xFF);
        Object[][] cases = {{"zstd", grey16, PlaneLayout.jpkl(false)}, {"deflate", grey16, PlaneLayout.jpkl(false)},
            {"png", grey16, PlaneLayout.jpkl(false)}, {"png", rgb8, PlaneLayout.jpkl(true)}, {"zstd", rgb8, PlaneLayout.jpkl(true)}};
        for (Object[] c : cases) {
            String codec = (String) c[0];
            NdArray array = (NdArray) c[1];
            PlaneLayout layout = (PlaneLayout) c[2];
            Path tiled = dir.resolve(codec + "-" + array.dtype() + "-tiled.jpkl");
            Path whole = dir.resolve(codec + "-" + array.dtype() + "-whole.jpkl");
            WriteOptions.Builder b = WriteOptions.builder().codec(codec).layout(layout);
            jpkl.save(array, tiled, b.tiles(64, 96).build());
            jpkl.save(array, whole, b.noTiles().build());
            try (JpklArray t = jpkl.open(tiled); JpklArray w = jpkl.open(whole)) {
                assertTrue(t.tiling().isPresent());
                for (int k = 0; k < 200; k++) {
                    String expr = RandomSelections.expression(rnd, array.shape(), 90);
                    NdArray expected;
                    try {
                        expected = array.get(expr);
                    } catch (IndexOutOfBoundsException e) {
                        assertThrows(IndexOutOfBoundsException.class, () -> t.get(expr), expr);
                        continue;
                    }
                    assertEquals(expected, t.get(expr), codec + " " + expr);
                    assertEquals(expected, w.get(expr), codec + " " + expr);
                }
                assertTrue(t.verify().isIntact());
            }
        }
    }

    /** The generator of the wide plane: cheap, position-dependent, compressible. */
    private static int value(long y, long x) {
        return (int) ((y * 7 + x * 13 + (x >> 9) * 5) & 0xFF);
    }

    /** Writes a {@code height x width} uint8 plane tile by tile (memory: the tiles in flight) and reads regions back exactly. */
    private Path wideRoundTrip(int height, int width, String codec, int regions) throws IOException {
        Path file = dir.resolve("wide-" + width + ".jpkl");
        long t0 = System.nanoTime();
        try (JpklWriter w = jpkl.newWriter(file, DType.UINT8, new int[] {height, width},
                WriteOptions.builder().codec(codec).build())) {
            TileGrid grid = w.header().tiling().orElseThrow(() -> new AssertionError("a side above 4096 is tiled by default"));
            assertEquals(new TileGrid(height, width, 512, 512), grid);
            for (int r = 0; r < grid.rows(); r++) {
                for (int c = 0; c < grid.columns(); c++) {
                    PlaneSpec spec = w.header().tileSpec(r, c);
                    PlaneBuffer tile = PlaneBuffer.allocate(spec);
                    byte[] b = tile.bytes();
                    for (int y = 0; y < spec.height(); y++) {
                        for (int x = 0; x < spec.width(); x++) {
                            b[y * spec.width() + x] = (byte) value(grid.y0(r) + y, grid.x0(c) + x);
                        }
                    }
                    w.writeTile(0, r, c, tile);
                }
            }
            w.commit();
        }
        long written = System.nanoTime() - t0;
        Random rnd = new Random(width);
        try (JpklArray a = jpkl.open(file)) {
            for (int k = 0; k < regions; k++) {
                int y0 = rnd.nextInt(height);
                int x0 = rnd.nextInt(width);
                int h = 1 + rnd.nextInt(Math.min(300, height - y0));
                int wd = 1 + rnd.nextInt(Math.min(3000, width - x0));
                int step = 1 + rnd.nextInt(3);
                NdArray got = a.get(y0 + ":" + (y0 + h) + ", " + x0 + ":" + (x0 + wd) + ":" + step);
                int[] shape = got.shape();
                for (int y = 0; y < shape[0]; y++) {
                    for (int x = 0; x < shape[1]; x++) {
                        assertEquals(value(y0 + y, x0 + (long) x * step), got.getInt(y, x), "(" + (y0 + y) + ", " + (x0 + x * step) + ")");
                    }
                }
            }
            NdArray corner = a.get("-1, -1");
            assertEquals(value(height - 1, width - 1), corner.getInt());
            System.out.printf("%d x %d uint8 %s, 512x512 tiles: wrote %.1f MB raw as %.1f MB in %.2f s; %d regions read back exactly%n",
                    height, width, codec, (double) height * width / 1e6, Files.size(file) / 1e6, written / 1e9, regions);
        }
        return file;
    }

    /** Reads random regions of a converted wide plane and checks them against the generator. */
    private static void checkRegions(JpklArray a, int regions) throws IOException {
        int height = a.shape()[0];
        int width = a.shape()[1];
        Random rnd = new Random(height);
        for (int k = 0; k < regions; k++) {
            int y0 = rnd.nextInt(height - 100);
            int x0 = rnd.nextInt(width - 1000);
            NdArray got = a.get(y0 + ":" + (y0 + 100) + ", " + x0 + ":" + (x0 + 1000));
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 1000; x++) {
                    assertEquals(value(y0 + y, x0 + x), got.getInt(y, x), "(" + (y0 + y) + ", " + (x0 + x) + ")");
                }
            }
        }
    }

    @Test
    void aPlaneWiderThanJpegCanEncodeIsWrittenTileByTileAndReadBackExactly() throws IOException {
        wideRoundTrip(1000, 70_000, "zstd", 40);
    }

    /** 70,000 x 70,000 (4.9 GB raw, more than one Java array): minutes, so off by default, as LargeFileRoundTripTest. */
    @Test
    @EnabledIfSystemProperty(named = "jpkl.bigTests", matches = "true")
    void aSeventyThousandPixelSquarePlaneRoundTrips() throws IOException {
        Path file = wideRoundTrip(70_000, 70_000, "zstd", 40);
        Path retiled = dir.resolve("retiled.jpkl");
        long t0 = System.nanoTime();
        jpkl.convert(file, retiled, WriteOptions.builder().tiles(1024, 1024).build());
        System.out.printf("converted to 1024x1024 tiles tile row by tile row in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        try (JpklArray a = jpkl.open(retiled)) {
            assertEquals(new TileGrid(70_000, 70_000, 1024, 1024), a.tiling().orElseThrow());
            checkRegions(a, 20);
        }
    }

    private static double millis(JpklArray a, String expr, int times) throws IOException {
        a.get(expr);
        long t0 = System.nanoTime();
        for (int k = 0; k < times; k++) {
            a.get(expr);
        }
        return (System.nanoTime() - t0) / 1e6 / times;
    }

    /** Prints figures (no assertions on time): region vs whole-plane decode, tiled vs untiled, 1 vs 2 threads. */
    @Test
    void printsRegionAndWholePlaneDecodeTimes() throws IOException {
        int side = 4096;
        NdArray plane = NdArray.generate(DType.UINT8, new int[] {side, side},
                i -> 128 + 60 * Math.sin((i % side) / 97.0) * Math.cos((i / side) / 131.0) + (i * 7919 % 13));
        Path tiled = dir.resolve("jt.jpkl");
        Path whole = dir.resolve("jw.jpkl");
        jpkl.save(plane, tiled, WriteOptions.builder().codec("jpeg").tiles(512, 512).build());
        jpkl.save(plane, whole, WriteOptions.builder().codec("jpeg").noTiles().build());
        Jpkl one = Jpkl.builder().parallelism(1).build();
        Jpkl two = Jpkl.builder().parallelism(2).build();
        try (JpklArray t1 = one.open(tiled); JpklArray t2 = two.open(tiled); JpklArray w1 = one.open(whole)) {
            double region = millis(t1, "1000:1256, 2000:2256", 20);
            double regionWhole = millis(w1, "1000:1256, 2000:2256", 3);
            double all1 = millis(t1, "...", 3);
            double all2 = millis(t2, "...", 3);
            double untiled = millis(w1, "...", 3);
            System.out.printf("jpeg 4096x4096 uint8, 512x512 tiles: 256x256 region %.2f ms tiled vs %.1f ms untiled (%.0fx);"
                    + " whole plane tiled %.1f ms on 1 thread, %.1f ms on 2 (%.2fx), untiled %.1f ms (tiled/untiled %.2f);"
                    + " file %d vs %d bytes (%.3f)%n", region, regionWhole, regionWhole / region, all1, all2, all1 / all2,
                    untiled, all1 / untiled, Files.size(tiled), Files.size(whole), (double) Files.size(tiled) / Files.size(whole));
        }
    }

    @Test
    void pickleRefusesTilesNamingThem() {
        NdArray a = NdArray.zeros(DType.UINT8, 40, 40);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jpkl.save(a, dir.resolve("a.pkl"),
                WriteOptions.builder().codec("jpeg").serializer("jpkl-pickle").tiles(16, 16).build()));
        assertEquals("serializer 'jpkl-pickle' cannot hold tiled planes; the 16x16 tiles (3 x 3) of a 40x40 plane would be lost:"
                + " write without tiles, or with serializer 'jpkl'", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("a.pkl")));
    }

    @Test
    void largePlanesAreTiledByDefaultInAZipAsInTheDefaultContainer() throws IOException {
        NdArray a = NdArray.generate(DType.UINT8, new int[] {8, 5000}, i -> i % 256);
        Path zip = dir.resolve("wide.zip");
        jpkl.save(a, zip, WriteOptions.builder().codec("png").serializer("zip").build());
        try (JpklArray z = jpkl.open(zip)) {
            assertEquals(new TileGrid(8, 5000, 512, 512), z.tiling().orElseThrow());
            assertEquals(a, z.get("..."));
        }
        Path jp = dir.resolve("wide.jpkl");
        jpkl.save(a, jp, WriteOptions.builder().codec("png").build());
        try (JpklArray j = jpkl.open(jp)) {
            assertEquals(new TileGrid(8, 5000, 512, 512), j.tiling().orElseThrow());
            assertEquals(a, j.get("..."));
        }
    }

    @Test
    void jpegTilesOfAPlaneWiderThanJpegCanEncode() throws IOException {
        int width = 66_000;
        NdArray a = NdArray.generate(DType.UINT8, new int[] {32, width}, i -> 128);
        Path file = dir.resolve("jpeg.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("jpeg").build());
        try (JpklArray j = jpkl.open(file)) {
            assertEquals(new TileGrid(32, width, 512, 512), j.tiling().orElseThrow());
            NdArray got = j.get("::7, ::997");
            for (int i = 0; i < got.size(); i++) {
                assertTrue(Math.abs(got.getIntFlat(i) - 128) <= 1, "flat grey within 1: " + got.getIntFlat(i));
            }
        }
    }
}
