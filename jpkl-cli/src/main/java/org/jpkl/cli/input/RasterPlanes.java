package org.jpkl.cli.input;

import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.cli.CliException;

/**
 * Turns decoded images into planes by reading their rasters row by row (never
 * {@code BufferedImage.getRGB}, which would convert to 8-bit sRGB): sample values are kept as they
 * are, 16-bit stays 16-bit, floats stay floats. Grey and RGB images are accepted; palette images
 * are expanded through their palette; images with alpha or other colour spaces are refused.
 *
 * <p>Stateless.
 */
final class RasterPlanes {
    private RasterPlanes() {
    }

    /**
     * The plane spec an image decodes to.
     *
     * @param name the file (and page) for messages
     * @throws CliException (data) for alpha, CMYK and other images jpkl does not store
     */
    static PlaneSpec specOf(Raster raster, ColorModel cm, String name) {
        if (cm instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) cm;
            if (icm.getTransparency() != java.awt.Transparency.OPAQUE) {
                throw CliException.data(name + ": a palette image with transparency; jpkl stores grey or RGB planes without alpha");
            }
            return new PlaneSpec(DType.UINT8, raster.getHeight(), raster.getWidth(), isGreyPalette(icm) ? ChannelLayout.GREY : ChannelLayout.RGB);
        }
        if (cm != null && cm.hasAlpha()) {
            throw CliException.data(name + ": the image has an alpha channel; jpkl stores grey or RGB planes without alpha;"
                    + " remove the alpha channel first");
        }
        int bands = raster.getNumBands();
        ChannelLayout channels;
        if (bands == 1) {
            channels = ChannelLayout.GREY;
        } else if (bands == 3 && (cm == null || cm.getColorSpace().getType() == ColorSpace.TYPE_RGB)) {
            channels = ChannelLayout.RGB;
        } else {
            throw CliException.data(name + ": an image with " + bands + " samples per pixel"
                    + (cm == null ? "" : " in colour space type " + cm.getColorSpace().getType())
                    + "; jpkl stores grey (1) or RGB (3) planes");
        }
        return new PlaneSpec(dtypeOf(raster, name), raster.getHeight(), raster.getWidth(), channels);
    }

    private static DType dtypeOf(Raster raster, String name) {
        SampleModel sm = raster.getSampleModel();
        if (!(sm instanceof ComponentSampleModel)) {
            int bits = 0;
            for (int size : sm.getSampleSize()) {
                bits = Math.max(bits, size);
            }
            if (bits <= 8) {
                return DType.UINT8;
            }
            if (bits <= 16) {
                return DType.UINT16;
            }
            throw CliException.data(name + ": packed samples of " + bits + " bits are not supported");
        }
        switch (sm.getDataType()) {
            case DataBuffer.TYPE_BYTE:
                return DType.UINT8;
            case DataBuffer.TYPE_USHORT:
                return DType.UINT16;
            case DataBuffer.TYPE_SHORT:
                return DType.INT16;
            case DataBuffer.TYPE_INT:
                return DType.INT32;
            case DataBuffer.TYPE_FLOAT:
                return DType.FLOAT32;
            case DataBuffer.TYPE_DOUBLE:
                return DType.FLOAT64;
            default:
                throw CliException.data(name + ": sample data type " + sm.getDataType() + " is not supported");
        }
    }

    private static boolean isGreyPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            int r = icm.getRed(i);
            if (r != icm.getGreen(i) || r != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    /** Copies {@code raster} (with its colour model, if known) into {@code dest}, whose spec must equal {@link #specOf}'s. */
    static void copy(Raster raster, ColorModel cm, PlaneBuffer dest) {
        PlaneSpec spec = dest.spec();
        int w = spec.width();
        int h = spec.height();
        int samples = spec.channels().samplesPerPixel();
        int rowLength = w * samples;
        int x0 = raster.getMinX();
        int y0 = raster.getMinY();
        if (cm instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) cm;
            int[] indices = new int[w];
            byte[] out = dest.bytes();
            for (int y = 0; y < h; y++) {
                raster.getSamples(x0, y0 + y, w, 1, 0, indices);
                int o = dest.offset() + y * rowLength;
                for (int x = 0; x < w; x++) {
                    int i = indices[x];
                    if (samples == 1) {
                        out[o + x] = (byte) icm.getRed(i);
                    } else {
                        out[o + 3 * x] = (byte) icm.getRed(i);
                        out[o + 3 * x + 1] = (byte) icm.getGreen(i);
                        out[o + 3 * x + 2] = (byte) icm.getBlue(i);
                    }
                }
            }
            return;
        }
        if (raster.getSampleModel() instanceof ComponentSampleModel) {
            // Band order (R, G, B), whatever the storage order (e.g. BGR): getDataElements returns
            // each pixel's samples in band order, in the raster's own primitive type.
            Object row = null;
            for (int y = 0; y < h; y++) {
                row = raster.getDataElements(x0, y0 + y, w, 1, row);
                System.arraycopy(row, 0, dest.array(), dest.offset() + y * rowLength, rowLength);
            }
            return;
        }
        int[] row = new int[rowLength];
        for (int y = 0; y < h; y++) {
            raster.getPixels(x0, y0 + y, w, 1, row);
            int o = dest.offset() + y * rowLength;
            if (spec.dtype() == DType.UINT8) {
                byte[] out = dest.bytes();
                for (int i = 0; i < rowLength; i++) {
                    out[o + i] = (byte) row[i];
                }
            } else {
                short[] out = dest.shorts();
                for (int i = 0; i < rowLength; i++) {
                    out[o + i] = (short) row[i];
                }
            }
        }
    }
}
