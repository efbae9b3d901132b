package org.jpkl.jpegxl;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;

/**
 * The codec contract for {@code jpegxl} lossy, distance 1 (visually lossless): uint8, uint16 and
 * float32, grey and RGB.
 *
 * <p>JPEG XL lossy has no bound per sample; these are the worst errors measured on
 * {@code TestPlanes.smooth} (the contract's planes: a gradient with 2 % noise and isolated samples at
 * the dtype's extremes), in 8-bit levels of the content's span ({@link #span}), with about 1.5x
 * headroom: grey at most 12.3 levels (float32 64x64; uint8 11, uint16 11.7), RGB at most 74.8 levels
 * (uint16 64x64; uint8 59, float32 20). {@link JpegXlLossyTest} checks realistic content (PSNR).
 */
class JpegXlLossyCodecTest extends AbstractSliceCodecTest {
    /** Grey: measured at most 12.3 levels. */
    static final double GREY_LEVELS = 19;
    /** RGB: measured at most 74.8 levels (isolated single-channel extremes, which are all chroma). */
    static final double RGB_LEVELS = 112;

    @BeforeEach
    void needsLibjxl() {
        JpegXlTests.assumeJpegXl();
    }

    @Override
    protected SliceCodec codec() {
        return new JpegXlCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("distance", "1");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return (channels == ChannelLayout.RGB ? RGB_LEVELS : GREY_LEVELS) * span(dtype) / 255;
    }

    /** The span of {@code TestPlanes.smooth} content: the dtype's range for integers, -1000..1000 for float32. */
    static double span(DType dtype) {
        return dtype.isIntegral() ? dtype.maxValue() - dtype.minValue() : 2000;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("effort", "10");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'jpegxl': effort (10) must be an integer in [1, 9]";
    }
}
