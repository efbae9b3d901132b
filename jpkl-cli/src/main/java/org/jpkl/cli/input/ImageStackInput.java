package org.jpkl.cli.input;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Shapes;
import org.jpkl.cli.CliException;
import org.jpkl.tiff.RasterPlanes;

/**
 * A stack of 2-D images: PNG, JPEG or TIFF files (TIFF possibly multi-page), decoded one page at a
 * time with ImageIO (TwelveMonkeys for TIFF) and copied from the raster, so memory stays at one
 * decoded page.
 *
 * <p>The stack axes: one file of several pages has a page axis; several files have a file axis;
 * several multi-page files have both (file first). Default names: {@code y, x[, rgb], z} for one
 * stack axis and {@code y, x[, rgb], t, z} for two (files = t, pages = z), JPkl's layout. With
 * {@code --axes}, the names are in stored order: {@code y}, {@code x} and the colour axis (for RGB
 * images) are the plane, the remaining names go to the stack axes in order (files, then pages).
 *
 * <p>Every image must have the size, dtype and channels of the first; a different one is an error
 * naming both files.
 *
 * <p>Extension point: when jpkl-tiff's import API ({@code org.jpkl.tiff}) is available, multi-page
 * TIFF (and OME-TIFF axes) can be read through it instead; this class only needs another page
 * source.
 *
 * <p>Thread safety: not thread-safe.
 */
final class ImageStackInput implements StackInput {
    private enum Role { FILE, PAGE }

    private final List<Path> files;
    private final int pages;
    private final PlaneSpec spec;
    private final int[] shape;
    private final List<String> names;
    private final PlaneLayout layout;
    private final Role[] roleOfAxis;
    private final String description;
    private final Map<String, Object> metadata;

