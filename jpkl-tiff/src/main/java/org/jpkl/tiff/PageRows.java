package org.jpkl.tiff;

import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Locale;
import java.util.Objects;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;

/**
 * Reads one page of an {@link ImagePages} file in bands of rows at full width, so that a page
 * larger than memory (a slide scan, a stitched mosaic) is imported band by band, e.g. one tile row
 * of a tiled container at a time ({@link org.jpkl.JpklWriter#writeTileRow}). Reads follow the
 * page's own storage ({@link ImagePages#storage}):
 * <ul>
 *   <li>uncompressed strips or tiles: exactly the rows asked for are read;</li>
 *   <li>compressed tiles or strips: each block (a row of tiles, or a strip) the band touches is
 *       decoded once (the blocks wholly inside the band by one read); a block that reaches past the
 *       band is kept for the next band, so a whole page decodes each block once.</li>
 * </ul>
 * Memory: the band, the band's blocks as decoded, and one kept block (at most {@code budgetBytes}). A page whose compressed
 * blocks are larger than the budget (e.g. one deflate strip for the whole page) cannot be read in
 * bands and is refused when opened, saying so.
 *
 * <p>Thread safety: not thread-safe; it shares its {@link ImagePages}' reader.
 */
public final class PageRows {
    /** The default most bytes of one decoded block: 256 MiB. */
    public static final long DEFAULT_BUDGET_BYTES = 256L << 20;

    private final ImagePages file;
    private final int page;
    private final ImagePages.Storage storage;
    private final int width;
    private final int height;
    /** The block kept from the previous band, and its first row (-1: none). */
    private Raster kept;
    private IndexColorModel keptPalette;
    private int keptY0 = -1;

    private PageRows(ImagePages file, int page, ImagePages.Storage storage, int width, int height) {
        this.file = file;
        this.page = page;
        this.storage = storage;
        this.width = width;
        this.height = height;
    }

    /**
     * Prepares to read page {@code page} of {@code file} in bands.
     *
     * @param bytesPerPixel the decoded bytes of one pixel (all its samples)
     * @param budgetBytes the most bytes of one decoded block
     * @throws IllegalArgumentException if the page's blocks are compressed and one decoded block is
     *     larger than {@code budgetBytes} (the message names the file, page, block and budget)
     * @throws JpklFormatException if the page's header is damaged or over the file's pixel limit
     */
    public static PageRows open(ImagePages file, int page, int bytesPerPixel, long budgetBytes) throws JpklFormatException {
        Objects.requireNonNull(file, "file");
        int[] size = file.size(page);
        ImagePages.Storage storage = file.storage(page);
        long blockBytes = (long) storage.blockHeight() * size[0] * bytesPerPixel;
        if (storage.compressed() && blockBytes > budgetBytes) {
            throw new IllegalArgumentException(file.name() + ": page " + page + " (" + size[0] + " x " + size[1] + " pixels) is stored as "
                    + storage + ": one block decodes to " + mb(blockBytes) + ", more than the " + mb(budgetBytes) + " allowed for reading"
                    + " it in bands of rows, and a compressed block cannot be read in parts; store the TIFF tiled (e.g. tifffile's"
                    + " tile=(512, 512)), uncompressed, or with fewer rows per strip, or allow more memory");
        }
        return new PageRows(file, page, storage, size[0], size[1]);
    }

    /** How the page is stored. */
    public ImagePages.Storage storage() {
        return storage;
    }

    /**
     * Reads rows {@code [y0, y0 + band.height)} into {@code band} (full width, samples as stored;
     * palette pages expanded as by {@link RasterPlanes#copyToPlane(Raster, java.awt.image.ColorModel, PlaneBuffer)}).
     *
     * @throws IllegalArgumentException if the band is not as wide as the page
     * @throws IndexOutOfBoundsException if the rows are not within the page
     * @throws JpklFormatException if the page is damaged, or decodes to other samples than the band holds
     */
    public void read(int y0, PlaneBuffer band) throws JpklFormatException {
        PlaneSpec spec = band.spec();
        if (spec.width() != width) {
            throw new IllegalArgumentException("band " + spec + " of " + file.name() + " page " + page + ": the page is " + width
                    + " pixels wide");
        }
        int y1 = y0 + spec.height();
        if (y0 < 0 || y1 > height) {
            throw new IndexOutOfBoundsException(file.name() + ": page " + page + ": rows [" + y0 + ", " + y1 + ") are not within its "
                    + height + " rows");
        }
        if (!storage.compressed()) {
            ImagePages.Page rows = file.readRows(page, y0, spec.height());
            copy(rows.raster(), rows.colorModel(), 0, band, 0, spec.height());
            return;
        }
        int unit = storage.blockHeight();
        int b0 = y0 / unit * unit;
        while (b0 < y1) {
            int end = Math.min(b0 + unit, height);
            Raster block;
            java.awt.image.ColorModel model;
            if (b0 == keptY0) {
                block = kept;
                model = keptPalette;
            } else {
                if (b0 >= y0) {
                    // Consecutive whole blocks inside the band are decoded by one read.
                    while (end < y1 && Math.min(end + unit, height) <= y1) {
                        end = Math.min(end + unit, height);
                    }
                }
                ImagePages.Page decoded = file.readRows(page, b0, end - b0);
                block = decoded.raster();
                model = decoded.colorModel();
            }
            int from = Math.max(y0, b0);
            int to = Math.min(y1, end);
            copy(block, model, from - b0, band, from - y0, to - from);
            if (end > y1) {
                // A block reaching into the next band is kept for it.
                kept = block;
                keptPalette = model instanceof IndexColorModel ? (IndexColorModel) model : null;
                keptY0 = b0;
            } else if (b0 == keptY0) {
                kept = null;
                keptY0 = -1;
            }
            b0 = end;
        }
    }

    /** Copies {@code rows} rows of {@code source} from row {@code sourceRow} into {@code band} from row {@code bandRow}. */
    private void copy(Raster source, java.awt.image.ColorModel model, int sourceRow, PlaneBuffer band, int bandRow, int rows)
            throws JpklFormatException {
        PlaneSpec spec = band.spec();
        int samples = spec.channels().samplesPerPixel();
        boolean palette = model instanceof IndexColorModel;
        if (!palette && (source.getNumBands() != samples || RasterPlanes.dtypeOf(source.getSampleModel().getDataType()) != spec.dtype())) {
            throw new JpklFormatException(file.name(), "page " + page, "rows decoded to " + source.getNumBands() + " samples of ImageIO"
                    + " type " + source.getSampleModel().getDataType() + "; the page's header gives " + spec.dtype() + " " + spec.channels());
        }
        Raster part = sourceRow == 0 && rows == source.getHeight() ? source
                : source.createChild(source.getMinX(), source.getMinY() + sourceRow, width, rows, 0, 0, null);
        PlaneBuffer target = PlaneBuffer.wrap(new PlaneSpec(spec.dtype(), rows, width, spec.channels()), band.array(),
                band.offset() + bandRow * width * samples);
        RasterPlanes.copyToPlane(part, model, target);
    }

    private static String mb(long bytes) {
        return bytes < 1_000_000 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    @Override
    public String toString() {
        return "PageRows[" + file.name() + " page " + page + ", " + storage + "]";
    }
}
