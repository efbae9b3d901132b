package org.jpkl.jpegxl;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/**
 * The codec contract for {@code jpegxl} with its default distance 0: bit-exact for uint8 and uint16;
 * float32 planes refused.
 */
class JpegXlLosslessCodecTest extends AbstractSliceCodecTest {
    @BeforeEach
    void needsLibjxl() {
        JpegXlTests.assumeJpegXl();
    }

    @Override
    protected SliceCodec codec() {
        return new JpegXlCodec();
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("distance", "26");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'jpegxl': distance (26) must be a number in [0, 25]";
    }
}
