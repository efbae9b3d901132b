package org.jpkl.lerc;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/** The codec contract for {@code lerc} with maxZError 3: every sample within 3 of the original. */
class LercBoundedCodecTest extends AbstractSliceCodecTest {
    @BeforeEach
    void needsLerc() {
        LercTests.assumeLerc();
    }

    @Override
    protected SliceCodec codec() {
        return new LercCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("maxZError", "3");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 3;
    }
}
