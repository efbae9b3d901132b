package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code --levels} and {@code --downsample} on encode and convert, the levels in {@code info}, {@code get --level}. */
class LevelOptionTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    @Test
    void encodeWithLevelsInfoListsThemAndGetReadsOne() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 100, 130);
        Path npy = TestFiles.npy(dir.resolve("a.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("a.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "zstd",
                "--tile", "32", "--levels", "2", "--downsample", "nearest"));
        assertTrue(r.err().contains(", 2 slices, 32x32 tiles, 2 reduced levels (nearest), codec zstd"), r.err());
        String info = ok(Cli.run("info", out.toString())).outText();
        assertTrue(info.contains("levels     2 reduced: 1 (2, 50, 65), 2 (2, 25, 33)"), info);
        JsonObject j = JsonParser.parseString(ok(Cli.run("info", out.toString(), "--json")).outText()).getAsJsonObject();
        assertEquals("[[2,50,65],[2,25,33]]", j.get("levels").toString());
        assertEquals(2 * (4 * 5 + 2 * 3 + 1 * 2), j.get("chunks").getAsLong());
        NdArray expected;
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(a, back.get("..."));
            for (int k = 1; k < 3; k++) {
                assertEquals(ReferenceLevels.level(a, org.jpkl.api.PlaneLayout.of(1, 2), Downsampling.NEAREST, k),
                        back.level(k).get("..."), "zstd level " + k + " is the reference downsampling");
            }
            expected = back.level(2).get("1, 3:20, ::2");
        }
        Path level = dir.resolve("l2.npy");
        ok(Cli.run("get", out.toString(), "1, 3:20, ::2", "-o", level.toString(), "--level", "2"));
        assertEquals(expected, InfoGetCommandTest.readNpy(Files.readAllBytes(level)));
        // nearest: level 2 holds every 4th row and column of the original
        assertEquals(a.get("1, 12:80:4, ::8"), expected);
        fails(Cli.run("get", out.toString(), "...", "-o", dir.resolve("x.npy").toString(), "--level", "3"), 2,
                "jpkl get: --level 3: " + out + " has 3 levels (0 to 2)");
    }

    @Test
    void convertKeepsTheSourcesLevelsCopyingThemAndBuildsOrDropsThemWhenAsked() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 3, 41, 37);
        Path with = dir.resolve("with.jpkl");
        jpkl.save(a, with, WriteOptions.builder().codec("zstd").layout(org.jpkl.api.PlaneLayout.of(1, 2)).levels(2).build());
        Path copy = dir.resolve("copy.jpkl");
        Cli.Result r = ok(Cli.run("convert", with.toString(), copy.toString()));
        assertTrue(r.err().contains("copied unchanged"), r.err());
        try (JpklArray back = jpkl.open(copy); JpklArray source = jpkl.open(with)) {
            assertEquals(source.header(), back.header());
            for (long n = 0; n < source.chunkCount(); n++) {
                assertEquals(source.readEncodedSlice(n), back.readEncodedSlice(n), "chunk " + n);
            }
        }
        Path none = dir.resolve("none.jpkl");
        ok(Cli.run("convert", with.toString(), none.toString(), "--levels", "0"));
        try (JpklArray back = jpkl.open(none)) {
            assertEquals(1, back.levelCount());
            assertEquals(a, back.get("..."));
        }
        Path zip = dir.resolve("levels.zip");
        r = ok(Cli.run("convert", with.toString(), zip.toString()));
        assertTrue(r.err().contains("copied unchanged"), r.err());
        try (JpklArray back = jpkl.open(zip); JpklArray source = jpkl.open(with)) {
            assertEquals(3, back.levelCount(), "a zip holds the levels too");
            assertEquals(source.header(), back.header());
            for (long n = 0; n < source.chunkCount(); n++) {
                assertEquals(source.readEncodedSlice(n), back.readEncodedSlice(n), "chunk " + n);
            }
        }
        fails(Cli.run("convert", with.toString(), dir.resolve("two.pkl").toString(), "--levels", "1"), 2,
                "serializer 'jpkl-pickle' cannot hold resolution levels");
        Path rebuilt = dir.resolve("rebuilt.jpkl");
        ok(Cli.run("convert", none.toString(), rebuilt.toString(), "--levels", "2", "--codec", "deflate"));
        try (JpklArray back = jpkl.open(rebuilt); JpklArray source = jpkl.open(with)) {
            assertEquals(3, back.levelCount());
            for (int k = 0; k < 3; k++) {
                assertEquals(source.level(k).get("..."), back.level(k).get("..."), "level " + k);
            }
        }
        for (int k = 0; k < 3; k++) {
            try (JpklArray back = jpkl.open(rebuilt)) {
                assertEquals(ReferenceLevels.level(a, org.jpkl.api.PlaneLayout.of(1, 2), Downsampling.MEAN, k), back.level(k).get("..."),
                        "deflate level " + k + " is the reference downsampling");
            }
        }
        Path png = dir.resolve("png.jpkl");
        ok(Cli.run("convert", none.toString(), png.toString(), "--levels", "1", "--codec", "png"));
        try (JpklArray back = jpkl.open(png); JpklArray source = jpkl.open(with)) {
            assertEquals(source.level(1).get("..."), back.level(1).get("..."));
            assertEquals(ReferenceLevels.level(a, org.jpkl.api.PlaneLayout.of(1, 2), Downsampling.MEAN, 1), back.level(1).get("..."));
        }
    }

    @Test
    void convertCopiesLevelsMadeByTheAskedDownsamplingAndRebuildsOthersCopyingLevelZero() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 3, 41, 37);
        org.jpkl.api.PlaneLayout zyx = org.jpkl.api.PlaneLayout.of(1, 2);
        Path mean = dir.resolve("mean.jpkl");
        jpkl.save(a, mean, WriteOptions.builder().codec("zstd").layout(zyx).levels(2).build());
        Path same = dir.resolve("same.jpkl");
        Cli.Result r = ok(Cli.run("convert", mean.toString(), same.toString(), "--levels", "2", "--downsample", "mean"));
        assertTrue(r.err().contains(", 2 reduced levels (mean) copied unchanged, codec zstd"), r.err());
        try (JpklArray back = jpkl.open(same); JpklArray source = jpkl.open(mean)) {
            assertEquals(source.header(), back.header());
            for (long n = 0; n < source.chunkCount(); n++) {
                assertTrue(source.readEncodedSlice(n).equals(back.readEncodedSlice(n)), "chunk " + n);
            }
        }
        Path nearest = dir.resolve("nearest.jpkl");
        r = ok(Cli.run("convert", mean.toString(), nearest.toString(), "--levels", "2", "--downsample", "nearest"));
        assertTrue(r.err().contains(", 2 reduced levels (nearest) level 0 copied unchanged, levels built, codec zstd"), r.err());
        try (JpklArray back = jpkl.open(nearest); JpklArray source = jpkl.open(mean)) {
            assertEquals(java.util.Optional.of(Downsampling.NEAREST), back.levelDownsampling());
            for (long n = 0; n < source.header().level(0).chunkCount(); n++) {
                assertTrue(source.readEncodedSlice(n).equals(back.readEncodedSlice(n)), "level 0 chunk " + n);
            }
            for (int k = 1; k < 3; k++) {
                assertEquals(ReferenceLevels.level(a, zyx, Downsampling.NEAREST, k), back.level(k).get("..."), "level " + k);
            }
        }
        // Kept by default, with the source's downsampling: nearest levels stay nearest, copied.
        Path kept = dir.resolve("kept.jpkl");
        r = ok(Cli.run("convert", nearest.toString(), kept.toString()));
        assertTrue(r.err().contains(", 2 reduced levels (nearest) copied unchanged"), r.err());
        try (JpklArray back = jpkl.open(kept)) {
            assertEquals(java.util.Optional.of(Downsampling.NEAREST), back.levelDownsampling());
        }
    }

    @Test
    void badLevelOptionsAreUsageErrors() throws IOException {
        Path npy = TestFiles.npy(dir.resolve("a.npy"), TestFiles.ramp(DType.UINT8, 40, 40), false, ByteOrder.LITTLE_ENDIAN);
        String out = dir.resolve("a.jpkl").toString();
        fails(Cli.run("encode", npy.toString(), "-o", out, "--levels", "32"), 2,
                "jpkl encode: --levels 32: expected 0 to 31 (reduced levels, each halving the plane's height and width; 0 for none)");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--levels", "1", "--downsample", "mode"), 2,
                "jpkl encode: --downsample: downsampling 'mode' is not known; use mean or nearest");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--downsample", "mean"), 2,
                "jpkl encode: --downsample mean needs --levels N (the reduced levels to build)");
        Path zip = dir.resolve("a.zip");
        ok(Cli.run("encode", npy.toString(), "-o", zip.toString(), "--codec", "png", "--levels", "1"));
        try (JpklArray back = jpkl.open(zip)) {
            assertEquals("zip", back.serializerId());
            assertEquals(2, back.levelCount());
            assertEquals(ReferenceLevels.level(TestFiles.ramp(DType.UINT8, 40, 40), PlaneLayout.of(0, 1), Downsampling.MEAN, 1),
                    back.level(1).get("..."));
        }
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("a.pkl").toString(), "--codec", "png", "--levels", "1"), 2,
                "serializer 'jpkl-pickle' cannot hold resolution levels; the 1 levels would be lost: write without levels, or with serializer 'jpkl'");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("a.tif").toString(), "--levels", "1"), 2,
                "a TIFF output holds one resolution; --levels applies to containers");
        assertEquals(Downsampling.MEAN, WriteOptions.defaults().downsampling());
    }
}
