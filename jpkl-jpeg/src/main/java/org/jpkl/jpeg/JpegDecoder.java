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
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;

/**
 * Decodes JPEG slices of one spec with one ImageIO reader, reused for every slice, into one reused
 * destination image, then copies (uint8) or maps back ({@link LevelMapping}) the samples into the
 * caller's buffer.
 *
 * <p>Before the reader runs, the stream's header is walked ({@link JpegStructure}) and its size,
 * component count and mapping segment are checked against the expected spec, so a lying stream is
 * refused before anything is allocated. Every reader warning (e.g. libjpeg's "Premature end of JPEG
 * file" or "Corrupt JPEG data") is treated as an error: damaged data never comes back as a partly
 * grey plane.
 *
 * <p>Thread safety: not thread-safe; one decoder per thread.
 */
final class JpegDecoder implements SliceDecoder {
    private final PlaneSpec spec;
    private final ImageReader reader;
    private final ImageReadParam readParam;
    private final ByteBufferImageInputStream input = new ByteBufferImageInputStream();
    private BufferedImage destinationImage;
    private byte[] levelScratch;
    private Object valueTable;
    private String firstWarning;
    private boolean closed;

    JpegDecoder(ImageReader reader, PlaneSpec spec) {
        this.reader = reader;
        this.spec = spec;
        this.readParam = reader.getDefaultReadParam();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (firstWarning == null) {
                firstWarning = warning;
            }
        });
    }

    /** A {@link JpklFormatException} for damaged or unexpected slice data. */
    static JpklFormatException badData(String detail) {
        return new JpklFormatException(JpegCodec.ID, "slice data", detail);
    }

    private static JpklFormatException badData(String detail, Throwable cause) {
        return new JpklFormatException(JpegCodec.ID, "slice data", detail, cause);
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws IOException {
        if (closed) {
            throw new IllegalStateException("decoder is closed");
        }
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("destination is " + destination.spec() + ", but this decoder is for " + spec);
        }
        ByteBuffer data = encoded.slice();
        JpegStructure structure = JpegStructure.scan(data);
        check(structure);
        LevelMapping mapping = null;
        if (spec.dtype() != DType.UINT8) {
            if (structure.mappingOffset < 0) {
                throw badData("JPEG slice has no 8-bit mapping segment (APP9 JPKL), which a " + spec.dtype()
                        + " slice needs; it holds plain 8-bit samples");
            }
            mapping = LevelMapping.readPayload(data, structure.mappingOffset, structure.mappingLength, spec.dtype());
        } else if (structure.mappingOffset >= 0) {
            throw badData("JPEG slice has an 8-bit mapping segment (APP9 JPKL), so it holds mapped non-uint8 samples; expected uint8");
        }
        BufferedImage decoded = read(data);
        Raster raster = decoded.getRaster();
        int bands = spec.channels().samplesPerPixel();
        if (decoded.getWidth() != spec.width() || decoded.getHeight() != spec.height() || raster.getNumBands() != bands
                || raster.getTransferType() != DataBuffer.TYPE_BYTE) {
            throw badData("JPEG reader " + reader.getClass().getName() + " returned a " + decoded.getWidth() + "x"
                    + decoded.getHeight() + " image with " + raster.getNumBands() + " bands; expected " + spec);
        }
        if (mapping == null) {
            copyInterleaved(raster, bands, destination.bytes(), destination.offset());
        } else {
            byte[] levels;
            int from;
            if (isPacked(raster, bands)) {
                DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
                levels = buffer.getData();
                from = buffer.getOffset();
            } else {
                if (levelScratch == null) {
                    levelScratch = new byte[spec.sampleCount()];
                }
                copyInterleaved(raster, bands, levelScratch, 0);
                levels = levelScratch;
                from = 0;
            }
            if (valueTable == null) {
                valueTable = LevelMapping.newTable(spec.dtype());
            }
            mapping.toValues(levels, from, destination, valueTable);
        }
    }

    private void check(JpegStructure s) throws JpklFormatException {
        int expectedComponents = spec.channels() == ChannelLayout.RGB ? 3 : 1;
        if (s.width != spec.width() || s.height != spec.height() || s.components != expectedComponents) {
            throw badData("JPEG frame is " + s.height + "x" + s.width + " with " + s.components + " component"
                    + (s.components == 1 ? "" : "s") + "; expected " + spec.height() + "x" + spec.width() + " with "
                    + expectedComponents + " (" + spec + ")");
        }
    }

    private BufferedImage read(ByteBuffer data) throws JpklFormatException {
        if (destinationImage == null) {
            destinationImage = JpegEncoder.newImage(spec, new byte[spec.sampleCount()]);
            readParam.setDestination(destinationImage);
        }
        firstWarning = null;
        input.reset(data);
        try {
            reader.setInput(input, true, true);
            BufferedImage image = reader.read(0, readParam);
            if (firstWarning != null) {
                throw badData("JPEG reader " + reader.getClass().getName() + " warned: " + firstWarning
                        + "; the slice is damaged or truncated");
            }
            return image;
        } catch (JpklFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw badData("JPEG reader " + reader.getClass().getName() + " failed: " + e.getMessage()
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
            int[] banks = sm.getBankIndices();
            int[] bandOffsets = sm.getBandOffsets();
            int pixelStride = sm.getPixelStride();
            int scanlineStride = sm.getScanlineStride();
            // Element index of the raster's (minX, minY) relative to each band's offset.
            int origin = (raster.getMinY() - raster.getSampleModelTranslateY()) * scanlineStride
                    + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixelStride;
            if (isPacked(raster, bands)) {
                System.arraycopy(buffer.getData(), buffer.getOffset(), out, at, w * h * bands);
                return;
            }
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
