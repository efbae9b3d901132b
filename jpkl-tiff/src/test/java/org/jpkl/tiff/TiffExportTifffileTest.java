package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        script = TiffStacksCrossTest.script(dir, "tifffile_check.py");
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
        assertContiguous(info, 24, 5 * 7 * 2);
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
        assertContiguous(rgbInfo, 2, 4 * 5 * 3);
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
        assertContiguous(info, 6, 6 * 5 * 2);
        assertEquals("micron", info.getAsJsonObject("imagej").get("unit").getAsString());

        // Compressed integer pages: deflate after horizontal differencing, as TwelveMonkeys' writer did.
        Path deflated = dir.resolve("tzyx-big-deflate.tif");
        try (JpklArray array = jpkl.open(file)) {
            TiffStacks.exportSelection(array, "...", deflated, TiffExportOptions.builder().variant(TiffExportOptions.Variant.BIG)
                    .compression(TiffExportOptions.Compression.DEFLATE).build());
        }
        info = read(deflated, raw);
        assertEquals(8, info.get("compression").getAsInt(), info.toString());
        assertEquals(2, info.get("predictor").getAsInt(), info.toString());
        assertEquals(a, values(raw, DType.UINT16, 2, 3, 6, 5));
    }

    /**
     * ImageJ reads an uncompressed stack with an ImageJ description from page 0's IFD alone
     * (TiffDecoder ignores the other IFDs when {@code images=} is given) and takes the pages'
     * samples to follow each other: they must be back to back, one strip per page.
     */
    private static void assertContiguous(JsonObject info, int pages, long pageBytes) {
        assertEquals(pages, info.getAsJsonArray("strip_offsets").size(), info.toString());
        long first = info.getAsJsonArray("strip_offsets").get(0).getAsLong();
        for (int p = 0; p < pages; p++) {
            assertEquals(first + p * pageBytes, info.getAsJsonArray("strip_offsets").get(p).getAsLong(), "page " + p);
            assertEquals(pageBytes, info.getAsJsonArray("strip_counts").get(p).getAsLong(), "page " + p);
        }
    }

    /** Float samples whose bits must survive: NaNs with payloads and signs, signed zeros, infinities, subnormals, extremes, random bits. */
    static float[] specialFloats(int n, long seed) {
        int[] special = {0x7FC00000, 0xFFC00000, 0x7FC00001, 0x7FBFFFFF, 0x80000000, 0x00000000, 0x7F800000, 0xFF800000, 0x00000001,
            0x807FFFFF, 0x00400000, 0x7F7FFFFF, 0xFF7FFFFF, 0x00800000, 0x3F800000, 0xBF800000};
        float[] f = new float[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            f[i] = Float.intBitsToFloat(i < special.length ? special[i] : i % 3 == 0 ? r.nextInt() : Float.floatToRawIntBits(r.nextFloat() * 100 - 50));
        }
        return f;
    }

    static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Test
    void float32BigTiffHyperstackIsBitExactWithItsImageJMetadata() throws IOException, InterruptedException {
        float[] samples = specialFloats(3 * 2 * 5 * 7, 13);
        NdArray f = NdArray.wrapFloat32(samples.clone(), 3, 2, 5, 7);
        Path file = dir.resolve("zcyx-float-big.jpkl");
        jpkl.save(f, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(2, 3)).axisNames("z", "c", "y", "x")
                .metadata("spacing", Map.of("x", 0.5, "y", 0.25, "z", 2.0)).metadata("unit", "micron").build());
        Path tiff = dir.resolve("zcyx-float-big.tif");
        TiffExportOptions big = TiffExportOptions.builder().variant(TiffExportOptions.Variant.BIG).build();
        try (JpklArray array = jpkl.open(file)) {
            assertEquals(6, TiffStacks.exportSelection(array, "...", tiff, big));
        }
        Path raw = dir.resolve("zcyx-float-big.values");
        JsonObject info = read(tiff, raw);
        assertEquals(true, info.get("is_bigtiff").getAsBoolean(), info.toString());
        assertEquals(true, info.get("is_imagej").getAsBoolean(), info.toString());
        assertEquals("ZCYX", info.get("axes").getAsString(), info.toString());
        assertEquals("[3,2,5,7]", info.get("shape").toString());
        assertEquals("float32", info.get("dtype").getAsString());
        assertEquals(3, info.get("sample_format").getAsInt());
        assertEquals(32, info.get("bits_per_sample").getAsInt());
        assertEquals(6, info.get("pages").getAsInt());
        int[] back = new int[samples.length];
        ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(back);
        assertArrayEquals(bits(samples), back, "every sample's bits");
        assertContiguous(info, 6, 5 * 7 * 4);
        JsonObject imagej = info.getAsJsonObject("imagej");
        assertEquals(6, imagej.get("images").getAsInt(), imagej.toString());
        assertEquals(2, imagej.get("channels").getAsInt());
        assertEquals(3, imagej.get("slices").getAsInt());
        assertEquals(true, imagej.get("hyperstack").getAsBoolean());
        assertEquals("micron", imagej.get("unit").getAsString());
        assertEquals(2.0, imagej.get("spacing").getAsDouble());
        assertEquals(2.0, info.getAsJsonArray("x_resolution").get(0).getAsDouble() / info.getAsJsonArray("x_resolution").get(1).getAsDouble(), 1e-9);
        assertEquals(4.0, info.getAsJsonArray("y_resolution").get(0).getAsDouble() / info.getAsJsonArray("y_resolution").get(1).getAsDouble(), 1e-9);

        // Our importer reads it back bit-exact, with the axes from the ImageJ description.
        Path again = dir.resolve("zcyx-float-big-back.jpkl");
        TiffStacks.importStack(jpkl, tiff, again, TiffImportOptions.builder().writeOptions(WriteOptions.builder().codec(IdentityCodec.ID).build())
                .build());
        try (JpklArray array = jpkl.open(again)) {
            assertEquals(List.of("z", "c", "y", "x"), array.axisNames());
            assertArrayEquals(bits(samples), bits(array.get("...").toFloatArray()));
        }
    }

    @Test
    void float32ClassicAndCompressedTiffsReadTheSameInTifffile() throws IOException, InterruptedException {
        float[] samples = specialFloats(4 * 9 * 11, 5);
        NdArray f = NdArray.wrapFloat32(samples.clone(), 4, 9, 11);
        Path file = dir.resolve("t-float.jpkl");
        jpkl.save(f, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(1, 2)).axisNames("t", "y", "x")
                .metadata("spacing", Map.of("x", 0.2, "y", 0.2, "t", 3.0)).metadata("unit", "\u00b5m").build());
        for (TiffExportOptions.Variant variant : TiffExportOptions.Variant.values()) {
            // tifffile without imagecodecs reads deflate (zlib) but not LZW: LZW is checked in TiffStacksTest.
            for (TiffExportOptions.Compression compression : new TiffExportOptions.Compression[] {
                TiffExportOptions.Compression.NONE, TiffExportOptions.Compression.DEFLATE}) {
                Path tiff = dir.resolve("t-float-" + variant + "-" + compression + ".tif");
                try (JpklArray array = jpkl.open(file)) {
                    TiffStacks.exportSelection(array, "...", tiff, TiffExportOptions.builder().variant(variant).compression(compression).build());
                }
                Path raw = dir.resolve("t-float.values");
                JsonObject info = read(tiff, raw);
                String what = variant + " " + compression + " " + info;
                assertEquals(variant == TiffExportOptions.Variant.BIG, info.get("is_bigtiff").getAsBoolean(), what);
                assertEquals("TYX", info.get("axes").getAsString(), what);
                assertEquals("[4,9,11]", info.get("shape").toString(), what);
                assertEquals(compression == TiffExportOptions.Compression.NONE ? 1 : 8, info.get("compression").getAsInt(), what);
                assertEquals(1, info.get("predictor").getAsInt(), what + ": no predictor for floats (ImageJ reads none)");
                assertEquals("\u00b5m", info.getAsJsonObject("imagej").get("unit").getAsString(), what + ": the description is UTF-8");
                assertEquals(3.0, info.getAsJsonObject("imagej").get("finterval").getAsDouble(), what);
                int[] back = new int[samples.length];
                ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(back);
                assertArrayEquals(bits(samples), back, what);
            }
        }
    }
}
