package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.TileGrid;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tiled and striped TIFFs and BigTIFFs written by tifffile (a writer other than ours) import
 * exactly into tiled containers, read one tile row at a time ({@link PageRows}), whatever the
 * TIFF's own tiles or strips and the container's tiles; JPEG-compressed strips (written by Pillow)
 * read in bands as whole. Needs {@code /usr/bin/python3} with numpy and tifffile (and Pillow);
 * skipped with a message without them, except under CI ({@code CI=true}), where that fails.
 */
class TiledTiffImportTest {
    private static final Gson GSON = new Gson();

    @TempDir
    static Path dir;

    private static Path script;
    private final Jpkl jpkl = Jpkl.builder().codecs(TiffStacksTest.codecs()).serializers(ContainerSerializers.load()).build();

    @BeforeAll
    static void requirePython() throws IOException {
        OptionalPieces.python("numpy", "tifffile");
        script = TiffStacksCrossTest.script(dir, "tiled_tiff.py");
    }

    /** Writes a TIFF with tifffile; returns its samples (page, y, x, (rgb)) as tifffile wrote them. */
    private static NdArray writeTiff(String name, String dtype, boolean rgb, int pages, int height, int width, String tile,
                                     int rowsPerStrip, String compression, boolean bigTiff) throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("dtype", dtype);
        spec.put("rgb", rgb);
        spec.put("pages", pages);
        spec.put("height", height);
        spec.put("width", width);
        if (!tile.isEmpty()) {
            String[] hw = tile.split("x");
            spec.put("tile", List.of(Integer.parseInt(hw[0]), Integer.parseInt(hw[1])));
        }
        if (rowsPerStrip > 0) {
            spec.put("rowsperstrip", rowsPerStrip);
        }
        spec.put("compression", compression);
        spec.put("bigtiff", bigTiff);
        spec.put("seed", name.length());
        Path json = dir.resolve(name + ".json");
        Files.writeString(json, GSON.toJson(spec));
        Path raw = dir.resolve(name + ".raw");
        OptionalPieces.run(script, "write", json.toString(), dir.resolve(name + ".tif").toString(), raw.toString());
        int[] shape = rgb ? new int[] {pages, height, width, 3} : new int[] {pages, height, width};
        return NdArray.copyOf(ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN), DType.valueOf(dtype.toUpperCase()),
                shape);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, dtype, rgb, pages, height, width, TIFF tiles, rows per strip, compression, BigTIFF, container tiles
        "grey8-tiles-zlib-big, uint8, false, 2, 100, 130, 48x64, 0, zlib, true, 32x32",
        "grey16-tiles-plain, uint16, false, 3, 70, 90, 32x32, 0, none, false, 48x48",
        "float32-tiles-zlib, float32, false, 1, 81, 77, 16x48, 0, zlib, true, 32x64",
        "rgb8-tiles-zlib-big, uint8, true, 2, 66, 100, 32x48, 0, zlib, true, 32x32",
        "grey8-strips-zlib, uint8, false, 2, 100, 130, '', 20, zlib, false, 32x32",
        "grey16-one-strip-plain, uint16, false, 2, 75, 50, '', 75, none, false, 16x16",
        "rgb16-strips-zlib, uint16, true, 1, 50, 40, '', 7, zlib, false, 16x32",
    })
    void tiledAndStripedTiffsImportExactlyTileRowByTileRow(String name, String dtype, boolean rgb, int pages, int height, int width,
                                                          String tiffTiles, int rowsPerStrip, String compression, boolean bigTiff,
                                                          String containerTiles) throws Exception {
        NdArray expected = writeTiff(name, dtype, rgb, pages, height, width, tiffTiles, rowsPerStrip, compression, bigTiff);
        String[] hw = containerTiles.split("x");
        int th = Integer.parseInt(hw[0]);
        int tw = Integer.parseInt(hw[1]);
        Path target = dir.resolve(name + ".jpkl");
        TiffStacks.importStack(jpkl, dir.resolve(name + ".tif"), target, TiffImportOptions.builder().axes("z")
                .writeOptions(WriteOptions.builder().codec(IdentityCodec.ID).tiles(th, tw).build()).build());
        try (JpklArray array = jpkl.open(target)) {
            assertEquals(new TileGrid(height, width, th, tw), array.tiling().orElseThrow());
            assertArrayEquals(expected.shape(), array.shape());
            // Floats compare bit by bit up to NaN payloads (signed zeros, subnormals and infinities exactly).
            assertEquals(expected, array.get("..."));
        }
    }

    @Test
    void pageRowsDecodeEachCompressedBlockOnceAndReadAnyBand() throws Exception {
        NdArray expected = writeTiff("bands", "uint8", false, 1, 90, 40, "", 25, "zlib", false);
        try (ImagePages file = ImagePages.open(dir.resolve("bands.tif"))) {
            PageRows rows = PageRows.open(file, 0, 1, PageRows.DEFAULT_BUDGET_BYTES);
            assertEquals("strips of 25 rows, compression 8 (deflate)", rows.storage().toString());
            assertTrue(rows.storage().compressed());
            for (int[] band : new int[][] {{0, 16}, {16, 16}, {32, 40}, {72, 18}, {3, 1}, {0, 90}}) {
                PlaneBuffer b = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, band[1], 40, ChannelLayout.GREY));
                rows.read(band[0], b);
                assertEquals(expected.get("0, " + band[0] + ":" + (band[0] + band[1]) + ", :"), b.toNdArray(), "rows from " + band[0]);
            }
            PlaneBuffer past = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 16, 40, ChannelLayout.GREY));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> rows.read(80, past));
            assertEquals(dir.resolve("bands.tif") + ": page 0: rows [80, 96) are not within its 90 rows", e.getMessage());
        }
    }

    @Test
    void aCompressedStripLargerThanTheBudgetIsRefusedNamingWhatToDo() throws Exception {
        writeTiff("onestrip", "uint16", false, 1, 200, 300, "", 200, "zlib", false);
        Path tiff = dir.resolve("onestrip.tif");
        try (ImagePages file = ImagePages.open(tiff)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageRows.open(file, 0, 2, 100_000));
            assertEquals(tiff + ": page 0 (300 x 200 pixels) is stored as strips of 200 rows, compression 8 (deflate): one block decodes to"
                    + " 120000 bytes, more than the 100000 bytes allowed for reading it in bands of rows, and a compressed block cannot be read in"
                    + " parts; store the TIFF tiled (e.g. tifffile's tile=(512, 512)), uncompressed, or with fewer rows per strip, or"
                    + " allow more memory", e.getMessage());
            assertEquals("strips of 200 rows, compression 8 (deflate)", PageRows.open(file, 0, 2, 120_000).storage().toString());
        }
    }

    @Test
    void jpegCompressedStripsReadInBandsAsWhole() throws Exception {
        OptionalPieces.python("numpy", "PIL");
        Path tif = dir.resolve("jpeg.tif");
        OptionalPieces.runCode(dir, "jpeg_tiff", String.join("\n",
                "import sys",
                "import numpy as np",
                "from PIL import Image",
                "y, x = np.mgrid[0:300, 0:200]",
                "a = np.stack([(x + y) % 256, (x * 2) % 256, (y * 3) % 256], -1).astype(np.uint8)",
                "Image.fromarray(a, 'RGB').save(sys.argv[1], compression='jpeg', quality=90)",
                ""), tif.toString());
        try (ImagePages file = ImagePages.open(tif)) {
            PageRows rows = PageRows.open(file, 0, 3, PageRows.DEFAULT_BUDGET_BYTES);
            assertTrue(rows.storage().toString().endsWith(", compression 7 (JPEG)"), rows.storage().toString());
            PlaneBuffer whole = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 300, 200, ChannelLayout.RGB));
            ImagePages.Page page = file.read(0);
            RasterPlanes.copyToPlane(page.raster(), page.colorModel(), whole);
            for (int y0 = 0; y0 < 300; y0 += 48) {
                PlaneBuffer band = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, Math.min(48, 300 - y0), 200, ChannelLayout.RGB));
                rows.read(y0, band);
                assertEquals(whole.toNdArray().get(y0 + ":" + (y0 + band.spec().height()) + ", ..."), band.toNdArray(), "rows from " + y0);
            }
        }
    }
}
