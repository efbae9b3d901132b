package org.jpkl.zfp;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/** The codec contract for {@code zfp} in mode rate (16 bits per value): a fixed size, no error bound; measured loosely here. */
class ZfpRateCodecTest extends AbstractSliceCodecTest {
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
        return Map.of("mode", "rate", "rate", "16");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 5;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("rate", "0.5");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'zfp': rate (0.5) must be a number in [1, 64]";
    }
}
