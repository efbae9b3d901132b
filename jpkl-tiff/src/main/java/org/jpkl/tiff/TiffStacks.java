package org.jpkl.tiff;

import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageTypeSpecifier;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.Index;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Selection;
import org.jpkl.api.Shapes;
import org.jpkl.api.TileGrid;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.ContainerHeader;

/**
 * Multi-page TIFF stacks in and out, one page at a time (read with TwelveMonkeys ImageIO TIFF, used
 * directly, without scanning for ImageIO plugins; written with {@link TiffPageWriter}).
 *
 * <ul>
 *   <li>{@link #importStack} reads a TIFF (classic or BigTIFF; uint8, uint16, int16, int32, float32,
 *       float64 grey, or RGB) page by page into a streaming {@link JpklWriter}: memory holds one page
 *       plus the writer's in-flight planes, whatever the stack's size; into a tiled container (e.g.
 *       planes with a side above {@value WriteOptions#AUTO_TILE_ABOVE}), one tile row of a page at a
 *       time ({@link PageRows}), so a page larger than memory is imported too. Page order maps to one or more
 *       key axes: given, or from an ImageJ hyperstack description, or one {@code z} axis.</li>
 *   <li>{@link #exportSelection} writes any selection ({@code get} expression) as a multi-page TIFF
 *       ImageJ/Fiji open, samples as stored (8/16-bit, or 32-bit float), with an ImageJ description
 *       naming slices, frames and channels; one page is decoded at a time. BigTIFF is written when
 *       the pages could pass 4 GiB (every dtype, float32 included), or when asked for.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; each call uses its own reader or writer.
 */
public final class TiffStacks {

    private TiffStacks() {
    }

    /**
     * Imports a multi-page TIFF as an array written to {@code target}, page by page. The array is
     * {@code pages..., y, x, (colour)} (or plane axes first, see {@link TiffImportOptions}), of the
     * pages' dtype; the metadata gains {@code "tiff": {"source", "pages", "imagej"?}} (the ImageJ
     * description's entries, when present).
     *
     * <p>When the written container is tiled ({@link WriteOptions.Builder#tiles}, or the automatic
     * tiling of large planes), each page is read and written one tile row at a time: the TIFF's own
     * tiles or strips that a tile row touches are decoded, each once ({@link PageRows}); memory is a
     * tile row at full width plus the writer's tiles in flight, never a whole page.
     *
     * @return the header of the written array
     * @throws IllegalArgumentException if the page axes do not fit the page count, or the pages are
     *     palette colour, have alpha or other sample counts than 1 and 3, or differ in size or type;
     *     or for what {@link Jpkl#newWriter} refuses (e.g. a codec that cannot hold the dtype); or,
     *     written tiled, if a page's compressed strips are too large to decode in bands ({@link PageRows#open})
     * @throws JpklFormatException if the TIFF cannot be read, is damaged or truncated (see
     *     {@link ImagePages}), or its ImageJ description does not match its page count
     */
    public static ContainerHeader importStack(Jpkl jpkl, Path tiff, Path target, TiffImportOptions options) throws IOException {
        Objects.requireNonNull(jpkl, "jpkl");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        String name = tiff.toString();
        try (ImagePages file = ImagePages.open(tiff, options.maxImagePixels(), "raise the limit with TiffImportOptions.Builder.maxImagePixels")) {
            if (!file.format().equals("TIFF")) {
                throw new JpklFormatException(name, "header", "is " + file.format() + ", not TIFF");
            }
            int pages = file.pageCount();
            PageAxes fromFile = PageAxes.of(file.description(0), pages, name);
            PageType first = PageType.of(file, 0, name);
            List<String> pageNames = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            pageAxes(options, fromFile, pages, name, pageNames, pageSizes);

            boolean rgb = first.channels == ChannelLayout.RGB;
            int keys = pageNames.size();
            int ndim = keys + (rgb ? 3 : 2);
            int[] shape = new int[ndim];
            List<String> names = new ArrayList<>();
            int plane = options.planeAxesFirst() ? 0 : keys;
            int keyStart = options.planeAxesFirst() ? (rgb ? 3 : 2) : 0;
            for (int k = 0; k < keys; k++) {
                shape[keyStart + k] = pageSizes.get(k);
            }
            shape[plane] = first.height;
            shape[plane + 1] = first.width;
            List<String> planeNames = new ArrayList<>(List.of("y", "x"));
            if (rgb) {
                shape[plane + 2] = 3;
                planeNames.add(pageNames.contains("c") ? "s" : "c");
            }
            if (options.planeAxesFirst()) {
                names.addAll(planeNames);
                names.addAll(pageNames);
            } else {
                names.addAll(pageNames);
                names.addAll(planeNames);
            }
            PlaneLayout layout = rgb ? PlaneLayout.of(plane, plane + 1, plane + 2) : PlaneLayout.of(plane, plane + 1);

            Map<String, Object> tiffInfo = new LinkedHashMap<>();
            tiffInfo.put("source", tiff.getFileName().toString());
            tiffInfo.put("pages", (long) pages);
            if (!fromFile.imageJ().isEmpty()) {
                tiffInfo.put("imagej", fromFile.imageJ());
            }
            WriteOptions.Builder wo = options.writeOptions().toBuilder().layout(layout).axisNames(names);
            if (!options.writeOptions().metadata().containsKey("tiff")) {
                wo.metadata("tiff", tiffInfo);
            }
            try (JpklWriter writer = jpkl.newWriter(target, first.dtype, shape, wo.build())) {
                TileGrid grid = writer.header().tiling().orElse(null);
                PlaneBuffer buffer = grid == null ? PlaneBuffer.allocate(writer.header().planeSpec()) : null;
                for (int p = 0; p < pages; p++) {
                    PageType type = p == 0 ? first : PageType.of(file, p, name);
                    if (!type.equals(first)) {
                        throw new IllegalArgumentException(name + ": page " + p + " is " + type + "; page 0 is " + first
                                + "; every page of a stack must have the same size and sample type");
                    }
                    if (grid != null) {
                        writeTileRows(file, p, writer, grid);
                        continue;
                    }
                    ImagePages.Page page = file.read(p);
                    if (RasterPlanes.dtypeOf(page.raster().getSampleModel().getDataType()) != first.dtype
                            || page.raster().getNumBands() != first.channels.samplesPerPixel()) {
                        throw new JpklFormatException(name, "page " + p, "decoded to other samples than its header gives ("
                                + first + ")");
                    }
                    RasterPlanes.copyToPlane(page.raster(), buffer);
                    writer.write(p, buffer);
                }
                writer.commit();
                return writer.header();
            }
        }
    }

