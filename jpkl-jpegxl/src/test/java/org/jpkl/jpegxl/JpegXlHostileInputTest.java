package org.jpkl.jpegxl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.support.NativeSliceFrame;
import org.jpkl.api.testing.NativeStreamFuzz;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Truncated, mutated and framed-garbage JPEG XL slices (8/16-bit grey and RGB, lossless and lossy;
 * float32 lossy), and real JPEG XL streams of another plane framed with a correct CRC (a crafted file),
 * which libjxl's basic info gives away before libjxl is handed an output buffer.
 */
class JpegXlHostileInputTest {
    private static final JpegXlCodec CODEC = new JpegXlCodec();

    @BeforeEach
    void needsLibjxl() {
        JpegXlTests.assumeJpegXl();
    }

    @Test
    void damagedSlicesAreRefusedAndGarbageStreamsNeverCrash() throws IOException {
        long seed = 1;
        for (String distance : new String[] {"0", "2"}) {
            CodecParams p = CODEC.params(Map.of("distance", distance));
            for (DType dtype : new DType[] {DType.UINT8, DType.UINT16, DType.FLOAT32}) {
                if (dtype == DType.FLOAT32 && distance.equals("0")) {
                    continue;
                }
                for (ChannelLayout channels : ChannelLayout.values()) {
                    PlaneSpec spec = new PlaneSpec(dtype, 7, 11, channels);
                    byte[] good = NativeStreamFuzz.encode(CODEC, p, TestPlanes.smooth(spec, seed, true, false));
                    NativeStreamFuzz.check(CODEC, p, spec, good, seed++);
                    NativeStreamFuzz.assertFreshEncodersAgree(CODEC, p, TestPlanes.smooth(spec, seed, true, false));
                }
            }
        }
    }

    /** The stream of {@code from}, framed (correct CRC) as a slice of {@code as}. */
    private static byte[] reframed(PlaneSpec from, PlaneSpec as, String distance) throws IOException {
        byte[] good = NativeStreamFuzz.encode(CODEC, CODEC.params(Map.of("distance", distance)), TestPlanes.smooth(from, 3, true, false));
        NativeSliceFrame frame = NativeSliceFrame.read(ByteBuffer.wrap(good), JpegXlCodec.MAGIC, JpegXlCodec.ID, from);
        NativeSliceFrame.write(good, JpegXlCodec.MAGIC, as, frame.mode(), frame.parameter());
        return good;
    }

    private static String refusal(PlaneSpec spec, byte[] slice) {
        try (SliceDecoder d = CODEC.newDecoder(CODEC.params(Map.of()), spec)) {
            return assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(slice), PlaneBuffer.allocate(spec))).getMessage();
        }
    }

    @Test
    void aRealStreamOfAnotherPlaneIsRefusedByItsBasicInfo() throws IOException {
        PlaneSpec plane = new PlaneSpec(DType.UINT16, 7, 11, ChannelLayout.GREY);
        PlaneSpec transposed = new PlaneSpec(DType.UINT16, 11, 7, ChannelLayout.GREY);
        assertEquals("jpegxl: slice data: the JPEG XL stream describes 7x11, 1 colour and 0 extra channel(s) of 16 bits (0 exponent bits),"
                + " original profile 1, orientation 1, animation 0, preview 0; expected 11x7, 1 and 0 of 16 bits (0 exponent bits), original"
                + " profile 1, orientation 1, animation 0, preview 0", refusal(transposed, reframed(plane, transposed, "0")));
        PlaneSpec eightBit = new PlaneSpec(DType.UINT8, 7, 11, ChannelLayout.GREY);
        assertEquals("jpegxl: slice data: the JPEG XL stream describes 7x11, 1 colour and 0 extra channel(s) of 16 bits (0 exponent bits),"
                + " original profile 1, orientation 1, animation 0, preview 0; expected 7x11, 1 and 0 of 8 bits (0 exponent bits), original"
                + " profile 1, orientation 1, animation 0, preview 0", refusal(eightBit, reframed(plane, eightBit, "0")));
        PlaneSpec rgb = new PlaneSpec(DType.UINT16, 7, 11, ChannelLayout.RGB);
        assertEquals("jpegxl: slice data: the JPEG XL stream describes 7x11, 1 colour and 0 extra channel(s) of 16 bits (0 exponent bits),"
                + " original profile 1, orientation 1, animation 0, preview 0; expected 7x11, 3 and 0 of 16 bits (0 exponent bits), original"
                + " profile 1, orientation 1, animation 0, preview 0", refusal(rgb, reframed(plane, rgb, "0")));
    }

    @Test
    void aModeThatDoesNotMatchTheDistanceOrTheDtypeIsRefused() throws IOException {
        PlaneSpec plane = new PlaneSpec(DType.UINT8, 7, 11, ChannelLayout.GREY);
        byte[] lossy = reframed(plane, plane, "2");
        NativeSliceFrame.write(lossy, JpegXlCodec.MAGIC, plane, JpegXlCodec.MODE_LOSSLESS, 2);
        assertEquals("jpegxl: slice data: mode 0 with distance 2.0 is not what this codec writes for a uint8 7x11 grey plane",
                refusal(plane, lossy));
        PlaneSpec floats = new PlaneSpec(DType.FLOAT32, 7, 11, ChannelLayout.GREY);
        byte[] lossless = new byte[NativeSliceFrame.SIZE + 40];
        NativeSliceFrame.write(lossless, JpegXlCodec.MAGIC, floats, JpegXlCodec.MODE_LOSSLESS, 0);
        assertEquals("jpegxl: slice data: mode 0 with distance 0.0 is not what this codec writes for a float32 7x11 grey plane",
                refusal(floats, lossless));
    }

    @Test
    void aFloatWindowThatIsNotTwoOrderedFloatsIsRefused() throws IOException {
        PlaneSpec floats = new PlaneSpec(DType.FLOAT32, 7, 11, ChannelLayout.GREY);
        byte[] good = reframed(floats, floats, "2");
        ByteBuffer.wrap(good).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(NativeSliceFrame.SIZE, 5.0).putDouble(NativeSliceFrame.SIZE + 8,
                1.0);
        NativeSliceFrame.write(good, JpegXlCodec.MAGIC, floats, JpegXlCodec.MODE_LOSSY_FLOAT, 2);
        assertEquals("jpegxl: slice data: the window [5.0, 1.0] is not two float32 values with low <= high", refusal(floats, good));
    }
}
