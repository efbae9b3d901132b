package org.jpkl.zfp;

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

/** Truncated, mutated and framed-garbage zfp slices, in every mode and both dtypes and layouts. */
class ZfpHostileInputTest {
    private static final ZfpCodec CODEC = new ZfpCodec();

    @BeforeEach
    void needsZfp() {
        ZfpTests.assumeZfp();
    }

    @Test
    void damagedSlicesAreRefusedAndGarbageStreamsNeverCrash() throws IOException {
        long seed = 1;
        for (Map<String, String> params : java.util.List.<Map<String, String>>of(Map.of(), Map.of("mode", "accuracy", "tolerance", "0.01"),
                Map.of("mode", "precision", "precision", "12"), Map.of("mode", "rate", "rate", "6"))) {
            for (DType dtype : java.util.List.of(DType.FLOAT32, DType.FLOAT64)) {
                for (ChannelLayout channels : ChannelLayout.values()) {
                    PlaneSpec spec = new PlaneSpec(dtype, 9, 13, channels);
                    CodecParams p = CODEC.params(params);
                    byte[] good = NativeStreamFuzz.encode(CODEC, p, TestPlanes.smooth(spec, seed, false, false));
                    NativeStreamFuzz.check(CODEC, p, spec, good, seed++);
                    NativeStreamFuzz.assertFreshEncodersAgree(CODEC, p, TestPlanes.smooth(spec, seed, true, false));
                }
            }
        }
    }

    /** A frame (correct CRC) announcing a mode this codec never writes, or a parameter out of range, is refused before zfp runs. */
    @Test
    void framesWithAnUnknownModeOrParameterAreRefused() {
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 4, 4, ChannelLayout.GREY);
        assertRefused(spec, 4, 0, "mode code 4 with parameter 0.0 is not a zfp mode this codec writes");
        assertRefused(spec, 2, 65, "mode code 2 with parameter 65.0 is not a zfp mode this codec writes");
        assertRefused(spec, 1, 0, "mode code 1 with parameter 0.0 is not a zfp mode this codec writes");
    }

    /** A stream longer than zfp's maximum for the plane and mode is refused before zfp runs. */
    @Test
    void aStreamLongerThanZfpsMaximumIsRefused() {
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 4, 4, ChannelLayout.GREY);
        byte[] framed = new byte[NativeSliceFrame.SIZE + 4096];
        NativeSliceFrame.write(framed, ZfpCodec.MAGIC, spec, 3, 8);
        try (SliceDecoder d = CODEC.newDecoder(CODEC.params(Map.of()), spec)) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(framed), PlaneBuffer.allocate(spec)));
            assertEquals("zfp: slice data: a 4096-byte stream is longer than zfp's 35-byte maximum for a float32 4x4 grey plane in mode rate 8.0",
                    e.getMessage());
        }
    }

    private static void assertRefused(PlaneSpec spec, int mode, double parameter, String message) {
        byte[] framed = new byte[NativeSliceFrame.SIZE + 8];
        NativeSliceFrame.write(framed, ZfpCodec.MAGIC, spec, mode, parameter);
        try (SliceDecoder d = CODEC.newDecoder(CODEC.params(Map.of()), spec)) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(framed), PlaneBuffer.allocate(spec)));
            assertEquals("zfp: slice data: " + message, e.getMessage());
        }
    }
}
