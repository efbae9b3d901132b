package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 8-bit mapping of non-uint8 planes: the stored segment, the documented error formulas (checked
 * sample by sample against the actual 8-bit JPEG error), windows, transfers, and refusals.
 */
class JpegMappingTest {
    private static final int H = 192;
    private static final int W = 256;
    private static final DType[] MAPPED = {DType.UINT16, DType.INT16, DType.INT32, DType.FLOAT32, DType.FLOAT64};

    private final JpegCodec codec = new JpegCodec();

    private byte[] encode(Map<String, String> params, PlaneBuffer plane) throws IOException {
        try (SliceEncoder e = codec.newEncoder(codec.params(params), plane.spec())) {
            return e.encode(plane);
        }
    }

    private PlaneBuffer decode(PlaneSpec spec, byte[] bytes) throws IOException {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder d = codec.newDecoder(codec.params(Map.of()), spec)) {
            d.decode(ByteBuffer.wrap(bytes), out);
        }
        return out;
    }

    /** The mapping segment's fields, read independently of the codec's own parser. */
    record Segment(int version, int dtypeCode, int transferCode, double low, double high) {
        static Segment of(byte[] jpeg) {
            JpegSegments.Segment s = JpegSegments.first(jpeg, 0xE9);
            assertEquals("JPKL\0", new String(jpeg, s.payload(), 5, StandardCharsets.US_ASCII));
            assertEquals(24, s.length());
            ByteBuffer b = ByteBuffer.wrap(jpeg, s.payload() + 5, 19);
            return new Segment(b.get() & 0xFF, b.get() & 0xFF, b.get() & 0xFF, b.getDouble(), b.getDouble());
        }
    }

    @Test
    void mappedSlicesAreStandardJpegsWithTheMappingInAnApp9SegmentAfterJfif() throws IOException {
        PlaneBuffer plane = CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(H, W, 7), H, W, ChannelLayout.GREY);
        byte[] bytes = encode(Map.of(), plane);
        List<Integer> markers = JpegSegments.markers(bytes);
        assertEquals(List.of(0xE0, 0xE9), markers.subList(0, 2), "APP0 (JFIF) then APP9: " + markers);
        double[] range = LevelMapping.range(plane);
        assertEquals(new Segment(1, 1, 0, range[0], range[1]), Segment.of(bytes));
        assertEquals(new Segment(1, 1, 1, range[0], range[1]), Segment.of(encode(Map.of("transfer", "sqrt"), plane)));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertEquals(W, image.getWidth(), "any JPEG reader shows the 8-bit levels");
        int[] codes = new int[MAPPED.length];
        for (int i = 0; i < MAPPED.length; i++) {
            codes[i] = Segment.of(encode(Map.of(), CameraPlanes.as(MAPPED[i], CameraPlanes.greyCounts(8, 8, 1), 8, 8,
                    ChannelLayout.GREY))).dtypeCode();
        }
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, codes, "dtype codes of uint16, int16, int32, float32, float64");
    }

    @Test
    void uint8IgnoresTheMappingParametersAndStaysPlainJpeg() throws IOException {
        PlaneBuffer plane = CameraPlanes.uint8(CameraPlanes.greyCounts(H, W, 7), H, W, ChannelLayout.GREY);
        byte[] plain = encode(Map.of(), plane);
        assertFalse(JpegSegments.markers(plain).contains(0xE9));
        for (Map<String, String> mapping : List.of(Map.of("transfer", "sqrt"), Map.of("window", "10:20"),
                Map.of("window", "global"))) {
            assertArrayEquals(plain, encode(mapping, plane), "uint8 with " + mapping);
        }
        NdArray array = NdArray.wrapUint8(plane.bytes().clone(), H, W);
        CodecParams global = codec.params(Map.of("window", "global"));
        assertEquals(global, codec.bindToArray(global, array), "bindToArray leaves uint8 params alone");
    }

    /**
     * For each dtype and transfer, on camera content: the levels the codec stores are those of the
     * documented formula, and every decoded value is within the documented bound computed from the
     * actual 8-bit JPEG error E of that slice (read back by plain ImageIO). Also checks E stays at
     * near what was measured for quality 90 grey camera content (11 levels linear, 10 sqrt; allowed 14
     * and 13), so that a bad change in quantisation shows up.
     */
    @Test
    void errorsFollowTheDocumentedFormulaForEveryDtypeAndTransfer() throws IOException {
        double[] counts = CameraPlanes.greyCounts(H, W, 99);
        for (String transfer : List.of("linear", "sqrt")) {
            for (DType dtype : MAPPED) {
                PlaneBuffer plane = CameraPlanes.as(dtype, counts, H, W, ChannelLayout.GREY);
                Map<String, String> params = Map.of("transfer", transfer);
                byte[] bytes = encode(params, plane);
                PlaneBuffer decoded = decode(plane.spec(), bytes);
                Segment segment = Segment.of(bytes);
                boolean sqrt = transfer.equals("sqrt");
                double lo = segment.low();
                double range = segment.high() - lo;
                int[] stored = levelsOf(bytes);
                int jpegError = 0;
                double worst = 0;
                for (int i = 0; i < stored.length; i++) {
                    double x = TestPlanes.get(plane, i);
                    int q = (int) Math.round(sqrt ? 255 * Math.sqrt(x - lo) / Math.sqrt(range) : 255 * (x - lo) / range);
                    jpegError = Math.max(jpegError, Math.abs(stored[i] - q));
                }
                double rounding = dtype.isIntegral() ? 0.5 : Math.ulp((float) Math.max(Math.abs(lo), Math.abs(lo + range)));
                for (int i = 0; i < stored.length; i++) {
                    double x = TestPlanes.get(plane, i);
                    double actual = TestPlanes.get(decoded, i);
                    double formula = sqrt ? lo + Math.pow(stored[i] * Math.sqrt(range) / 255, 2) : lo + stored[i] * range / 255;
                    if (Math.abs(actual - formula) > rounding + 1e-9 * range) {
                        fail(dtype + " " + transfer + ": level " + stored[i] + " decoded to " + actual + ", formula " + formula);
                    }
                    double bound;
                    if (sqrt) {
                        double d = (jpegError + 0.5) * Math.sqrt(range) / 255;
                        bound = 2 * d * Math.sqrt(x - lo) + d * d;
                    } else {
                        bound = (jpegError + 0.5) * range / 255;
                    }
                    double err = Math.abs(actual - x);
                    if (err > bound + rounding + 1e-9 * range) {
                        fail(dtype + " " + transfer + " sample " + i + ": |" + actual + " - " + x + "| = " + err
                                + " > documented bound " + bound + " (E = " + jpegError + ")");
                    }
                    worst = Math.max(worst, err / range);
                }
                System.out.printf(Locale.ROOT, "jpeg q90 %s grey %s: 8-bit JPEG error E = %d levels, max |error| = %.2f levels of the"
                        + " window%n", dtype, transfer, jpegError, worst * 255);
                assertTrue(jpegError <= (sqrt ? 13 : 14), dtype + " " + transfer + ": E = " + jpegError);
            }
        }
    }

    /** The 8-bit levels in a slice, decoded by plain ImageIO (the slice is a standard grey JPEG). */
    private static int[] levelsOf(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        int[] levels = new int[image.getWidth() * image.getHeight()];
        image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, levels);
        return levels;
    }

    /**
     * The point of {@code sqrt} on photon counts (100..4000, noise sqrt(count)): where the 8-bit
     * quantisation dominates (quality 100) it keeps every sample's error below the shot noise, which
     * linear levels (16 counts apart) do not at the dim end; at quality 90, where JPEG's own error
     * dominates, its RMS error is still below the shot noise and it is lower than linear's in the dim
     * part. Measured: q100 max |error| / sqrt(count) 0.74 (sqrt) vs 2.05 (linear); q90 RMS error / shot
     * noise 0.875, dim RMS 16.3 vs 18.3 counts.
     */
    @Test
    void sqrtTransferKeepsTheErrorBelowShotNoise() throws IOException {
        double[] counts = CameraPlanes.greyCounts(H, W, 2024);
        PlaneBuffer plane = CameraPlanes.as(DType.UINT16, counts, H, W, ChannelLayout.GREY);
        Map<String, double[]> stats = new HashMap<>();
        for (String quality : List.of("90", "100")) {
            for (String transfer : List.of("linear", "sqrt")) {
                byte[] bytes = encode(Map.of("quality", quality, "transfer", transfer), plane);
                PlaneBuffer out = decode(plane.spec(), bytes);
                double maxRelative = 0;
                double relativeSum = 0;
                double dimSum = 0;
                int dimCount = 0;
                for (int i = 0; i < counts.length; i++) {
                    double err = TestPlanes.get(out, i) - counts[i];
                    double shotNoise = Math.sqrt(Math.max(1, counts[i]));
                    maxRelative = Math.max(maxRelative, Math.abs(err) / shotNoise);
                    relativeSum += (err / shotNoise) * (err / shotNoise);
                    if (counts[i] < 600) {
                        dimSum += err * err;
                        dimCount++;
                    }
                }
                double[] s = {maxRelative, Math.sqrt(relativeSum / counts.length), Math.sqrt(dimSum / dimCount)};
                stats.put(quality + transfer, s);
                System.out.printf(Locale.ROOT, "jpeg q%s uint16 camera counts, %s: ratio %.2f, max |error| / shot noise %.2f, RMS"
                        + " error / shot noise %.3f, RMS error at counts < 600 %.1f%n", quality, transfer,
                        plane.spec().byteSize() / (double) bytes.length, s[0], s[1], s[2]);
            }
        }
        assertTrue(stats.get("100sqrt")[0] < 1, "q100 sqrt max error / shot noise " + stats.get("100sqrt")[0]);
        assertTrue(stats.get("100linear")[0] > 1.5, "q100 linear max error / shot noise " + stats.get("100linear")[0]);
        assertTrue(stats.get("90sqrt")[1] < 1, "q90 sqrt RMS error / shot noise " + stats.get("90sqrt")[1]);
        assertTrue(stats.get("90sqrt")[2] < 0.95 * stats.get("90linear")[2],
                "q90 dim RMS error: sqrt " + stats.get("90sqrt")[2] + ", linear " + stats.get("90linear")[2]);
    }

    @Test
    void rgbPlanesOfEveryDtypeShareOneWindow() throws IOException {
        double[] counts = CameraPlanes.rgbCounts(64, 96, 5);
        for (DType dtype : MAPPED) {
            PlaneBuffer plane = CameraPlanes.as(dtype, counts, 64, 96, ChannelLayout.RGB);
            byte[] bytes = encode(Map.of("subsampling", "444", "quality", "95"), plane);
            double[] range = LevelMapping.range(plane);
            Segment segment = Segment.of(bytes);
            assertEquals(range[0], segment.low());
            assertEquals(range[1], segment.high());
            double err = ErrorMetrics.between(plane, decode(plane.spec(), bytes)).maxAbsError();
            double levels = err / (range[1] - range[0]) * 255;
            assertTrue(levels <= 16, dtype + " rgb 4:4:4 q95 max error " + levels + " levels"); // measured 8.5
        }
    }

    @Test
    void constantPlanesRoundTripExactly() throws IOException {
        double[][] values = {{0, 1, 4095, 65535}, {-32768, -7, 0, 32767}, {Integer.MIN_VALUE, -5, 123456789, Integer.MAX_VALUE},
            {-3.25, 0, 1e-30, Float.MAX_VALUE}, {-Double.MAX_VALUE, Math.PI, 1e-300, Double.MAX_VALUE}};
        for (int d = 0; d < MAPPED.length; d++) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (double value : values[d]) {
                    PlaneSpec spec = new PlaneSpec(MAPPED[d], 9, 13, channels);
                    PlaneBuffer plane = PlaneBuffer.allocate(spec);
                    for (int i = 0; i < spec.sampleCount(); i++) {
                        TestPlanes.set(plane, i, value);
                    }
                    for (String transfer : List.of("linear", "sqrt")) {
                        PlaneBuffer out = decode(spec, encode(Map.of("transfer", transfer), plane));
                        assertTrue(TestPlanes.bitEqual(plane, out), spec + " constant " + value + " " + transfer + ": error "
                                + ErrorMetrics.between(plane, out).maxAbsError());
                    }
                }
            }
        }
    }

    @Test
    void planesSpanningTheWholeFloat64RangeDoNotOverflow() throws IOException {
        PlaneSpec spec = new PlaneSpec(DType.FLOAT64, 16, 16, ChannelLayout.GREY);
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        for (int i = 0; i < spec.sampleCount(); i++) {
            plane.doubles()[i] = (i / 255.0 * 2 - 1) * Double.MAX_VALUE;
        }
        for (String transfer : List.of("linear", "sqrt")) {
            PlaneBuffer out = decode(spec, encode(Map.of("transfer", transfer), plane));
            for (int i = 0; i < spec.sampleCount(); i++) {
                assertTrue(Double.isFinite(out.doubles()[i]), transfer + " sample " + i + " = " + out.doubles()[i]);
            }
            for (int i = 0; i < spec.sampleCount(); i++) {
                double halfError = Math.abs(out.doubles()[i] / 2 - plane.doubles()[i] / 2); // the full difference overflows
                assertTrue(halfError <= 12 / 255.0 * Double.MAX_VALUE, transfer + " sample " + i + ": " + plane.doubles()[i]
                        + " -> " + out.doubles()[i] + ", window 2 * MAX_VALUE");
            }
        }
    }

    @Test
    void fixedWindowsClipAndKeepTheirLevelsAcrossSlices() throws IOException {
        PlaneBuffer plane = CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(H, W, 3), H, W, ChannelLayout.GREY);
        Map<String, String> params = Map.of("window", "500:2500");
        byte[] bytes = encode(params, plane);
        assertEquals(new Segment(1, 1, 0, 500, 2500), Segment.of(bytes));
        PlaneBuffer out = decode(plane.spec(), bytes);
        int clippedLow = 0;
        int clippedHigh = 0;
        double insideError = 0;
        for (int i = 0; i < plane.spec().sampleCount(); i++) {
            double x = TestPlanes.get(plane, i);
            double y = TestPlanes.get(out, i);
            assertTrue(y >= 500 && y <= 2500, "decoded " + y + " outside the window");
            if (x < 400) {
                assertTrue(y < 560, "far below the window: " + x + " -> " + y);
                clippedLow++;
            } else if (x > 2600) {
                assertTrue(y > 2440, "far above the window: " + x + " -> " + y);
                clippedHigh++;
            } else if (x > 700 && x < 2300) {
                insideError = Math.max(insideError, Math.abs(y - x));
            }
        }
        assertTrue(clippedLow > 100 && clippedHigh > 100, "content reaches past both ends: " + clippedLow + ", " + clippedHigh);
        assertTrue(insideError <= 20 * 2000 / 255.0, "error inside the window " + insideError);
    }

    @Test
    void unboundGlobalWindowIsRefusedExplainingWhatToDo() {
        for (DType dtype : MAPPED) {
            PlaneSpec spec = new PlaneSpec(dtype, 8, 8, ChannelLayout.GREY);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> codec.newEncoder(codec.params(Map.of("window", "global")), spec));
            assertTrue(e.getMessage().contains("window=global") && e.getMessage().contains("Jpkl.save")
                    && e.getMessage().contains("LO:HI"), e.getMessage());
        }
        // Decoding needs no window: the slice carries it.
        codec.newDecoder(codec.params(Map.of("window", "global")), new PlaneSpec(DType.UINT16, 8, 8, ChannelLayout.GREY)).close();
    }

    @Test
    void bindToArrayFixesTheGlobalWindowToTheArraysRange() {
        short[] data = new short[2 * 4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (short) (1000 + 1000 * i);
        }
        NdArray array = NdArray.wrapUint16(data, 2, 4, 5);
        CodecParams bound = codec.bindToArray(codec.params(Map.of("window", "global", "transfer", "sqrt")), array);
        assertEquals("1000:40000", bound.toMap().get("window"), "uint16 read unsigned: " + bound.toMap());
        assertEquals("sqrt", bound.toMap().get("transfer"));
        assertEquals(bound, codec.params(bound.toMap()));
        CodecParams slice = codec.params(Map.of());
        assertEquals(slice, codec.bindToArray(slice, array), "only global windows are bound");
        float[] floats = {1, 2, Float.NaN, 4};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.bindToArray(codec.params(Map.of("window", "global")), NdArray.wrapFloat32(floats, 2, 2)));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("element 2"), e.getMessage());
    }

    @Test
    void bindToRangeGivesWhatBindToArrayGivesFromKnownStatistics() {
        short[] data = {1000, 5000, 40000 - 65536, 7};
        NdArray array = NdArray.wrapUint16(data, 2, 2);
        CodecParams global = codec.params(Map.of("window", "global", "transfer", "sqrt"));
        assertTrue(codec.needsValueRange(global, DType.UINT16));
        assertTrue(codec.needsValueRange(global, DType.FLOAT32));
        assertFalse(codec.needsValueRange(global, DType.UINT8), "uint8 needs no window");
        assertFalse(codec.needsValueRange(codec.params(Map.of("window", "slice")), DType.UINT16));
        assertFalse(codec.needsValueRange(codec.params(Map.of("window", "0:10")), DType.FLOAT64));
        CodecParams bound = codec.bindToRange(global, DType.UINT16, 7, 40000);
        assertEquals(codec.bindToArray(global, array), bound);
        assertEquals("7:40000", bound.toMap().get("window"));
        assertFalse(codec.needsValueRange(bound, DType.UINT16), "bound params need nothing more");
        assertEquals(global, codec.bindToRange(global, DType.UINT8, 0, 255), "uint8 is left alone");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.bindToRange(global, DType.FLOAT32, Double.NEGATIVE_INFINITY, 1));
        assertEquals("the float32 array's min is -Infinity; codec 'jpeg' maps values to 8-bit levels and cannot store NaN"
                + " or infinities (replace them, or use a lossless codec)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> codec.bindToRange(global, DType.FLOAT32, 2, 1));
        assertEquals("value range min (2.0) > max (1.0)", e.getMessage());
    }

    @Test
    void jpklSaveBindsTheGlobalWindowSoEverySliceSharesIt(@TempDir Path dir) throws IOException {
        int slices = 3;
        short[] data = new short[slices * 48 * 64];
        for (int s = 0; s < slices; s++) {
            double[] counts = CameraPlanes.greyCounts(48, 64, 100 + s);
            for (int i = 0; i < counts.length; i++) {
                data[s * counts.length + i] = (short) (counts[i] * (s + 1)); // slices of different brightness
            }
        }
        NdArray array = NdArray.wrapUint16(data, slices, 48, 64);
        Path file = dir.resolve("global.jpkl");
        Jpkl jpkl = Jpkl.create();
        jpkl.save(array, file, WriteOptions.builder().codec("jpeg").param("window", "global").build());
        double[] range = {Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < data.length; i++) {
            range[0] = Math.min(range[0], data[i] & 0xFFFF);
            range[1] = Math.max(range[1], data[i] & 0xFFFF);
        }
        try (JpklArray stored = jpkl.open(file)) {
            assertEquals(JpegParams.Window.format(range[0]) + ":" + JpegParams.Window.format(range[1]),
                    stored.codecParams().get("window"));
            for (int s = 0; s < slices; s++) {
                ByteBuffer slice = stored.readEncodedSlice(s);
                byte[] bytes = new byte[slice.remaining()];
                slice.get(bytes);
                Segment segment = Segment.of(bytes);
                assertEquals(range[0], segment.low(), "slice " + s);
                assertEquals(range[1], segment.high(), "slice " + s);
            }
            double maxError = ErrorMetrics.between(array, stored.get("...")).maxAbsError();
            assertTrue(maxError <= 12 * (range[1] - range[0]) / 255, "max error " + maxError);
        }
    }

    @Test
    void aStreamingWriterRefusesAnUnboundGlobalWindow(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("stream.jpkl");
        Jpkl jpkl = Jpkl.create();
        PlaneBuffer plane = CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(8, 8, 1), 8, 8, ChannelLayout.GREY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (JpklWriter writer = jpkl.newWriter(file, DType.UINT16, new int[] {1, 8, 8},
                    WriteOptions.builder().codec("jpeg").param("window", "global").build())) {
                writer.write(0, plane);
                writer.commit();
            }
        });
        assertTrue(e.getMessage().contains("Jpkl.save"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void nanAndInfinitiesAreRefusedNamingTheSample() {
        PlaneSpec spec32 = new PlaneSpec(DType.FLOAT32, 4, 5, ChannelLayout.GREY);
        PlaneBuffer f32 = PlaneBuffer.allocate(spec32);
        f32.floats()[13] = Float.NaN;
        PlaneSpec spec64 = new PlaneSpec(DType.FLOAT64, 4, 5, ChannelLayout.RGB);
        PlaneBuffer f64 = PlaneBuffer.allocate(spec64);
        f64.doubles()[20] = Double.NEGATIVE_INFINITY;
        for (Map<String, String> params : List.of(Map.<String, String>of(), Map.of("window", "-1:1"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode(params, f32));
            assertTrue(e.getMessage().contains("sample 13 (row 2, column 3)") && e.getMessage().contains("NaN"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> encode(params, f64));
            assertTrue(e.getMessage().contains("sample 20 (row 1, column 1, channel 2)") && e.getMessage().contains("Infinity"),
                    e.getMessage());
        }
    }

    @Test
    void slicesOfAnotherDtypeOrWithoutTheirMappingAreRejected() throws IOException {
        PlaneBuffer u16 = CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(16, 16, 1), 16, 16, ChannelLayout.GREY);
        byte[] mapped = encode(Map.of(), u16);
        JpklFormatException e = assertThrows(JpklFormatException.class,
                () -> decode(new PlaneSpec(DType.INT16, 16, 16, ChannelLayout.GREY), mapped));
        assertTrue(e.getMessage().contains("holds uint16 samples; expected int16"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> decode(new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY), mapped));
        assertTrue(e.getMessage().contains("expected uint8"), e.getMessage());
        byte[] plain = encode(Map.of(), CameraPlanes.uint8(CameraPlanes.greyCounts(16, 16, 1), 16, 16, ChannelLayout.GREY));
        e = assertThrows(JpklFormatException.class, () -> decode(u16.spec(), plain));
        assertTrue(e.getMessage().contains("no 8-bit mapping segment"), e.getMessage());
    }

    @Test
    void damagedMappingSegmentsAreRejected() throws IOException {
        PlaneBuffer plane = CameraPlanes.as(DType.FLOAT32, CameraPlanes.greyCounts(16, 16, 1), 16, 16, ChannelLayout.GREY);
        byte[] bytes = encode(Map.of(), plane);
        int payload = JpegSegments.first(bytes, 0xE9).payload();
        Map<String, byte[]> damaged = new HashMap<>();
        damaged.put("version 2", with(bytes, payload + 5, 2));
        damaged.put("unknown transfer code 7", with(bytes, payload + 7, 7));
        byte[] nanLow = bytes.clone();
        ByteBuffer.wrap(nanLow).putDouble(payload + 8, Double.NaN);
        damaged.put("expected finite LO <= HI", nanLow);
        byte[] inverted = bytes.clone();
        ByteBuffer.wrap(inverted).putDouble(payload + 8, 1e9);
        damaged.put("window 1.0E9:", inverted);
        List<String> messages = new ArrayList<>();
        for (Map.Entry<String, byte[]> d : damaged.entrySet()) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(plane.spec(), d.getValue()), d.getKey());
            assertTrue(e.getMessage().contains(d.getKey()), e.getMessage());
            messages.add(e.getMessage());
        }
        byte[] twice = new byte[bytes.length + LevelMapping.SEGMENT_LENGTH];
        int at = JpegSegments.first(bytes, 0xE9).offset();
        System.arraycopy(bytes, 0, twice, 0, at + LevelMapping.SEGMENT_LENGTH);
        System.arraycopy(bytes, at, twice, at + LevelMapping.SEGMENT_LENGTH, bytes.length - at);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(plane.spec(), twice));
        assertTrue(e.getMessage().contains("two 8-bit mapping segments"), e.getMessage());
    }

    private static byte[] with(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        copy[at] = (byte) value;
        return copy;
    }
}
