package org.jpkl.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneSpec;

/**
 * The javax.imageio JPEG engine: one ImageIO reader reading the encoded bytes in place
 * ({@link ByteBufferImageInputStream}, no copy) into one reused destination image, whose samples are
 * then copied into the caller's array. Every reader warning (e.g. libjpeg's "Premature end of JPEG
 * file" or "Corrupt JPEG data") is treated as an error.
 *
 * <p>Thread safety: not thread-safe; one per decoder.
 */
final class ImageIoDecompressor implements LevelDecompressor {
    private final PlaneSpec spec;
    private final ImageReader reader;
    private final ImageReadParam readParam;
    private final ByteBufferImageInputStream input = new ByteBufferImageInputStream();
    private BufferedImage destinationImage;
    private String firstWarning;
    private boolean closed;

    ImageIoDecompressor(ImageReader reader, PlaneSpec spec) {
        this.reader = reader;
        this.spec = spec;
        this.readParam = reader.getDefaultReadParam();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (firstWarning == null) {
                firstWarning = warning;
            }
        });
    }

    @Override
    public void decompress(ByteBuffer data, byte[] out, int offset) throws JpklFormatException {
        BufferedImage decoded = read(data);
        Raster raster = decoded.getRaster();
        int bands = spec.channels().samplesPerPixel();
        if (decoded.getWidth() != spec.width() || decoded.getHeight() != spec.height() || raster.getNumBands() != bands
                || raster.getTransferType() != DataBuffer.TYPE_BYTE) {
            throw JpegDecoder.badData("JPEG reader " + reader.getClass().getName() + " returned a " + decoded.getWidth() + "x"
                    + decoded.getHeight() + " image with " + raster.getNumBands() + " bands; expected " + spec);
        }
        copyInterleaved(raster, bands, out, offset);
    }

    private BufferedImage read(ByteBuffer data) throws JpklFormatException {
        if (destinationImage == null) {
            destinationImage = ImageIoCompressor.newImage(spec, new byte[spec.sampleCount()]);
            readParam.setDestination(destinationImage);
        }
        firstWarning = null;
        input.reset(data);
        try {
            reader.setInput(input, true, true);
            BufferedImage image = reader.read(0, readParam);
            if (firstWarning != null) {
                throw JpegDecoder.badData("JPEG reader " + reader.getClass().getName() + " warned: " + firstWarning
                        + "; the slice is damaged or truncated");
            }
            return image;
        } catch (JpklFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw JpegDecoder.badData("JPEG reader " + reader.getClass().getName() + " failed: " + e.getMessage()
                    + (firstWarning == null ? "" : " (after warning: " + firstWarning + ")"), e);
        } finally {
            reader.setInput(null);
            input.release();
        }
    }

    /** Whether the raster's samples are one byte array, row-major, interleaved in band order, without gaps. */
    private static boolean isPacked(Raster raster, int bands) {
        if (!(raster.getDataBuffer() instanceof DataBufferByte) || !(raster.getSampleModel() instanceof ComponentSampleModel)
                || raster.getDataBuffer().getNumBanks() != 1) {
            return false;
        }
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        int[] bandOffsets = sm.getBandOffsets();
        for (int b = 0; b < bands; b++) {
            if (bandOffsets[b] != b) {
                return false;
            }
        }
        return sm.getPixelStride() == bands && sm.getScanlineStride() == bands * raster.getWidth()
                && raster.getMinX() == raster.getSampleModelTranslateX() && raster.getMinY() == raster.getSampleModelTranslateY();
    }

    /**
     * Copies the raster's samples into {@code out} from {@code at}, row-major with bands interleaved in
     * band order (R, G, B for RGB), honouring the raster's scanline stride, pixel stride, band offsets
     * and data offsets.
     */
    private static void copyInterleaved(Raster raster, int bands, byte[] out, int at) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        if (raster.getDataBuffer() instanceof DataBufferByte && raster.getSampleModel() instanceof ComponentSampleModel) {
            DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
            ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
            if (isPacked(raster, bands)) {
                System.arraycopy(buffer.getData(), buffer.getOffset(), out, at, w * h * bands);
                return;
            }
            int[] banks = sm.getBankIndices();
            int[] bandOffsets = sm.getBandOffsets();
            int pixelStride = sm.getPixelStride();
            int scanlineStride = sm.getScanlineStride();
            // Element index of the raster's (minX, minY) relative to each band's offset.
            int origin = (raster.getMinY() - raster.getSampleModelTranslateY()) * scanlineStride
                    + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
            for (int b = 0; b < bands; b++) {
                byte[] data = buffer.getData(banks[b]);
                int start = buffer.getOffsets()[banks[b]] + origin + bandOffsets[b];
                for (int y = 0; y < h; y++) {
                    int src = start + y * scanlineStride;
                    int dst = at + y * w * bands + b;
                    for (int x = 0; x < w; x++) {
                        out[dst] = data[src];
                        src += pixelStride;
                        dst += bands;
                    }
                }
            }
            return;
        }
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int i = 0; i < row.length; i++) {
                out[at + y * w * bands + i] = (byte) row[i];
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            reader.dispose();
        }
    }
}