    /**
     * Writes page {@code p} as slice {@code p} of a tiled container, one tile row at a time, read in
     * bands of the tile height ({@link PageRows}): memory is one tile row and one of the TIFF's own
     * blocks, whatever the page's size.
     */
    private static void writeTileRows(ImagePages file, int p, JpklWriter writer, TileGrid grid) throws IOException {
        ContainerHeader h = writer.header();
        PageRows rows = PageRows.open(file, p, h.layout().channels().samplesPerPixel() * h.dtype().byteSize(),
                PageRows.DEFAULT_BUDGET_BYTES);
        PlaneBuffer band = null;
        for (int r = 0; r < grid.rows(); r++) {
            PlaneSpec spec = new PlaneSpec(h.dtype(), grid.heightOf(r), grid.planeWidth(), h.layout().channels());
            if (band == null || !band.spec().equals(spec)) {
                band = PlaneBuffer.allocate(spec);
            }
            rows.read(grid.y0(r), band);
            writer.writeTileRow(p, r, band);
        }
    }

    /** Resolves the page axes: explicit, else the file's (ImageJ's, or one z axis, none for one page). */
    private static void pageAxes(TiffImportOptions options, PageAxes fromFile, int pages, String name,
                                 List<String> names, List<Integer> sizes) {
        if (options.explicitAxes().isPresent()) {
            names.addAll(options.axisNames());
            long known = 1;
            boolean beyond = false;
            int open = -1;
            for (int i = 0; i < names.size(); i++) {
                int s = options.axisSizes().get(i);
                if (s < 0) {
                    open = i;
                } else if (known <= pages) {
                    known *= s; // at most 2^31 * 2^31: no overflow, however many axes are given
                } else {
                    beyond = true;
                }
                sizes.add(s);
            }
            if (beyond) {
                throw new IllegalArgumentException(name + ": axes " + options.axisNames() + " with sizes " + options.axisSizes()
                        + " hold more than the " + pages + " pages of the TIFF");
            }
            if (open >= 0) {
                if (pages % known != 0) {
                    throw new IllegalArgumentException(name + ": the " + pages + " pages cannot be split into axes "
                            + options.axisNames() + " with sizes " + options.axisSizes() + " (" + pages + " is not a multiple of "
                            + known + ")");
                }
                sizes.set(open, (int) (pages / known));
            } else if (known != pages) {
                throw new IllegalArgumentException(name + ": axes " + options.axisNames() + " with sizes " + options.axisSizes()
                        + " hold " + known + " pages; the TIFF has " + pages);
            }
            return;
        }
        names.addAll(fromFile.names());
        for (int s : fromFile.sizes()) {
            sizes.add(s);
        }
    }

