package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exported TIFFs as Python's tifffile (the reader napari and most Python tools use, and which
 * follows ImageJ's hyperstack conventions) sees them: axes, shape, dtype, every value, and the
 * calibration. Needs {@code /usr/bin/python3} with numpy and tifffile (Debian python3-numpy
 * python3-tifffile); skipped without them, failed under CI.
 */
class TiffExportTifffileTest {
    @TempDir
    static Path dir;

    private static Path script;
    private final Jpkl jpkl = Jpkl.builder().codecs(TiffStacksTest.codecs()).serializers(ContainerSerializers.load()).build();

    @BeforeAll
    static void requireTifffile() throws IOException, InterruptedException {
        OptionalPieces.python("numpy", "tifffile");
        script = dir.resolve("tifffile_check.py");
        try (InputStream in = TiffExportTifffileTest.class.getResourceAsStream("tifffile_check.py")) {
            Files.copy(in, script);
        }
    }

    /** What tifffile saw; the values land in {@code values}. */
    private static JsonObject read(Path tiff, Path values) throws IOException, InterruptedException {
        String out = OptionalPieces.run(script, tiff.toString(), values.toString());
        return JsonParser.parseString(out.lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
    }

    private static NdArray values(Path file, DType dtype, int... shape) throws IOException {
        return NdArray.copyOf(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN), dtype, shape);
    }

    @Test
    void hyperstackStoredInAnyAxisOrderOpensAsTzcyxWithItsCalibration() throws IOException, InterruptedException {
        // Stored (z, c, y, x, t): ImageJ's page order is t, z, c, whatever the stored order.
        NdArray a = NdArray.generate(DType.UINT16, new int[] {3, 2, 5, 7, 4}, i -> (i * 37 + 11) % 65536);
        Path file = dir.resolve("zcyxt.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(2, 3)).axisNames("z", "c", "y", "x", "t")
                .metadata("spacing", Map.of("x", 0.5, "y", 0.25, "z", 2.0, "t", 1.5)).metadata("unit", "micron")
                .metadata("time_unit", "sec").build());
        Path tiff = dir.resolve("zcyxt.tif");
        try (JpklArray array = jpkl.open(file)) {
            assertEquals(24, TiffStacks.exportSelection(array, "...", tiff));
        }
        Path raw = dir.resolve("zcyxt.values");
        JsonObject info = read(tiff, raw);
        assertEquals(true, info.get("is_imagej").getAsBoolean(), info.toString());
        assertEquals(false, info.get("is_bigtiff").getAsBoolean());
        assertEquals("TZCYX", info.get("axes").getAsString(), info.toString());
        assertEquals("[4,3,2,5,7]", info.get("shape").toString());
        assertEquals("uint16", info.get("dtype").getAsString());
        NdArray back = values(raw, DType.UINT16, 4, 3, 2, 5, 7);
        for (int t = 0; t < 4; t++) {
            for (int z = 0; z < 3; z++) {
                for (int c = 0; c < 2; c++) {
                    assertEquals(a.get(z + ", " + c + ", :, :, " + t), back.get(t + ", " + z + ", " + c), "t " + t + " z " + z + " c " + c);
                }
            }
        }
        JsonObject imagej = info.getAsJsonObject("imagej");
        assertEquals("micron", imagej.get("unit").getAsString(), imagej.toString());
        assertEquals(2.0, imagej.get("spacing").getAsDouble());
        assertEquals(1.5, imagej.get("finterval").getAsDouble());
        assertEquals("sec", imagej.get("tunit").getAsString());
        assertEquals(true, imagej.get("hyperstack").getAsBoolean());
        JsonObject x = info;
        assertEquals(2.0, x.getAsJsonArray("x_resolution").get(0).getAsDouble() / x.getAsJsonArray("x_resolution").get(1).getAsDouble(), 1e-9);
        assertEquals(4.0, x.getAsJsonArray("y_resolution").get(0).getAsDouble() / x.getAsJsonArray("y_resolution").get(1).getAsDouble(), 1e-9);
    }

