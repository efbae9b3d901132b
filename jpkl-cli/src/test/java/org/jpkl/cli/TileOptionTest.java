package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.TileGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tile} on encode and convert, the summary line, and the tile size in {@code info}. */
class TileOptionTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    @Test
    void encodeWithTilesSaysSoAndInfoShowsThem() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 100, 130);
        Path npy = TestFiles.npy(dir.resolve("a.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("a.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "zstd", "--tile", "32x64"));
        assertTrue(r.err().contains(", 2 slices, 32x64 tiles, codec zstd"), r.err());
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(new TileGrid(100, 130, 32, 64), back.tiling().orElseThrow());
            assertEquals(a, back.get("..."));
        }
        String info = ok(Cli.run("info", out.toString())).outText();
        assertTrue(info.contains("tiles      32 x 64 (24 tiles, each encoded on its own)"), info);
        JsonObject j = JsonParser.parseString(ok(Cli.run("info", out.toString(), "--json")).outText()).getAsJsonObject();
        assertEquals("[32,64]", j.get("tileShape").toString());
        assertEquals(24, j.get("chunks").getAsLong());

        Path square = dir.resolve("s.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", square.toString(), "--codec", "zstd", "--tile", "48"));
        try (JpklArray back = jpkl.open(square)) {
            assertEquals(new TileGrid(100, 130, 48, 48), back.tiling().orElseThrow());
        }
        Path none = dir.resolve("n.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", none.toString(), "--codec", "zstd", "--tile", "none"));
        assertTrue(ok(Cli.run("info", none.toString())).outText().contains("tiles      none (whole planes)"));
    }

    @Test
    void largePlanesAreTiledByDefaultAndTheSummarySaysWhy() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 3, 4100);
        Path npy = TestFiles.npy(dir.resolve("w.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("w.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "-o", out.toString(), "--codec", "png"));
        assertTrue(r.err().contains(", 1 slices, 512x512 tiles (auto: a plane side above 4096), codec png"), r.err());
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(a, back.get("..."));
        }
    }

    @Test
    void badTileSizesAreUsageErrors() throws IOException {
        Path npy = TestFiles.npy(dir.resolve("a.npy"), TestFiles.ramp(DType.UINT8, 40, 40), false, ByteOrder.LITTLE_ENDIAN);
        String out = dir.resolve("a.jpkl").toString();
        fails(Cli.run("encode", npy.toString(), "-o", out, "--tile", "30"), 2,
                "jpkl encode: --tile 30: tile size 30x30: each side must be a positive multiple of 16 (JPEG's largest block), e.g. 512x512");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--tile", "big"), 2,
                "--tile big: expected HxW (e.g. 512x512), N (square tiles), none or auto");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("a.pkl").toString(), "--codec", "jpeg", "--tile", "16"), 2,
                "serializer 'jpkl-pickle' cannot hold tiled planes");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("a.tif").toString(), "--tile", "16"), 2,
                "a TIFF output holds whole planes; --tile applies to containers");
    }

    @Test
    void convertKeepsTilesAndCopiesThemUnlessAskedOtherwise() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 100, 130);
        Path npy = TestFiles.npy(dir.resolve("a.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path tiled = dir.resolve("t.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", tiled.toString(), "--codec", "zstd", "--tile", "32x64"));
        Path copy = dir.resolve("c.jpkl");
        Cli.Result r = ok(Cli.run("convert", tiled.toString(), copy.toString()));
        assertTrue(r.err().contains("2 slices, 32x64 tiles copied unchanged"), r.err());
        Path whole = dir.resolve("w.jpkl");
        r = ok(Cli.run("convert", tiled.toString(), whole.toString(), "--tile", "none"));
        assertTrue(r.err().contains("2 slices re-encoded"), r.err());
        Path retiled = dir.resolve("r.jpkl");
        r = ok(Cli.run("convert", whole.toString(), retiled.toString(), "--tile", "64", "--codec", "deflate"));
        assertTrue(r.err().contains("2 slices, 64x64 tiles re-encoded, codec deflate"), r.err());
        try (JpklArray c = jpkl.open(copy); JpklArray w = jpkl.open(whole); JpklArray t = jpkl.open(retiled)) {
            assertEquals(new TileGrid(100, 130, 32, 64), c.tiling().orElseThrow());
            assertTrue(w.tiling().isEmpty());
            assertEquals(new TileGrid(100, 130, 64, 64), t.tiling().orElseThrow());
            for (JpklArray x : new JpklArray[] {c, w, t}) {
                assertEquals(a, x.get("..."));
            }
        }
    }
}