    /** Size and sample type of one page, from the reader's raw image type (no pixels read). */
    private static final class PageType {
        final int width;
        final int height;
        final DType dtype;
        final ChannelLayout channels;

        private PageType(int width, int height, DType dtype, ChannelLayout channels) {
            this.width = width;
            this.height = height;
            this.dtype = dtype;
            this.channels = channels;
        }

        static PageType of(ImagePages file, int page, String name) throws IOException {
            ImageTypeSpecifier type = file.type(page);
            int[] size = file.size(page);
            int width = size[0];
            int height = size[1];
            if (type.getColorModel() instanceof IndexColorModel) {
                throw new IllegalArgumentException(name + ": page " + page + " is palette colour; import stores samples, and its "
                        + "palette indices are not the colours (convert the stack to grey or RGB first)");
            }
            int bands = type.getSampleModel().getNumBands();
            if (bands != 1 && bands != 3) {
                throw new IllegalArgumentException(name + ": page " + page + " has " + bands + " samples per pixel"
                        + (bands == 2 || bands == 4 ? " (with alpha, which would be lost)" : "")
                        + "; import reads grey (1) or RGB (3)");
            }
            DType dtype = RasterPlanes.dtypeOf(type.getSampleModel().getDataType());
            if (dtype == null) {
                throw new IllegalArgumentException(name + ": page " + page + " has samples of ImageIO data type "
                        + type.getSampleModel().getDataType() + ", which has no jpkl dtype");
            }
            return new PageType(width, height, dtype, bands == 3 ? ChannelLayout.RGB : ChannelLayout.GREY);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PageType && ((PageType) o).width == width && ((PageType) o).height == height
                    && ((PageType) o).dtype == dtype && ((PageType) o).channels == channels;
        }

        @Override
        public int hashCode() {
            return Objects.hash(width, height, dtype, channels);
        }

        @Override
        public String toString() {
            return dtype + " " + height + "x" + width + " " + channels;
        }
    }

    /**
     * Checks that planes of this dtype and channel layout can be written as TIFF pages, before any
     * work: grey or RGB uint8 and uint16, grey float32 (ImageJ's image types).
     *
     * @throws IllegalArgumentException naming the dtype and what is written
     */
    public static void checkExportable(DType dtype, ChannelLayout channels) {
        RasterPlanes.pageImage(new PlaneSpec(dtype, 1, 1, channels));
    }

    /** As {@link #exportSelection(JpklArray, String, Path, TiffExportOptions)} with the default options. */
    public static long exportSelection(JpklArray array, String expression, Path tiff) throws IOException {
        return exportSelection(array, expression, tiff, TiffExportOptions.defaults());
    }

