package org.jpkl.jpeg;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;

/**
 * The SliceCodec contract for the {@code jpeg} codec with its default parameters (quality 90, 4:2:0,
 * per-slice linear window), for every dtype, grey and RGB.
 *
 * <p>Bounds are in 8-bit levels of the test content's span ({@link #span}), measured on
 * {@code TestPlanes.smooth} over 11 shapes (1x1 to 64x64) and 40 seeds each, then given about 1.5x
 * headroom. Worst measured: grey 16.4 levels (int32, whose plane holds the dtype's extremes); RGB 102
 * levels (int32), 92 (uint8). RGB is far worse because the test planes carry independent noise (2% of
 * the range) in each channel and an isolated extreme sample in one channel, which is all chroma, and
 * 4:2:0 keeps chroma at a quarter of the resolution; without the extreme samples RGB measured 36
 * levels. {@link JpegCodecBehaviourTest} checks realistic content (PSNR, 16-bit camera data).
 */
class JpegCodecTest extends AbstractSliceCodecTest {
    /** Grey: measured at most 16.4 levels. */
    static final double GREY_LEVELS = 24;
    /** RGB at 4:2:0: measured at most 102 levels (isolated single-channel extremes). */
    static final double RGB_LEVELS = 128;

    @Override
    protected SliceCodec codec() {
        return new JpegCodec();
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return (channels == ChannelLayout.RGB ? RGB_LEVELS : GREY_LEVELS) * span(dtype) / 255;
    }

    /**
     * The span of {@code TestPlanes.smooth} content: the dtype's range for integers (its planes hold the
     * dtype's min and max), -1000..1000 for floats.
     */
    static double span(DType dtype) {
        switch (dtype) {
            case UINT8:
                return 255;
            case UINT16:
            case INT16:
                return 65535;
            case INT32:
                return 4294967295.0;
            default:
                return 2000;
        }
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("quality", "101");
    }

    @Override
    protected String invalidParamsMessage() {
        return "[0, 100]";
    }
}
