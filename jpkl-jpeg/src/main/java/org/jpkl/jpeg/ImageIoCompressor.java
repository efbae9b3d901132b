package org.jpkl.jpeg;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.PlaneSpec;
import org.w3c.dom.NodeList;

/**
 * The javax.imageio JPEG engine: one ImageIO writer, one image whose raster holds the 8-bit samples
 * (R, G, B order for RGB; it is also the {@link #levels()} scratch, so mapped levels are written
 * straight into it) and one growable output buffer, all reused for every plane. Quality is set as
 * {@code quality / 100} (the JDK maps it to the IJG scale), Huffman tables are the standard ones, and
 * 4:4:4 is asked for through the JPEG metadata's sampling factors.
 *
 * <p>Thread safety: not thread-safe; one per encoder.
 */
final class ImageIoCompressor implements LevelCompressor {
    private static final String JPEG_METADATA_FORMAT = "javax_imageio_jpeg_image_1.0";

    private final PlaneSpec spec;
    private final ImageWriter writer;
    private final ImageWriteParam writeParam;
    private final BufferedImage image;
    /** The image's samples, row-major and interleaved, exactly {@code spec.sampleCount()} bytes. */
    private final byte[] samples;
    /** Non-null only for 4:4:4 RGB: the default metadata with every sampling factor set to 1. */
    private final IIOMetadata metadata;
    private final GrowableImageOutputStream output;
    private boolean closed;

    ImageIoCompressor(ImageWriter writer, JpegParams params, PlaneSpec spec) {
        this.writer = writer;
        this.spec = spec;
        this.samples = new byte[spec.sampleCount()];
        this.image = newImage(spec, samples);
        this.writeParam = writer.getDefaultWriteParam();
        writeParam.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        writeParam.setCompressionQuality(params.quality() / 100f);
        if (writeParam instanceof JPEGImageWriteParam) {
            ((JPEGImageWriteParam) writeParam).setOptimizeHuffmanTables(false);
        }
        this.metadata = spec.channels() == ChannelLayout.RGB && params.subsampling() == JpegParams.Subsampling.S444
                ? fullChromaMetadata(writer, image, writeParam) : null;
        this.output = new GrowableImageOutputStream(spec.sampleCount() / 4 + 1024);
    }

    /**
     * An image over {@code samples}: TYPE_BYTE_GRAY for grey; for RGB an sRGB interleaved raster with
     * band offsets {0, 1, 2}, so that the plane's R, G, B samples are copied in as they are.
     */
    static BufferedImage newImage(PlaneSpec spec, byte[] samples) {
        int w = spec.width();
        int h = spec.height();
        DataBufferByte buffer = new DataBufferByte(samples, samples.length);
        if (spec.channels() == ChannelLayout.GREY) {
            WritableRaster raster = Raster.createInterleavedRaster(buffer, w, h, w, 1, new int[] {0}, null);
            ColorModel grey = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                    ColorModel.OPAQUE, DataBuffer.TYPE_BYTE);
            return new BufferedImage(grey, raster, false, null);
        }
        WritableRaster raster = Raster.createInterleavedRaster(buffer, w, h, 3 * w, 3, new int[] {0, 1, 2}, null);
        ColorModel rgb = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                ColorModel.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(rgb, raster, false, null);
    }

    private static IIOMetadata fullChromaMetadata(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        IIOMetadata m = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        if (m == null || !Arrays.asList(m.getMetadataFormatNames()).contains(JPEG_METADATA_FORMAT)) {
            throw new IllegalStateException("JPEG writer " + writer.getClass().getName()
                    + " does not expose the JPEG metadata format needed for subsampling=444; use subsampling=420");
        }
        IIOMetadataNode tree = (IIOMetadataNode) m.getAsTree(JPEG_METADATA_FORMAT);
        NodeList components = tree.getElementsByTagName("componentSpec");
        if (components.getLength() != 3) {
            throw new IllegalStateException("JPEG writer " + writer.getClass().getName() + " proposes " + components.getLength()
                    + " components for an RGB plane; expected 3");
        }
        for (int i = 0; i < components.getLength(); i++) {
            IIOMetadataNode c = (IIOMetadataNode) components.item(i);
            c.setAttribute("HsamplingFactor", "1");
            c.setAttribute("VsamplingFactor", "1");
        }
        try {
            m.setFromTree(JPEG_METADATA_FORMAT, tree);
        } catch (IIOInvalidTreeException e) {
            throw new IllegalStateException("JPEG writer " + writer.getClass().getName() + " refused 4:4:4 sampling factors: " + e, e);
        }
        return m;
    }

    @Override
    public byte[] levels() {
        return samples;
    }

    @Override
    public int compress(byte[] source, int offset) throws IOException {
        if (source != samples || offset != 0) {
            System.arraycopy(source, offset, samples, 0, samples.length);
        }
        output.rewind();
        try {
            writer.setOutput(output);
            writer.write(null, new IIOImage(image, null, metadata), writeParam);
        } catch (RuntimeException e) {
            throw new IOException("JPEG writer " + writer.getClass().getName() + " failed on a " + spec + " plane: " + e, e);
        } finally {
            writer.setOutput(null);
        }
        return output.size();
    }

    @Override
    public void copyStream(int from, byte[] out, int at, int length) {
        System.arraycopy(output.buffer(), from, out, at, length);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            writer.dispose();
        }
    }
}