    /**
     * Writes the selection {@code array.get(expression)} as a multi-page TIFF: each page is a (y, x)
     * plane of the selection (RGB when all three colour samples are selected), pages in C order of
     * the selected key axes; samples as stored. One page is decoded at a time. The file is written
     * through {@link AtomicFileOutput} (a temporary file moved into place when complete; a device or
     * pipe written through, a folder refused); BigTIFF when the pages could pass 4 GiB (see
     * {@link TiffExportOptions.Variant}). The file is little-endian, one strip per page, the pages'
     * samples back to back (as ImageJ writes stacks, and as its reader expects of an uncompressed
     * stack with an ImageJ description), then one IFD per page: uint8 and uint16 pages are
     * BlackIsZero grey or RGB, float32 pages grey with SampleFormat 3 (IEEE float), every bit of
     * every sample kept (NaN payloads and signs, signed zeros, subnormals).
     *
     * <p>With {@linkplain TiffExportOptions#imageJ() an ImageJ description}, pages whose axes are named
     * as time, z and channel axes ({@code t}/{@code time}, {@code z}, {@code c}/{@code channel}) are
     * written in ImageJ's order (channels fastest, then slices, then frames) whatever their stored
     * order, and described as a hyperstack ({@code images=, channels=, slices=, frames=,
     * hyperstack=true}); other page axes make a plain stack. A calibration in the array's metadata
     * becomes the X/YResolution tags and the description's {@code unit=, spacing=, finterval=, tunit=}:
     * {@code "spacing"}, an object from axis name to the positive distance between neighbouring
     * elements along that axis (pixel width and height along x and y, slice spacing along the z
     * axis, frame interval along the time axis), {@code "unit"}, the unit of the spatial spacings
     * (e.g. {@code "micron"}), and {@code "time_unit"} (e.g. {@code "sec"}); e.g.
     * {@code {"spacing": {"x": 0.65, "y": 0.65, "z": 2}, "unit": "micron"}}.
     *
     * @return the number of pages written
     * @throws IllegalArgumentException if the selection drops the y or x axis, selects 2 colour
     *     samples, or has a dtype TIFF export does not write (int16, int32, float64, RGB float32), or
     *     the metadata's calibration is malformed (a spacing that is not a positive number); if a
     *     classic TIFF ({@link TiffExportOptions.Variant#CLASSIC}) would pass 4 GiB
     */
    public static long exportSelection(JpklArray array, String expression, Path tiff, TiffExportOptions options)
            throws IOException {
        Objects.requireNonNull(options, "options");
        int[] shape = array.shape();
        Selection selection = Selection.resolve(expression, shape);
        PlaneLayout layout = array.layout();
        int yAxis = layout.yAxis();
        int xAxis = layout.xAxis();
        for (int axis : new int[] {yAxis, xAxis}) {
            if (selection.resultAxis(axis) < 0) {
                throw new IllegalArgumentException("selection [" + expression + "] drops axis " + axis + " ('" + array.axisNames().get(axis)
                        + "'); a TIFF page needs the y and x axes");
            }
        }
        int colour = layout.channelAxis().orElse(-1);
        boolean rgb = colour >= 0 && selection.resultAxis(colour) >= 0;
        if (rgb && selection.count(colour) != 3) {
            throw new IllegalArgumentException("selection [" + expression + "] keeps " + selection.count(colour)
                    + " of the 3 colour samples; select all three (RGB pages) or one (grey pages)");
        }
        List<Integer> pageAxes = new ArrayList<>();
        for (int a = 0; a < shape.length; a++) {
            if (!layout.isPlaneAxis(a) && selection.resultAxis(a) >= 0) {
                pageAxes.add(a);
            }
        }
        if (options.imageJ()) {
            ImageJDescription.sortToImageJOrder(pageAxes, array.axisNames());
        }
        List<String> pageNames = new ArrayList<>();
        for (int a : pageAxes) {
            pageNames.add(array.axisNames().get(a));
        }
        int[] pageSizes = pageAxes.stream().mapToInt(selection::count).toArray();
        long pages = Shapes.product(pageSizes);
        int height = selection.count(yAxis);
        int width = selection.count(xAxis);
        if (pages == 0 || height == 0 || width == 0) {
            throw new IllegalArgumentException("selection [" + expression + "] is empty (" + pages + " pages of " + height + "x"
                    + width + "); a TIFF needs at least one page");
        }
        PlaneSpec spec = new PlaneSpec(array.dtype(), height, width, rgb ? ChannelLayout.RGB : ChannelLayout.GREY);
        Object bank = RasterPlanes.bank(RasterPlanes.pageImage(spec));
        String description = null;
        Calibration calibration = Calibration.NONE;
        if (options.imageJ()) {
            calibration = Calibration.of(array.metadata(), array.axisNames().get(yAxis), array.axisNames().get(xAxis));
            description = ImageJDescription.format(pageNames, pageSizes, pages, rgb ? "color" : "grayscale", null, calibration);
        }
        boolean big = bigTiff(options, spec, pages, description);
        try (AtomicFileOutput file = AtomicFileOutput.create(tiff)) {
            try (TiffPageWriter writer = new TiffPageWriter(file.tempFile(), tiff.toString(), big, spec, pages, options.compression(),
                    description, calibration.resolution())) {
                int[] position = new int[pageAxes.size()];
                for (long p = 0; p < pages; p++) {
                    nextPage(array, selection, pageAxes, pageSizes, position, rgb, bank, spec);
                    writer.writePage(bank);
                }
                writer.finish();
            } catch (IOException e) {
                throw AtomicFileOutput.naming(file.target(), e);
            }
            file.commit();
            return pages;
        }
    }

