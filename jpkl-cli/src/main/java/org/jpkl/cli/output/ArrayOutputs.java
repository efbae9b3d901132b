package org.jpkl.cli.output;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferDouble;
import java.awt.image.DataBufferFloat;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferShort;
import java.awt.image.DataBufferUShort;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageOutputStream;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Selection;
import org.jpkl.api.Shapes;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.cli.CliException;
import org.jpkl.npy.NpyWriter;

/**
 * Writes a selection to a file chosen by its extension: {@code .npy} (any shape, NumPy 1.0/2.0,
 * little-endian, C order), {@code .raw} (the elements in C order), {@code .png} (2-D grey or
 * {@code (h, w, 3)} RGB, uint8 or uint16 — 16-bit stays 16-bit) and {@code .tif}/{@code .tiff}
 * (2-D grey or RGB of any jpkl dtype the TIFF writer takes). Images are built over the samples
 * (raster and component colour model), never through {@code setRGB}.
 *
 * <p>Stateless.
 */
public final class ArrayOutputs {
    /** Output kinds by extension. */
    public enum Kind {
        /** NumPy .npy. */
        NPY,
        /** Raw elements, C order. */
        RAW,
        /** PNG image. */
        PNG,
        /** TIFF image. */
        TIFF
    }

    private ArrayOutputs() {
    }

