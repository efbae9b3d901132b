package org.jpkl.jpegls;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/** The codec contract for {@code jpegls} with its default near 0: bit-exact. */
class JpegLsLosslessCodecTest extends AbstractSliceCodecTest {
    @BeforeEach
    void needsCharLs() {
        JpegLsTests.assumeJpegLs();
    }

    @Override
    protected SliceCodec codec() {
        return new JpegLsCodec();
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("near", "256");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'jpegls': near (256) must be an integer in [0, 255]";
    }
}
