package org.jpkl.spark;

import java.awt.image.IndexColorModel;
import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import javax.imageio.ImageTypeSpecifier;
import org.apache.spark.api.java.JavaSparkContext;
import org.jpkl.Jpkl;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.NaturalOrder;
import org.jpkl.api.io.ObjectChangedException;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.jpkl.npy.NpyPlanes;
import org.jpkl.npy.NpyReader;
import org.jpkl.tiff.ImagePages;
import org.jpkl.tiff.RasterPlanes;

/**
 * The input of a distributed encode, as names only: files on storage every Spark executor can read
 * (a shared file system), or objects named by URIs ({@code s3://bucket/key}, {@code https://...})
 * that the executors read through their {@linkplain Jpkl#storage() storage providers}; each
 * contributes planes in order. Only this description travels to the tasks; each task opens the
 * files of its slices itself.
 *
 * <ul>
 *   <li>{@link #npy(Path, PlaneLayout)} / {@link #npy(URI, PlaneLayout, Jpkl)}: one {@code .npy}
 *       file or object, the array as it is (any number of axes, any plane layout); the slices are
 *       those of its key axes. An object is read by ranges: each task fetches the bytes of its own
 *       slices only.</li>
 *   <li>{@link #of(List)} / {@link #probe(JavaSparkContext, List)} and their URI forms
 *       {@link #of(List, Jpkl)} / {@link #probe(JavaSparkContext, List, JpklFactory)}: many files
 *       ({@code .npy} of shape {@code (y, x)} or {@code (n, y, x)}; TIFF, PNG or JPEG images, every
 *       page of a multi-page TIFF), or folders of them (local folders, or object-store prefixes
 *       ending with {@code /} on a provider that {@linkplain StorageProviders#list lists}; their
 *       files in {@linkplain NaturalOrder natural order}): the planes in file order along one new
 *       leading axis, {@code (z, y, x)} or {@code (z, y, x, 3)} for RGB images. Image objects are
 *       read whole (at most {@value #MAX_IMAGE_OBJECT_BYTES} bytes each) by the task that needs
 *       them.</li>
 * </ul>
 * Every plane must have the same size, dtype and channels; each file is probed (its header, not its
 * pixels) once, on the driver or in a Spark job, and each page's samples are checked again when a
 * task reads it. An object's size and version (ETag) seen by the probe are checked again by each
 * task that opens it: an object replaced after the probe is refused, never mixed into the stack.
 *
 * <p>Thread safety: immutable; a {@link PlaneReader} is used by one thread.
 */
