package org.jpkl.sqrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.jpkl.api.testing.HeapUse;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;

/**
 * The {@code sqrt} codec: the contract, the error bound on every sample of every value and of
 * shot-noise data, the ratio goal, and hostile streams (every truncation and every bit flip).
 */
class SqrtCodecTest extends AbstractSliceCodecTest {
    private static final Map<String, String> SAMPLE = Map.of("offset", "100", "gain", "2", "scale", "0.5");
    /** (offset, gain, scale) sets the bound is checked with: defaults, camera-like, fine, coarse, extreme. */
    private static final double[][] PARAMS = {
        {0, 1, 0.5}, {100, 1, 0.5}, {100.5, 2.3, 0.1}, {1000, 0.25, 2}, {0, 0.05, 0.1}, {37, 10000, 10}, {65535, 1, 0.5},
        {300, 1, 0.5}};

    @Override
    protected SliceCodec codec() {
        return new SqrtCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return SAMPLE;
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return Math.max(SqrtCodec.errorBound(dtype.maxValue(), 100, 2, 0.5), SqrtCodec.errorBound(0, 100, 2, 0.5));
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("scale", "0.05");
    }

    @Override
    protected String invalidParamsMessage() {
        return "scale (0.05) must be a number in [0.1, 10]";
    }

    private static CodecParams params(double offset, double gain, double scale) {
        return new SqrtCodec().params(Map.of("offset", Double.toString(offset), "gain", Double.toString(gain), "scale",
                Double.toString(scale)));
    }

    private static byte[] encode(CodecParams params, PlaneBuffer plane) throws Exception {
        try (SliceEncoder encoder = new SqrtCodec().newEncoder(params, plane.spec())) {
            return encoder.encode(plane);
        }
    }

