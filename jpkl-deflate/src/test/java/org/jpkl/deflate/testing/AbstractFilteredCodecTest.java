package org.jpkl.deflate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
import org.jpkl.deflate.PlaneFilter;
import org.jpkl.deflate.pipeline.PlaneHeader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The codec contract plus what this module's filtered codecs promise: every filter is exact for
 * every dtype and layout (float bit patterns included), each filter changes what is compressed in
 * the expected direction, and the decoder refuses damaged, mismatched and oversized streams
 * without allocating what they claim.
 */
public abstract class AbstractFilteredCodecTest extends AbstractSliceCodecTest {
    /** Bytes a decode may allocate on the Java heap for a 16x16 uint8 plane, whatever the stream says. */
    private static final long SMALL_ALLOCATION = 2L << 20;

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }

    /** The codec's parameters with this filter and the default level. */
    protected CodecParams params(PlaneFilter filter) {
        return codec().params(Map.of("filter", filter.id()));
    }

    /** Encodes and decodes one plane, returning the encoded bytes; fails unless the round trip is bit-exact. */
    protected byte[] roundTrip(CodecParams params, PlaneBuffer plane) throws Exception {
        byte[] encoded = encode(params, plane);
        PlaneBuffer decoded = decode(params, plane.spec(), encoded);
        assertTrue(rawBitsEqual(plane, decoded), "round trip of " + plane.spec() + " with " + params.toMap() + " is not bit-exact");
        return encoded;
    }

    protected byte[] encode(CodecParams params, PlaneBuffer plane) throws Exception {
        try (SliceEncoder encoder = codec().newEncoder(params, plane.spec())) {
            return encoder.encode(plane);
        }
    }

    protected PlaneBuffer decode(CodecParams params, PlaneSpec spec, byte[] encoded) throws Exception {
        PlaneBuffer decoded = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = codec().newDecoder(params, spec)) {
            decoder.decode(ByteBuffer.wrap(encoded), decoded);
        }
        return decoded;
    }

    /** Equality of raw sample bits: unlike {@code Arrays.equals(float[])}, NaN payloads count. */
    protected static boolean rawBitsEqual(PlaneBuffer a, PlaneBuffer b) {
        int n = a.spec().sampleCount();
        for (int i = 0; i < n; i++) {
            int x = a.offset() + i;
            int y = b.offset() + i;
            boolean same;
            switch (a.spec().dtype()) {
                case UINT8:
                    same = a.bytes()[x] == b.bytes()[y];
                    break;
                case UINT16:
                case INT16:
                    same = a.shorts()[x] == b.shorts()[y];
                    break;
                case INT32:
                    same = a.ints()[x] == b.ints()[y];
                    break;
                case FLOAT32:
                    same = Float.floatToRawIntBits(a.floats()[x]) == Float.floatToRawIntBits(b.floats()[y]);
                    break;
                default:
                    same = Double.doubleToRawLongBits(a.doubles()[x]) == Double.doubleToRawLongBits(b.doubles()[y]);
                    break;
            }
            if (!same) {
                return false;
            }
        }
        return a.spec().equals(b.spec());
    }

    /** Test content with extremes and, for floats, NaNs with payloads, infinities, -0.0 and subnormals. */
    protected static PlaneBuffer hardPlane(PlaneSpec spec, long seed) {
        PlaneBuffer plane = TestPlanes.smooth(spec, seed, true, true);
        int n = spec.sampleCount();
        if (spec.dtype() == DType.FLOAT32) {
            int[] payloads = {0x7fc00001, 0xffc12345, 0x7f800001, 0xff800000, 0x80000000, 0x00000001};
            for (int i = 0; i < payloads.length && n - 1 - i >= 0; i++) {
                plane.floats()[n - 1 - i] = Float.intBitsToFloat(payloads[i]);
            }
        } else if (spec.dtype() == DType.FLOAT64) {
            long[] payloads = {0x7ff8000000000001L, 0xfff0000000abcdefL, 0x7ff0000000000000L, 0x8000000000000000L, 1L};
            for (int i = 0; i < payloads.length && n - 1 - i >= 0; i++) {
                plane.doubles()[n - 1 - i] = Double.longBitsToDouble(payloads[i]);
            }
        }
        return plane;
    }

    @TestFactory
    List<DynamicTest> everyFilterIsExactForEveryDtypeAndLayout() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PlaneFilter filter : PlaneFilter.values()) {
            for (DType dtype : DType.values()) {
                for (ChannelLayout channels : ChannelLayout.values()) {
                    PlaneSpec spec = new PlaneSpec(dtype, 19, 23, channels);
                    tests.add(DynamicTest.dynamicTest(filter + " " + spec, () -> {
                        PlaneBuffer plane = hardPlane(spec, 99 + spec.hashCode());
                        // Decode into an offset inside a larger buffer too.
                        byte[] encoded = roundTrip(params(filter), plane);
                        PlaneBuffer big = PlaneBuffer.allocate(new PlaneSpec(dtype, 1, spec.sampleCount() + 5, ChannelLayout.GREY));
                        PlaneBuffer inside = PlaneBuffer.wrap(spec, big.array(), 5);
                        try (SliceDecoder decoder = codec().newDecoder(params(filter), spec)) {
                            decoder.decode(ByteBuffer.wrap(encoded).asReadOnlyBuffer(), inside);
                        }
                        assertTrue(rawBitsEqual(plane, inside), "decode at an offset");
                    }));
                }
            }
        }
        return tests;
    }

    @Test
    void directAndReadOnlyInputBuffersDecodeAlike() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.INT16, 30, 40, ChannelLayout.RGB);
        PlaneBuffer plane = hardPlane(spec, 5);
        CodecParams params = params(PlaneFilter.DELTA);
        byte[] encoded = encode(params, plane);
        ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length + 10);
        direct.position(10);
        direct.put(encoded).position(10);
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = codec().newDecoder(params, spec)) {
            decoder.decode(direct, out);
            assertTrue(rawBitsEqual(plane, out), "direct buffer");
            PlaneBuffer again = PlaneBuffer.allocate(spec);
            byte[] padded = new byte[encoded.length + 3];
            System.arraycopy(encoded, 0, padded, 3, encoded.length);
            decoder.decode(ByteBuffer.wrap(padded, 3, encoded.length).slice().asReadOnlyBuffer(), again);
            assertTrue(rawBitsEqual(plane, again), "read-only sliced heap buffer");
        }
    }

    /**
     * Camera-like uint16 counts: a gradient plus Gaussian blobs scaled to 100..4000 counts, plus
     * Poisson noise (normal approximation, sigma = sqrt(mean)), as in the project's baselines.
     * 512x512, so the plane spans several of zstd's 128 KiB blocks: within one block, literal-only
     * coding sees the same byte histogram whatever the byte order, so shuffling pays across blocks.
     */
    protected static PlaneBuffer cameraPlane(int size, long seed) {
        PlaneBuffer plane = PlaneBuffer.allocate(new PlaneSpec(DType.UINT16, size, size, ChannelLayout.GREY));
        java.util.Random random = new java.util.Random(seed);
        double[][] blobs = new double[6][];
        for (int b = 0; b < blobs.length; b++) {
            blobs[b] = new double[] {random.nextDouble() * size, random.nextDouble() * size, 10 + random.nextDouble() * size / 5.0,
                0.2 + 0.8 * random.nextDouble()};
        }
        short[] s = plane.shorts();
        for (int y = 0, i = 0; y < size; y++) {
            for (int x = 0; x < size; x++, i++) {
                double v = 0.3 * x / size + 0.15 * y / size;
                for (double[] g : blobs) {
                    double dx = x - g[0];
                    double dy = y - g[1];
                    v += g[3] * Math.exp(-(dx * dx + dy * dy) / (2 * g[2] * g[2]));
                }
                double mean = 100 + 2000 * v;
                s[i] = (short) Math.max(0, Math.min(65535, Math.round(mean + Math.sqrt(mean) * random.nextGaussian())));
            }
        }
        return plane;
    }

    @Test
    void shuffleDeltaAndBitshuffleCompressCameraLikeSixteenBitDataBetterThanNone() throws Exception {
        PlaneBuffer plane = cameraPlane(512, 11);
        int none = roundTrip(params(PlaneFilter.NONE), plane).length;
        int shuffle = roundTrip(params(PlaneFilter.SHUFFLE), plane).length;
        int delta = roundTrip(params(PlaneFilter.DELTA), plane).length;
        int bitshuffle = roundTrip(params(PlaneFilter.BITSHUFFLE), plane).length;
        System.out.printf("%s on camera-like uint16 512x512: none %d, shuffle %d, delta %d, bitshuffle %d bytes (raw %d)%n",
                codec().id(), none, shuffle, delta, bitshuffle, plane.spec().byteSize());
        assertTrue(shuffle < none * 0.85, "shuffle " + shuffle + " vs none " + none);
        assertTrue(delta < none * 0.85, "delta " + delta + " vs none " + none);
        assertTrue(bitshuffle < none * 0.85, "bitshuffle " + bitshuffle + " vs none " + none);
    }

    /**
     * Whether the compressor has an entropy-coding stage (deflate's and zstd's Huffman), so that
     * grouping bytes pays even where no byte string repeats; LZ4 has none.
     */
    protected boolean entropyCoded() {
        return true;
    }

    @Test
    void shuffleHelpsEvenOnTheContractsNoisierPlanes() throws Exception {
        Assumptions.assumeTrue(entropyCoded(), codec().id() + " has no entropy coder: on noise only repeated strings compress");
        // TestPlanes.smooth: 2% of full scale noise; little compresses, but grouping bytes still does.
        PlaneBuffer plane = TestPlanes.smooth(new PlaneSpec(DType.UINT16, 512, 512, ChannelLayout.GREY), 7, false, false);
        int none = roundTrip(params(PlaneFilter.NONE), plane).length;
        int shuffle = roundTrip(params(PlaneFilter.SHUFFLE), plane).length;
        assertTrue(shuffle < none, "shuffle " + shuffle + " vs none " + none);
    }

    @Test
    void deltaMakesNoiseFreeGradientsNearlyFree() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 128, 128, ChannelLayout.RGB);
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        short[] s = plane.shorts();
        // Per-channel slopes that do not repeat within the dictionary's reach without differencing.
        for (int y = 0, i = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                for (int c = 0; c < 3; c++, i++) {
                    s[i] = (short) (1000 * c + 37 * x + 101 * y + (x * x) / 64);
                }
            }
        }
        int shuffle = roundTrip(params(PlaneFilter.SHUFFLE), plane).length;
        int delta = roundTrip(params(PlaneFilter.DELTA), plane).length;
        assertTrue(delta * 2 < shuffle, "delta " + delta + " vs shuffle " + shuffle);
    }

    @Test
    void floatDeltaIsExactOnTheHardestBitPatterns() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 1, 8, ChannelLayout.GREY);
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        int[] bits = {0x7fc00001, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0xffc12345, 0x3f800000, 0x7f7fffff};
        for (int i = 0; i < bits.length; i++) {
            plane.floats()[i] = Float.intBitsToFloat(bits[i]);
        }
        roundTrip(params(PlaneFilter.DELTA), plane);
        PlaneSpec spec64 = new PlaneSpec(DType.FLOAT64, 2, 3, ChannelLayout.GREY);
        PlaneBuffer plane64 = PlaneBuffer.allocate(spec64);
        long[] bits64 = {0x7ff8000000000001L, 0x8000000000000000L, 0xfff0000000000000L, 1L, 0xfff8dead0000beefL, 0x7fefffffffffffffL};
        for (int i = 0; i < bits64.length; i++) {
            plane64.doubles()[i] = Double.longBitsToDouble(bits64[i]);
        }
        roundTrip(params(PlaneFilter.DELTA), plane64);
    }

    @Test
    void eachFilterCompressesDifferentBytes() throws Exception {
        PlaneBuffer plane = cameraPlane(64, 3);
        byte[] none = encode(params(PlaneFilter.NONE), plane);
        byte[] shuffle = encode(params(PlaneFilter.SHUFFLE), plane);
        byte[] delta = encode(params(PlaneFilter.DELTA), plane);
        byte[] bitshuffle = encode(params(PlaneFilter.BITSHUFFLE), plane);
        assertFalse(Arrays.equals(bitshuffle, none));
        assertFalse(Arrays.equals(bitshuffle, shuffle));
        assertFalse(Arrays.equals(none, shuffle));
        assertFalse(Arrays.equals(shuffle, delta));
        assertFalse(Arrays.equals(none, delta));
    }

    @Test
    void streamOfAnotherFilterIsRefusedNamingIt() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 8, 8, ChannelLayout.GREY);
        byte[] encoded = encode(params(PlaneFilter.SHUFFLE), TestPlanes.smooth(spec, 1, false, false));
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(params(PlaneFilter.DELTA), spec, encoded));
        assertTrue(e.getMessage().contains("filter shuffle"), e.getMessage());
    }

    @Test
    void streamOfAnotherDtypeOrLayoutIsRefused() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.INT16, 8, 8, ChannelLayout.GREY);
        byte[] encoded = encode(params(PlaneFilter.SHUFFLE), TestPlanes.smooth(spec, 1, false, false));
        assertThrows(JpklFormatException.class, () -> decode(params(PlaneFilter.SHUFFLE), new PlaneSpec(DType.UINT16, 8, 8,
                ChannelLayout.GREY), encoded));
        assertThrows(JpklFormatException.class, () -> decode(params(PlaneFilter.SHUFFLE), new PlaneSpec(DType.INT16, 8, 8,
                ChannelLayout.RGB), encoded));
    }

    @Test
    void flippedPayloadByteTrailingDataAndChangedVersionAreRefused() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 32, 32, ChannelLayout.GREY);
        PlaneBuffer plane = TestPlanes.smooth(spec, 3, false, false);
        CodecParams params = params(PlaneFilter.SHUFFLE);
        byte[] encoded = encode(params, plane);
        for (int at : new int[] {PlaneHeader.SIZE + 2, encoded.length / 2, encoded.length - 1}) {
            byte[] bad = encoded.clone();
            bad[at] ^= 0x10;
            assertThrows(JpklFormatException.class, () -> decode(params, spec, bad), "byte " + at + " flipped");
        }
        byte[] trailing = Arrays.copyOf(encoded, encoded.length + 1);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(params, spec, trailing));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        byte[] version = encoded.clone();
        version[4] = 2;
        e = assertThrows(JpklFormatException.class, () -> decode(params, spec, version));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void refusedStreamLeavesTheDestinationUntouched() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.INT32, 24, 24, ChannelLayout.GREY);
        CodecParams params = params(PlaneFilter.DELTA);
        byte[] bad = encode(params, TestPlanes.smooth(spec, 9, false, false));
        bad[bad.length - 1] ^= 0x55; // the stream's checksum: everything inflates, then the check fails
        PlaneBuffer destination = PlaneBuffer.allocate(spec);
        Arrays.fill(destination.ints(), 77);
        try (SliceDecoder decoder = codec().newDecoder(params, spec)) {
            assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(bad), destination));
        }
        assertTrue(Arrays.stream(destination.ints()).allMatch(v -> v == 77), "a refused stream wrote to the destination");
    }

    @Test
    void unknownFilterIsRejectedListingTheFilters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec().params(Map.of("filter", "byteshuffle")));
        assertTrue(e.getMessage().contains("byteshuffle") && e.getMessage().contains("[none, shuffle, delta, bitshuffle]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> codec().params(Map.of("level", "fast")));
        assertTrue(e.getMessage().contains("level (fast)"), e.getMessage());
    }

    /**
     * A stream (after a valid header for a 16x16 uint8 plane) that decompresses to 32 MiB: refused,
     * and the decoder allocates nowhere near that.
     */
    protected abstract byte[] bombPayload(int decompressedBytes) throws Exception;

    @Test
    void decompressionBombIsRefusedWithoutAllocatingIt() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        CodecParams params = params(PlaneFilter.NONE);
        byte[] valid = encode(params, TestPlanes.smooth(spec, 1, false, false));
        byte[] payload = bombPayload(32 << 20);
        byte[] bomb = Arrays.copyOf(valid, PlaneHeader.SIZE + payload.length);
        System.arraycopy(payload, 0, bomb, PlaneHeader.SIZE, payload.length);
        assertRefusedCheaply(params, spec, bomb);
    }

    /** Decoding {@code bomb} fails with a format error and allocates little on the heap. */
    protected void assertRefusedCheaply(CodecParams params, PlaneSpec spec, byte[] bomb) throws Exception {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = codec().newDecoder(params, spec)) {
            ByteBuffer input = ByteBuffer.wrap(bomb);
            long before = HeapUse.threadAllocatedBytes();
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> decoder.decode(input, out));
            long allocated = HeapUse.threadAllocatedBytes() - before;
            System.out.println(codec().id() + " bomb of " + bomb.length + " bytes refused after allocating " + allocated + " bytes: "
                    + e.getMessage());
            assertTrue(allocated < SMALL_ALLOCATION, "decoder allocated " + allocated + " bytes for a 256-byte plane");
        }
    }

    /** The codec under test, with the concrete type's parameters. */
    @Override
    protected abstract SliceCodec codec();
}
