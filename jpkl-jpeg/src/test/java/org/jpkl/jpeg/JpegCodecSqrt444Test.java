package org.jpkl.jpeg;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;

/**
 * The SliceCodec contract for the {@code jpeg} codec with non-default parameters: quality 95, 4:4:4,
 * per-slice sqrt transfer (uint8 ignores the transfer and stays plain JPEG).
 *
 * <p>Bounds in 8-bit levels of the content's span ({@link JpegCodecTest#span}), measured as for
 * {@link JpegCodecTest} (11 shapes x 40 seeds): grey at most 12.6 levels, RGB at most 47.6 (int32 with
 * its extremes; 25 for uint8); about 1.5x headroom.
 */
class JpegCodecSqrt444Test extends AbstractSliceCodecTest {
    @Override
    protected SliceCodec codec() {
        return new JpegCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("quality", "95", "subsampling", "444", "transfer", "sqrt");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return (channels == ChannelLayout.RGB ? 72 : 20) * JpegCodecTest.span(dtype) / 255;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("window", "5:1");
    }

    @Override
    protected String invalidParamsMessage() {
        return "LO <= HI";
    }
}
