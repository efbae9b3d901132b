package org.jpkl.cli.input;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jpkl.api.DType;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.NaturalOrder;
import org.jpkl.cli.CliException;
import org.jpkl.npy.NpyHeader;
import org.jpkl.npy.NpyReader;
import org.jpkl.npy.NumpyType;
import org.jpkl.tiff.ImagePages;

/**
 * Opens what {@code jpkl encode} (and {@code compare}) accept as input:
 * <ul>
 *   <li>a NumPy {@code .npy} file (C or Fortran order, any byte order), or {@code -} for .npy bytes on
 *       standard input, or a FIFO or device carrying .npy bytes (read as a stream);</li>
 *   <li>raw binary (a file, {@code -} for standard input, a FIFO or a device) with {@code --shape} and
 *       {@code --dtype} (and {@code --byte-order}, {@code --order}, {@code --offset});</li>
 *   <li>a PNG, JPEG or (multi-page) TIFF file, several such files, a folder of them, or a glob
 *       such as {@code 'scans/img_*.png'}, sorted naturally by file name ({@code img_2} before {@code img_10});</li>
 *   <li>{@code sample:H,W,K...[:DTYPE]}, a generated stack (see {@link SampleInput}).</li>
 * </ul>
 * Without {@code --axes}, {@code .npy} and raw arrays take NumPy's order (the last two axes are the
 * plane; see {@link Axes.Convention#NUMPY}) unless {@code --layout jpkl}, and a warning says when the
 * plane this gives looks implausible ({@link Axes#implausiblePlane}). {@code sample:} stacks are
 * generated in JPkl's layout.
 *
 * <p>Stateless.
 */
