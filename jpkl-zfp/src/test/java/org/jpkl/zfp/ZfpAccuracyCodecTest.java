package org.jpkl.zfp;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/** The codec contract for {@code zfp} in mode accuracy: every sample within the tolerance. */
class ZfpAccuracyCodecTest extends AbstractSliceCodecTest {
    @BeforeEach
    void needsZfp() {
        ZfpTests.assumeZfp();
    }

    @Override
    protected SliceCodec codec() {
        return new ZfpCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("mode", "accuracy", "tolerance", "0.25");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0.25;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("mode", "accuracy", "tolerance", "0");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'zfp': tolerance (0) must be a number in [1.0E-300, 1.0E300]";
    }
}
