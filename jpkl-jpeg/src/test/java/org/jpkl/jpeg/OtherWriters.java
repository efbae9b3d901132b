package org.jpkl.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jpkl.api.PlaneBuffer;
import org.w3c.dom.NodeList;

/** Test helper: JPEG streams of RGB planes as other writers make them, through the JDK's ImageIO writer and its metadata. */
final class OtherWriters {
    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

    private OtherWriters() {
    }

    /**
     * An RGB plane as a JFIF YCbCr JPEG at quality 90 with luma sampling factors {@code h} x {@code v}
     * (chroma 1x1), optionally progressive, with optimised Huffman tables, or with a restart interval
     * (in MCUs; 0 for none).
     */
    static byte[] jdkJpeg(PlaneBuffer rgb, int h, int v, boolean progressive, boolean optimised, int restartInterval)
            throws IOException {
        BufferedImage image = ImageIoCompressor.newImage(rgb.spec(), rgb.bytes().clone());
        ImageWriter writer = jdkWriter();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            ((JPEGImageWriteParam) param).setOptimizeHuffmanTables(optimised);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree(FORMAT);
            NodeList components = tree.getElementsByTagName("componentSpec");
            for (int i = 0; i < components.getLength(); i++) {
                IIOMetadataNode c = (IIOMetadataNode) components.item(i);
                c.setAttribute("HsamplingFactor", Integer.toString(i == 0 ? h : 1));
                c.setAttribute("VsamplingFactor", Integer.toString(i == 0 ? v : 1));
            }
            if (restartInterval > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                tree.getElementsByTagName("markerSequence").item(0).insertBefore(dri,
                        tree.getElementsByTagName("markerSequence").item(0).getFirstChild());
            }
            metadata.setFromTree(FORMAT, tree);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    private static ImageWriter jdkWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter w = writers.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.")) {
                return w;
            }
        }
        throw new AssertionError("no JDK JPEG writer");
    }
}