    @Test
    void otherPageAxesMakeAPlainStackOfFloatsAndRgbStaysRgb() throws IOException, InterruptedException {
        NdArray f = NdArray.generate(DType.FLOAT32, new int[] {2, 3, 4, 5}, i -> i * 0.25 - 3);
        Path file = dir.resolve("floats.jpkl");
        jpkl.save(f, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(2, 3)).axisNames("n", "z", "y", "x").build());
        Path tiff = dir.resolve("floats.tif");
        try (JpklArray array = jpkl.open(file)) {
            TiffStacks.exportSelection(array, "...", tiff);
        }
        Path raw = dir.resolve("floats.values");
        JsonObject info = read(tiff, raw);
        assertEquals("ZYX", info.get("axes").getAsString(), info.toString());
        assertEquals("float32", info.get("dtype").getAsString());
        assertEquals(NdArray.wrap(f.toFloatArray(), DType.FLOAT32, 6, 4, 5), values(raw, DType.FLOAT32, 6, 4, 5));

        NdArray rgb = NdArray.generate(DType.UINT8, new int[] {2, 4, 5, 3}, i -> (i * 7) % 256);
        Path rgbFile = dir.resolve("rgb.jpkl");
        jpkl.save(rgb, rgbFile, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(1, 2, 3))
                .axisNames("t", "y", "x", "rgb").build());
        Path rgbTiff = dir.resolve("rgb.tif");
        try (JpklArray array = jpkl.open(rgbFile)) {
            TiffStacks.exportSelection(array, "...", rgbTiff);
        }
        JsonObject rgbInfo = read(rgbTiff, raw);
        assertEquals("TYXS", rgbInfo.get("axes").getAsString(), rgbInfo.toString());
        assertEquals(rgb, values(raw, DType.UINT8, 2, 4, 5, 3));
    }

    @Test
    void bigTiffHyperstacksReadTheSame() throws IOException, InterruptedException {
        // The BigTIFF path (taken past 4 GiB) on a small stack, by asking for it.
        NdArray a = NdArray.generate(DType.UINT16, new int[] {2, 3, 6, 5}, i -> (i * 53 + 1) % 65536);
        Path file = dir.resolve("tzyx-big.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(2, 3)).axisNames("t", "z", "y", "x")
                .metadata("spacing", Map.of("x", 0.5, "y", 0.5)).metadata("unit", "micron").build());
        Path tiff = dir.resolve("tzyx-big.tif");
        TiffExportOptions big = TiffExportOptions.builder().variant(TiffExportOptions.Variant.BIG).build();
        try (JpklArray array = jpkl.open(file)) {
            TiffStacks.exportSelection(array, "...", tiff, big);
        }
        Path raw = dir.resolve("big.values");
        JsonObject info = read(tiff, raw);
        assertEquals(true, info.get("is_bigtiff").getAsBoolean(), info.toString());
        assertEquals("TZYX", info.get("axes").getAsString(), info.toString());
        assertEquals(a, values(raw, DType.UINT16, 2, 3, 6, 5));
        assertEquals("micron", info.getAsJsonObject("imagej").get("unit").getAsString());

        NdArray f = NdArray.generate(DType.FLOAT32, new int[] {2, 6, 5}, i -> i * 0.5);
        Path floats = dir.resolve("big-floats.jpkl");
        jpkl.save(f, floats, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(1, 2)).axisNames("z", "y", "x").build());
        try (JpklArray array = jpkl.open(floats)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TiffStacks.exportSelection(array, "...", dir.resolve("big-floats.tif"), big));
            assertEquals("2 float32 pages of 6x5 need BigTIFF (past 4 GiB, or asked for), which no TIFF writer here writes for float"
                    + " samples; export fewer pages per file (select a range of the outer axes) or write .npy", e.getMessage());
        }
    }
}