public final class StackInputs {
    /** Image file name extensions looked for in folders and globs. */
    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "tif", "tiff");

    private StackInputs() {
    }

    /** How to read inputs; raw fields apply only with a shape. Mutable holder, filled from the command line. */
    public static final class Options {
        /** The --axes names, or empty for the defaults. */
        public List<String> axes = List.of();
        /** The name of the colour axis. */
        public String rgbAxis = Axes.DEFAULT_RGB_AXIS;
        /** Whether --rgb-axis was given (it names an axis of --axes; without --axes an array has no colour axis). */
        public boolean rgbAxisGiven;
        /** Raw input: the shape (null when the input is not raw). */
        public int[] shape;
        /** Raw input: the dtype. */
        public DType dtype;
        /** Raw input: the byte order. */
        public ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        /** Raw input: Fortran (column-major) order. */
        public boolean fortranOrder;
        /** Raw input: where the data starts (--offset), or null: the input is exactly the data. */
        public Long offset;
        /** .npy and raw input without --axes: which axes form the plane (--layout); null for NumPy's order. */
        public Axes.Convention layout;
        /** The most bytes of input held at once (see {@link org.jpkl.npy.NpyPlanes}). */
        public long bufferBytes = 256L << 20;
        /** The most pixels of one input image; a header claiming more is refused before decoding. */
        public long maxImagePixels = ImagePages.DEFAULT_MAX_PIXELS;
        /** Standard input, for {@code -}. */
        public InputStream stdin = System.in;
    }

    /**
     * Opens the input named by {@code inputs}.
     *
     * @throws CliException (usage) for options that do not fit the input, (data) for missing or unreadable files
     */
    public static StackInput open(List<String> inputs, Options o) throws IOException {
        Objects.requireNonNull(o, "options");
        if (inputs.isEmpty()) {
            throw CliException.usage("give an input: a .npy file, raw binary with --shape and --dtype, images, a folder or a glob");
        }
        if (o.shape == null && (o.dtype != null)) {
            throw CliException.usage("--dtype applies to raw input and needs --shape (a .npy file or an image states its own dtype)");
        }
        if (o.shape != null && o.dtype == null) {
            throw CliException.usage("raw input needs --dtype as well as --shape; allowed: " + NumpyType.allowedSpellings());
        }
        if (inputs.size() == 1) {
            String s = inputs.get(0);
            if (s.startsWith("sample:")) {
                if (o.layout == Axes.Convention.NUMPY) {
                    throw CliException.usage(s + ": --layout numpy does not apply; a sample stack is generated in JPkl's layout"
                            + " (H, W first)");
                }
                return SampleInput.parse(s, o.axes, o.rgbAxis);
            }
            if (s.equals("-")) {
                return o.shape != null ? rawStream("standard input", o.stdin, () -> { }, o)
                        : npyStream("standard input", o.stdin, () -> { }, o);
            }
            Path p = path(s);
            if (o.shape != null) {
                if (Files.isRegularFile(p)) {
                    return rawFile(p, o);
                }
                if (!Files.exists(p)) {
                    throw CliException.data(s + ": no such file (raw input with --shape must be one file, FIFO or device, or -)");
                }
                if (Files.isDirectory(p)) {
                    throw CliException.data(s + ": is a folder; raw input with --shape must be one file, FIFO or device, or -");
                }
                InputStream in = openSpecial(p);
                return rawStream(p.toString(), in, in, o);
            }
            if (Files.isRegularFile(p) && NpyHeader.hasMagic(head(p), head(p).length)) {
                return npyFile(p, o);
            }
            if (Files.exists(p) && !Files.isRegularFile(p) && !Files.isDirectory(p)) {
                return npySpecial(p, o);
            }
        } else if (o.shape != null) {
            throw CliException.usage("raw input (--shape) takes exactly one file or -; got " + inputs.size() + " inputs");
        }
        if (o.layout != null) {
            throw CliException.usage("--layout applies to .npy and raw input, not to images");
        }
        List<Path> images = new ArrayList<>();
        for (String s : inputs) {
            images.addAll(expand(s));
        }
        for (Path p : images) {
            if (!Files.isRegularFile(p)) {
                throw CliException.usage(p + ": " + kind(p) + "; a pipe or device is read only as the single input, carrying .npy"
                        + " bytes or raw bytes with --shape and --dtype");
            }
        }
        for (Path p : images) {
            byte[] h = head(p);
            if (NpyHeader.hasMagic(h, h.length)) {
                throw CliException.usage(p + ": a .npy file among images; encode takes one .npy file at a time");
            }
            if (!isImage(h)) {
                throw CliException.data(p + ": not a .npy, PNG, JPEG or TIFF file; for raw binary give --shape and --dtype");
            }
        }
        images.sort(NaturalOrder.PATHS);
        return new ImageStackInput(images, o.axes, o.rgbAxis, o.maxImagePixels, o.bufferBytes);
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw CliException.usage("'" + s + "' is not a valid path: " + e.getMessage(), e);
        }
    }

    /** A folder's image files, a glob's matches, or the file itself. */
    private static List<Path> expand(String s) throws IOException {
        if (hasGlob(s) && !Files.exists(Path.of(s))) {
            int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf(java.io.File.separatorChar));
            String dirPart = slash < 0 ? "." : s.substring(0, slash + 1);
            String pattern = s.substring(slash + 1);
            if (hasGlob(dirPart)) {
                throw CliException.usage(s + ": wildcards are allowed only in the file name part (e.g. 'scans/img_*.png')");
            }
            Path dir = path(dirPart);
            if (!Files.isDirectory(dir)) {
                throw CliException.data(s + ": folder " + dir + " does not exist");
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    if (Files.isRegularFile(e) && matcher.matches(e.getFileName())) {
                        found.add(slash < 0 ? e.getFileName() : e);
                    }
                }
            }
            if (found.isEmpty()) {
                throw CliException.data(s + ": no file matches");
            }
            return found;
        }
        Path p = path(s);
        if (Files.isDirectory(p)) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
                for (Path e : entries) {
                    String name = e.getFileName().toString();
                    if (!name.startsWith(".") && Files.isRegularFile(e) && IMAGE_EXTENSIONS.contains(extension(name))) {
                        found.add(e);
                    }
                }
            }
            if (found.isEmpty()) {
                throw CliException.data(s + ": the folder holds no " + IMAGE_EXTENSIONS + " files");
            }
            return found;
        }
        if (!Files.exists(p)) {
            throw CliException.data(s + ": no such file or folder");
        }
        return List.of(p);
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static byte[] head(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(8);
        }
    }

    private static boolean isImage(byte[] h) {
        int n = h.length;
        boolean png = n >= 8 && (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G';
        boolean jpeg = n >= 3 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF;
        boolean tiff = n >= 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0)
                || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43)));
        return png || jpeg || tiff;
    }

    private static StackInput npyFile(Path p, Options o) throws IOException {
        RandomAccessSource source = RandomAccessSource.open(p);
        return npy(source, () -> NpyReader.open(source), o, Map.of("source", String.valueOf(p.getFileName())));
    }

    /** A FIFO or device without --shape: .npy bytes read as a stream, or an error saying what it is. */
    private static StackInput npySpecial(Path p, Options o) throws IOException {
        InputStream in = new BufferedInputStream(openSpecial(p));
        try {
            in.mark(8);
            byte[] h = in.readNBytes(8);
            in.reset();
            if (!NpyHeader.hasMagic(h, h.length)) {
                throw CliException.data(p + ": " + kind(p) + " that does not start with .npy bytes; a pipe or device is read as .npy,"
                        + " or as raw bytes with --shape and --dtype (images must be regular files)");
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return npyStream(p.toString(), in, in, o);
    }

    /** .npy bytes on a stream; {@code owned} is closed with the input (a FIFO or device this class opened). */
    private static StackInput npyStream(String name, InputStream in, Closeable owned, Options o) throws IOException {
        return npy(owned, () -> NpyReader.open(in, name), o, Map.of());
    }

    /** Opens an {@link NpyReader}. */
    @FunctionalInterface
    private interface ReaderOpener {
        NpyReader open() throws IOException;
    }

    /** Opens the reader and the input over it; on failure closes {@code source}. */
    private static StackInput npy(Closeable source, ReaderOpener opener, Options o, Map<String, Object> metadata) throws IOException {
        try {
            NpyReader reader = opener.open();
            NpyHeader header = reader.header();
            String name = reader.name();
            Axes.Resolved axes = Axes.forArray(o.axes, header.shape(), o.rgbAxis, convention(o));
            return new RawArrayInput(reader, source, axes, o.bufferBytes, name + " (NumPy " + header.majorVersion() + ".0, '"
                    + header.descr() + "', " + (header.fortranOrder() ? "Fortran" : "C") + " order)", metadata,
                    RawArrayInput.Tail.IGNORED, axisWarnings(name, header.shape(), axes, o));
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private static StackInput rawFile(Path p, Options o) throws IOException {
        RandomAccessSource source = RandomAccessSource.open(p);
        return raw(source, offset -> NpyReader.raw(source, offset, o.dtype, o.byteOrder, o.fortranOrder, o.shape), p.toString(),
                Map.of("source", String.valueOf(p.getFileName())), o);
    }

    private static StackInput rawStream(String name, InputStream in, Closeable owned, Options o) throws IOException {
        return raw(owned, offset -> NpyReader.raw(in, name, offset, o.dtype, o.byteOrder, o.fortranOrder, o.shape), name, Map.of(), o);
    }

    /** Opens a raw {@link NpyReader} at an offset. */
    @FunctionalInterface
    private interface RawOpener {
        NpyReader open(long offset) throws IOException;
    }

    /**
     * Raw elements: from {@code --offset} (or 0) on; without it, the input must be exactly the data.
     * On failure closes {@code source}.
     */
    private static StackInput raw(Closeable source, RawOpener opener, String name, Map<String, Object> metadata, Options o)
            throws IOException {
        try {
            Axes.Resolved axes = Axes.forArray(o.axes, o.shape, o.rgbAxis, convention(o));
            long offset = o.offset == null ? 0 : o.offset;
            NpyReader reader = opener.open(offset);
            return new RawArrayInput(reader, source, axes, o.bufferBytes,
                    name + " (raw " + NpyHeader.descr(o.dtype, o.byteOrder) + ", " + (o.fortranOrder ? "Fortran" : "C") + " order"
                    + (o.offset == null ? "" : ", from byte " + offset) + ")", metadata,
                    o.offset == null ? RawArrayInput.Tail.NONE : RawArrayInput.Tail.IGNORED, axisWarnings(name, o.shape, axes, o));
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private static Axes.Convention convention(Options o) {
        if (o.rgbAxisGiven && o.axes.isEmpty()) {
            throw CliException.usage("--rgb-axis " + o.rgbAxis + ": names the colour axis among --axes, and without --axes the planes of"
                    + " .npy and raw input are grey; give --axes too, e.g. --axes z,y,x," + o.rgbAxis);
        }
        return o.layout == null ? Axes.Convention.NUMPY : o.layout;
    }

    /** The implausible-plane warning, for axes chosen by default (neither --axes nor --layout). */
    private static List<String> axisWarnings(String name, int[] shape, Axes.Resolved axes, Options o) {
        if (!o.axes.isEmpty() || o.layout != null) {
            return List.of();
        }
        return Axes.implausiblePlane(name, shape, axes).map(List::of).orElse(List.of());
    }

    /** Opens a FIFO or device for reading, or says what it is and why it cannot be read. */
    private static InputStream openSpecial(Path p) throws IOException {
        try {
            return Files.newInputStream(p);
        } catch (IOException e) {
            throw CliException.data(p + ": " + kind(p) + " that cannot be opened for reading: " + e.getMessage(), e);
        }
    }

    /** What a path that is not a regular file is, for messages: "a FIFO (named pipe)", "a character device", ... */
    static String kind(Path p) {
        if (Files.isDirectory(p)) {
            return "a folder";
        }
        if (!Files.exists(p)) {
            return "no such file";
        }
        try {
            int type = ((Integer) Files.getAttribute(p, "unix:mode")) & 0170000;
            switch (type) {
                case 0010000:
                    return "a FIFO (named pipe)";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    break;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // no unix attribute view here: say what is known
        }
        return Files.isRegularFile(p) ? "a regular file" : "not a regular file";
    }

    /**
     * Parses {@code 512,512,100} or {@code 512x512x100}.
     *
     * @throws CliException (usage) naming the option for anything else
     */
    public static int[] parseShape(String text, String option) {
        String[] parts = text.strip().split("[,xX]", -1);
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw CliException.usage(option + ": '" + text + "' is not a shape; write the axis lengths like 512,512,100", e);
            }
            if (shape[i] < 0) {
                throw CliException.usage(option + ": axis length " + shape[i] + " is negative");
            }
        }
        return shape;
    }

    /**
     * Parses a byte size such as {@code 256M}, {@code 1G}, {@code 64k} or {@code 1000000}.
     *
     * @throws CliException (usage) for anything else, or a size outside [64 KiB, 1 GiB]
     */
    public static long parseSize(String text, String option) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("K")) {
            unit = 1L << 10;
        } else if (t.endsWith("M")) {
            unit = 1L << 20;
        } else if (t.endsWith("G")) {
            unit = 1L << 30;
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        long value;
        try {
            value = Long.parseLong(t.strip()) * unit;
        } catch (NumberFormatException e) {
            throw CliException.usage(option + " " + text + ": not a size; write e.g. 256M or 1G", e);
        }
        if (value < (64L << 10) || value > (1L << 30)) {
            throw CliException.usage(option + " " + text + ": must be between 64K and 1G");
        }
        return value;
    }
}