public final class StackFiles implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> IMAGE_EXTENSIONS = List.of("tif", "tiff", "png", "jpg", "jpeg");
    /** No storage providers: local files only. */
    private static final StorageProviders NO_STORAGE = StorageProviders.of();
    /** Memory the plane reader of a {@code .npy} file may use beyond its plane. */
    private static final long NPY_BUDGET = 64L << 20;
    /**
     * The largest image object (TIFF, PNG, JPEG on object storage or HTTP) read: such objects are read
     * whole into memory by the task that needs them (1 GiB); a {@code .npy} object is read by ranges
     * whatever its size.
     */
    public static final long MAX_IMAGE_OBJECT_BYTES = 1L << 30;

    /**
     * An input: a local file or folder ({@code name} a path), or an object or folder named by a URI
     * that storage providers read ({@code remote}).
     */
    record Input(String name, boolean remote) implements Serializable {
        /** A URI without a scheme or with {@code file:} is a local path; any other is remote. */
        static Input of(URI uri) {
            Objects.requireNonNull(uri, "input URI");
            if (uri.getScheme() == null) {
                return local(Path.of(uri.getPath()));
            }
            if (uri.getScheme().equalsIgnoreCase("file")) {
                return local(Path.of(uri));
            }
            return new Input(uri.toString(), true);
        }

        static Input local(Path path) {
            return new Input(path.toString(), false);
        }

        URI uri() {
            return URI.create(name);
        }

        /** The name for messages: a URI without credentials or query ({@link RemoteObjectSource#displayName}). */
        String display() {
            return remote ? RemoteObjectSource.displayName(uri()) : name;
        }

        /** The file name: a path's last element, a URI path's last segment (a folder's ends with {@code /}). */
        String fileName() {
            if (!remote) {
                Path f = Path.of(name).getFileName();
                return f == null ? "" : f.toString();
            }
            String path = uri().getPath();
            return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        }

        /** A remote folder: a URI whose path is empty or ends with {@code /}. */
        boolean remoteFolder() {
            if (!remote) {
                return false;
            }
            String path = uri().getPath();
            return path == null || path.isEmpty() || path.endsWith("/");
        }
    }

    /**
     * One input file and the planes it gives; for an object, its size and version (or null) as probed.
     */
    record Part(Input input, boolean npy, long firstSlice, long slices, int ndim, long size, String version)
            implements Serializable {
        String path() {
            return input.name();
        }
    }

    /** What probing one file found. */
    record Probe(Input input, boolean npy, long planes, int ndim, DType dtype, int height, int width, boolean rgb, long size,
                 String version) implements Serializable {
        PlaneSpec spec() {
            return new PlaneSpec(dtype, height, width, rgb ? ChannelLayout.RGB : ChannelLayout.GREY);
        }

        String path() {
            return input.display();
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
        return npy(Input.local(file), Objects.requireNonNull(layout, "layout"), NO_STORAGE);
    }

    /**
     * As {@link #npy(Path, PlaneLayout)}, for a {@code .npy} named by a URI: a local file for
     * {@code file:} URIs and URIs without a scheme, else an object read through {@code jpkl}'s
     * {@linkplain Jpkl#storage() storage providers} (e.g. {@code s3://bucket/volume.npy}). Its header is
     * read and checked here, once, against the object's size; each task then reads only the byte
     * ranges of its own slices, through the storage providers of the encoder's {@link JpklFactory}
     * (which must read the URI's scheme with the same options, e.g. {@code s3.endpoint}).
     *
     * @throws IllegalArgumentException as {@link #npy(Path, PlaneLayout)}; if no provider reads the URI's scheme
     * @throws java.io.FileNotFoundException if there is no such object (naming the URI)
     * @throws JpklFormatException if the object is not a valid {@code .npy} or is shorter than its header says (naming the URI)
     */
    public static StackFiles npy(URI object, PlaneLayout layout, Jpkl jpkl) throws IOException {
        return npy(Input.of(object), Objects.requireNonNull(layout, "layout"), Objects.requireNonNull(jpkl, "jpkl").storage());
    }

    /**
     * As {@link #npy(URI, PlaneLayout, Jpkl)}, the planes on the array's last two axes (NumPy's
     * {@code (..., y, x)}).
     *
     * @throws IllegalArgumentException if the array has fewer than 2 axes
     */
    public static StackFiles npy(URI object, Jpkl jpkl) throws IOException {
        return npy(Input.of(object), null, Objects.requireNonNull(jpkl, "jpkl").storage());
    }

    /** Opens and checks the {@code .npy}; {@code given} null: the planes on its last two axes. */
    private static StackFiles npy(Input file, PlaneLayout given, StorageProviders storage) throws IOException {
        try (Opened o = Opened.of(file, storage); NpyReader r = NpyReader.open(o.source())) {
            int[] shape = r.header().shape();
            if (given == null && shape.length < 2) {
                throw new IllegalArgumentException(file.display() + ": shape " + Arrays.toString(shape) + " has no plane (y, x) axes");
            }
            PlaneLayout layout = given != null ? given : PlaneLayout.of(shape.length - 2, shape.length - 1);
            NpyPlanes planes = r.planes(layout, NPY_BUDGET);
            if (file.remote() && !planes.planesContiguous()) {
                throw new IllegalArgumentException(file.display() + ": the planes of layout " + layout + " are not contiguous in"
                        + " this .npy of shape " + Arrays.toString(shape) + " (" + planes.strategy() + "); read by ranges, each"
                        + " plane would pass over the object: store it with the plane axes last, or read a local copy");
            }
            long slices = new KeySpace(shape, layout).sliceCount();
            return new StackFiles(List.of(new Part(file, true, 0, slices, -1, o.size(), o.version())), shape, r.header().dtype(), layout);
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
        return of(locals(inputs), NO_STORAGE);
    }

    /**
     * As {@link #of(List)}, for files, objects and folders named by URIs: local files and folders for
     * {@code file:} URIs and URIs without a scheme; objects through {@code jpkl}'s storage providers;
     * a URI whose path ends with {@code /} (e.g. {@code s3://bucket/acquisition/}) is a folder, listed
     * by its provider ({@link StorageProviders#list}; HTTP has no listing, so an {@code http(s)}
     * folder is refused: name its files one by one).
     *
     * @throws IllegalArgumentException as {@link #of(List)}; for a folder its provider cannot list
     * @throws java.io.FileNotFoundException if an object does not exist (naming its URI)
     */
    public static StackFiles of(List<URI> inputs, Jpkl jpkl) throws IOException {
        return of(uris(inputs), Objects.requireNonNull(jpkl, "jpkl").storage());
    }

    private static StackFiles of(List<Input> inputs, StorageProviders storage) throws IOException {
        List<Probe> probes = new ArrayList<>();
        for (Input f : expand(inputs, storage)) {
            probes.add(probe(f, storage));
        }
        return concatenate(probes);
    }

    /** As {@link #of(List)}, probing the files in a Spark job (folders are listed on the driver). */
    public static StackFiles probe(JavaSparkContext sc, List<Path> inputs) throws IOException {
        return probeInJob(sc, locals(inputs), null);
    }

    /**
     * As {@link #of(List, Jpkl)}, probing the files in a Spark job, each task with the storage
     * providers of a {@code Jpkl} made by {@code jpkl} (folders are listed on the driver, with one
     * more).
     */
    public static StackFiles probe(JavaSparkContext sc, List<URI> inputs, JpklFactory jpkl) throws IOException {
        Objects.requireNonNull(jpkl, "jpkl");
        return probeInJob(sc, uris(inputs), jpkl);
    }

    /** Probes in a Spark job; {@code jpkl} null: local files only. */
    private static StackFiles probeInJob(JavaSparkContext sc, List<Input> inputs, JpklFactory jpkl) throws IOException {
        List<Input> files = expand(inputs, jpkl == null ? NO_STORAGE : jpkl.create().storage());
        int slices = Math.max(1, Math.min(files.size(), sc.defaultParallelism() * 4));
        List<Probe> probes;
        try {
            probes = sc.parallelize(files, slices).mapPartitions((Iterator<Input> it) -> {
                StorageProviders storage = jpkl == null ? NO_STORAGE : jpkl.create().storage();
                List<Probe> out = new ArrayList<>();
                while (it.hasNext()) {
                    out.add(probe(it.next(), storage));
                }
                return out.iterator();
            }).collect();
        } catch (Exception e) {
            // Spark's SparkException (checked, but undeclared by Scala) of the failed job: its cause is the task's
            // exception, thrown as it is, as StackFiles.of would on the driver.
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof IOException io) {
                    throw io;
                }
                if (c instanceof IllegalArgumentException iae) {
                    throw iae;
                }
            }
            throw e;
        }
        return concatenate(probes);
    }

    private static List<Input> locals(List<Path> inputs) {
        return inputs.stream().map(Input::local).toList();
    }

    private static List<Input> uris(List<URI> inputs) {
        return inputs.stream().map(Input::of).toList();
    }

    /**
     * The files named: files as they are, folders replaced by their image and {@code .npy} files in
     * natural order (local folders listed here, object-store folders by their provider).
     */
    static List<Input> expand(List<Input> inputs, StorageProviders storage) throws IOException {
        List<Input> files = new ArrayList<>();
        for (Input in : inputs) {
            if (in.remoteFolder()) {
                List<URI> found = new ArrayList<>(storage.list(in.uri()));
                found.removeIf(u -> !isInputName(Input.of(u).fileName()));
                found.sort(Comparator.comparing((URI u) -> Input.of(u).fileName(), NaturalOrder.NAMES)
                        .thenComparing(URI::toString, NaturalOrder.NAMES));
                found.forEach(u -> files.add(Input.of(u)));
            } else if (!in.remote() && Files.isDirectory(Path.of(in.name()))) {
                try (Stream<Path> s = Files.list(Path.of(in.name()))) {
                    s.filter(f -> Files.isRegularFile(f) && isInputName(f.getFileName().toString())).sorted(NaturalOrder.PATHS)
                            .forEach(f -> files.add(Input.local(f)));
                }
            } else {
                files.add(in);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files in " + inputs.stream().map(Input::display).toList()
                    + " (folders are searched for .npy and " + IMAGE_EXTENSIONS + " files)");
        }
        return files;
    }

    private static boolean isInputName(String fileName) {
        String e = extension(fileName);
        return e.equals("npy") || IMAGE_EXTENSIONS.contains(e);
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static Probe probe(Input file, StorageProviders storage) throws IOException {
        String path = file.display();
        String ext = extension(file.fileName());
        if (ext.equals("npy")) {
            try (Opened o = Opened.of(file, storage); NpyReader r = NpyReader.open(o.source())) {
                int[] s = r.header().shape();
                if (s.length != 2 && s.length != 3) {
                    throw new IllegalArgumentException(path + ": a .npy among several inputs must have shape (y, x) or (n, y, x); it has "
                            + Arrays.toString(s) + " (give one file alone with StackFiles.npy to keep its axes)");
                }
                return new Probe(file, true, s.length == 2 ? 1 : s[0], s.length, r.header().dtype(), s[s.length - 2],
                        s[s.length - 1], false, o.size(), o.version());
            }
        }
        if (!IMAGE_EXTENSIONS.contains(ext)) {
            throw new IllegalArgumentException(path + ": unknown input kind '" + ext + "'; inputs are .npy or "
                    + IMAGE_EXTENSIONS + " files, or folders of them");
        }
        try (Opened o = Opened.of(file, storage); ImagePages pages = o.images()) {
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
            return new Probe(file, false, pages.pageCount(), 2, dt, size[1], size[0], bands == 3, o.size(), o.version());
        }
    }

    /**
     * An object's bytes read whole into memory, after checking its size against
     * {@link #MAX_IMAGE_OBJECT_BYTES}; for images, which ImageIO reads with many small reads.
     *
     * @throws IllegalArgumentException if the object is larger, naming it, its size and the limit
     */
    static RandomAccessSource readWhole(RandomAccessSource source) throws IOException {
        long size = source.size();
        if (size > MAX_IMAGE_OBJECT_BYTES) {
            throw new IllegalArgumentException(source.name() + ": an image object of " + size + " bytes; image objects are read"
                    + " whole by the task that needs them, at most " + MAX_IMAGE_OBJECT_BYTES + " bytes (store large stacks as"
                    + " .npy, read by ranges, or split them into smaller files)");
        }
        byte[] bytes = new byte[Math.toIntExact(size)]; // at most MAX_IMAGE_OBJECT_BYTES, checked above
        source.readFully(0, ByteBuffer.wrap(bytes));
        return RandomAccessSource.of(source.name(), bytes);
    }

    /**
     * An input opened for reading: a local file, or an object through the storage providers (with
     * its size and version, checked against those of the probe when given).
     */
    private record Opened(Input input, RandomAccessSource source, long size, String version) implements Closeable {
        static Opened of(Input input, StorageProviders storage) throws IOException {
            RandomAccessSource s = input.remote() ? storage.open(input.uri()) : RandomAccessSource.open(Path.of(input.name()));
            try {
                return new Opened(input, s, input.remote() ? s.size() : -1,
                        s instanceof RemoteObjectSource r ? r.version() : null);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        /** Opens the part's input, refusing an object whose size or version differs from the probe's. */
        static Opened of(Part part, StorageProviders storage) throws IOException {
            Opened o = of(part.input(), storage);
            if (part.input().remote() && (o.size() != part.size() || !Objects.equals(o.version(), part.version()))) {
                o.close();
                throw new ObjectChangedException(part.input().display() + ": the object changed since the input was probed (then "
                        + part.size() + " bytes, version " + part.version() + "; now " + o.size() + " bytes, version " + o.version()
                        + "); probe the inputs again");
            }
            return o;
        }

        /** The images of the input: a local file as it is; an object read whole first. */
        ImagePages images() throws IOException {
            if (!input.remote()) {
                return ImagePages.open(Path.of(input.name()));
            }
            return ImagePages.open(readWhole(source), ImagePages.DEFAULT_MAX_PIXELS, "");
        }

        @Override
        public void close() throws IOException {
            source.close();
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
            parts.add(new Part(p.input(), p.npy(), slices, p.planes(), p.ndim(), p.size(), p.version()));
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

    /** The input files, in order: paths, and URIs of objects. */
    public List<String> files() {
        return parts.stream().map(Part::path).toList();
    }

    /** A reader of planes by slice number, opening local files as needed (one open at a time). */
    PlaneReader openReader() {
        return new PlaneReader(NO_STORAGE);
    }

    /** A reader of planes by slice number, opening files and objects (through {@code storage}) as needed, one at a time. */
    PlaneReader openReader(StorageProviders storage) {
        return new PlaneReader(Objects.requireNonNull(storage, "storage"));
    }

    @Override
    public String toString() {
        return parts.size() + " file" + (parts.size() == 1 ? "" : "s") + " (" + parts.get(0).input().display()
                + (parts.size() > 1 ? ", ..." : "")
                + "): " + dtype + " " + Arrays.toString(shape);
    }

    /** Reads planes by slice number; keeps the file of the last plane open. Not thread-safe. */
    final class PlaneReader implements Closeable {
        private final StorageProviders storage;
        private int open = -1;
        private Opened opened;
        private NpyReader npy;
        private NpyPlanes npyPlanes;
        private ImagePages images;

        private PlaneReader(StorageProviders storage) {
            this.storage = storage;
        }

        /** Reads slice {@code n} into {@code dest} (whose spec is the stack's plane spec). */
        void read(long n, PlaneBuffer dest) throws IOException {
            int i = partOf(n);
            Part part = parts.get(i);
            if (i != open) {
                close();
                opened = Opened.of(part, storage);
                if (part.npy()) {
                    npy = NpyReader.open(opened.source());
                    PlaneLayout l = part.ndim() < 0 ? layout() : PlaneLayout.of(part.ndim() - 2, part.ndim() - 1);
                    npyPlanes = npy.planes(l, NPY_BUDGET);
                } else {
                    images = opened.images();
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
                throw new JpklFormatException(part.input().display(), "page " + local, "is a " + page.raster().getHeight() + "x"
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
            try (Opened o = opened; ImagePages i = images; NpyReader r = npy) {
                opened = null;
                images = null;
                npy = null;
                npyPlanes = null;
            }
        }
    }
}
