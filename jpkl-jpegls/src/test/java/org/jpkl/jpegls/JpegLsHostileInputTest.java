package org.jpkl.jpegls;

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

/** Truncated, mutated and framed-garbage JPEG-LS slices, 8/16-bit, grey and RGB, lossless and near-lossless. */
class JpegLsHostileInputTest {
    private static final JpegLsCodec CODEC = new JpegLsCodec();

    @BeforeEach
    void needsCharLs() {
        JpegLsTests.assumeJpegLs();
    }

    @Test
    void damagedSlicesAreRefusedAndGarbageStreamsNeverCrash() throws IOException {
        long seed = 1;
        for (String near : new String[] {"0", "2"}) {
            CodecParams p = CODEC.params(Map.of("near", near));
            for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
                for (ChannelLayout channels : ChannelLayout.values()) {
                    PlaneSpec spec = new PlaneSpec(dtype, 7, 11, channels);
                    byte[] good = NativeStreamFuzz.encode(CODEC, p, TestPlanes.smooth(spec, seed, true, false));
                    NativeStreamFuzz.check(CODEC, p, spec, good, seed++);
                    NativeStreamFuzz.assertFreshEncodersAgree(CODEC, p, TestPlanes.smooth(spec, seed, true, false));
                }
            }
        }
    }

    /**
     * A stream cut short but framed with a correct CRC (a crafted file) is refused before CharLS runs:
     * CharLS 2.4.1 loops forever on a scan that reaches the end of its buffer without EOI.
     */
    @Test
    void aStreamWithoutEoiIsRefusedBeforeCharLsRuns() throws IOException {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 7, 11, ChannelLayout.GREY);
        CodecParams p = CODEC.params(Map.of());
        byte[] good = NativeStreamFuzz.encode(CODEC, p, TestPlanes.smooth(spec, 1, true, false));
        byte[] cut = new byte[good.length - 20];
        System.arraycopy(good, NativeSliceFrame.SIZE, cut, NativeSliceFrame.SIZE, cut.length - NativeSliceFrame.SIZE);
        NativeSliceFrame.write(cut, JpegLsCodec.MAGIC, spec, 0, 0);
        try (SliceDecoder d = CODEC.newDecoder(p, spec)) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(cut), PlaneBuffer.allocate(spec)));
            assertEquals("jpegls: slice data: the " + (cut.length - NativeSliceFrame.SIZE) + "-byte JPEG-LS stream does not start with SOI"
                    + " (FF D8) and end with EOI (FF D9): it is incomplete", e.getMessage());
        }
    }
}