    /**
     * Reads each file's header (sizes and page counts) and decodes the first page to learn the dtype.
     *
     * @param axisNames the --axes names, or empty for the defaults
     * @throws CliException (data) for unreadable or mismatched images, (usage) for names that do not fit
     */
    ImageStackInput(List<Path> files, List<String> axisNames, String rgbAxis) throws IOException {
        this.files = List.copyOf(files);
        int pageCount = -1;
        int width = -1;
        int height = -1;
        for (Path f : files) {
            try (ImageInputStream in = open(f)) {
                ImageReader reader = readerFor(in, f);
                try {
                    int n = reader.getNumImages(true);
                    int w = reader.getWidth(0);
                    int h = reader.getHeight(0);
                    if (pageCount < 0) {
                        pageCount = n;
                        width = w;
                        height = h;
                    } else if (n != pageCount || w != width || h != height) {
                        throw CliException.data(f + ": " + describe(w, h, n) + "; " + files.get(0) + " is "
                                + describe(width, height, pageCount) + "; every image of a stack needs the same size and page count");
                    }
                } finally {
                    reader.dispose();
                }
            }
        }
        this.pages = pageCount;
        Page first = readPage(files.get(0), 0);
        this.spec = ImageSpecs.specOf(first.raster, first.colorModel, files.get(0).toString());

        List<Role> stackRoles = new ArrayList<>();
        if (files.size() > 1) {
            stackRoles.add(Role.FILE);
        }
        if (pages > 1) {
            stackRoles.add(Role.PAGE);
        }
        boolean rgb = spec.channels() == ChannelLayout.RGB;
        List<String> resolved = axisNames.isEmpty() ? defaultNames(rgb, stackRoles.size()) : axisNames;
        int y = Axes.indexOf(resolved, "y");
        int x = Axes.indexOf(resolved, "x");
        int c = Axes.indexOf(resolved, rgbAxis);
        int expected = 2 + (rgb ? 1 : 0) + stackRoles.size();
        String detected = (rgb ? "RGB" : "grey") + " images, " + files.size() + " file(s) x " + pages + " page(s)";
        if (y < 0 || x < 0) {
            throw CliException.usage("--axes " + String.join(",", resolved) + ": name the image plane's axes y and x");
        }
        if (rgb && c < 0) {
            throw CliException.usage("--axes " + String.join(",", resolved) + ": the input is " + detected
                    + "; name the colour axis '" + rgbAxis + "' (e.g. --axes " + String.join(",", defaultNames(true, stackRoles.size())) + ")");
        }
        if (!rgb && c >= 0) {
            throw CliException.usage("--axes " + String.join(",", resolved) + ": the input is " + detected + "; it has no colour axis '"
                    + resolved.get(c) + "'");
        }
        if (resolved.size() != expected) {
            throw CliException.usage("--axes " + String.join(",", resolved) + " names " + resolved.size() + " axes; the input ("
                    + detected + ") has " + expected + ": y, x" + (rgb ? ", " + rgbAxis : "")
                    + (stackRoles.isEmpty() ? "" : " and " + stackRoles.size() + " stack axis(es)"));
        }
        this.names = List.copyOf(resolved);
        this.shape = new int[expected];
        this.roleOfAxis = new Role[expected];
        int next = 0;
        for (int a = 0; a < expected; a++) {
            if (a == y) {
                shape[a] = spec.height();
            } else if (a == x) {
                shape[a] = spec.width();
            } else if (a == c) {
                shape[a] = 3;
            } else {
                roleOfAxis[a] = stackRoles.get(next++);
                shape[a] = roleOfAxis[a] == Role.FILE ? files.size() : pages;
            }
        }
        this.layout = rgb ? PlaneLayout.of(y, x, c) : PlaneLayout.of(y, x);
        String kind = extension(files.get(0));
        this.description = (files.size() == 1 ? files.get(0).toString() : files.size() + " " + kind + " files (" + files.get(0).getFileName()
                + " ... " + files.get(files.size() - 1).getFileName() + ")") + ", " + pages + " page(s) each, " + spec;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", files.size() == 1 ? String.valueOf(files.get(0).getFileName())
                : files.size() + " files, " + files.get(0).getFileName() + " ... " + files.get(files.size() - 1).getFileName());
        this.metadata = meta;
    }

    private static List<String> defaultNames(boolean rgb, int stackAxes) {
        List<String> n = new ArrayList<>(List.of("y", "x"));
        if (rgb) {
            n.add(Axes.DEFAULT_RGB_AXIS);
        }
        if (stackAxes == 2) {
            n.add("t");
        }
        if (stackAxes >= 1) {
            n.add("z");
        }
        return n;
    }

    private static String describe(int w, int h, int pages) {
        return w + "x" + h + " pixels, " + pages + " page(s)";
    }

    private static String extension(Path p) {
        String n = String.valueOf(p.getFileName());
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "image" : n.substring(dot + 1).toUpperCase(java.util.Locale.ROOT);
    }

    private static ImageInputStream open(Path f) throws IOException {
        ImageInputStream in = ImageIO.createImageInputStream(f.toFile());
        if (in == null) {
            throw CliException.data(f + ": cannot open it as an image");
        }
        return in;
    }

    private static ImageReader readerFor(ImageInputStream in, Path f) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw CliException.data(f + ": not an image format ImageIO can read (PNG, JPEG, TIFF are)");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, false, true);
        return reader;
    }

    /** A decoded page: its samples and, when known, its colour model (palette, alpha, colour space). */
    private static final class Page {
        final Raster raster;
        final ColorModel colorModel;

        Page(Raster raster, ColorModel colorModel) {
            this.raster = raster;
            this.colorModel = colorModel;
        }
    }

    private static Page readPage(Path f, int page) throws IOException {
        try (ImageInputStream in = open(f)) {
            ImageReader reader = readerFor(in, f);
            try {
                return decode(reader, f, page);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Decodes one page. Grey and RGB TIFF pages are read as rasters (the samples as stored: the
     * TwelveMonkeys TIFF reader's {@code read} clips float samples to [0, 1], its {@code readRaster}
     * does not); other images through {@code read}, which also turns YCbCr JPEG into RGB.
     */
    private static Page decode(ImageReader reader, Path f, int page) throws IOException {
        try {
            if (reader.canReadRaster() && reader.getFormatName().toLowerCase(java.util.Locale.ROOT).startsWith("tif")) {
                ImageTypeSpecifier raw = reader.getRawImageType(page);
                ColorModel cm = raw == null ? null : raw.getColorModel();
                int space = cm == null ? -1 : cm.getColorSpace().getType();
                if (cm != null && (space == ColorSpace.TYPE_GRAY || space == ColorSpace.TYPE_RGB || cm instanceof IndexColorModel)) {
                    return new Page(reader.readRaster(page, null), cm);
                }
            }
            BufferedImage image = reader.read(page);
            return new Page(image.getRaster(), image.getColorModel());
        } catch (IOException | RuntimeException e) {
            throw new JpklFormatException(f.toString(), "page " + page, "cannot decode the image: " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public DType dtype() {
        return spec.dtype();
    }

    @Override
    public PlaneLayout layout() {
        return layout;
    }

    @Override
    public List<String> axisNames() {
        return names;
    }

    @Override
    public Map<String, Object> metadata() {
        return metadata;
    }

    @Override
    public long memoryBound() {
        return 2 * spec.byteSize();
    }

    @Override
    public String readingStrategy() {
        return "one decoded page at a time, files in natural name order";
    }

    @Override
    public void readPlanes(PlaneSink sink) throws IOException {
        KeySpace keys = new KeySpace(shape, layout);
        int[] keyAxes = keys.keyAxes();
        int[] key = new int[keyAxes.length];
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (ImageInputStream in = open(file)) {
                ImageReader reader = readerFor(in, file);
                try {
                    for (int page = 0; page < pages; page++) {
                        Page decoded = decode(reader, file, page);
                        String name = file + (pages > 1 ? " page " + page : "");
                        PlaneSpec found = ImageSpecs.specOf(decoded.raster, decoded.colorModel, name);
                        if (!found.equals(spec)) {
                            throw CliException.data(name + ": is " + found + "; " + files.get(0) + " is " + spec
                                    + "; every image of a stack needs the same size, dtype and channels");
                        }
                        RasterPlanes.copyToPlane(decoded.raster, decoded.colorModel, plane);
                        for (int k = 0; k < keyAxes.length; k++) {
                            key[k] = roleOfAxis[keyAxes[k]] == Role.FILE ? f : page;
                        }
                        sink.accept(keys.sliceNumber(key), plane);
                    }
                } finally {
                    reader.dispose();
                }
            }
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "ImageStackInput[" + description + ", shape " + Shapes.format(shape) + "]";
    }
}
