package org.jpkl.api.testing;

import org.jpkl.api.ProviderIds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamSpec;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every {@link SliceCodec} must meet, ours or a third party's. A codec's test extends
 * this class and supplies the codec and its error bounds; every check here then runs on it.
 *
 * <p>Checked: discovery by {@link java.util.ServiceLoader} under its id; parameters round-trip
 * through their stored form and bad or unknown ones fail naming the key; round trips for every
 * supported dtype and channel layout on odd shapes (1x1, 1xN, Nx1, odd sizes) are exact for lossless
 * codecs and within {@link #maxAbsError} for lossy ones; for every parameter set exercised (the
 * defaults and {@link #sampleParams()}) at which {@link SliceCodec#isLossless(CodecParams)} is true,
 * round trips of smooth planes (with and without NaN, infinities, -0.0 and subnormals for floats;
 * a codec may refuse a special value it cannot store, naming itself, but never store it inexactly)
 * and noise planes are bit-identical for every supported dtype, layout and shape, whatever
 * {@link #maxAbsError} says; decoding writes exactly the plane's samples
 * (nothing outside, at any offset); unsupported dtypes are refused naming codec and dtype; wrong
 * dimensions, truncated, empty and garbage input give {@link JpklFormatException}; encoders are
 * reusable; encoding never modifies its input; decoders on several threads agree; encodings of
 * smooth and noise planes fit {@link SliceCodec#maxEncodedBytes}.
 */
public abstract class AbstractSliceCodecTest {
    /** Odd and degenerate plane shapes, {height, width}. */
    protected static final int[][] SHAPES = {{1, 1}, {1, 17}, {17, 1}, {31, 45}, {64, 64}};

    /** The codec under test (a fresh instance made with its public no-argument constructor). */
    protected abstract SliceCodec codec();

    /** Parameters for the round trips; defaults when empty. */
    protected Map<String, String> sampleParams() {
        return Map.of();
    }

    /**
     * The largest absolute error allowed for a round trip of {@link TestPlanes#smooth} content with
     * {@link #sampleParams()}; 0 means bit-exact (required of lossless codecs).
     */
    protected abstract double maxAbsError(DType dtype, ChannelLayout channels);

    /** A parameter map with one invalid value, to check validation; empty to skip. */
    protected Map<String, String> invalidParams() {
        return Map.of();
    }

    /** The text the message for {@link #invalidParams()} must contain (e.g. the allowed range). */
    protected String invalidParamsMessage() {
        return invalidParams().keySet().stream().findFirst().orElse("");
    }

    /**
     * Whether float planes include NaN, infinities and subnormals in the round trips (lossless float
     * codecs must keep them); the exact checks of {@link SliceCodec#isLossless} always offer them.
     */
    protected boolean testsSpecialFloats() {
        return codec().capabilities().lossless();
    }

    private CodecParams params() {
        return codec().params(sampleParams());
    }

    /** The parameter sets the contract exercises: the codec's defaults and {@link #sampleParams()}, each once. */
    private List<Map<String, String>> exercisedParams() {
        return new ArrayList<>(new java.util.LinkedHashSet<>(List.of(Map.of(), sampleParams())));
    }

    @Test
    void foundByServiceLoaderUnderItsId() {
        SliceCodec codec = codec();
        SliceCodecs found = SliceCodecs.load(codec.getClass().getClassLoader());
        SliceCodec discovered = found.find(codec.id()).orElseThrow(() -> new AssertionError(
                "codec '" + codec.id() + "' is not registered in META-INF/services/" + SliceCodec.class.getName()
                        + "; found " + found.ids() + ", problems " + found.problems()));
        assertSame(codec.getClass(), discovered.getClass());
        assertEquals(codec.id(), ProviderIds.check(codec.id()));
    }

    @Test
    void capabilitiesAreComplete() {
        CodecCapabilities caps = codec().capabilities();
        assertFalse(caps.dtypes().isEmpty());
        assertFalse(caps.channels().isEmpty());
        Map<String, String> defaults = codec().params(Map.of()).toMap();
        int stored = 0;
        for (ParamSpec p : caps.params()) {
            if (p.isStoredOnlyWhenSet()) {
                assertFalse(defaults.containsKey(p.name()), "parameter '" + p.name() + "' is stored only when set: " + defaults);
            } else {
                assertEquals(p.defaultValue(), defaults.get(p.name()), "default of parameter '" + p.name() + "'");
                stored++;
            }
        }
        assertEquals(stored, defaults.size(), "toMap() lists exactly the declared parameters (at their defaults, those not"
                + " stored only when set): " + defaults);
    }

    @Test
    void paramsRoundTripThroughStoredForm() {
        CodecParams p = params();
        assertEquals(codec().id(), p.codecId());
        CodecParams again = codec().params(p.toMap());
        assertEquals(p.toMap(), again.toMap());
        assertEquals(p, again, "params(p.toMap()) must equal p");
        assertThrows(UnsupportedOperationException.class, () -> p.toMap().put("x", "y"), "toMap() must be unmodifiable");
    }

    /**
     * {@link CodecParams#encodingParams} is what serializers and {@code convert} ask to decide whether
     * encoded slices can be copied: stored parameters, exactly those the declared {@link ParamSpec}s
     * say can change the bytes of each supported dtype and layout.
     */
    @Test
    void encodingParamsFollowTheDeclaredParameters() {
        CodecParams p = params();
        CodecCapabilities caps = codec().capabilities();
        for (DType dtype : caps.dtypes()) {
            for (ChannelLayout channels : caps.channels()) {
                Map<String, String> encoding = p.encodingParams(dtype, channels);
                for (ParamSpec s : caps.params()) {
                    boolean stored = p.toMap().containsKey(s.name()) || !s.isStoredOnlyWhenSet();
                    assertEquals(s.changesBytes(dtype, channels) && stored, encoding.containsKey(s.name()),
                            "parameter '" + s.name() + "' for " + dtype + " " + channels + ": " + encoding);
                }
                for (Map.Entry<String, String> e : encoding.entrySet()) {
                    assertEquals(p.toMap().get(e.getKey()), e.getValue(), "encoding parameter '" + e.getKey() + "'");
                }
                assertTrue(codec().encodesAlike(p.toMap(), sampleParams(), dtype, channels), "stored and given form encode alike");
            }
        }
    }

    @Test
    void unknownParamIsRejectedNamingIt() {
        Map<String, String> bad = new HashMap<>(sampleParams());
        bad.put("no-such-param", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec().params(bad));
        assertTrue(e.getMessage().contains("no-such-param"), e.getMessage());
        for (ParamSpec p : codec().capabilities().params()) {
            assertTrue(e.getMessage().contains(p.name()), "message lists allowed key '" + p.name() + "': " + e.getMessage());
        }
    }

    @Test
    void invalidParamIsRejectedNamingIt() {
        Assumptions.assumeFalse(invalidParams().isEmpty(), "no invalid parameters given");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec().params(invalidParams()));
        assertTrue(e.getMessage().contains(invalidParamsMessage()), e.getMessage());
    }

    @TestFactory
    List<DynamicTest> roundTripsEverySupportedDtypeLayoutAndShape() {
        List<DynamicTest> tests = new ArrayList<>();
        CodecCapabilities caps = codec().capabilities();
        for (DType dtype : caps.dtypes()) {
            for (ChannelLayout channels : caps.channels()) {
                java.util.Optional<String> refusal = codec().refusal(params(), dtype, channels);
                if (refusal.isPresent()) {
                    // A dtype taken in other settings only (jpegxl: float32 only lossy): newEncoder refuses it with the same words.
                    PlaneSpec spec = new PlaneSpec(dtype, 8, 8, channels);
                    tests.add(DynamicTest.dynamicTest(spec + " refused with " + sampleParams(), () -> {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec().newEncoder(params(), spec));
                        assertEquals(refusal.get(), e.getMessage());
                        assertTrue(e.getMessage().contains(codec().id()) && e.getMessage().contains(dtype.toString()), e.getMessage());
                    }));
                    continue;
                }
                for (int[] hw : SHAPES) {
                    PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], channels);
                    tests.add(DynamicTest.dynamicTest(spec.toString(), () -> roundTrip(spec)));
                }
            }
        }
        return tests;
    }

    /**
     * Wherever the codec says a parameter set is exact ({@link SliceCodec#isLossless(CodecParams)}),
     * the round trip is bit-identical for every supported dtype, layout and shape: tools label files
     * {@code lossless} and {@code compare --lossless-only} picks codecs by that answer.
     */
    @TestFactory
    List<DynamicTest> bitIdenticalWhereverTheCodecSaysLossless() {
        List<DynamicTest> tests = new ArrayList<>();
        CodecCapabilities caps = codec().capabilities();
        for (Map<String, String> given : exercisedParams()) {
            CodecParams p = codec().params(given);
            if (!codec().isLossless(p)) {
                continue;
            }
            for (DType dtype : caps.dtypes()) {
                for (ChannelLayout channels : caps.channels()) {
                    if (codec().refusal(p, dtype, channels).isPresent()) {
                        continue;   // not encoded at all with these settings: checked as refused above
                    }
                    for (int[] hw : SHAPES) {
                        PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], channels);
                        tests.add(DynamicTest.dynamicTest(p.toMap() + " " + spec, () -> assertBitIdentical(p, spec)));
                    }
                }
            }
        }
        return tests;
    }

    private void assertBitIdentical(CodecParams p, PlaneSpec spec) throws Exception {
        SliceCodec codec = codec();
        try (SliceEncoder encoder = codec.newEncoder(p, spec); SliceDecoder decoder = codec.newDecoder(p, spec)) {
            PlaneBuffer special = TestPlanes.smooth(spec, 7 + spec.hashCode(), true, true);
            PlaneBuffer plain = TestPlanes.smooth(spec, 7 + spec.hashCode(), true, false);
            for (PlaneBuffer original : List.of(special, plain, TestPlanes.noise(spec, 8))) {
                byte[] encoded;
                try {
                    encoded = encoder.encode(original);
                } catch (IllegalArgumentException e) {
                    // Refusing a value it cannot store (LERC and infinities), naming itself, is honest; storing it inexactly is not.
                    assertTrue(original == special && !TestPlanes.bitEqual(special, plain) && e.getMessage().contains("codec '" + codec.id() + "'"),
                            "only special floats may be refused, naming the codec: " + e);
                    continue;
                }
                PlaneBuffer decoded = PlaneBuffer.allocate(spec);
                decoder.decode(ByteBuffer.wrap(encoded), decoded);
                if (!TestPlanes.bitEqual(original, decoded)) {
                    int i = 0;
                    while (TestPlanes.bitEqual(slice(original, i), slice(decoded, i))) {
                        i++;
                    }
                    fail("codec '" + codec.id() + "' says it is lossless at " + p.toMap() + ", but the round trip of " + spec
                            + " is not bit-identical: sample " + i + " " + TestPlanes.get(original, i) + " -> " + TestPlanes.get(decoded, i));
                }
            }
        }
    }

    /** Sample {@code i} alone, as a 1 x 1 grey plane. */
    private static PlaneBuffer slice(PlaneBuffer p, int i) {
        PlaneBuffer one = PlaneBuffer.allocate(new PlaneSpec(p.spec().dtype(), 1, 1, ChannelLayout.GREY));
        System.arraycopy(p.array(), p.offset() + i, one.array(), 0, 1);
        return one;
    }

    @TestFactory
    List<DynamicTest> encodingsOfSmoothAndNoisePlanesFitTheDeclaredBound() {
        List<DynamicTest> tests = new ArrayList<>();
        CodecCapabilities caps = codec().capabilities();
        for (DType dtype : caps.dtypes()) {
            for (ChannelLayout channels : caps.channels()) {
                if (codec().refusal(params(), dtype, channels).isPresent()) {
                    continue;
                }
                // Large planes too, where the bound's factor matters more than its constant part.
                for (int[] hw : java.util.stream.Stream.concat(java.util.Arrays.stream(SHAPES),
                        java.util.stream.Stream.of(new int[] {1, 16384}, new int[] {256, 256})).toList()) {
                    PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], channels);
                    tests.add(DynamicTest.dynamicTest(spec.toString(), () -> {
                        long bound = codec().maxEncodedBytes(params(), spec);
                        try (SliceEncoder encoder = codec().newEncoder(params(), spec)) {
                            for (PlaneBuffer plane : List.of(TestPlanes.smooth(spec, 5, true, testsSpecialFloats()),
                                    TestPlanes.noise(spec, 6))) {
                                int length = encoder.encode(plane).length;
                                assertTrue(length <= bound, "encoded " + length + " bytes, above maxEncodedBytes " + bound
                                        + " for " + spec + ": readers would refuse the slice");
                            }
                        }
                    }));
                }
            }
        }
        return tests;
    }

    private void roundTrip(PlaneSpec spec) throws Exception {
        SliceCodec codec = codec();
        PlaneBuffer original = TestPlanes.smooth(spec, 42 + spec.hashCode(), true, testsSpecialFloats());
        PlaneBuffer before = copy(original);
        byte[] encoded;
        try (SliceEncoder encoder = codec.newEncoder(params(), spec)) {
            encoded = encoder.encode(original);
        }
        assertNotNull(encoded);
        assertTrue(TestPlanes.bitEqual(before, original), "encode must not modify its input");
        // Decode into the middle of a larger array filled with a sentinel: nothing outside may change.
        int offset = 7;
        int n = spec.sampleCount();
        PlaneBuffer sentinel = PlaneBuffer.wrap(new PlaneSpec(spec.dtype(), 1, n + 2 * offset, ChannelLayout.GREY),
                newArray(spec.dtype(), n + 2 * offset), 0);
        for (int i = 0; i < n + 2 * offset; i++) {
            TestPlanes.set(sentinel, i, 77);
        }
        PlaneBuffer decoded = PlaneBuffer.wrap(spec, sentinel.array(), offset);
        try (SliceDecoder decoder = codec.newDecoder(params(), spec)) {
            decoder.decode(ByteBuffer.wrap(encoded).asReadOnlyBuffer(), decoded);
        }
        for (int i = 0; i < offset; i++) {
            assertEquals(77.0, TestPlanes.get(sentinel, i), "decode wrote before its offset");
            assertEquals(77.0, TestPlanes.get(sentinel, n + offset + i), "decode wrote past its plane");
        }
        double bound = maxAbsError(spec.dtype(), spec.channels());
        if (bound == 0 || codec.isLossless(params())) {
            assertTrue(TestPlanes.bitEqual(original, decoded), "lossless round trip of " + spec + " is not bit-exact; max abs error "
                    + ErrorMetrics.between(original, decoded).maxAbsError());
        } else {
            double err = ErrorMetrics.between(original, decoded).maxAbsError();
            assertTrue(err <= bound, "max abs error " + err + " > bound " + bound + " for " + spec);
        }
    }

    private static Object newArray(DType dtype, int n) {
        return PlaneBuffer.allocate(new PlaneSpec(dtype, 1, n, ChannelLayout.GREY)).array();
    }

    private static PlaneBuffer copy(PlaneBuffer p) {
        PlaneBuffer c = PlaneBuffer.allocate(p.spec());
        System.arraycopy(p.array(), p.offset(), c.array(), 0, p.spec().sampleCount());
        return c;
    }

    @Test
    void unsupportedDtypeIsRefusedNamingCodecAndDtype() {
        CodecCapabilities caps = codec().capabilities();
        DType unsupported = Arrays.stream(DType.values()).filter(d -> !caps.dtypes().contains(d)).findFirst().orElse(null);
        Assumptions.assumeTrue(unsupported != null, "codec supports every dtype");
        ChannelLayout channels = caps.channels().iterator().next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec().newEncoder(params(), new PlaneSpec(unsupported, 8, 8, channels)));
        assertTrue(e.getMessage().contains(codec().id()) && e.getMessage().contains(unsupported.toString()), e.getMessage());
    }

    private PlaneSpec firstSpec(int h, int w) {
        CodecCapabilities caps = codec().capabilities();
        DType dtype = caps.dtypes().contains(DType.UINT8) ? DType.UINT8 : caps.dtypes().iterator().next();
        return new PlaneSpec(dtype, h, w, caps.channels().iterator().next());
    }

    private byte[] encode(PlaneSpec spec, long seed) throws Exception {
        try (SliceEncoder encoder = codec().newEncoder(params(), spec)) {
            return encoder.encode(TestPlanes.smooth(spec, seed, false, false));
        }
    }

    private void assertDecodeFails(PlaneSpec spec, byte[] bytes) {
        try (SliceDecoder decoder = codec().newDecoder(params(), spec)) {
            assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(bytes), PlaneBuffer.allocate(spec)),
                    "decoding " + bytes.length + " bad bytes as " + spec);
        }
    }

    @Test
    void wrongDimensionsAreRejected() throws Exception {
        byte[] bytes = encode(firstSpec(16, 16), 1);
        assertDecodeFails(firstSpec(16, 17), bytes);
        assertDecodeFails(firstSpec(17, 16), bytes);
    }

    @Test
    void truncatedInputIsRejected() throws Exception {
        PlaneSpec spec = firstSpec(32, 32);
        byte[] bytes = encode(spec, 2);
        assertDecodeFails(spec, Arrays.copyOf(bytes, bytes.length / 2));
        assertDecodeFails(spec, Arrays.copyOf(bytes, Math.max(0, bytes.length - 1)));
    }

    @Test
    void emptyAndGarbageInputAreRejected() {
        PlaneSpec spec = firstSpec(32, 32);
        assertDecodeFails(spec, new byte[0]);
        byte[] garbage = new byte[300];
        new Random(5).nextBytes(garbage);
        assertDecodeFails(spec, garbage);
    }

    @Test
    void encoderAndDecoderAreReusable() throws Exception {
        PlaneSpec spec = firstSpec(24, 40);
        PlaneBuffer a = TestPlanes.smooth(spec, 10, false, false);
        PlaneBuffer b = TestPlanes.smooth(spec, 11, false, false);
        try (SliceEncoder enc = codec().newEncoder(params(), spec); SliceDecoder dec = codec().newDecoder(params(), spec)) {
            byte[] ea = enc.encode(a);
            byte[] eb = enc.encode(b);
            byte[] ea2 = enc.encode(a);
            assertArrayEquals(ea, ea2, "encoding the same plane twice with one encoder must give the same bytes");
            PlaneBuffer da = PlaneBuffer.allocate(spec);
            PlaneBuffer db = PlaneBuffer.allocate(spec);
            dec.decode(ByteBuffer.wrap(eb), db);
            dec.decode(ByteBuffer.wrap(ea), da);
            double bound = maxAbsError(spec.dtype(), spec.channels());
            assertTrue(ErrorMetrics.between(a, da).maxAbsError() <= bound);
            assertTrue(ErrorMetrics.between(b, db).maxAbsError() <= bound);
        }
    }

    /**
     * Bytes read into the decoder's own {@link SliceDecoder#inputBuffer} (as a container reads them)
     * decode to exactly what the same bytes in a heap buffer give, also when the input buffer is
     * reused for a longer and then a shorter plane, and a direct buffer of the caller's own decodes too.
     */
    @Test
    void bytesInTheDecodersInputBufferDecodeAsFromAHeapBuffer() throws Exception {
        PlaneSpec spec = firstSpec(24, 40);
        PlaneBuffer flat = TestPlanes.smooth(spec, 12, false, false);
        PlaneBuffer noisy = TestPlanes.smooth(spec, 13, true, false);
        try (SliceEncoder enc = codec().newEncoder(params(), spec); SliceDecoder dec = codec().newDecoder(params(), spec)) {
            byte[] a = enc.encode(flat);
            byte[] b = enc.encode(noisy);
            for (byte[] encoded : new byte[][] {a, b, a}) {
                PlaneBuffer fromHeap = PlaneBuffer.allocate(spec);
                dec.decode(ByteBuffer.wrap(encoded), fromHeap);
                ByteBuffer input = dec.inputBuffer(encoded.length);
                assertEquals(0, input.position(), "inputBuffer's position");
                assertTrue(input.remaining() >= encoded.length && !input.isReadOnly(), "inputBuffer has room for the bytes: " + input);
                input.put(encoded).flip();
                PlaneBuffer fromInput = PlaneBuffer.allocate(spec);
                dec.decode(input, fromInput);
                assertTrue(TestPlanes.bitEqual(fromHeap, fromInput), "decoded from inputBuffer differs from the heap buffer's decode");
                ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length + 5).position(5).slice();
                direct.put(encoded).flip();
                PlaneBuffer fromDirect = PlaneBuffer.allocate(spec);
                dec.decode(direct, fromDirect);
                assertTrue(TestPlanes.bitEqual(fromHeap, fromDirect), "decoded from a direct buffer differs from the heap buffer's decode");
            }
        }
    }

    @Test
    void decodersOnSeveralThreadsAgree() throws Exception {
        PlaneSpec spec = firstSpec(48, 48);
        byte[] bytes = encode(spec, 3);
        PlaneBuffer reference = PlaneBuffer.allocate(spec);
        try (SliceDecoder d = codec().newDecoder(params(), spec)) {
            d.decode(ByteBuffer.wrap(bytes), reference);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    try (SliceDecoder d = codec().newDecoder(params(), spec)) {
                        for (int i = 0; i < 25; i++) {
                            PlaneBuffer out = PlaneBuffer.allocate(spec);
                            d.decode(ByteBuffer.wrap(bytes), out);
                            if (!TestPlanes.bitEqual(reference, out)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                if (!f.get()) {
                    fail("a decoder on another thread gave a different result");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void encoderRefusesAPlaneOfAnotherSpec() throws Exception {
        PlaneSpec spec = firstSpec(8, 8);
        try (SliceEncoder enc = codec().newEncoder(params(), spec)) {
            assertThrows(IllegalArgumentException.class, () -> enc.encode(PlaneBuffer.allocate(firstSpec(8, 9))));
        }
    }
}
