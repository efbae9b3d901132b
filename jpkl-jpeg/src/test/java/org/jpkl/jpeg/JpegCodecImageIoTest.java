package org.jpkl.jpeg;

import org.jpkl.api.spi.SliceCodec;

/**
 * The SliceCodec contract ({@link JpegCodecTest}'s parameters and bounds) on the ImageIO backend,
 * whatever the default backend is here.
 */
class JpegCodecImageIoTest extends JpegCodecTest {
    @Override
    protected SliceCodec codec() {
        return new JpegCodec(JpegBackend.IMAGEIO);
    }
}
