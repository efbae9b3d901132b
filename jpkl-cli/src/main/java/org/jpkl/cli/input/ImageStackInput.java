package org.jpkl.cli.input;

import java.awt.image.DataBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageTypeSpecifier;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Shapes;
import org.jpkl.api.TileGrid;
import org.jpkl.cli.CliException;
import org.jpkl.tiff.ImagePages;
import org.jpkl.tiff.PageAxes;
import org.jpkl.tiff.PageRows;
import org.jpkl.tiff.RasterPlanes;

/**
 * A stack of 2-D images: PNG, JPEG or TIFF files (TIFF possibly multi-page, possibly an ImageJ
 * hyperstack), decoded one page at a time through {@link ImagePages} (which refuses damaged,
 * truncated and oversized images) and copied from the raster, so memory stays at one decoded page.
 *
 * <p>The stack axes: several files have a file axis; the pages of a file have the axes its ImageJ
 * description names ({@code t, z, c} from frames, slices, channels), else one page axis {@code z}
 * (none for single images). Default stored order: NumPy's and ImageJ's, the plane last: {@code
 * [file,] page axes..., y, x[, rgb]}. The file axis is named {@code z} when the pages have no axis,
 * {@code t} when they have no {@code t}, else {@code file}.
 *
 * <p>With {@code --axes} (names in stored order): {@code y}, {@code x} and the colour axis (RGB
 * images) are the plane, wherever they stand; the other names are the stack axes, matched to the
 * detected ones by name when every detected name is among them (so {@code --axes z,t,y,x} reorders
 * a {@code t, z} stack, and names the input lacks become axes of length 1, e.g. {@code z,y,x} for a
 * single image), else by position when there are as many as detected (a rename: {@code --axes
 * z,y,x} for the pages of a plain multi-page file named otherwise). Anything else is a usage error
 * naming the detected axes.
 *
 * <p>Every image must have the size, dtype and channels of the first, and every file the same page
 * axes; a difference is an error naming both files.
 *
 * <p>Thread safety: not thread-safe.
 */
final class ImageStackInput implements StackInput {
    /** Where a stored key axis takes its coordinate from. */
    private static final int FILE = -1;
    private static final int LENGTH_ONE = -2;

    private final List<Path> files;
    private final long maxPixels;
    /** The most bytes of one decoded TIFF block when pages are read in tile rows (--buffer). */
    private final long bufferBytes;
    private final PageAxes pageAxes;
    /** The plane of every page (not a PlaneSpec: a page may have more samples than one Java array holds). */
    private final Plane spec;
    private final int[] shape;
    private final List<String> names;
    private final PlaneLayout layout;
    /** Per stored axis: FILE, LENGTH_ONE, or the index of the page axis; unused for plane axes. */
    private final int[] sourceOfAxis;
    private final String description;
    private final Map<String, Object> metadata;

