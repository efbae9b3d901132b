package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.Downsampling;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.JpklWriter;
import org.jpkl.testing.ReferenceLevels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl pyramid FILE}: levels added or replaced in place, level 0 copied, the file untouched on bad usage. */
class PyramidCommandTest {
    private final Jpkl jpkl = Jpkl.create();
    private final PlaneLayout zyx = PlaneLayout.of(1, 2);

    @TempDir
    Path dir;

    private List<ByteBuffer> levelZero(Path file) throws IOException {
        List<ByteBuffer> chunks = new ArrayList<>();
        try (JpklArray a = jpkl.open(file)) {
            for (long n = 0; n < a.header().level(0).chunkCount(); n++) {
                chunks.add(a.readEncodedSlice(n));
            }
        }
        return chunks;
    }

    @Test
    void autoBuildsLevelsDownToOneTileCopyingLevelZero() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 100, 130);
        Path file = dir.resolve("a.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("zstd").layout(zyx).tiles(32, 32).build());
        List<ByteBuffer> before = levelZero(file);
        Cli.Result r = ok(Cli.run("pyramid", file.toString()));
        assertTrue(r.err().startsWith("wrote " + file + ": (2, 100, 130), 3 reduced levels (mean), level 0 copied unchanged; "), r.err());
        assertEquals(before, levelZero(file), "level 0 chunks copied, not re-encoded");
        try (JpklArray back = jpkl.open(file)) {
            assertEquals(4, back.levelCount());
            assertEquals(Optional.of(Downsampling.MEAN), back.levelDownsampling());
            assertArrayEquals(new int[] {2, 13, 17}, back.levelShape(3), "level 3 fits one 32x32 tile");
            for (int k = 0; k < 4; k++) {
                assertEquals(ReferenceLevels.level(a, zyx, Downsampling.MEAN, k), back.level(k).get("..."), "level " + k);
            }
        }
        // Replaced by nearest levels, fewer of them.
        r = ok(Cli.run("pyramid", file.toString(), "--levels", "2", "--downsample", "nearest"));
        assertTrue(r.err().startsWith("wrote " + file + ": (2, 100, 130), 2 reduced levels (nearest), level 0 copied unchanged; "), r.err());
        assertEquals(before, levelZero(file));
        try (JpklArray back = jpkl.open(file)) {
            assertEquals(3, back.levelCount());
            assertEquals(Optional.of(Downsampling.NEAREST), back.levelDownsampling());
            for (int k = 1; k < 3; k++) {
                assertEquals(ReferenceLevels.level(a, zyx, Downsampling.NEAREST, k), back.level(k).get("..."), "level " + k);
            }
        }
        // The file's downsampling is kept when none is given; 0 removes the levels.
        ok(Cli.run("pyramid", file.toString(), "--levels", "1"));
        try (JpklArray back = jpkl.open(file)) {
            assertEquals(Optional.of(Downsampling.NEAREST), back.levelDownsampling());
            assertEquals(ReferenceLevels.level(a, zyx, Downsampling.NEAREST, 1), back.level(1).get("..."));
        }
        ok(Cli.run("pyramid", file.toString(), "--levels", "0"));
        Path plain = dir.resolve("plain.jpkl");
        jpkl.save(a, plain, WriteOptions.builder().codec("zstd").layout(zyx).tiles(32, 32).build());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(file));
        assertEquals(List.of(file.getFileName(), plain.getFileName()), files(), "no temporary file left");
    }

    @Test
    void autoOnUntiledPlanesStopsAt512AndSmallPlanesAreLeftUnchanged() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 1100, 600);
        Path file = dir.resolve("u.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("png").noTiles().build());
        List<ByteBuffer> before = levelZero(file);
        ok(Cli.run("pyramid", file.toString()));
        assertEquals(before, levelZero(file));
        try (JpklArray back = jpkl.open(file)) {
            assertEquals(3, back.levelCount(), "1100x600 -> 550x300 -> 275x150");
            assertEquals(ReferenceLevels.level(a, PlaneLayout.of(0, 1), Downsampling.MEAN, 2), back.level(2).get("..."));
        }
        Path small = dir.resolve("small.jpkl");
        jpkl.save(TestFiles.ramp(DType.UINT8, 300, 512), small, WriteOptions.builder().codec("png").build());
        byte[] bytes = Files.readAllBytes(small);
        Cli.Result r = ok(Cli.run("pyramid", small.toString()));
        assertEquals(small + ": a 300x512 plane needs no levels (no side above 512); unchanged", r.err().strip());
        assertArrayEquals(bytes, Files.readAllBytes(small));
    }

    @Test
    void badUsageLeavesTheFileUntouched() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 64, 64);
        Path file = dir.resolve("a.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("zstd").build());
        byte[] bytes = Files.readAllBytes(file);
        fails(Cli.run("pyramid", file.toString(), "--levels", "many"), 2,
                "jpkl pyramid: --levels many: expected a count from 0 to 31 or auto");
        fails(Cli.run("pyramid", file.toString(), "--levels", "32"), 2,
                "jpkl pyramid: --levels 32: expected 0 to 31 (reduced levels, each halving the plane's height and width; 0 for none)");
        fails(Cli.run("pyramid", file.toString(), "--levels", "1", "--downsample", "mode"), 2,
                "jpkl pyramid: --downsample: downsampling 'mode' is not known; use mean or nearest");
        Path pickle = dir.resolve("a.pkl");
        jpkl.save(a, pickle, WriteOptions.builder().codec("jpeg").param("quality", "90").serializer("jpkl-pickle").build());
        byte[] pickleBytes = Files.readAllBytes(pickle);
        fails(Cli.run("pyramid", pickle.toString(), "--levels", "1"), 2, "jpkl pyramid: FILE " + pickle + ": serializer 'jpkl-pickle'"
                + " holds one resolution and cannot store levels; convert it to a jpkl container first (jpkl convert " + pickle
                + " OUT.jpkl)");
        assertArrayEquals(pickleBytes, Files.readAllBytes(pickle));
        Files.delete(pickle);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        fails(Cli.run("pyramid", file.toString(), "--levels", "1"), 2,
                "jpkl pyramid: FILE " + file + ": is read-only (mode r--r--r--); not replaced; give --force to replace it");
        assertArrayEquals(bytes, Files.readAllBytes(file));
        ok(Cli.run("pyramid", file.toString(), "--levels", "1", "--force"));
        try (JpklArray back = jpkl.open(file)) {
            assertEquals(2, back.levelCount());
            assertEquals(ReferenceLevels.level(a, PlaneLayout.of(0, 1), Downsampling.MEAN, 1), back.level(1).get("..."));
        }
        Path folder = Files.createDirectory(dir.resolve("f.jpkl"));
        fails(Cli.run("pyramid", folder.toString()), 2, "jpkl pyramid: FILE " + folder + ": is a folder");
    }

    @Test
    void zipFilesGetLevelsInPlaceWithAProgressBarUnlessQuiet() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 100, 130);
        Path file = dir.resolve("a.zip");
        jpkl.save(a, file, WriteOptions.builder().codec("zstd").layout(zyx).tiles(32, 32).serializer("zip").build());
        List<ByteBuffer> before = levelZero(file);
        Cli.Result r = ok(Cli.run("pyramid", file.toString(), "--progress"));
        assertTrue(r.err().contains("pyramid: 2/2 slices (100%)") && r.err().contains("MB/s"), r.err());
        assertTrue(r.err().contains("wrote " + file + ": (2, 100, 130), 3 reduced levels (mean), level 0 copied unchanged; "), r.err());
        assertEquals(before, levelZero(file), "level 0 chunks copied, not re-encoded");
        try (JpklArray back = jpkl.open(file)) {
            assertEquals("zip", back.serializerId());
            assertEquals(4, back.levelCount());
            for (int k = 0; k < 4; k++) {
                assertEquals(ReferenceLevels.level(a, zyx, Downsampling.MEAN, k), back.level(k).get("..."), "level " + k);
            }
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertTrue(names.contains("levels/1/1_t1_0.zstd") && names.contains("levels/3/0_t0_0.zstd"), names.toString());
        }
        Path npy = dir.resolve("l2.npy");
        ok(Cli.run("get", file.toString(), "1, 5:20, 3:30", "-o", npy.toString(), "--level", "2"));
        assertEquals(ReferenceLevels.level(a, zyx, Downsampling.MEAN, 2).get("1, 5:20, 3:30"),
                InfoGetCommandTest.readNpy(Files.readAllBytes(npy)));
        Files.delete(npy);

        r = ok(Cli.run("-q", "pyramid", file.toString(), "--levels", "1", "--downsample", "nearest", "--progress"));
        assertEquals("", r.err(), "--quiet prints no progress and no summary");
        try (JpklArray back = jpkl.open(file)) {
            assertEquals(2, back.levelCount());
            assertEquals(ReferenceLevels.level(a, zyx, Downsampling.NEAREST, 1), back.level(1).get("..."));
        }
        r = ok(Cli.run("pyramid", file.toString(), "--levels", "0"));
        assertTrue(!r.err().contains("slices ("), "no progress without --progress or a terminal: " + r.err());
        try (JpklArray back = jpkl.open(file)) {
            assertEquals(1, back.levelCount());
            assertEquals(a, back.get("..."));
        }
        assertEquals(List.of(file.getFileName()), files(), "no temporary file left");
    }

    /** Sample (y, x) of the generated 70,000 x 1,024 plane. */
    private static int generated(long y, long x) {
        return (int) ((y * 7 + x * 3 + (y >> 9) * 11 + (x * y >> 12)) & 0xFF);
    }

    /** Level 0 rows {@code y0 .. y0+h-1}, columns {@code x0 .. x0+w-1} of the generated plane. */
    private static NdArray generatedRegion(int y0, int h, int x0, int w) {
        return NdArray.generate(DType.UINT8, new int[] {h, w}, i -> generated(y0 + i / w, x0 + i % w));
    }

    @Test
    void levelsOfAPlaneTallerThan65535ReadBackExactlyByRegion() throws IOException {
        int height = 70_000;
        int width = 1_024;
        Path file = dir.resolve("tall.jpkl");
        try (JpklWriter w = jpkl.newWriter(file, DType.UINT8, new int[] {height, width},
                WriteOptions.builder().codec("zstd").tiles(512, 512).build())) {
            for (int row = 0; row * 512 < height; row++) {
                int y0 = row * 512;
                int rows = Math.min(512, height - y0);
                byte[] samples = new byte[rows * width];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = (byte) generated(y0 + i / width, i % width);
                }
                w.writeTileRow(0, row, PlaneBuffer.wrap(new PlaneSpec(DType.UINT8, rows, width, ChannelLayout.GREY), samples, 0));
            }
            w.commit();
        }
        List<ByteBuffer> before = levelZero(file);
        Cli.Result r = ok(Cli.run("pyramid", file.toString(), "--progress"));
        assertTrue(r.err().contains("pyramid: 1/1 slices (100%)"), r.err());
        assertTrue(r.err().contains("(70000, 1024), 8 reduced levels (mean)"), r.err());
        assertEquals(before, levelZero(file));
        try (JpklArray back = jpkl.open(file)) {
            assertArrayEquals(new int[] {274, 4}, back.levelShape(8), "70000x1024 halved 8 times");
        }
        // Regions of level k made from level 0 blocks aligned to 2^k: across row 65,536, and the last rows (odd levels).
        int[][] regions = {{0, 65_520, 48, 100, 300}, {1, 65_520, 48, 200, 260}, {3, 65_472, 128, 0, 1_024},
            {5, 69_984, 16, 992, 32}, {8, 69_888, 112, 0, 1_024}, {2, 0, 64, 512, 64}};
        for (int[] q : regions) {
            int k = q[0];
            int step = 1 << k;
            NdArray expected = ReferenceLevels.level(generatedRegion(q[1], q[2], q[3], q[4]), PlaneLayout.of(0, 1), Downsampling.MEAN, k);
            int y0 = q[1] / step;
            int x0 = q[3] / step;
            String selection = y0 + ":" + (y0 + expected.shape()[0]) + ", " + x0 + ":" + (x0 + expected.shape()[1]);
            Path npy = dir.resolve("level" + k + ".npy");
            ok(Cli.run("get", file.toString(), selection, "-o", npy.toString(), "--level", String.valueOf(k)));
            assertEquals(expected, InfoGetCommandTest.readNpy(Files.readAllBytes(npy)), "level " + k + " [" + selection + "]");
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::getFileName).sorted().toList();
        }
    }
}
