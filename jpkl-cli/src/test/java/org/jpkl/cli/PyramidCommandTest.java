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
import org.jpkl.api.DType;
import org.jpkl.api.Downsampling;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
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
        Path zip = dir.resolve("a.zip");
        jpkl.save(a, zip, WriteOptions.builder().codec("zstd").serializer("zip").build());
        fails(Cli.run("pyramid", zip.toString(), "--levels", "1"), 2, "jpkl pyramid: FILE " + zip + ": serializer 'zip' holds one"
                + " resolution and cannot store levels; convert it to a jpkl container first (jpkl convert " + zip + " OUT.jpkl)");
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

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::getFileName).sorted().toList();
        }
    }
}
