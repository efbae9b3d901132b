package org.jpkl.cli.input;

import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.cli.CliException;
import org.jpkl.tiff.RasterPlanes;

/**
 * Decides which plane a decoded image becomes: grey and RGB images keep their sample type (16-bit
 * stays 16-bit, floats stay floats); palette images become uint8 grey or RGB; images with alpha or
 * other colour spaces are refused with a data error. The samples are then copied by
 * {@link org.jpkl.tiff.RasterPlanes#copyToPlane(Raster, ColorModel, org.jpkl.api.PlaneBuffer)}.
 *
 * <p>Stateless.
 */
final class ImageSpecs {
    private ImageSpecs() {
    }

    /**
     * The plane spec an image decodes to.
     *
     * @param name the file (and page) for messages
     * @throws CliException (data) for alpha, CMYK and other images jpkl does not store
     */
    static PlaneSpec specOf(Raster raster, ColorModel cm, String name) {
        return specOf(raster.getSampleModel(), cm, raster.getWidth(), raster.getHeight(), name);
    }

    /**
     * The plane spec of an image of {@code width x height} pixels whose samples are laid out as
     * {@code sm} (of any size), e.g. from the image's header ({@link org.jpkl.tiff.ImagePages#storedType}).
     *
     * @throws CliException (data) as {@link #specOf(Raster, ColorModel, String)}
     */
    static PlaneSpec specOf(SampleModel sm, ColorModel cm, int width, int height, String name) {
        if (cm instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) cm;
            if (icm.getTransparency() != java.awt.Transparency.OPAQUE) {
                throw CliException.data(name + ": a palette image with transparency; jpkl stores grey or RGB planes without alpha");
            }
            return new PlaneSpec(DType.UINT8, height, width, isGreyPalette(icm) ? ChannelLayout.GREY : ChannelLayout.RGB);
        }
        if (cm != null && cm.hasAlpha()) {
            throw CliException.data(name + ": the image has an alpha channel; jpkl stores grey or RGB planes without alpha;"
                    + " remove the alpha channel first");
        }
        int bands = sm.getNumBands();
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
        return new PlaneSpec(dtypeOf(sm, name), height, width, channels);
    }

    private static DType dtypeOf(SampleModel sm, String name) {
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
        DType dtype = RasterPlanes.dtypeOf(sm.getDataType());
        if (dtype == null) {
            throw CliException.data(name + ": sample data type " + sm.getDataType() + " is not supported");
        }
        return dtype;
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
}
