package org.jpkl.tiff;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferDouble;
import java.awt.image.DataBufferFloat;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferShort;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;

/**
 * Copies between AWT rasters and planes (row-major, samples interleaved) on primitive arrays, for
 * every reader of decoded images (TIFF import, the command line's image stacks): a whole-bank
 * {@code System.arraycopy} when the raster is interleaved in R, G, B order without padding, else row
 * by row in the raster's own sample type (never {@code getRGB}, which would convert to 8-bit sRGB):
 * 16-bit stays 16-bit, floats stay floats; palette images are expanded through their palette.
 *
 * <p>Stateless and thread-safe.
 */
public final class RasterPlanes {
    private RasterPlanes() {
    }

    /**
     * The dtype of a raster's samples.
     *
     * @param dataBufferType a {@code DataBuffer.TYPE_*} constant (e.g. from {@code SampleModel.getDataType()})
     * @return the matching dtype, or null if none fits
     */
    public static DType dtypeOf(int dataBufferType) {
        switch (dataBufferType) {
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
                return null;
        }
    }

    /**
     * Copies the whole raster into {@code plane}, expanding palette indices to grey (one sample) or
     * RGB (three samples, uint8) when {@code colorModel} is an {@link IndexColorModel}.
     *
     * @param colorModel the image's colour model, or null when unknown (samples are copied as they are)
     * @param plane the destination: its size and samples per pixel must equal the raster's (after
     *     palette expansion) and its dtype the raster's sample type (uint8 for palette images)
     */
    public static void copyToPlane(Raster raster, ColorModel colorModel, PlaneBuffer plane) {
        if (colorModel instanceof IndexColorModel) {
            copyPalette(raster, (IndexColorModel) colorModel, plane);
        } else {
            copyToPlane(raster, plane);
        }
    }

    /**
     * Copies the whole raster's samples, in band order, into {@code plane}.
     *
     * @param plane the destination: its size and samples per pixel must equal the raster's, and its
     *     dtype the raster's sample type (uint8 or uint16 for packed sample models)
     */
    public static void copyToPlane(Raster raster, PlaneBuffer plane) {
        PlaneSpec spec = plane.spec();
        int w = spec.width();
        int h = spec.height();
        int s = spec.channels().samplesPerPixel();
        Object bank = contiguousBank(raster, s);
        if (bank != null) {
            System.arraycopy(bank, 0, plane.array(), plane.offset(), spec.sampleCount());
            return;
        }
        int base = plane.offset();
        int row = w * s;
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        if (raster.getSampleModel() instanceof ComponentSampleModel) {
            // Band order (R, G, B), whatever the storage order (e.g. BGR): getDataElements returns
            // each pixel's samples in band order, in the raster's own primitive type.
            Object elements = null;
            for (int y = 0; y < h; y++) {
                elements = raster.getDataElements(minX, minY + y, w, 1, elements);
                System.arraycopy(elements, 0, plane.array(), base + y * row, row);
            }
            return;
        }
        switch (spec.dtype()) {
            case FLOAT32: {
                float[] buffer = new float[row];
                for (int y = 0; y < h; y++) {
                    raster.getPixels(minX, minY + y, w, 1, buffer);
                    System.arraycopy(buffer, 0, plane.floats(), base + y * row, row);
                }
                return;
            }
            case FLOAT64: {
                double[] buffer = new double[row];
                for (int y = 0; y < h; y++) {
                    raster.getPixels(minX, minY + y, w, 1, buffer);
                    System.arraycopy(buffer, 0, plane.doubles(), base + y * row, row);
                }
                return;
            }
            default: {
                int[] buffer = new int[row];
                for (int y = 0; y < h; y++) {
                    raster.getPixels(minX, minY + y, w, 1, buffer);
                    int at = base + y * row;
                    switch (spec.dtype()) {
                        case UINT8: {
                            byte[] out = plane.bytes();
                            for (int i = 0; i < row; i++) {
                                out[at + i] = (byte) buffer[i];
                            }
                            break;
                        }
                        case UINT16:
                        case INT16: {
                            short[] out = plane.shorts();
                            for (int i = 0; i < row; i++) {
                                out[at + i] = (short) buffer[i];
                            }
                            break;
                        }
                        default:
                            System.arraycopy(buffer, 0, plane.ints(), at, row);
                    }
                }
            }
        }
    }

