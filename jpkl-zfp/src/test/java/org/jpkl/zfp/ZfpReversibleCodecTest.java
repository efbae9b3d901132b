package org.jpkl.zfp;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/** The codec contract for {@code zfp} in its default mode, reversible: bit-exact, NaN, infinities, -0.0 and subnormals included. */
class ZfpReversibleCodecTest extends AbstractSliceCodecTest {
    @BeforeEach
    void needsZfp() {
        ZfpTests.assumeZfp();
    }

    @Override
    protected SliceCodec codec() {
        return new ZfpCodec();
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }

    @Override
    protected boolean testsSpecialFloats() {
        return true;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("precision", "65");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'zfp': precision (65) must be an integer in [1, 64]";
    }
}
