package org.jpkl.tiff;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * One PNG, JPEG or TIFF file (TIFF possibly multi-page), read one page at a time through ImageIO
 * (TwelveMonkeys for TIFF), refusing damage instead of importing invented pixels:
 * <ul>
 *   <li>every failure of the decoder (an exception of any type, including the runtime exceptions
 *       some decoders throw on damaged files) becomes a {@link JpklFormatException} naming the file,
 *       the page and what is wrong;</li>
 *   <li>a decoder warning during a page's decoding (a truncated JPEG's "Missing EOI marker" or
 *       "premature end of data segment", after which the decoder fills the rest with grey) refuses
 *       the page; only warnings about metadata that does not touch the samples (ICC colour profiles,
 *       Exif, XMP, JFIF, thumbnails, unknown application segments) are let through;</li>
 *   <li>a page's size is read from its header and checked before anything is allocated: at least
 *       1 x 1, at most {@link #maxPixels()} pixels, and for PNG no more scanline bytes than deflate
 *       can pack into the file (1032:1). JPEG and compressed TIFF can compress without a useful bound,
 *       so for them the pixel limit bounds memory and the warnings catch what is missing.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; one instance per thread. Closing disposes the reader and closes
 * the file.
 */
public final class ImagePages implements Closeable {
    /**
     * The default most pixels of one page: 2^28 (268,435,456, e.g. 16384 x 16384), about 0.8 GB
     * decoded for 8-bit RGB. A header claiming more is refused before any allocation.
     */
    public static final long DEFAULT_MAX_PIXELS = 1L << 28;
    /** Deflate packs at most 258 bytes into 2 bits (a length-258 match and a distance, 1 bit each). */
    private static final long DEFLATE_MAX_RATIO = 1032;
    private static final int IMAGE_DESCRIPTION_TAG = 270;
    private static final int COMPRESSION_TAG = 259;
    private static final int ROWS_PER_STRIP_TAG = 278;
    private static final String TRUNCATED = "is truncated: the file ends before the data its header points to (or an offset points"
            + " past the end)";
    /** Fragments of decoder warnings about metadata only; any other warning refuses the page. */
    private static final List<String> METADATA_WARNINGS = List.of("icc", "color profile", "colour profile", "exif", "xmp", "jfif",
            "thumbnail", "segment, ignoring");

    private final String name;
    private final long fileSize;
    private final long maxPixels;
    private final String limitHint;
    private final ImageInputStream in;
    private final ImageReader reader;
    private final String format;
    private final int pages;
    private final List<String> warnings = new ArrayList<>();

    private ImagePages(String name, long fileSize, long maxPixels, String limitHint, ImageInputStream in, ImageReader reader,
                       String format) throws IOException {
        this.name = name;
        this.fileSize = fileSize;
        this.maxPixels = maxPixels;
        this.limitHint = limitHint;
        this.in = in;
        this.reader = reader;
        this.format = format;
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        int chain = format.equals("TIFF") ? TiffDirectories.count(in, fileSize, name) : -1;
        this.pages = call("header", () -> reader.getNumImages(true));
        if (pages < 1) {
            throw new JpklFormatException(name, "header", "the " + format + " file holds no image");
        }
        if (chain >= 0 && chain != pages) {
            throw new JpklFormatException(name, "image directories", "the chain holds " + chain + " directories but the TIFF reader"
                    + " found " + pages + " pages");
        }
    }

    /** As {@link #open(Path, long, String)} with {@link #DEFAULT_MAX_PIXELS} and no hint. */
    public static ImagePages open(Path file) throws IOException {
        return open(file, DEFAULT_MAX_PIXELS, "");
    }

    /**
     * Opens a PNG, JPEG or TIFF file and reads its page count (for TIFF, every image directory).
     *
     * @param maxPixels the most pixels a page may have, at least 1
     * @param limitHint how a user raises the limit, appended to the refusal (e.g. "raise it with
     *     --max-image-pixels"), or empty
     * @throws JpklFormatException if no installed ImageIO reader reads the file, or its header is damaged
     * @throws IllegalArgumentException if {@code maxPixels} is below 1
     */
    public static ImagePages open(Path file, long maxPixels, String limitHint) throws IOException {
        Objects.requireNonNull(file, "file");
        checkLimits(maxPixels, limitHint);
        return open(file.toString(), Files.size(file), new FileImageInputStream(file.toFile()), maxPixels, limitHint);
    }

    /**
     * As {@link #open(Path, long, String)}, for the image bytes of {@code source} (for example an
     * object of a storage provider read into memory); the pages are read with positional reads of
     * the source, which the caller closes after this instance.
     */
    public static ImagePages open(RandomAccessSource source, long maxPixels, String limitHint) throws IOException {
        Objects.requireNonNull(source, "source");
        checkLimits(maxPixels, limitHint);
        return open(source.name(), source.size(), new SourceImageInputStream(source), maxPixels, limitHint);
    }

    private static void checkLimits(long maxPixels, String limitHint) {
        Objects.requireNonNull(limitHint, "limitHint");
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels (" + maxPixels + ") must be >= 1");
        }
    }

    /** Opens the image on {@code in}, which it closes on failure and on {@link #close()}. */
    private static ImagePages open(String name, long size, ImageInputStream in, long maxPixels, String limitHint)
            throws IOException {
        ImageReader reader = null;
        try {
            String format;
            if (TiffMagic.matches(in)) {
                reader = new TIFFImageReaderSpi().createReaderInstance();
                format = "TIFF";
            } else {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (!readers.hasNext()) {
                    throw new JpklFormatException(name, "header", "not an image any installed ImageIO reader reads (PNG, JPEG"
                            + " and TIFF are read)");
                }
                reader = readers.next();
                format = reader.getFormatName().toUpperCase(Locale.ROOT);
            }
            reader.setInput(in, false, !format.equals("TIFF"));
            return new ImagePages(name, size, maxPixels, limitHint, in, reader, format);
        } catch (IOException | RuntimeException e) {
            if (reader != null) {
                reader.dispose();
            }
            in.close();
            if (e instanceof IOException) {
                throw (IOException) e;
            }
            throw new JpklFormatException(name, "header", "cannot be read: " + reason(e), e);
        }
    }

    /** The file's name as given, for messages. */
    public String name() {
        return name;
    }

    /** {@code PNG}, {@code JPEG}, {@code TIFF} or the ImageIO format name of another reader, upper case. */
    public String format() {
        return format;
    }

    /** The number of pages (images), at least 1. */
    public int pageCount() {
        return pages;
    }

    /** The most pixels a page may have. */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * A page's width and height from its header, checked against the limits (no pixels are read).
     *
     * @return {@code {width, height}}
     * @throws JpklFormatException if the header is damaged, or the size is empty, over the limit or
     *     impossible for the file's size
     * @throws IndexOutOfBoundsException if {@code page} is not in [0, pageCount)
     */
    public int[] size(int page) throws JpklFormatException {
        Objects.checkIndex(page, pages);
        String region = region(page);
        int width = call(region, () -> reader.getWidth(page));
        int height = call(region, () -> reader.getHeight(page));
        if (width < 1 || height < 1) {
            throw new JpklFormatException(name, region, "the header gives a size of " + width + " x " + height + " pixels");
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new JpklFormatException(name, region, "the header gives " + width + " x " + height + " = " + pixels
                    + " pixels, more than the limit of " + maxPixels + " per image (a damaged or hostile header"
                    + (limitHint.isEmpty() ? "" : "; if the image is real, " + limitHint) + ")");
        }
        if (format.equals("PNG")) {
            ImageTypeSpecifier type = type(page);
            long bits = 0;
            for (int b : type.getSampleModel().getSampleSize()) {
                bits += b;
            }
            long scanlines = height * (1 + (width * bits + 7) / 8);
            if (scanlines > DEFLATE_MAX_RATIO * fileSize + 1024) {
                throw new JpklFormatException(name, region, "the header gives " + width + " x " + height + " pixels (" + scanlines
                        + " bytes of scanlines), more than deflate can pack into a file of " + fileSize + " bytes (at most "
                        + DEFLATE_MAX_RATIO + ":1): the header is damaged or the file is truncated");
            }
        }
        return new int[] {width, height};
    }

    /**
     * The type a page decodes to without colour conversion (its samples as stored), from the header.
     *
     * @throws JpklFormatException if the header is damaged or the reader offers no type
     */
    public ImageTypeSpecifier type(int page) throws JpklFormatException {
        Objects.checkIndex(page, pages);
        String region = region(page);
        ImageTypeSpecifier type = call(region, () -> {
            ImageTypeSpecifier raw = reader.getRawImageType(page);
            if (raw == null) {
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(page);
                raw = types.hasNext() ? types.next() : null;
            }
            return raw;
        });
        if (type == null) {
            throw new JpklFormatException(name, region, "has no image type the " + format + " reader can decode");
        }
        return type;
    }

    /**
     * A TIFF page's ImageDescription tag (ImageJ writes its hyperstack axes there), if any; always
     * empty for other formats.
     *
     * @throws JpklFormatException if the page's metadata cannot be read
     */
    public Optional<String> description(int page) throws JpklFormatException {
        Objects.checkIndex(page, pages);
        if (!format.equals("TIFF")) {
            return Optional.empty();
        }
        IIOMetadata metadata = call(region(page), () -> reader.getImageMetadata(page));
        if (metadata == null) {
            return Optional.empty();
        }
        Node root;
        try {
            root = metadata.getAsTree(metadata.getNativeMetadataFormatName());
        } catch (RuntimeException e) {
            throw new JpklFormatException(name, region(page), "its metadata cannot be read: " + reason(e), e);
        }
        return Optional.ofNullable(findAscii(root));
    }

    /**
     * Decodes one page: its samples as stored (16-bit stays 16-bit, float stays float; TIFF grey and
     * RGB pages are read with {@code readRaster}, since the TwelveMonkeys reader's {@code read}
     * clips float samples to [0, 1]) and its colour model when known. The size is checked first
     * ({@link #size}).
     *
     * @throws JpklFormatException if the page is damaged, truncated, or its decoder warned
     */
    public Page read(int page) throws JpklFormatException {
        int[] size = size(page);
        return decode(page, null, size[0], size[1]);
    }

    /**
     * Decodes rows {@code [y0, y0 + rows)} of a page at full width, its samples as stored (as
     * {@link #read}); a TIFF reader then reads only the tiles or strips these rows lie in (see
     * {@link #storage}). The page's size is checked first ({@link #size}).
     *
     * @throws IndexOutOfBoundsException if the rows are not within the page
     * @throws JpklFormatException if the page is damaged, truncated, or its decoder warned
     */
    public Page readRows(int page, int y0, int rows) throws JpklFormatException {
        int[] size = size(page);
        if (y0 < 0 || rows < 1 || y0 > size[1] - rows) {
            throw new IndexOutOfBoundsException(name + ": " + region(page) + ": rows [" + y0 + ", " + ((long) y0 + rows)
                    + ") are not within its " + size[1] + " rows");
        }
        if (y0 == 0 && rows == size[1]) {
            return decode(page, null, size[0], size[1]);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(0, y0, size[0], rows));
        return decode(page, param, size[0], rows);
    }

    /**
     * How a page's samples are stored, from its header: for a TIFF its tiles or strips and their
     * compression; other formats count as one compressed block (decoded whole, whatever rows are read).
     *
     * @throws JpklFormatException if the header is damaged
     */
    public Storage storage(int page) throws JpklFormatException {
        int[] size = size(page);
        if (!format.equals("TIFF")) {
            return new Storage(false, size[1], 0, format);
        }
        String region = region(page);
        boolean tiled = call(region, () -> reader.isImageTiled(page));
        IIOMetadata metadata = call(region, () -> reader.getImageMetadata(page));
        Node root;
        try {
            root = metadata.getAsTree(metadata.getNativeMetadataFormatName());
        } catch (RuntimeException e) {
            throw new JpklFormatException(name, region, "its metadata cannot be read: " + reason(e), e);
        }
        long compression = numberField(root, COMPRESSION_TAG, 1);
        long unit = tiled ? call(region, () -> reader.getTileHeight(page)) : numberField(root, ROWS_PER_STRIP_TAG, size[1]);
        if (unit < 1) {
            throw new JpklFormatException(name, region, "its " + (tiled ? "tile height" : "rows per strip") + " is " + unit
                    + "; it must be at least 1");
        }
        return new Storage(tiled, (int) Math.min(unit, size[1]), compression == 1 ? 0 : (int) compression, format);
    }

    /**
     * How a page's samples are stored: in tiles or strips of {@link #blockHeight()} rows, compressed
     * or not. A compressed block is decoded whole for any row of it that is read.
     */
    public static final class Storage {
        private final boolean tiled;
        private final int blockHeight;
        private final int compression;
        private final String format;

        Storage(boolean tiled, int blockHeight, int compression, String format) {
            this.tiled = tiled;
            this.blockHeight = blockHeight;
            this.compression = compression;
            this.format = format;
        }

        /** Whether a TIFF page is stored in tiles (else strips, or a whole image for other formats). */
        public boolean tiled() {
            return tiled;
        }

        /** The rows of one tile or strip (at most the page's height). */
        public int blockHeight() {
            return blockHeight;
        }

        /** Whether the blocks are compressed (every non-TIFF image is). */
        public boolean compressed() {
            return compression != 0 || !format.equals("TIFF");
        }

        @Override
        public String toString() {
            String what = format.equals("TIFF") ? (tiled ? "tiles" : "strips") + " of " + blockHeight + " rows" : format + " image";
            return what + (format.equals("TIFF") ? (compression == 0 ? ", uncompressed" : ", compression " + compression
                    + compressionName(compression)) : "");
        }

        /** The common TIFF compressions' names, e.g. {@code " (deflate)"}, or nothing. */
        private static String compressionName(int compression) {
            switch (compression) {
                case 5:
                    return " (LZW)";
                case 6:
                case 7:
                    return " (JPEG)";
                case 8:
                case 32946:
                    return " (deflate)";
                case 32773:
                    return " (PackBits)";
                case 50000:
                    return " (zstd)";
                default:
                    return "";
            }
        }
    }

    /**
     * The type a page decodes to, known from its header without decoding anything: for TIFF grey,
     * RGB and palette pages, which are read as stored (as rasters); empty for other formats and
     * colour spaces, whose decoded type is known only by decoding.
     *
     * @throws JpklFormatException if the header is damaged
     */
    public Optional<ImageTypeSpecifier> storedType(int page) throws JpklFormatException {
        Objects.checkIndex(page, pages);
        return Optional.ofNullable(call(region(page), () -> rasterType(page)));
    }

    /** The raw type of a TIFF page read as a raster (grey, RGB, palette), else null. */
    private ImageTypeSpecifier rasterType(int page) throws IOException {
        if (!format.equals("TIFF") || !reader.canReadRaster()) {
            return null;
        }
        ImageTypeSpecifier raw = reader.getRawImageType(page);
        ColorModel cm = raw == null ? null : raw.getColorModel();
        int space = cm == null ? -1 : cm.getColorSpace().getType();
        return cm != null && (space == ColorSpace.TYPE_GRAY || space == ColorSpace.TYPE_RGB || cm instanceof IndexColorModel) ? raw : null;
    }

    /** Decodes a page, or the source region of {@code param}, to {@code width x height} samples as stored. */
    private Page decode(int page, ImageReadParam param, int width, int height) throws JpklFormatException {
        String region = region(page);
        warnings.clear();
        Page decoded = call(region, () -> {
            ImageTypeSpecifier raw = rasterType(page);
            if (raw != null) {
                return new Page(reader.readRaster(page, param), raw.getColorModel());
            }
            BufferedImage image = reader.read(page, param);
            return new Page(image.getRaster(), image.getColorModel());
        });
        for (String w : warnings) {
            if (!aboutMetadata(w)) {
                throw new JpklFormatException(name, region, "is damaged: the " + format + " decoder reported \"" + w.strip()
                        + "\" and would have invented the pixels it could not read");
            }
        }
        Raster r = decoded.raster();
        if (r.getWidth() != width || r.getHeight() != height) {
            throw new JpklFormatException(name, region, "decoded to " + r.getWidth() + " x " + r.getHeight() + " pixels; "
                    + (param == null ? "its header gives " : "the rows asked for are ") + width + " x " + height);
        }
        return decoded;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.dispose();
        } finally {
            in.close();
        }
    }

    @Override
    public String toString() {
        return "ImagePages[" + name + ", " + format + ", " + pages + " page(s)]";
    }

    /** A decoded page: its samples, and its colour model when known (palette, colour space). */
    public static final class Page {
        private final Raster raster;
        private final ColorModel colorModel;

        Page(Raster raster, ColorModel colorModel) {
            this.raster = Objects.requireNonNull(raster, "raster");
            this.colorModel = colorModel;
        }

        /** The samples (owned by the caller). */
        public Raster raster() {
            return raster;
        }

        /** The colour model, or null when the reader gave none. */
        public ColorModel colorModel() {
            return colorModel;
        }
    }

    private String region(int page) {
        return "page " + page;
    }

    private static boolean aboutMetadata(String warning) {
        String w = String.valueOf(warning).toLowerCase(Locale.ROOT);
        if (w.contains("corrupt") || w.contains("truncat") || w.contains("premature")) {
            return false;
        }
        for (String fragment : METADATA_WARNINGS) {
            if (w.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** A reader call. */
    @FunctionalInterface
    private interface ReaderCall<T> {
        T call() throws IOException;
    }

    /** Runs a reader call; every failure (decoders throw runtime exceptions on damaged files too) becomes a format error. */
    private <T> T call(String region, ReaderCall<T> c) throws JpklFormatException {
        try {
            return c.call();
        } catch (JpklFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String reason = reason(e);
            throw new JpklFormatException(name, region, reason.equals(TRUNCATED) ? reason : "cannot be decoded, the " + format
                    + " file is damaged or uses a variant its reader does not handle: " + reason, e);
        }
    }

    /** What went wrong, readable: the deepest useful message, without object identities. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof IIOException)) {
            t = t.getCause();
        }
        if (t instanceof EOFException) {
            return TRUNCATED;
        }
        String message = t.getMessage();
        if (message != null && message.contains("incompatible with ColorModel")) {
            return "its samples do not fit its colour description (the header's sample counts, bit depths or colour type disagree)";
        }
        String kind = t.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return kind;
        }
        message = message.replaceAll("[\\w.$]+@[0-9a-f]{3,}", "").replaceAll("\\s+", " ").strip();
        if (message.length() > 160) {
            message = message.substring(0, 160) + "...";
        }
        return t instanceof IOException ? message : kind + ": " + message;
    }

    private static String findAscii(Node node) {
        if ("TIFFField".equals(node.getNodeName())) {
            Node number = node.getAttributes().getNamedItem("number");
            if (number != null && String.valueOf(IMAGE_DESCRIPTION_TAG).equals(number.getNodeValue())) {
                Node ascii = firstNamed(node, "TIFFAscii");
                Node value = ascii == null ? null : ascii.getAttributes().getNamedItem("value");
                return value == null ? null : value.getNodeValue();
            }
            return null;
        }
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            String found = findAscii(children.item(i));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The first value of a numeric TIFF field in a native metadata tree, or {@code absent}. */
    private static long numberField(Node node, int tag, long absent) {
        if ("TIFFField".equals(node.getNodeName())) {
            Node number = node.getAttributes().getNamedItem("number");
            if (number == null || !String.valueOf(tag).equals(number.getNodeValue())) {
                return absent;
            }
            for (String kind : List.of("TIFFShort", "TIFFLong", "TIFFLong8")) {
                Node v = firstNamed(node, kind);
                Node value = v == null ? null : v.getAttributes().getNamedItem("value");
                if (value != null) {
                    try {
                        return Long.parseLong(value.getNodeValue().strip());
                    } catch (NumberFormatException e) {
                        return absent;
                    }
                }
            }
            return absent;
        }
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            long found = numberField(children.item(i), tag, Long.MIN_VALUE);
            if (found != Long.MIN_VALUE) {
                return found;
            }
        }
        return absent;
    }

    private static Node firstNamed(Node node, String name) {
        if (name.equals(node.getNodeName())) {
            return node;
        }
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node found = firstNamed(children.item(i), name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * The chain of a TIFF's image directories (one per page), walked before the reader sees it: a
     * reader that meets a directory offset past the end stops there and reports fewer pages, which
     * would drop pages silently.
     */
    private static final class TiffDirectories {
        static int count(ImageInputStream in, long fileSize, String name) throws IOException {
            ByteOrder saved = in.getByteOrder();
            in.mark();
            try {
                in.seek(0);
                int b0 = in.read();
                in.setByteOrder(b0 == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                in.seek(2);
                boolean big = in.readUnsignedShort() == 43;
                long headerSize = big ? 16 : 8;
                if (fileSize < headerSize) {
                    throw new JpklFormatException(name, "header", "is truncated: " + fileSize + " bytes, shorter than a "
                            + (big ? "BigTIFF" : "TIFF") + " header (" + headerSize + ")");
                }
                in.seek(big ? 8 : 4);
                long offset = big ? in.readLong() : in.readUnsignedInt();
                Set<Long> seen = new HashSet<>();
                int count = 0;
                while (offset != 0) {
                    String region = "image directory " + count;
                    if (offset < headerSize || offset > fileSize - (big ? 8 : 2)) {
                        throw new JpklFormatException(name, region, "its offset " + Long.toUnsignedString(offset) + " is "
                                + (offset < headerSize ? "inside the header" : "past the end of the file (" + fileSize + " bytes): truncated or damaged"));
                    }
                    if (!seen.add(offset)) {
                        throw new JpklFormatException(name, region, "its offset " + offset + " repeats an earlier directory's: the chain loops");
                    }
                    in.seek(offset);
                    long entries = big ? in.readLong() : in.readUnsignedShort();
                    long entrySize = big ? 20 : 12;
                    long end = offset + (big ? 8 : 2) + entries * entrySize + (big ? 8 : 4);
                    if (entries < 0 || entries > fileSize / entrySize || end > fileSize) {
                        throw new JpklFormatException(name, region, "its " + Long.toUnsignedString(entries) + " entries at offset " + offset
                                + " run past the end of the file (" + fileSize + " bytes): truncated or damaged");
                    }
                    in.seek(end - (big ? 8 : 4));
                    offset = big ? in.readLong() : in.readUnsignedInt();
                    count++;
                }
                return count;
            } finally {
                in.reset();
                in.setByteOrder(saved);
            }
        }
    }

    /** TIFF's and BigTIFF's first four bytes. */
    private static final class TiffMagic {
        static boolean matches(ImageInputStream in) throws IOException {
            byte[] h = new byte[4];
            in.mark();
            int n;
            try {
                n = in.read(h);
            } finally {
                in.reset();
            }
            return n == 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0)
                    || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43)));
        }
    }
}
