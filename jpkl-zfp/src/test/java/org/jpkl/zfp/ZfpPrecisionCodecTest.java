package org.jpkl.zfp;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/**
 * The codec contract for {@code zfp} in mode precision (20 bit planes): a relative error; on the
 * contract's planes (values within +-1000, so block exponents up to 2^10) the error stays near
 * 2^(10-20+3) for grey (2-D) planes and under twice that for RGB (3-D blocks), measured 0.055.
 */
class ZfpPrecisionCodecTest extends AbstractSliceCodecTest {
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
        return Map.of("mode", "precision", "precision", "20");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0.1;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("mode", "fast");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'zfp': mode (fast) must be one of [reversible, accuracy, precision, rate]";
    }
}
