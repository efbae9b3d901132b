package org.jpkl.lerc;

import java.io.IOException;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.testing.BoundedErrorChecks;
import org.jpkl.api.testing.NativeStreamFuzz;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Truncated, mutated and framed-garbage LERC slices, for every dtype and layout, lossless and bounded, with and without a mask. */
class LercHostileInputTest {
    private static final LercCodec CODEC = new LercCodec();

    @BeforeEach
    void needsLerc() {
        LercTests.assumeLerc();
    }

    @Test
    void damagedSlicesAreRefusedAndGarbageStreamsNeverCrash() throws IOException {
        long seed = 1;
        for (String maxZError : new String[] {"0", "2"}) {
            CodecParams p = CODEC.params(Map.of("maxZError", maxZError));
            for (DType dtype : DType.values()) {
                for (ChannelLayout channels : ChannelLayout.values()) {
                    PlaneSpec spec = new PlaneSpec(dtype, 7, 11, channels);
                    byte[] good = NativeStreamFuzz.encode(CODEC, p, TestPlanes.smooth(spec, seed, true, false));
                    NativeStreamFuzz.check(CODEC, p, spec, good, seed++);
                    NativeStreamFuzz.assertFreshEncodersAgree(CODEC, p, TestPlanes.smooth(spec, seed, true, false));
                }
            }
            PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 7, 11, ChannelLayout.GREY);
            byte[] masked = NativeStreamFuzz.encode(CODEC, p, BoundedErrorChecks.fill(spec, i -> i % 5 == 0 ? Double.NaN : i));
            NativeStreamFuzz.check(CODEC, p, spec, masked, seed++);
        }
    }
}