    /**
     * Whether these pages are written as BigTIFF: always for {@link TiffExportOptions.Variant#BIG};
     * for {@link TiffExportOptions.Variant#AUTO} when a classic TIFF of them could pass 4 GiB (at
     * the compression's worst case: LZW can grow noise by half).
     *
     * @throws IllegalArgumentException for {@link TiffExportOptions.Variant#CLASSIC} when the
     *     uncompressed pages alone pass 4 GiB
     */
    static boolean bigTiff(TiffExportOptions options, PlaneSpec spec, long pages, String description) {
        int text = description == null ? 0 : description.getBytes(StandardCharsets.UTF_8).length;
        switch (options.variant()) {
            case BIG:
                return true;
            case CLASSIC:
                if (TiffPageWriter.classicBound(spec, pages, TiffExportOptions.Compression.NONE, text) > TiffPageWriter.CLASSIC_LIMIT) {
                    throw new IllegalArgumentException(pages + " pages of " + spec + " pass the 4 GiB a classic TIFF can address;"
                            + " export as BigTIFF (variant AUTO or BIG) or fewer pages");
                }
                return false;
            default:
                return TiffPageWriter.classicBound(spec, pages, options.compression(), text) > TiffPageWriter.CLASSIC_LIMIT;
        }
    }

    /**
     * Copies the page at {@code position} (one index per page axis, C order) into {@code bank} and
     * advances {@code position} to the next page.
     */
    private static void nextPage(JpklArray array, Selection selection, List<Integer> pageAxes, int[] pageSizes, int[] position,
                                 boolean rgb, Object bank, PlaneSpec spec) throws IOException {
        int[] shape = array.shape();
        List<Index> items = new ArrayList<>();
        for (int a = 0; a < shape.length; a++) {
            int k = pageAxes.indexOf(a);
            if (k >= 0) {
                items.add(Index.at(selection.position(a, position[k])));
            } else if (selection.resultAxis(a) < 0) {
                items.add(Index.at(selection.start(a)));
            } else {
                items.add(range(selection, a));
            }
        }
        copyPage(array.get(items), array.layout(), rgb, bank, spec);
        for (int k = position.length - 1; k >= 0; k--) {
            if (++position[k] < pageSizes[k]) {
                break;
            }
            position[k] = 0;
        }
    }

    /** The selection along one kept axis as a slice item (start, stop, step), valid for negative steps too. */
    private static Index range(Selection s, int axis) {
        long start = s.start(axis);
        long step = s.step(axis);
        long stop = start + s.count(axis) * step;
        return Index.slice(start, step < 0 && stop < 0 ? null : stop, step);
    }

    /** Copies a page (axes y, x, (colour) in the array's axis order) into the image's bank, row-major interleaved. */
    private static void copyPage(NdArray page, PlaneLayout layout, boolean rgb, Object bank, PlaneSpec spec) {
        int s = spec.channels().samplesPerPixel();
        int h = spec.height();
        int w = spec.width();
        boolean natural = layout.yAxis() < layout.xAxis() && (!rgb || layout.xAxis() < layout.channelAxis().getAsInt());
        Object data = data(page);
        if (natural) {
            System.arraycopy(data, 0, bank, 0, spec.sampleCount());
            return;
        }
        int[] axes = rgb ? new int[] {layout.yAxis(), layout.xAxis(), layout.channelAxis().getAsInt()}
                : new int[] {layout.yAxis(), layout.xAxis()};
        int[] order = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            for (int j = 0; j < axes.length; j++) {
                if (axes[j] < axes[i]) {
                    order[i]++;
                }
            }
        }
        int[] dims = new int[axes.length];
        int[] lengths = rgb ? new int[] {h, w, 3} : new int[] {h, w};
        for (int i = 0; i < axes.length; i++) {
            dims[order[i]] = lengths[i];
        }
        int[] strides = new int[axes.length];
        int stride = 1;
        for (int d = axes.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= dims[d];
        }
        int yStride = strides[order[0]];
        int xStride = strides[order[1]];
        int cStride = rgb ? strides[order[2]] : 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < s; c++) {
                    System.arraycopy(data, y * yStride + x * xStride + c * cStride, bank, (y * w + x) * s + c, 1);
                }
            }
        }
    }

    private static Object data(NdArray page) {
        switch (page.dtype()) {
            case UINT8:
                return page.toByteArray();
            case UINT16:
                return page.toShortArray();
            default:
                return page.toFloatArray();
        }
    }
}
