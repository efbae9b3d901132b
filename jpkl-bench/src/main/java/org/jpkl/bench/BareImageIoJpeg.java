package org.jpkl.bench;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The bare ImageIO JPEG reader, used as a baseline below the codec: decodes a grey JPEG straight
 * into a caller's {@code byte[]} by reading into a {@link BufferedImage} whose raster wraps that
 * array (no copy afterwards), from an in-memory stream over the bytes (no cache copy). The reader is
 * chosen as codec {@code jpeg} chooses it: TwelveMonkeys' when registered, else the first one
 * ImageIO lists for "jpeg".
 *
 * <p>Thread safety: not thread-safe (one reader); use one instance per thread.
 */
final class BareImageIoJpeg implements AutoCloseable {
    private static final ComponentColorModel GREY = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
            new int[] {8}, false, true, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

    private final ImageReader reader;

    BareImageIoJpeg() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (chosen == null || r.getClass().getName().startsWith("com.twelvemonkeys.")
                    && !chosen.getClass().getName().startsWith("com.twelvemonkeys.")) {
                chosen = r;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("ImageIO has no JPEG reader");
        }
        this.reader = chosen;
    }

    /** The reader's class, e.g. {@code com.sun.imageio.plugins.jpeg.JPEGImageReader}. */
    String readerName() {
        return reader.getClass().getName();
    }

    /** Decodes a {@code width x height} grey JPEG into {@code destination[0 .. width * height)}. */
    void decodeGrey(byte[] jpeg, byte[] destination, int width, int height) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(destination, width * height), width, height,
                width, 1, new int[] {0}, null);
        BufferedImage target = new BufferedImage(GREY, raster, false, null);
        try (ImageInputStream in = new BytesInput(jpeg)) {
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setDestination(target);
            reader.read(0, param);
        } finally {
            reader.setInput(null);
        }
    }

    @Override
    public void close() {
        reader.dispose();
    }

    /** An image input stream over a byte array: reads copy straight from it. */
    private static final class BytesInput extends ImageInputStreamImpl {
        private final byte[] data;

        BytesInput(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            bitOffset = 0;
            return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            bitOffset = 0;
            if (streamPos >= data.length) {
                return -1;
            }
            int n = (int) Math.min(len, data.length - streamPos);
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return data.length;
        }
    }
}
