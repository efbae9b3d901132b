package org.jpkl.spark;

import java.awt.image.IndexColorModel;
import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import javax.imageio.ImageTypeSpecifier;
import org.apache.spark.api.java.JavaSparkContext;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.npy.NpyPlanes;
import org.jpkl.npy.NpyReader;
import org.jpkl.tiff.ImagePages;
import org.jpkl.tiff.RasterPlanes;

/**
 * The input of a distributed encode, as names only: files on storage every Spark executor can read
 * (a shared file system), each contributing planes in order. Only this description travels to
 * the tasks; each task opens the files of its slices itself.
 *
 * <ul>
 *   <li>{@link #npy(Path, PlaneLayout)}: one {@code .npy} file, the array as it is (any number of
 *       axes, any plane layout); the slices are those of its key axes.</li>
 *   <li>{@link #of(List)} / {@link #probe(JavaSparkContext, List)}: many files ({@code .npy} of
 *       shape {@code (y, x)} or {@code (n, y, x)}; TIFF, PNG or JPEG images, every page of a
 *       multi-page TIFF), or folders of them (their files in name order): the planes in file order
 *       along one new leading axis, {@code (z, y, x)} or {@code (z, y, x, 3)} for RGB images.</li>
 * </ul>
 * Every plane must have the same size, dtype and channels; each file is probed (its header, not its
 * pixels) once, on the driver or in a Spark job, and each page's samples are checked again when a
 * task reads it.
 *
 * <p>Thread safety: immutable; a {@link PlaneReader} is used by one thread.
 */
