package org.jpkl.lerc;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/** The codec contract for {@code lerc} with its default maxZError 0: bit-exact for every dtype (NaN and infinities: LercBoundTest). */
class LercLosslessCodecTest extends AbstractSliceCodecTest {
    @BeforeEach
    void needsLerc() {
        LercTests.assumeLerc();
    }

    @Override
    protected SliceCodec codec() {
        return new LercCodec();
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("maxZError", "-1");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'lerc': maxZError (-1) must be a number in [0, 1.0E300]";
    }
}
