package org.jpkl.cli;

import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import org.jpkl.npy.NumpyType;
import org.jpkl.cli.input.Axes;
import org.jpkl.cli.input.StackInputs;
import org.jpkl.tiff.ImagePages;
import picocli.CommandLine.Option;

/** The options that say how to read an input stack, shared by {@code encode} and {@code compare}. */
final class InputOptions {
    @Option(names = "--axes", paramLabel = "NAMES", order = 20,
            description = "Axis names in stored order, e.g. t,z,y,x or y,x,z; the axes named y and x are the image plane."
                + " Default for .npy and raw: the last two axes are the plane (NumPy's order: y,x / z,y,x / t,z,y,x /"
                + " axis0,...,y,x). Images are stored plane last ([file,] pages..., y, x[, rgb]; an ImageJ hyperstack"
                + " keeps its t,z,c axes); --axes renames or reorders them, and NAME=SIZE splits the pages (t=5,z,y,x).")
    String axes;

    @Option(names = "--layout", paramLabel = "numpy|jpkl", order = 20,
            description = ".npy and raw input without --axes: numpy (default; plane = the last two axes) or jpkl (plane ="
                + " the first two axes, names y,x,axis2,...).")
    String layout;

    @Option(names = "--rgb-axis", paramLabel = "NAME", order = 21,
            description = "The --axes name of the RGB colour axis (length 3; default: " + Axes.DEFAULT_RGB_AXIS + ")."
                + " .npy and raw input have a colour axis only when --axes names it.")
    String rgbAxis;

    @Option(names = "--shape", paramLabel = "DIMS", order = 22, description = "Raw input: the shape, e.g. 100,2048,2048.")
    String shape;

    @Option(names = "--dtype", paramLabel = "DTYPE", order = 23,
            description = "Raw input: uint8, uint16, int16, int32, float32 or float64, or NumPy's spelling (u2, <u2, >f4,"
                + " |u1, ...; a byte-order prefix sets --byte-order).")
    String dtype;

    @Option(names = "--offset", paramLabel = "BYTES", order = 23,
            description = "Raw input: the data starts after BYTES bytes (a header); what follows the data is then ignored."
                + " Without it the input must be exactly the data.")
    String offset;

    @Option(names = "--byte-order", paramLabel = "ORDER", order = 24, description = "Raw input: little (default) or big.")
    String byteOrder;

    @Option(names = "--order", paramLabel = "C|F", order = 25,
            description = "Raw input: C (row-major, default) or F (Fortran, column-major).")
    String order;

    @Option(names = "--buffer", paramLabel = "SIZE", order = 26,
            description = "Most input bytes held at once (default ${DEFAULT-VALUE}; 64K to 1G); matters when the plane"
                + " axes are not the innermost in the file, and, for tiled containers, bounds one decoded TIFF block (a compressed"
                + " strip or row of tiles) and decides when .npy planes are read by tile rows.")
    String buffer = "256M";

    @Option(names = "--max-image-pixels", paramLabel = "N", order = 27,
            description = "Image input: the most pixels of one image (default ${DEFAULT-VALUE}, 16384 x 16384); a header claiming"
                + " more is refused before anything is decoded.")
    long maxImagePixels = ImagePages.DEFAULT_MAX_PIXELS;

    /**
     * The options for {@link StackInputs#open}.
     *
     * @throws CliException (usage) for bad values or raw options without --shape
     */
    StackInputs.Options toOptions(InputStream stdin) {
        StackInputs.Options o = new StackInputs.Options();
        o.axes = axes == null ? List.of() : Axes.parse(axes);
        o.rgbAxis = rgbAxis == null ? Axes.DEFAULT_RGB_AXIS : rgbAxis;
        o.rgbAxisGiven = rgbAxis != null;
        o.stdin = stdin;
        o.bufferBytes = StackInputs.parseSize(buffer, "--buffer");
        if (maxImagePixels < 1) {
            throw CliException.usage("--max-image-pixels " + maxImagePixels + ": must be at least 1");
        }
        o.maxImagePixels = maxImagePixels;
        if (shape != null) {
            o.shape = StackInputs.parseShape(shape, "--shape");
        }
        NumpyType type = null;
        if (dtype != null) {
            try {
                type = NumpyType.parse(dtype);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--dtype " + dtype + ": " + e.getMessage(), e);
            }
            o.dtype = type.dtype();
        }
        if ((byteOrder != null || order != null || offset != null) && shape == null) {
            throw CliException.usage("--byte-order, --order and --offset apply to raw input and need --shape and --dtype");
        }
        if (layout != null) {
            if (axes != null) {
                throw CliException.usage("--layout " + layout + " and --axes " + axes + ": give one (--axes names every axis)");
            }
            switch (layout.toLowerCase(Locale.ROOT)) {
                case "numpy":
                    o.layout = Axes.Convention.NUMPY;
                    break;
                case "jpkl":
                    o.layout = Axes.Convention.JPKL;
                    break;
                default:
                    throw CliException.usage("--layout " + layout + ": use numpy (plane = the last two axes) or jpkl (the first two)");
            }
        }
        if (offset != null) {
            try {
                o.offset = Long.parseLong(offset.strip());
            } catch (NumberFormatException e) {
                throw CliException.usage("--offset " + offset + ": not a number of bytes; write e.g. --offset 512", e);
            }
            if (o.offset < 0) {
                throw CliException.usage("--offset " + offset + ": must be 0 or more");
            }
        }
        if (byteOrder != null) {
            switch (byteOrder.toLowerCase(Locale.ROOT)) {
                case "little":
                case "le":
                    o.byteOrder = ByteOrder.LITTLE_ENDIAN;
                    break;
                case "big":
                case "be":
                    o.byteOrder = ByteOrder.BIG_ENDIAN;
                    break;
                default:
                    throw CliException.usage("--byte-order " + byteOrder + ": use little or big");
            }
        }
        if (type != null && type.byteOrder().isPresent()) {
            ByteOrder stated = type.byteOrder().get();
            if (byteOrder != null && !stated.equals(o.byteOrder)) {
                throw CliException.usage("--dtype " + dtype + " is " + name(stated) + "-endian but --byte-order " + byteOrder
                        + " says " + name(o.byteOrder) + "; give one byte order (e.g. --dtype " + type.dtype() + " --byte-order "
                        + byteOrder + ")");
            }
            o.byteOrder = stated;
        }
        if (order != null) {
            switch (order.toUpperCase(Locale.ROOT)) {
                case "C":
                    o.fortranOrder = false;
                    break;
                case "F":
                    o.fortranOrder = true;
                    break;
                default:
                    throw CliException.usage("--order " + order + ": use C (row-major) or F (Fortran, column-major)");
            }
        }
        return o;
    }

    private static String name(ByteOrder order) {
        return order.equals(ByteOrder.BIG_ENDIAN) ? "big" : "little";
    }
}
