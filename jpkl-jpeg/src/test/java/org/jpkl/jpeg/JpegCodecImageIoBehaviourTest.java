package org.jpkl.jpeg;

/** {@link JpegCodecBehaviourTest}'s checks on the ImageIO backend. */
class JpegCodecImageIoBehaviourTest extends JpegCodecBehaviourTest {
    @Override
    protected JpegCodec newCodec() {
        return new JpegCodec(JpegBackend.IMAGEIO);
    }
}