    private static void copyPalette(Raster raster, IndexColorModel palette, PlaneBuffer plane) {
        PlaneSpec spec = plane.spec();
        int w = spec.width();
        int h = spec.height();
        int samples = spec.channels().samplesPerPixel();
        int row = w * samples;
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        int[] indices = new int[w];
        byte[] out = plane.bytes();
        for (int y = 0; y < h; y++) {
            raster.getSamples(minX, minY + y, w, 1, 0, indices);
            int o = plane.offset() + y * row;
            for (int x = 0; x < w; x++) {
                int i = indices[x];
                if (samples == 1) {
                    out[o + x] = (byte) palette.getRed(i);
                } else {
                    out[o + 3 * x] = (byte) palette.getRed(i);
                    out[o + 3 * x + 1] = (byte) palette.getGreen(i);
                    out[o + 3 * x + 2] = (byte) palette.getBlue(i);
                }
            }
        }
    }

    /**
     * The raster's single bank when it holds exactly the plane's samples in order (interleaved,
     * bands 0..s-1 at offsets 0..s-1, no row padding, no offset), else null.
     */
    private static Object contiguousBank(Raster raster, int samples) {
        if (!(raster.getSampleModel() instanceof ComponentSampleModel) || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0 || raster.getMinX() != 0 || raster.getMinY() != 0) {
            return null;
        }
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        DataBuffer db = raster.getDataBuffer();
        if (db.getNumBanks() != 1 || db.getOffset() != 0 || sm.getNumBands() != samples || sm.getPixelStride() != samples
                || sm.getScanlineStride() != raster.getWidth() * samples || sm.getWidth() != raster.getWidth()
                || sm.getHeight() != raster.getHeight()) {
            return null;
        }
        int[] offsets = sm.getBandOffsets();
        for (int b = 0; b < samples; b++) {
            if (offsets[b] != b || sm.getBankIndices()[b] != 0) {
                return null;
            }
        }
        return bankArray(db);
    }

    private static Object bankArray(DataBuffer db) {
        if (db instanceof DataBufferByte) {
            return ((DataBufferByte) db).getData();
        }
        if (db instanceof DataBufferUShort) {
            return ((DataBufferUShort) db).getData();
        }
        if (db instanceof DataBufferShort) {
            return ((DataBufferShort) db).getData();
        }
        if (db instanceof DataBufferInt) {
            return ((DataBufferInt) db).getData();
        }
        if (db instanceof DataBufferFloat) {
            return ((DataBufferFloat) db).getData();
        }
        if (db instanceof DataBufferDouble) {
            return ((DataBufferDouble) db).getData();
        }
        return null;
    }

    /**
     * An image whose raster is one interleaved bank in plane order, for writing pages: grey or RGB
     * uint8/uint16, grey float32.
     *
     * @throws IllegalArgumentException for other dtypes
     */
    static BufferedImage pageImage(PlaneSpec spec) {
        boolean rgb = spec.channels() == ChannelLayout.RGB;
        int type;
        switch (spec.dtype()) {
            case UINT8:
                type = DataBuffer.TYPE_BYTE;
                break;
            case UINT16:
                type = DataBuffer.TYPE_USHORT;
                break;
            case FLOAT32:
                if (rgb) {
                    throw new IllegalArgumentException("TIFF export writes float32 as grey pages only (as ImageJ's 32-bit images);"
                            + " select one colour sample");
                }
                type = DataBuffer.TYPE_FLOAT;
                break;
            default:
                throw new IllegalArgumentException("TIFF export writes uint8, uint16 (grey or RGB) and float32 (grey) pages; dtype "
                        + spec.dtype() + " is not written (ImageJ has no such image type)");
        }
        ColorSpace space = ColorSpace.getInstance(rgb ? ColorSpace.CS_sRGB : ColorSpace.CS_GRAY);
        ComponentColorModel model = new ComponentColorModel(space, false, false, Transparency.OPAQUE, type);
        int s = spec.channels().samplesPerPixel();
        int[] offsets = rgb ? new int[] {0, 1, 2} : new int[] {0};
        WritableRaster raster = type == DataBuffer.TYPE_FLOAT
                ? Raster.createWritableRaster(new java.awt.image.PixelInterleavedSampleModel(type, spec.width(), spec.height(), s,
                        spec.width() * s, offsets), new DataBufferFloat(spec.sampleCount()), null)
                : Raster.createInterleavedRaster(type, spec.width(), spec.height(), spec.width() * s, s, offsets, null);
        return new BufferedImage(model, raster, false, null);
    }

    /** The single bank array of an image made by {@link #pageImage}. */
    static Object bank(BufferedImage image) {
        return bankArray(image.getRaster().getDataBuffer());
    }
}
