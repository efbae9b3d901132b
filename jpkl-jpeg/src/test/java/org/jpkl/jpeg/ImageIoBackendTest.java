package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;

/** The ImageIO backend: which providers it picks, and that the JDK's reader and writer alone work too. */
class ImageIoBackendTest {
    private static final int H = JpegCodecBehaviourTest.H;
    private static final int W = JpegCodecBehaviourTest.W;

    private final JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);

    @Test
    void reportsTheImageIoImplementationAndPrefersTwelveMonkeys() {
        String implementation = codec.implementation();
        System.out.println("jpeg codec, backend imageio, uses " + implementation);
        assertEquals(JpegBackend.IMAGEIO, codec.backend());
        assertTrue(implementation.startsWith("javax.imageio reader com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader"),
                implementation);
        assertTrue(implementation.contains("writer com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageWriter"), implementation);
        assertTrue(!implementation.contains("TurboJPEG"), "a requested ImageIO backend is no fallback: " + implementation);
        assertTrue(codec.availability().isAvailable());
    }

    private byte[] encode(PlaneBuffer plane) throws IOException {
        try (SliceEncoder e = codec.newEncoder(codec.params(Map.of()), plane.spec())) {
            return e.encode(plane);
        }
    }

    private PlaneBuffer decode(PlaneBuffer like, byte[] bytes) throws IOException {
        PlaneBuffer out = PlaneBuffer.allocate(like.spec());
        try (SliceDecoder d = codec.newDecoder(codec.params(Map.of()), like.spec())) {
            d.decode(ByteBuffer.wrap(bytes), out);
        }
        return out;
    }

    /**
     * Without the TwelveMonkeys plugin the backend falls back to the JDK's reader and writer: the same
     * encoder and decoder work with them, give the same bytes, and still refuse damaged data.
     */
    @Test
    void worksWithTheJdkReaderAndWriterAlone() throws IOException {
        for (PlaneBuffer plane : List.of(CameraPlanes.uint8(CameraPlanes.rgbCounts(H, W, 12345), H, W, ChannelLayout.RGB),
                CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(H, W, 12345), H, W, ChannelLayout.GREY))) {
            JpegParams params = JpegParams.defaults();
            byte[] bytes;
            try (JpegEncoder encoder = new JpegEncoder(new ImageIoCompressor(jdk(ImageIO.getImageWritersByFormatName("jpeg")),
                    params, plane.spec()), params, plane.spec())) {
                bytes = encoder.encode(plane);
            }
            assertArrayEquals(encode(plane), bytes, "TwelveMonkeys' writer delegates to the JDK's");
            try (JpegDecoder decoder = new JpegDecoder(new ImageIoDecompressor(jdk(ImageIO.getImageReadersByFormatName("jpeg")),
                    plane.spec()), plane.spec(), null, null)) {
                PlaneBuffer out = PlaneBuffer.allocate(plane.spec());
                decoder.decode(ByteBuffer.wrap(bytes), out);
                assertTrue(TestPlanes.bitEqual(decode(plane, bytes), out), "same samples as TwelveMonkeys' reader");
                byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
                assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(truncated), out));
                JpegSegments.Segment sos = JpegSegments.first(bytes, 0xDA);
                byte[] cut = Arrays.copyOf(bytes, sos.payload() + sos.length() + 300);
                cut[cut.length - 2] = (byte) 0xFF;
                cut[cut.length - 1] = (byte) 0xD9;
                JpklFormatException e = assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(cut), out));
                assertTrue(e.getMessage().contains("com.sun.imageio") && e.getMessage().contains("warned"), e.getMessage());
            }
        }
    }

    private static <T> T jdk(Iterator<T> providers) {
        while (providers.hasNext()) {
            T p = providers.next();
            if (p.getClass().getName().startsWith("com.sun.imageio.")) {
                return p;
            }
        }
        throw new AssertionError("no JDK JPEG reader/writer");
    }
}
