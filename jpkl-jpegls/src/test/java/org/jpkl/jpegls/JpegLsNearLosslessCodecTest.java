package org.jpkl.jpegls;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/** The codec contract for {@code jpegls} near-lossless, near 3: every sample within 3. */
class JpegLsNearLosslessCodecTest extends AbstractSliceCodecTest {
    @BeforeEach
    void needsCharLs() {
        JpegLsTests.assumeJpegLs();
    }

    @Override
    protected SliceCodec codec() {
        return new JpegLsCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("near", "3");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 3;
    }
}