    /**
     * The kind of output for a target name; {@code -} is .npy on standard output.
     *
     * @throws CliException (usage) for an unknown extension
     */
    public static Kind kindOf(String target) {
        if (target.equals("-")) {
            return Kind.NPY;
        }
        String name = target.toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return Kind.NPY;
        }
        if (name.endsWith(".raw") || name.endsWith(".bin")) {
            return Kind.RAW;
        }
        if (name.endsWith(".png")) {
            return Kind.PNG;
        }
        if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            return Kind.TIFF;
        }
        throw CliException.usage("-o " + target + ": unknown output type; use .npy, .raw, .png, .tif (or - for .npy on standard output)");
    }

    /**
     * The selection's result with its image axes in image order, {@code (y, x)} or {@code (y, x, c)},
     * when the selection keeps the stored y and x axes (and all three colour samples of an RGB
     * array) and nothing else; other results are returned unchanged. So an RGB plane stored as
     * {@code (c, y, x)} becomes an {@code (h, w, 3)} image, and a plane stored {@code (x, y)} is
     * not written transposed.
     *
     * @param result {@code array.get(selection)}
     * @param selection the resolved selection on the array's shape
     * @param layout the array's plane layout
     */
    public static NdArray imageAxesOrdered(NdArray result, Selection selection, PlaneLayout layout) {
        int y = selection.resultAxis(layout.yAxis());
        int x = selection.resultAxis(layout.xAxis());
        int c = layout.channelAxis().isPresent() ? selection.resultAxis(layout.channelAxis().getAsInt()) : -1;
        int[] order = c >= 0 ? new int[] {y, x, c} : new int[] {y, x};
        if (y < 0 || x < 0 || result.ndim() != order.length || (c >= 0 && result.shape(c) != 3)) {
            return result;
        }
        boolean identity = true;
        for (int i = 0; i < order.length; i++) {
            identity &= order[i] == i;
        }
        if (identity) {
            return result;
        }
        int[] shape = new int[order.length];
        long[] sourceStrides = new long[order.length];
        long[] strides = result.strides();
        for (int i = 0; i < order.length; i++) {
            shape[i] = result.shape(order[i]);
            sourceStrides[i] = strides[order[i]];
        }
        int rows = shape[0];
        int cols = shape[1];
        int bands = order.length == 3 ? shape[2] : 1;
        return NdArray.generate(result.dtype(), shape, i -> {
            long band = i % bands;
            long col = (i / bands) % cols;
            long row = i / ((long) bands * cols);
            long source = row * sourceStrides[0] + col * sourceStrides[1] + (order.length == 3 ? band * sourceStrides[2] : 0);
            return result.getDoubleFlat((int) source);
        });
    }

    /**
     * Checks that an array of this shape and dtype can be written as {@code kind}.
     *
     * @throws CliException (usage) saying which output to use instead
     */
    public static void check(Kind kind, NdArray array, String target) {
        if (kind != Kind.PNG && kind != Kind.TIFF) {
            return;
        }
        int[] s = array.shape();
        boolean image = s.length == 2 || (s.length == 3 && s[2] == 3);
        if (!image || s[0] == 0 || s[1] == 0) {
            throw CliException.usage("-o " + target + ": the selection has shape " + Shapes.format(s)
                    + "; a " + kind.name() + " holds a non-empty 2-D (h, w) or RGB (h, w, 3) image; write .npy instead");
        }
        if (kind == Kind.PNG && array.dtype() != DType.UINT8 && array.dtype() != DType.UINT16) {
            throw CliException.usage("-o " + target + ": PNG holds uint8 or uint16, the selection is " + array.dtype()
                    + "; write .tif or .npy instead");
        }
    }

    /**
     * Writes {@code array} to {@code target} through {@link AtomicFileOutput} (a temporary file
     * renamed into place; a character device or pipe is written through).
     *
     * @param guard called with the output before writing, so that an interrupt can discard it
     */
    public static void write(NdArray array, Kind kind, Path target, ByteOrder rawOrder, Consumer<AtomicFileOutput> guard)
            throws IOException {
        check(kind, array, target.toString());
        try (AtomicFileOutput file = AtomicFileOutput.create(target)) {
            guard.accept(file);
            if (kind == Kind.PNG || kind == Kind.TIFF) {
                try {
                    writeImage(array, kind, file.tempFile());
                } catch (IOException e) {
                    throw AtomicFileOutput.naming(file.target(), e);
                }
            } else {
                try (OutputStream out = new BufferedOutputStream(file.outputStream(), 1 << 16)) {
                    if (kind == Kind.NPY) {
                        NpyWriter.write(array, out);
                    } else {
                        NpyWriter.writeRaw(array, rawOrder, out);
                    }
                }
            }
            file.commit();
        }
    }

    /**
     * Writes with the first ImageIO writer that manages: writers may claim a sample type and then
     * refuse it (TwelveMonkeys' TIFF writer takes neither float samples nor 16-bit RGB), so each
     * failure moves on to the next writer (e.g. the JDK's TIFF writer), over an emptied file.
     */
    private static void writeImage(NdArray array, Kind kind, Path temp) throws IOException {
        BufferedImage image = toImage(array);
        String format = kind == Kind.PNG ? "png" : "tiff";
        Iterator<ImageWriter> writers = ImageIO.getImageWriters(ImageTypeSpecifier.createFromRenderedImage(image), format);
        RuntimeException refused = null;
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            try (RandomAccessFile raf = new RandomAccessFile(temp.toFile(), "rw");
                    ImageOutputStream out = new FileImageOutputStream(raf)) {
                raf.setLength(0);
                writer.setOutput(out);
                writer.write(image);
                return;
            } catch (RuntimeException e) {
                if (refused == null) {
                    refused = e;
                } else {
                    refused.addSuppressed(e);
                }
            } finally {
                writer.dispose();
            }
        }
        throw CliException.usage("no " + format.toUpperCase(Locale.ROOT) + " writer here takes " + array.dtype() + " "
                + (array.ndim() == 3 ? "RGB" : "grey") + " images" + (refused == null ? "" : " (" + refused + ")") + "; write .npy instead",
                refused);
    }

    /**
     * An image over a copy of the samples (component colour model, no conversion): a 2-D array is
     * grey, {@code (h, w, 3)} is RGB.
     */
    public static BufferedImage toImage(NdArray array) {
        int h = array.shape(0);
        int w = array.shape(1);
        int bands = array.ndim() == 3 ? 3 : 1;
        int n = (int) array.size();
        DataBuffer buffer;
        switch (array.dtype()) {
            case UINT8:
                buffer = new DataBufferByte(array.toByteArray(), n);
                break;
            case UINT16:
                buffer = new DataBufferUShort(array.toShortArray(), n);
                break;
            case INT16:
                buffer = new DataBufferShort(array.toShortArray(), n);
                break;
            case INT32:
                buffer = new DataBufferInt(array.toIntArray(), n);
                break;
            case FLOAT32:
                buffer = new DataBufferFloat(array.toFloatArray(), n);
                break;
            default:
                buffer = new DataBufferDouble(array.toDoubleArray(), n);
                break;
        }
        int[] offsets = bands == 1 ? new int[] {0} : new int[] {0, 1, 2};
        SampleModel sm = new PixelInterleavedSampleModel(buffer.getDataType(), w, h, bands, w * bands, offsets);
        WritableRaster raster = Raster.createWritableRaster(sm, buffer, null);
        ColorSpace cs = ColorSpace.getInstance(bands == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ColorModel cm = new ComponentColorModel(cs, false, false, Transparency.OPAQUE, buffer.getDataType());
        return new BufferedImage(cm, raster, false, null);
    }
}