public final class StackFiles implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> IMAGE_EXTENSIONS = List.of("tif", "tiff", "png", "jpg", "jpeg");
    /** Memory the plane reader of a {@code .npy} file may use beyond its plane. */
    private static final long NPY_BUDGET = 64L << 20;

    /** One input file and the planes it gives. */
    record Part(String path, boolean npy, long firstSlice, long slices, int ndim) implements Serializable {
    }

    /** What probing one file found. */
    record Probe(String path, boolean npy, long planes, int ndim, DType dtype, int height, int width, boolean rgb)
            implements Serializable {
        PlaneSpec spec() {
            return new PlaneSpec(dtype, height, width, rgb ? ChannelLayout.RGB : ChannelLayout.GREY);
        }
    }

    private final List<Part> parts;
    private final int[] shape;
    private final DType dtype;
    private final int yAxis;
    private final int xAxis;
    private final int channelAxis;

    private StackFiles(List<Part> parts, int[] shape, DType dtype, PlaneLayout layout) {
        this.parts = List.copyOf(parts);
        this.shape = shape.clone();
        this.dtype = dtype;
        this.yAxis = layout.yAxis();
        this.xAxis = layout.xAxis();
        this.channelAxis = layout.channelAxis().orElse(-1);
        new KeySpace(shape, layout);
    }

    /**
     * One {@code .npy} file as it is, its planes given by {@code layout} (e.g. {@code PlaneLayout.of(1, 2)}
     * for NumPy's usual {@code (z, y, x)}); read plane by plane by the tasks, whatever the file's size.
     *
     * @throws IllegalArgumentException if the layout does not fit the file's shape
     * @throws JpklFormatException if the file is not a valid {@code .npy}
     */
    public static StackFiles npy(Path file, PlaneLayout layout) throws IOException {
        Objects.requireNonNull(layout, "layout");
        try (NpyReader r = NpyReader.open(file)) {
            int[] shape = r.header().shape();
            r.planes(layout, NPY_BUDGET);
            long slices = new KeySpace(shape, layout).sliceCount();
            return new StackFiles(List.of(new Part(file.toString(), true, 0, slices, -1)), shape, r.header().dtype(), layout);
        }
    }

    /**
     * Many files or folders, probed on the driver (each file's header); for many thousands of files
     * on slow storage, {@link #probe(JavaSparkContext, List)} probes them in parallel instead.
     *
     * @throws IllegalArgumentException if there are no files, a file has an unknown kind, or files
     *     differ in plane size, dtype or channels (naming the first that differs)
     */
    public static StackFiles of(List<Path> inputs) throws IOException {
        List<Probe> probes = new ArrayList<>();
        for (Path p : expand(inputs)) {
            probes.add(probe(p.toString()));
        }
        return concatenate(probes);
    }

    /** As {@link #of(List)}, probing the files in a Spark job (folders are listed on the driver). */
    public static StackFiles probe(JavaSparkContext sc, List<Path> inputs) throws IOException {
        List<String> files = expand(inputs).stream().map(Path::toString).toList();
        int slices = Math.max(1, Math.min(files.size(), sc.defaultParallelism() * 4));
        List<Probe> probes = sc.parallelize(files, slices).map(StackFiles::probeUnchecked).collect();
        return concatenate(probes);
    }

    private static Probe probeUnchecked(String path) {
        try {
            return probe(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files named: files as they are, folders replaced by their image and {@code .npy} files in name order. */
    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> Files.isRegularFile(f) && (isNpy(f) || IMAGE_EXTENSIONS.contains(extension(f)))).sorted()
                            .forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files in " + inputs + " (folders are searched for .npy and "
                    + IMAGE_EXTENSIONS + " files)");
        }
        return files;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean isNpy(Path p) {
        return extension(p).equals("npy");
    }

    static Probe probe(String path) throws IOException {
        Path p = Path.of(path);
        if (isNpy(p)) {
            try (NpyReader r = NpyReader.open(p)) {
                int[] s = r.header().shape();
                if (s.length != 2 && s.length != 3) {
                    throw new IllegalArgumentException(path + ": a .npy among several inputs must have shape (y, x) or (n, y, x); it has "
                            + Arrays.toString(s) + " (give one file alone with StackFiles.npy to keep its axes)");
                }
                return new Probe(path, true, s.length == 2 ? 1 : s[0], s.length, r.header().dtype(), s[s.length - 2],
                        s[s.length - 1], false);
            }
        }
        if (!IMAGE_EXTENSIONS.contains(extension(p))) {
            throw new IllegalArgumentException(path + ": unknown input kind '" + extension(p) + "'; inputs are .npy or "
                    + IMAGE_EXTENSIONS + " files, or folders of them");
        }
        try (ImagePages pages = ImagePages.open(p)) {
            ImageTypeSpecifier type = pages.type(0);
            int[] size = pages.size(0);
            if (type.getColorModel() instanceof IndexColorModel) {
                throw new IllegalArgumentException(path + ": page 0 is palette colour; its palette indices are not the colours"
                        + " (convert the images to grey or RGB first)");
            }
            int bands = type.getSampleModel().getNumBands();
            if (bands != 1 && bands != 3) {
                throw new IllegalArgumentException(path + ": page 0 has " + bands + " samples per pixel; grey (1) or RGB (3) are read");
            }
            DType dt = RasterPlanes.dtypeOf(type.getSampleModel().getDataType());
            if (dt == null) {
                throw new IllegalArgumentException(path + ": page 0 has samples of ImageIO data type "
                        + type.getSampleModel().getDataType() + ", which has no jpkl dtype");
            }
            return new Probe(path, false, pages.pageCount(), 2, dt, size[1], size[0], bands == 3);
        }
    }

    static StackFiles concatenate(List<Probe> probes) {
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("no input files");
        }
        Probe first = probes.get(0);
        PlaneSpec spec = first.spec();
        List<Part> parts = new ArrayList<>();
        long slices = 0;
        for (Probe p : probes) {
            if (!p.spec().equals(spec)) {
                throw new IllegalArgumentException(p.path() + " holds " + p.spec() + " planes; " + first.path() + " holds " + spec + " planes"
                        + "; every plane of a stack must have the same size, dtype and channels");
            }
            parts.add(new Part(p.path(), p.npy(), slices, p.planes(), p.ndim()));
            slices += p.planes();
        }
        if (slices > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(probes.size() + " files hold " + slices + " planes; one axis holds at most "
                    + Integer.MAX_VALUE);
        }
        boolean rgb = spec.channels() == ChannelLayout.RGB;
        int planes = Math.toIntExact(slices); // checked above
        int[] shape = rgb ? new int[] {planes, spec.height(), spec.width(), 3} : new int[] {planes, spec.height(), spec.width()};
        return new StackFiles(parts, shape, spec.dtype(), rgb ? PlaneLayout.of(1, 2, 3) : PlaneLayout.of(1, 2));
    }

    /** The array's shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The samples' type. */
    public DType dtype() {
        return dtype;
    }

    /** Which axes form a plane. */
    public PlaneLayout layout() {
        return channelAxis < 0 ? PlaneLayout.of(yAxis, xAxis) : PlaneLayout.of(yAxis, xAxis, channelAxis);
    }

    /** The number of planes. */
    public long sliceCount() {
        return new KeySpace(shape, layout()).sliceCount();
    }

    /** The input files, in order. */
    public List<String> files() {
        return parts.stream().map(Part::path).toList();
    }

    /** A reader of planes by slice number, opening files as needed (one open at a time). */
    PlaneReader openReader() {
        return new PlaneReader();
    }

    @Override
    public String toString() {
        return parts.size() + " file" + (parts.size() == 1 ? "" : "s") + " (" + parts.get(0).path() + (parts.size() > 1 ? ", ..." : "")
                + "): " + dtype + " " + Arrays.toString(shape);
    }

    /** Reads planes by slice number; keeps the file of the last plane open. Not thread-safe. */
    final class PlaneReader implements Closeable {
        private int open = -1;
        private NpyReader npy;
        private NpyPlanes npyPlanes;
        private ImagePages images;

        /** Reads slice {@code n} into {@code dest} (whose spec is the stack's plane spec). */
        void read(long n, PlaneBuffer dest) throws IOException {
            int i = partOf(n);
            Part part = parts.get(i);
            if (i != open) {
                close();
                if (part.npy()) {
                    npy = NpyReader.open(Path.of(part.path()));
                    PlaneLayout l = part.ndim() < 0 ? layout() : PlaneLayout.of(part.ndim() - 2, part.ndim() - 1);
                    npyPlanes = npy.planes(l, NPY_BUDGET);
                } else {
                    images = ImagePages.open(Path.of(part.path()));
                }
                open = i;
            }
            long local = n - part.firstSlice();
            if (part.npy()) {
                npyPlanes.read(local, dest);
                return;
            }
            ImagePages.Page page = images.read(Math.toIntExact(local));
            PlaneSpec spec = dest.spec();
            if (page.raster().getWidth() != spec.width() || page.raster().getHeight() != spec.height()
                    || RasterPlanes.dtypeOf(page.raster().getSampleModel().getDataType()) != spec.dtype()
                    || page.raster().getNumBands() != spec.channels().samplesPerPixel()
                    || page.colorModel() instanceof IndexColorModel) {
                throw new JpklFormatException(part.path(), "page " + local, "is a " + page.raster().getHeight() + "x"
                        + page.raster().getWidth() + " image of " + page.raster().getNumBands() + " bands of ImageIO type "
                        + page.raster().getSampleModel().getDataType() + "; every plane of the stack is " + spec);
            }
            RasterPlanes.copyToPlane(page.raster(), dest);
        }

        private int partOf(long n) {
            int lo = 0;
            int hi = parts.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (parts.get(mid).firstSlice() <= n) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            Part p = parts.get(lo);
            if (n < p.firstSlice() || n >= p.firstSlice() + p.slices()) {
                throw new IndexOutOfBoundsException("slice " + n + " is outside [0, " + sliceCount() + ")");
            }
            return lo;
        }

        @Override
        public void close() throws IOException {
            open = -1;
            try {
                if (npy != null) {
                    npy.close();
                }
            } finally {
                npy = null;
                npyPlanes = null;
                if (images != null) {
                    ImagePages i = images;
                    images = null;
                    i.close();
                }
            }
        }
    }
}