    private static PlaneBuffer decode(CodecParams params, PlaneSpec spec, byte[] encoded) throws Exception {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = new SqrtCodec().newDecoder(params, spec)) {
            decoder.decode(ByteBuffer.wrap(encoded), out);
        }
        return out;
    }

    /**
     * Checks the documented bound on every sample: below the offset the sample decodes as the
     * offset (rounded, clamped); at or above it the error is within {@link SqrtCodec#errorBound}.
     * Returns the largest error in units of shot noise among samples at least {@code minSignal} ADU
     * above the offset.
     */
    private static double assertBound(PlaneBuffer original, PlaneBuffer decoded, double offset, double gain, double scale,
            double minSignal) {
        double worst = 0;
        double maxValue = original.spec().dtype().maxValue();
        for (int i = 0; i < original.spec().sampleCount(); i++) {
            double x = TestPlanes.get(original, i);
            double y = TestPlanes.get(decoded, i);
            if (x < offset) {
                assertEquals(Math.min(maxValue, Math.floor(offset + 0.5)), y, "sample " + i + " = " + x + " below offset " + offset);
            } else {
                double bound = SqrtCodec.errorBound(x, offset, gain, scale);
                assertTrue(Math.abs(y - x) <= bound + 1e-9, "sample " + i + " = " + x + " decoded as " + y + ": error above "
                        + bound + " with offset " + offset + ", gain " + gain + ", scale " + scale);
                if (x - offset >= minSignal) {
                    worst = Math.max(worst, Math.abs(y - x) / Math.sqrt(gain * (x - offset)));
                }
            }
        }
        return worst;
    }

    /** A 256 x 256 uint16 plane holding every value once, in order. */
    private static PlaneBuffer everyUint16() {
        PlaneBuffer every = PlaneBuffer.allocate(new PlaneSpec(DType.UINT16, 256, 256, ChannelLayout.GREY));
        for (int i = 0; i < 65536; i++) {
            every.shorts()[i] = (short) i;
        }
        return every;
    }

    @Test
    void boundHoldsForEveryUint16AndUint8ValueAndEveryParameterSet() throws Exception {
        PlaneBuffer every16 = everyUint16();
        PlaneSpec spec16 = every16.spec();
        PlaneSpec spec8 = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        PlaneBuffer every8 = PlaneBuffer.allocate(spec8);
        for (int i = 0; i < 256; i++) {
            every8.bytes()[i] = (byte) i;
        }
        for (double[] p : PARAMS) {
            CodecParams params = params(p[0], p[1], p[2]);
            assertBound(every16, decode(params, spec16, encode(params, every16)), p[0], p[1], p[2], 0);
            assertBound(every8, decode(params, spec8, encode(params, every8)), p[0], p[1], p[2], 0);
        }
    }

    @Test
    void boundHoldsOnRgbAndOddShapes() throws Exception {
        for (PlaneSpec spec : new PlaneSpec[] {new PlaneSpec(DType.UINT16, 31, 45, ChannelLayout.RGB),
            new PlaneSpec(DType.UINT8, 1, 17, ChannelLayout.RGB), new PlaneSpec(DType.UINT16, 17, 1, ChannelLayout.GREY)}) {
            PlaneBuffer plane = TestPlanes.noise(spec, 4);
            for (double[] p : PARAMS) {
                CodecParams params = params(p[0], p[1], p[2]);
                assertBound(plane, decode(params, spec, encode(params, plane)), p[0], p[1], p[2], 0);
            }
        }
    }

    /**
     * Shot-noise-limited uint16 counts like the bench's generated stack: a dim gradient background
     * and bright Gaussian cells, 100..4000 photoelectrons at gain 1, Poisson noise (normal
     * approximation) added.
     */
    static PlaneBuffer shotNoisePlane(int size, long seed, double offset, double gain) {
        PlaneBuffer plane = PlaneBuffer.allocate(new PlaneSpec(DType.UINT16, size, size, ChannelLayout.GREY));
        Random random = new Random(seed);
        double[][] cells = new double[24][];
        for (int c = 0; c < cells.length; c++) {
            cells[c] = new double[] {random.nextDouble() * size, random.nextDouble() * size,
                size * (0.01 + 0.05 * random.nextDouble()) + 0.7, 300 + 2700 * random.nextDouble()};
        }
        short[] s = plane.shorts();
        for (int y = 0, i = 0; y < size; y++) {
            for (int x = 0; x < size; x++, i++) {
                double electrons = 100 + 60.0 * x / size + 40.0 * y / size;
                for (double[] c : cells) {
                    double r2 = ((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1])) / (c[2] * c[2]);
                    if (r2 < 25) {
                        electrons += c[3] * Math.exp(-0.5 * r2);
                    }
                }
                double noisy = electrons + Math.sqrt(electrons) * random.nextGaussian();
                s[i] = (short) Math.max(0, Math.min(65535, Math.rint(offset + gain * noisy)));
            }
        }
        return plane;
    }

    @Test
    void shotNoiseLimitedSixteenBitDataReachesRatioSixWithinHalfASigma() throws Exception {
        for (double[] camera : new double[][] {{0, 1}, {100, 2}}) {
            PlaneBuffer plane = shotNoisePlane(512, 3, camera[0], camera[1]);
            CodecParams params = params(camera[0], camera[1], 0.5);
            byte[] encoded = encode(params, plane);
            double ratio = (double) plane.spec().byteSize() / encoded.length;
            double worst = assertBound(plane, decode(params, plane.spec(), encode(params, plane)), camera[0], camera[1], 0.5, 100);
            System.out.printf("sqrt offset %.0f gain %.0f scale 0.5 on shot-noise uint16 512x512: ratio %.2f, max error %.3f sigma%n",
                    camera[0], camera[1], ratio, worst);
            assertTrue(ratio >= 6, "ratio " + ratio);
            assertTrue(worst <= 0.5, "worst " + worst);
        }
    }

    @Test
    void constantPlanesAreSmallAndExactAtZeroOffsetAndMaximum() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 64, 64, ChannelLayout.GREY);
        CodecParams params = params(100, 1, 0.5);
        for (int value : new int[] {0, 100, 65535}) {
            PlaneBuffer plane = PlaneBuffer.allocate(spec);
            Arrays.fill(plane.shorts(), (short) value);
            byte[] encoded = encode(params, plane);
            // One symbol of one bit per sample after the first (whose residual is the level itself).
            assertTrue(encoded.length <= SqrtStream.HEADER + 1000 + 4096 / 8 + 1, value + ": " + encoded.length + " bytes");
            PlaneBuffer decoded = decode(params, spec, encoded);
            int expected = value < 100 ? 100 : value;
            for (short v : decoded.shorts()) {
                assertEquals(expected, v & 0xFFFF);
            }
        }
    }

    @Test
    void streamLayoutIsAsDocumented() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 2, 3, ChannelLayout.GREY);
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        byte[] encoded = encode(params(0, 1, 0.5), plane); // all zero: one residual symbol, 0
        ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('J' | 'P' << 8 | 'K' << 16 | 'Q' << 24, b.getInt(0));
        assertEquals(2, b.get(4));
        assertEquals(1, b.get(5));
        assertEquals(1, b.get(6));
        assertEquals(1, b.get(7));
        assertEquals(2, b.getInt(8));
        assertEquals(3, b.getInt(12));
        assertEquals(0.0, b.getDouble(16));
        assertEquals(1.0, b.getDouble(24));
        assertEquals(0.5, b.getDouble(32));
        assertEquals(1, b.getInt(40)); // code lengths for symbol 0 only
        assertEquals(1, b.getInt(44)); // six 1-bit codes "0" in one byte
        assertEquals(1, b.get(52)); // symbol 0 has length 1
        assertEquals(0, b.get(53));
        assertEquals(54, encoded.length);
    }

    /** Every uint16 value at gain 1, scale 0.5: within half its shot noise, the integer rounding included. */
    @Test
    void everyValueIsWithinScaleSigmaIncludingRounding() throws Exception {
        PlaneBuffer every = everyUint16();
        PlaneBuffer decoded = decode(params(0, 1, 0.5), every.spec(), encode(params(0, 1, 0.5), every));
        double worst = 0;
        for (int x = 1; x < 65536; x++) {
            worst = Math.max(worst, Math.abs((decoded.shorts()[x] & 0xFFFF) - x) / Math.sqrt(x));
        }
        assertEquals(0, decoded.shorts()[0]);
        assertTrue(worst <= 0.5, "worst " + worst);
        // Rounding sqrt(x) / 0.5 (format version 1) decoded 127..138 as 132: 138 was 6 ADU = 0.511 sigma off.
        assertTrue(Math.abs((decoded.shorts()[138] & 0xFFFF) - 138) <= 5, "138 -> " + decoded.shorts()[138]);
    }

    /**
     * Building a quantiser's tables costs as much as encoding a 512 x 512 plane: encoders and
     * decoders of the same dtype and parameters share the tables the codec built last (any plane
     * shape), and other parameters or dtypes get tables of their own, equal to freshly built ones.
     */
    @Test
    void encodersAndDecodersOfTheSameParametersShareTheQuantiserTables() {
        SqrtCodec codec = new SqrtCodec();
        PlaneSpec a = new PlaneSpec(DType.UINT16, 64, 64, ChannelLayout.GREY);
        PlaneSpec b = new PlaneSpec(DType.UINT16, 3, 5, ChannelLayout.RGB);
        SqrtQuantiser first = codec.quantiser(params(100, 2, 0.5), a);
        SqrtQuantiser again = codec.quantiser(params(100, 2, 0.5), b);
        assertTrue(first.levels == again.levels && first.current == again.current && first.version1 == again.version1);
        assertEquals(b, again.spec);
        assertTrue(first == codec.quantiser(params(100, 2, 0.5), a), "the same shape: the same quantiser");
        for (SqrtQuantiser other : new SqrtQuantiser[] {codec.quantiser(params(100, 2, 0.25), a),
            codec.quantiser(params(100, 2, 0.5), new PlaneSpec(DType.UINT8, 64, 64, ChannelLayout.GREY))}) {
            assertTrue(other.levels != first.levels);
            SqrtQuantiser fresh = new SqrtQuantiser(other.spec, other.offset, other.gain, other.scale);
            assertTrue(Arrays.equals(fresh.levels, other.levels) && Arrays.equals(fresh.current.values(), other.current.values())
                    && Arrays.equals(fresh.version1.values(), other.version1.values()));
        }
        SqrtQuantiser uint8 = codec.quantiser(params(100, 2, 0.5), new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY));
        assertEquals("tables for uint8 cannot quantise uint16 64x64 grey",
                assertThrows(IllegalArgumentException.class, () -> uint8.forPlanes(a)).getMessage());
    }

    /**
     * The encoder's bytes (format version 2) are frozen: SHA-256 (first 16 hex digits) of a smooth
     * plane with extremes and a noise plane, per dtype, layout, odd shape and parameter set, as the
     * encoder of 277ba07 wrote them. A faster encoder must write the same bytes, or bump the version.
     * Both of the encoder's ways of writing the codes are covered (code tables of at most 64 symbols,
     * written through a table of pairs, and larger ones).
     */
    @Test
    void encodedBytesAreFrozen() throws Exception {
        Map<String, String> frozen = new java.util.TreeMap<>(Map.ofEntries(
                Map.entry("uint16 1x1 grey 0,1,0.5", "e5cc6089a063d2ba"),
                Map.entry("uint16 1x1 grey 100,2,0.5", "b223ffe60b2d1777"),
                Map.entry("uint16 1x17 grey 0,1,0.5", "575c4644a9e9ebb3"),
                Map.entry("uint16 1x17 grey 100,2,0.5", "75b3736f35d1679c"),
                Map.entry("uint16 31x45 rgb 0,1,0.5", "cb9df2ce1ccb33b1"),
                Map.entry("uint16 31x45 rgb 100,2,0.5", "ac8dc089624cd36e"),
                Map.entry("uint16 64x64 grey 0,1,0.5", "e4beab9f7567def2"),
                Map.entry("uint16 64x64 grey 100,2,0.5", "72eefd17de4cb24d"),
                Map.entry("uint8 17x23 rgb 0,1,0.5", "0fb980397bb99186"),
                Map.entry("uint8 17x23 rgb 100,2,0.5", "9201eefdaff1ea81"),
                Map.entry("uint8 31x45 grey 0,1,0.5", "3dbaa60e825149b0"),
                Map.entry("uint8 31x45 grey 100,2,0.5", "d5cf6eecf95a9968")));
        PlaneSpec[] specs = {new PlaneSpec(DType.UINT8, 31, 45, ChannelLayout.GREY), new PlaneSpec(DType.UINT8, 17, 23, ChannelLayout.RGB),
            new PlaneSpec(DType.UINT16, 64, 64, ChannelLayout.GREY), new PlaneSpec(DType.UINT16, 31, 45, ChannelLayout.RGB),
            new PlaneSpec(DType.UINT16, 1, 1, ChannelLayout.GREY), new PlaneSpec(DType.UINT16, 1, 17, ChannelLayout.GREY)};
        Map<String, String> actual = new java.util.TreeMap<>();
        java.util.Set<Boolean> symbolRanges = new java.util.HashSet<>();
        for (PlaneSpec spec : specs) {
            for (double[] p : new double[][] {{0, 1, 0.5}, {100, 2, 0.5}}) {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                try (SliceEncoder encoder = new SqrtCodec().newEncoder(params(p[0], p[1], p[2]), spec)) {
                    for (PlaneBuffer plane : new PlaneBuffer[] {TestPlanes.smooth(spec, 3, true, false), TestPlanes.noise(spec, 4)}) {
                        byte[] stream = encoder.encode(plane);
                        sha.update(stream);
                        // The code table's size n: the encoder writes symbols below 64 through a table of pairs.
                        symbolRanges.add(ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).getInt(40) <= 64);
                    }
                }
                String key = String.format(java.util.Locale.ROOT, "%s %s,%s,%s", spec, fmt(p[0]), fmt(p[1]), fmt(p[2]));
                actual.put(key, java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16));
            }
        }
        assertEquals(frozen, actual);
        assertEquals(java.util.Set.of(true, false), symbolRanges, "planes with every symbol below 64 and planes with larger ones");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** A stream of format version 1 (square-root rounding) written by the first release decodes as it did. */
    @Test
    void formatVersionOneStreamsStillDecode() throws Exception {
        String hex = "4a504b5101020101040000000500000000000000000059400000000000000040000000000000e03f730200000b00000072f7559f5305"
                + "000050500500500400000040040000040000000000000000000000000440000000000000000000000000000000000000000000040000"
                + "000000000000000000000004000000000000000000000000000000000000000400000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "000000400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000004006c915a73dafbd9f3b140";
        byte[] stream = new byte[hex.length() / 2];
        for (int k = 0; k < stream.length; k++) {
            stream[k] = (byte) Integer.parseInt(hex.substring(2 * k, 2 * k + 2), 16);
        }
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 4, 5, ChannelLayout.GREY);
        PlaneBuffer decoded = decode(params(100, 2, 0.5), spec, stream);
        int[] expected = {100, 100, 100, 101, 150, 198, 388, 982, 3972, 65535, 300, 321, 342, 365, 388, 118, 132, 141, 2481, 8945};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], decoded.shorts()[i] & 0xFFFF, "sample " + i);
        }
    }

    private static byte[] sample(PlaneSpec spec) throws Exception {
        return encode(params(100, 2, 0.5), shotNoiseOf(spec));
    }

    private static PlaneBuffer shotNoiseOf(PlaneSpec spec) {
        PlaneBuffer plane = TestPlanes.smooth(spec, 8, false, false);
        return plane;
    }

    private static JpklFormatException refused(PlaneSpec spec, byte[] bad) {
        return assertThrows(JpklFormatException.class, () -> decode(params(100, 2, 0.5), spec, bad));
    }

    @Test
    void everyTruncationAndEveryBitFlipIsRefused() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 12, 10, ChannelLayout.GREY);
        byte[] encoded = sample(spec);
        for (int n = 0; n < encoded.length; n++) {
            refused(spec, Arrays.copyOf(encoded, n));
        }
        for (int bit = 0; bit < encoded.length * 8; bit++) {
            byte[] bad = encoded.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            refused(spec, bad);
        }
        assertEquals("sqrt: slice data: 3 bytes of trailing data follow the payload",
                refused(spec, Arrays.copyOf(encoded, encoded.length + 3)).getMessage());
        assertEquals("sqrt: slice data: the data is truncated: " + (encoded.length - 1) + " bytes, the header declares "
                + encoded.length, refused(spec, Arrays.copyOf(encoded, encoded.length - 1)).getMessage());
        assertEquals("sqrt: slice data: 51 bytes, shorter than the 52-byte plane header",
                refused(spec, Arrays.copyOf(encoded, 51)).getMessage());
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeAllocating() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 16, 16, ChannelLayout.GREY);
        byte[] encoded = sample(spec);
        byte[] payload = encoded.clone();
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).putInt(44, -1);
        byte[] symbols = encoded.clone();
        ByteBuffer.wrap(symbols).order(ByteOrder.LITTLE_ENDIAN).putInt(40, Integer.MAX_VALUE);
        int alphabet = new SqrtQuantiser(spec, 100, 2, 0.5).current.alphabet();
        try (SliceDecoder decoder = new SqrtCodec().newDecoder(params(100, 2, 0.5), spec)) {
            PlaneBuffer out = PlaneBuffer.allocate(spec);
            long before = HeapUse.threadAllocatedBytes();
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(payload), out));
            assertEquals("sqrt: slice header: payload of 4294967295 bytes; a plane of 256 samples needs at most 480", e.getMessage());
            e = assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(symbols), out));
            assertEquals("sqrt: slice header: code table of 2147483647 symbols; this plane's residuals have 1.." + alphabet,
                    e.getMessage());
            long allocated = HeapUse.threadAllocatedBytes() - before;
            assertTrue(allocated < 2 << 20, "allocated " + allocated + " bytes");
        }
    }

    @Test
    void otherParametersShapeOrDtypeAreRefusedNamingThem() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 8, 8, ChannelLayout.GREY);
        byte[] encoded = sample(spec);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(params(100, 2, 0.25), spec, encoded));
        assertEquals("sqrt: slice header: encoded with offset 100.0, gain 2.0, scale 0.5; the parameters say offset 100.0, gain 2.0,"
                + " scale 0.25", e.getMessage());
        e = refused(new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY), encoded);
        assertEquals("sqrt: slice header: plane of dtype code 2, 8x8x1 does not match the expected " + new PlaneSpec(DType.UINT8, 8, 8,
                ChannelLayout.GREY) + " (dtype code 1)", e.getMessage());
    }

    @Test
    void refusedStreamLeavesTheDestinationUntouched() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 24, 24, ChannelLayout.GREY);
        byte[] bad = sample(spec);
        bad[bad.length - 1] ^= 0x01;
        PlaneBuffer destination = PlaneBuffer.allocate(spec);
        Arrays.fill(destination.shorts(), (short) 77);
        try (SliceDecoder decoder = new SqrtCodec().newDecoder(params(100, 2, 0.5), spec)) {
            assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(bad), destination));
        }
        for (short v : destination.shorts()) {
            assertEquals(77, v);
        }
    }

    @Test
    void directBuffersDecodeAlike() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 30, 40, ChannelLayout.RGB);
        PlaneBuffer plane = TestPlanes.noise(spec, 2);
        byte[] encoded = encode(params(100, 2, 0.5), plane);
        ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length + 10);
        direct.position(10);
        direct.put(encoded).position(10);
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = new SqrtCodec().newDecoder(params(100, 2, 0.5), spec)) {
            decoder.decode(direct, out);
        }
        assertTrue(TestPlanes.bitEqual(decode(params(100, 2, 0.5), spec, encoded), out));
    }
}