    /**
     * Reads each file's header (sizes, page counts, ImageJ axes) and decodes the first page to learn
     * the dtype.
     *
     * @param axisNames the --axes names, or empty for the defaults
     * @param maxPixels the most pixels of one image
     * @param bufferBytes the most bytes of one decoded TIFF tile row or strip when pages are read in tile rows
     * @throws CliException (data) for mismatched images, (usage) for names that do not fit
     * @throws JpklFormatException for unreadable, damaged or oversized images
     */
    ImageStackInput(List<Path> files, List<String> axisNames, String rgbAxis, long maxPixels, long bufferBytes) throws IOException {
        this.files = List.copyOf(files);
        this.maxPixels = maxPixels;
        this.bufferBytes = bufferBytes;
        PageAxes firstAxes = null;
        int[] firstSize = null;
        int pageCount = -1;
        for (Path f : files) {
            try (ImagePages pages = open(f, maxPixels)) {
                int n = pages.pageCount();
                int[] size = pages.size(0);
                PageAxes axes = pageAxes(pages, n, !axisNames.isEmpty());
                if (firstAxes == null) {
                    firstAxes = axes;
                    firstSize = size;
                    pageCount = n;
                } else if (n != pageCount || size[0] != firstSize[0] || size[1] != firstSize[1]) {
                    throw CliException.data(f + ": " + describe(size, n) + "; " + files.get(0) + " is "
                            + describe(firstSize, pageCount) + "; every image of a stack needs the same size and page count");
                } else if (!axes.equals(firstAxes)) {
                    throw CliException.data(f + ": its pages are axes " + axes + "; those of " + files.get(0) + " are " + firstAxes
                            + "; every file of a stack needs the same page axes");
                }
            }
        }
        List<String> plainNames = withoutSizes(axisNames);
        this.pageAxes = sizedPageAxes(axisNames, rgbAxis, pageCount, files.size()).orElse(firstAxes);
        axisNames = plainNames;
        this.spec = firstSpec(files.get(0), maxPixels);
        boolean rgb = spec.channels() == ChannelLayout.RGB;

        List<String> detectedNames = new ArrayList<>();
        List<Integer> detectedSizes = new ArrayList<>();
        List<Integer> detectedSources = new ArrayList<>();
        if (files.size() > 1) {
            detectedNames.add(fileAxisName(pageAxes.names()));
            detectedSizes.add(files.size());
            detectedSources.add(FILE);
        }
        int[] pageSizes = pageAxes.sizes();
        for (int k = 0; k < pageSizes.length; k++) {
            detectedNames.add(pageAxes.names().get(k));
            detectedSizes.add(pageSizes[k]);
            detectedSources.add(k);
        }
        String detected = (rgb ? "RGB" : "grey") + " images, " + files.size() + " file(s) x " + pageCount + " page(s)"
                + (pageAxes.imageJ().isEmpty() ? "" : " (ImageJ axes " + pageAxes + ")");

        List<String> resolved = new ArrayList<>();
        if (axisNames.isEmpty()) {
            resolved.addAll(detectedNames);
            resolved.addAll(List.of("y", "x"));
            if (rgb) {
                resolved.add(rgbAxis);
            }
        } else {
            resolved.addAll(axisNames);
        }
        String given = String.join(",", resolved);
        int y = Axes.indexOf(resolved, "y");
        int x = Axes.indexOf(resolved, "x");
        int c = Axes.indexOf(resolved, rgbAxis);
        if (y < 0 || x < 0) {
            throw CliException.usage("--axes " + given + ": name the image plane's axes y and x");
        }
        if (rgb && c < 0) {
            throw CliException.usage("--axes " + given + ": the input is " + detected + "; name the colour axis '" + rgbAxis
                    + "' (e.g. --axes " + String.join(",", example(detectedNames, true, rgbAxis)) + ")");
        }
        if (!rgb && c >= 0) {
            throw CliException.usage("--axes " + given + ": the input is " + detected + "; it has no colour axis '" + resolved.get(c) + "'");
        }
        List<Integer> stackPositions = new ArrayList<>();
        for (int a = 0; a < resolved.size(); a++) {
            if (a != y && a != x && a != c) {
                stackPositions.add(a);
            }
        }
        int[] sourceOfStack = match(stackPositions, resolved, detectedNames, detectedSources, given, detected, rgb, rgbAxis);

        this.names = List.copyOf(resolved);
        this.shape = new int[resolved.size()];
        this.sourceOfAxis = new int[resolved.size()];
        for (int i = 0; i < stackPositions.size(); i++) {
            int a = stackPositions.get(i);
            int source = sourceOfStack[i];
            sourceOfAxis[a] = source;
            shape[a] = source == LENGTH_ONE ? 1 : detectedSizes.get(detectedSources.indexOf(source));
        }
        shape[y] = spec.height();
        shape[x] = spec.width();
        if (c >= 0) {
            shape[c] = 3;
        }
        this.layout = rgb ? PlaneLayout.of(y, x, c) : PlaneLayout.of(y, x);
        String kind = extension(files.get(0));
        this.description = (files.size() == 1 ? files.get(0).toString() : files.size() + " " + kind + " files (" + files.get(0).getFileName()
                + " ... " + files.get(files.size() - 1).getFileName() + ")") + ", " + pageCount + " page(s) each"
                + (pageAxes.imageJ().isEmpty() ? "" : " (ImageJ: " + pageAxes + ")") + ", " + spec;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", files.size() == 1 ? String.valueOf(files.get(0).getFileName())
                : files.size() + " files, " + files.get(0).getFileName() + " ... " + files.get(files.size() - 1).getFileName());
        if (!pageAxes.imageJ().isEmpty()) {
            meta.put("imagej", pageAxes.imageJ());
        }
        this.metadata = meta;
    }

    /**
     * Which detected axis each named stack axis takes: by name when every detected name is named
     * (unmatched names get length 1), else by position when the counts agree and no name stands at
     * another detected axis's position.
     */
    private static int[] match(List<Integer> stackPositions, List<String> resolved, List<String> detectedNames,
                               List<Integer> detectedSources, String given, String detected, boolean rgb, String rgbAxis) {
        int n = stackPositions.size();
        int[] source = new int[n];
        boolean allNamed = true;
        for (String d : detectedNames) {
            boolean found = false;
            for (int a : stackPositions) {
                found |= resolved.get(a).equalsIgnoreCase(d);
            }
            allNamed &= found;
        }
        if (allNamed) {
            for (int i = 0; i < n; i++) {
                int d = Axes.indexOf(detectedNames, resolved.get(stackPositions.get(i)));
                source[i] = d < 0 ? LENGTH_ONE : detectedSources.get(d);
            }
            return source;
        }
        boolean positional = n == detectedNames.size();
        for (int i = 0; i < n && positional; i++) {
            int d = Axes.indexOf(detectedNames, resolved.get(stackPositions.get(i)));
            positional = d < 0 || d == i;
        }
        if (positional) {
            for (int i = 0; i < n; i++) {
                source[i] = detectedSources.get(i);
            }
            return source;
        }
        throw CliException.usage("--axes " + given + ": the input (" + detected + ") has " + (detectedNames.isEmpty() ? "no stack axis"
                + " besides the plane" : "the stack axes " + String.join(", ", describeAll(detectedNames, detectedSources)))
                + "; name " + (detectedNames.isEmpty() ? "y, x" : "each of them") + (rgb ? " and the colour axis '" + rgbAxis + "'" : "")
                + " (in any order; other names become axes of length 1, e.g. --axes " + String.join(",", example(detectedNames, rgb, rgbAxis))
                + "), or give exactly " + detectedNames.size() + " other name(s) to rename them in order");
    }

    private static List<String> describeAll(List<String> names, List<Integer> sources) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(names.get(i) + (sources.get(i) == FILE ? " (files)" : " (pages)"));
        }
        return out;
    }

    private static List<String> example(List<String> stack, boolean rgb, String rgbAxis) {
        List<String> n = new ArrayList<>(stack.isEmpty() ? List.of("z") : stack);
        n.addAll(List.of("y", "x"));
        if (rgb) {
            n.add(rgbAxis);
        }
        return n;
    }

    /**
     * Page axes given with sizes in --axes ({@code t=5,z,y,x}: the stack names in order, at most one
     * without a size, which takes the rest of the pages), or empty when no name has a size.
     *
     * @throws CliException (usage) for sizes that do not fit the page count, or several files
     */
    private static Optional<PageAxes> sizedPageAxes(List<String> axisNames, String rgbAxis, int pages, int fileCount) {
        if (axisNames.stream().noneMatch(n -> n.indexOf('=') >= 0)) {
            return Optional.empty();
        }
        String given = String.join(",", axisNames);
        if (fileCount > 1) {
            throw CliException.usage("--axes " + given + ": sizes (NAME=SIZE) split the pages of one file; " + fileCount + " files are given");
        }
        List<String> names = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int open = -1;
        long known = 1;
        for (String n : axisNames) {
            int eq = n.indexOf('=');
            String name = (eq < 0 ? n : n.substring(0, eq)).strip();
            boolean plane = name.equalsIgnoreCase("y") || name.equalsIgnoreCase("x") || name.equalsIgnoreCase(rgbAxis);
            if (plane) {
                if (eq >= 0) {
                    throw CliException.usage("--axes " + given + ": '" + n + "': the plane's size comes from the images; give sizes only"
                            + " to the page axes");
                }
                continue;
            }
            int size = -1;
            if (eq >= 0) {
                try {
                    size = Integer.parseInt(n.substring(eq + 1).strip());
                } catch (NumberFormatException e) {
                    size = 0;
                }
                if (size < 1) {
                    throw CliException.usage("--axes " + given + ": '" + n + "': the size must be an integer >= 1");
                }
                known *= size;
            } else if (open >= 0) {
                throw CliException.usage("--axes " + given + ": '" + names.get(open) + "' and '" + name + "' both lack a size; at most"
                        + " one page axis may take the rest of the pages");
            } else {
                open = names.size();
            }
            names.add(name);
            sizes.add(size);
        }
        if (open >= 0 && pages % known == 0) {
            sizes.set(open, (int) (pages / known));
            known = pages;
        }
        if (known != pages) {
            throw CliException.usage("--axes " + given + ": the sizes give " + (open >= 0 ? "a multiple of " : "") + known + " pages; the"
                    + " file has " + pages);
        }
        return Optional.of(PageAxes.of(names, sizes.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static List<String> withoutSizes(List<String> axisNames) {
        List<String> out = new ArrayList<>();
        for (String n : axisNames) {
            int eq = n.indexOf('=');
            out.add(eq < 0 ? n : n.substring(0, eq).strip());
        }
        for (int i = 0; i < out.size(); i++) {
            if (Axes.indexOf(out.subList(0, i), out.get(i)) >= 0) {
                throw CliException.usage("--axes " + String.join(",", axisNames) + ": the name '" + out.get(i) + "' appears twice");
            }
        }
        return out;
    }

    /**
     * The file's page axes; when its ImageJ description does not fit its page count, with --axes
     * one plain page axis (the names then say what the pages are), without them a data error.
     */
    private static PageAxes pageAxes(ImagePages pages, int n, boolean axesGiven) throws IOException {
        Optional<String> description = pages.description(0);
        try {
            return PageAxes.of(description, n, pages.name());
        } catch (JpklFormatException e) {
            if (!axesGiven) {
                throw CliException.data(e.getMessage() + " (with --axes, e.g. --axes z,y,x, the pages are read as one axis)", e);
            }
            return PageAxes.of(Optional.empty(), n, pages.name());
        }
    }

    private static String fileAxisName(List<String> pageNames) {
        if (pageNames.isEmpty()) {
            return "z";
        }
        return Axes.indexOf(pageNames, "t") < 0 ? "t" : "file";
    }

    private static ImagePages open(Path f, long maxPixels) throws IOException {
        return ImagePages.open(f, maxPixels, "raise the limit with --max-image-pixels");
    }

    private static String describe(int[] size, int pages) {
        return size[0] + "x" + size[1] + " pixels, " + pages + " page(s)";
    }

    private static String extension(Path p) {
        String n = String.valueOf(p.getFileName());
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "image" : n.substring(dot + 1).toUpperCase(Locale.ROOT);
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
        return "one decoded page at a time (into a tiled container, TIFF pages one tile row at a time), files in natural name order";
    }

    @Override
    public void readPlanes(PlaneSink sink) throws IOException {
        PlaneBuffer plane = PlaneBuffer.allocate(spec.spec());
        forEachPage((pages, page, name, sliceNumber) -> {
            decode(pages, page, name, plane);
            sink.accept(sliceNumber, plane);
        });
    }

    /**
     * Reads TIFF pages whose samples are read as stored (grey, RGB, palette) one tile row at a time
     * through {@link PageRows} (the TIFF's tiles or strips each decoded once; memory one tile row and
     * one of the TIFF's blocks), so a page larger than memory is read; other images are decoded
     * whole and handed out row by row.
     */
    @Override
    public void readTileRows(TileGrid grid, RowSink sink) throws IOException {
        PlaneBuffer[] bands = new PlaneBuffer[2];
        PlaneBuffer[] whole = new PlaneBuffer[1];
        forEachPage((pages, page, name, sliceNumber) -> {
            Optional<ImageTypeSpecifier> stored = pages.storedType(page);
            if (stored.isEmpty()) {
                if (whole[0] == null) {
                    whole[0] = PlaneBuffer.allocate(spec.spec());
                }
                decode(pages, page, name, whole[0]);
                int rowSamples = spec.width() * spec.channels().samplesPerPixel();
                for (int r = 0; r < grid.rows(); r++) {
                    sink.accept(sliceNumber, r, PlaneBuffer.wrap(bandSpec(grid, r), whole[0].array(), whole[0].offset()
                            + grid.y0(r) * rowSamples));
                }
                return;
            }
            int[] size = pages.size(page);
            ImageTypeSpecifier type = stored.get();
            check(Plane.of(type, size, name), name, pages, page);
            int bytesPerPixel = type.getSampleModel().getNumBands() * Math.max(1, DataBuffer.getDataTypeSize(type.getSampleModel()
                    .getDataType()) / 8);
            PageRows rows;
            try {
                rows = PageRows.open(pages, page, bytesPerPixel, bufferBytes);
            } catch (IllegalArgumentException e) {
                throw CliException.data(e.getMessage() + " (--buffer)", e);
            }
            for (int r = 0; r < grid.rows(); r++) {
                PlaneSpec bandSpec = bandSpec(grid, r);
                int slot = r + 1 == grid.rows() && grid.heightOf(r) != grid.tileHeight() ? 1 : 0;
                if (bands[slot] == null || !bands[slot].spec().equals(bandSpec)) {
                    bands[slot] = PlaneBuffer.allocate(bandSpec);
                }
                rows.read(grid.y0(r), bands[slot]);
                sink.accept(sliceNumber, r, bands[slot]);
            }
        });
    }

    private PlaneSpec bandSpec(TileGrid grid, int row) {
        return new PlaneSpec(spec.dtype(), grid.heightOf(row), spec.width(), spec.channels());
    }

    /** Decodes a whole page into {@code plane}, checking that it is what the stack's first page is. */
    private void decode(ImagePages pages, int page, String name, PlaneBuffer plane) throws IOException {
        ImagePages.Page decoded = pages.read(page);
        check(Plane.of(ImageSpecs.specOf(decoded.raster(), decoded.colorModel(), name)), name, pages, page);
        RasterPlanes.copyToPlane(decoded.raster(), decoded.colorModel(), plane);
    }

    private void check(Plane found, String name, ImagePages pages, int page) {
        if (!found.equals(spec)) {
            boolean firstFile = Path.of(pages.name()).equals(files.get(0));
            throw CliException.data(name + ": is " + found + "; " + (firstFile ? "page 0" : files.get(0)) + " is " + spec
                    + "; every image of a stack needs the same size, dtype and channels");
        }
    }

    /**
     * The plane a page becomes: dtype, channels and size, which may exceed what one Java array (a
     * {@link PlaneSpec}) holds when the page is read by tile rows. Printed as a {@code PlaneSpec} is.
     */
    private static final class Plane {
        final DType dtype;
        final ChannelLayout channels;
        final int height;
        final int width;

        private Plane(DType dtype, ChannelLayout channels, int height, int width) {
            this.dtype = dtype;
            this.channels = channels;
            this.height = height;
            this.width = width;
        }

        static Plane of(PlaneSpec s) {
            return new Plane(s.dtype(), s.channels(), s.height(), s.width());
        }

        /** From a page's header type and {@code {width, height}}. */
        static Plane of(ImageTypeSpecifier type, int[] size, String name) {
            PlaneSpec pixel = ImageSpecs.specOf(type.getSampleModel(), type.getColorModel(), 1, 1, name);
            return new Plane(pixel.dtype(), pixel.channels(), size[1], size[0]);
        }

        DType dtype() {
            return dtype;
        }

        ChannelLayout channels() {
            return channels;
        }

        int height() {
            return height;
        }

        int width() {
            return width;
        }

        long byteSize() {
            return (long) height * width * channels.samplesPerPixel() * dtype.byteSize();
        }

        /** As a PlaneSpec, for whole-page reads. */
        PlaneSpec spec() {
            return new PlaneSpec(dtype, height, width, channels);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Plane && ((Plane) o).dtype == dtype && ((Plane) o).channels == channels
                    && ((Plane) o).height == height && ((Plane) o).width == width;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(dtype, channels, height, width);
        }

        @Override
        public String toString() {
            return dtype + " " + height + "x" + width + " " + channels;
        }
    }

    /** One page of the stack, with its slice number. */
    @FunctionalInterface
    private interface PageVisitor {
        void visit(ImagePages pages, int page, String name, long sliceNumber) throws IOException;
    }

    /** Visits every page of every file, in file and page order, with the slice number it is stored as. */
    private void forEachPage(PageVisitor visitor) throws IOException {
        KeySpace keys = new KeySpace(shape, layout);
        int[] keyAxes = keys.keyAxes();
        int[] key = new int[keyAxes.length];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (ImagePages pages = open(file, maxPixels)) {
                if (pages.pageCount() != pageAxes.pageCount()) {
                    throw CliException.data(file + ": now has " + pages.pageCount() + " page(s); it had " + pageAxes.pageCount()
                            + " when the stack was opened");
                }
                for (int page = 0; page < pages.pageCount(); page++) {
                    String name = file + (pages.pageCount() > 1 ? " page " + page : "");
                    int[] position = pageAxes.position(page);
                    for (int k = 0; k < keyAxes.length; k++) {
                        int source = sourceOfAxis[keyAxes[k]];
                        key[k] = source == FILE ? f : source == LENGTH_ONE ? 0 : position[source];
                    }
                    visitor.visit(pages, page, name, keys.sliceNumber(key));
                }
            }
        }
    }

    /**
     * The plane of the stack's first page: from its header when it is read as stored (TIFF grey,
     * RGB, palette: nothing is decoded, so a page larger than memory is not loaded here), else by
     * decoding it.
     */
    private static Plane firstSpec(Path file, long maxPixels) throws IOException {
        try (ImagePages pages = open(file, maxPixels)) {
            Optional<ImageTypeSpecifier> stored = pages.storedType(0);
            if (stored.isPresent()) {
                int[] size = pages.size(0);
                return Plane.of(stored.get(), size, file.toString());
            }
            ImagePages.Page first = pages.read(0);
            return Plane.of(ImageSpecs.specOf(first.raster(), first.colorModel(), file.toString()));
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
