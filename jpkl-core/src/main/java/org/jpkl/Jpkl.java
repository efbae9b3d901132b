package org.jpkl;

import java.io.IOException;
import java.net.URI;
import org.jpkl.api.io.SequentialOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.TileGrid;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.StorageProviders;

/**
 * The entry point: saves arrays as containers and opens containers as lazily decoded arrays, with
 * the codecs and serializers of one class loader (or given explicitly).
 *
 * <pre>{@code
 * Jpkl jpkl = Jpkl.create();                       // scans the class path once; keep it
 * jpkl.save(array, Path.of("stack.jpkl"), WriteOptions.builder().codec("jpeg").param("quality", 90).build());
 * try (JpklArray stack = jpkl.open(Path.of("stack.jpkl"))) {
 *     NdArray part = stack.get("128:256:2, :, 4, ...");   // decodes only the planes it touches
 * }
 * }</pre>
 *
 * <p>There is no global registry: each instance holds an immutable snapshot of providers, so a
 * plugin jar added through a new class loader is seen by a new instance. Provider options (e.g.
 * {@code Jpkl.builder().providerOption("jpeg.backend", "imageio")}) configure this instance's codecs
 * only; no JVM-wide setting is read.
 *
 * <p>Thread safety: immutable and thread-safe.
 */
public final class Jpkl {
    private final SliceCodecs codecs;
    private final ContainerSerializers serializers;
    private final StorageProviders storage;
    private final Executor executor;
    private final int parallelism;

    private Jpkl(Builder b) {
        this.codecs = (b.codecs != null ? b.codecs : SliceCodecs.load(loader(b))).withOptions(b.options.build());
        this.serializers = b.serializers != null ? b.serializers : ContainerSerializers.load(loader(b));
        this.storage = (b.storage != null ? b.storage : StorageProviders.load(loader(b))).withOptions(b.storageOptions.build());
        this.parallelism = b.parallelism > 0 ? b.parallelism : Runtime.getRuntime().availableProcessors();
        this.executor = b.executor != null ? b.executor : new DefaultExecutor(parallelism);
    }

    private static ClassLoader loader(Builder b) {
        if (b.loader != null) {
            return b.loader;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Jpkl.class.getClassLoader();
    }

    /** Providers found through the thread's context class loader (or this library's loader); default executor. */
    public static Jpkl create() {
        return builder().build();
    }

    /** Providers found through {@code loader}; default executor. */
    public static Jpkl create(ClassLoader loader) {
        return builder().classLoader(loader).build();
    }

    /** Exactly these providers; default executor. */
    public static Jpkl of(SliceCodecs codecs, ContainerSerializers serializers) {
        return builder().codecs(codecs).serializers(serializers).build();
    }

    /** A builder: class loader or explicit providers, executor and parallelism. */
    public static Builder builder() {
        return new Builder();
    }

    /** The executor that parallel decodes and encodes run on. */
    public Executor executor() {
        return executor;
    }

    /** How many threads one {@code get} or {@code save} uses at most (the caller's included). */
    public int parallelism() {
        return parallelism;
    }

    /** The codecs this instance uses. */
    public SliceCodecs codecs() {
        return codecs;
    }

    /** The serializers this instance uses. */
    public ContainerSerializers serializers() {
        return serializers;
    }

    /** The storage providers this instance opens URIs with (other than {@code file:}). */
    public StorageProviders storage() {
        return storage;
    }

    /**
     * The codec {@link WriteOptions} stand for when they name none: {@value WriteOptions#UINT8_DEFAULT_CODEC}
     * for uint8 planes (JPkl's default) when it is installed and available, otherwise, and for every
     * other dtype, the first of {@link WriteOptions#LOSSLESS_DEFAULT_CODECS} ({@code zstd}, then
     * {@code deflate}) that is installed, available here and encodes the planes. A lossy codec is
     * therefore never chosen for 16-bit or float data unless it is named.
     *
     * @throws IllegalArgumentException if none of them can encode the planes, naming each and why
     */
    public SliceCodec defaultCodec(DType dtype, ChannelLayout channels) {
        Objects.requireNonNull(dtype, "dtype");
        List<String> candidates = new ArrayList<>();
        if (dtype == DType.UINT8) {
            candidates.add(WriteOptions.UINT8_DEFAULT_CODEC);
        }
        candidates.addAll(WriteOptions.LOSSLESS_DEFAULT_CODECS);
        return firstUsable(candidates, dtype, channels);
    }

    /**
     * The lossless codec {@link #defaultCodec} falls back to, for any dtype (uint8 included): the
     * first of {@link WriteOptions#LOSSLESS_DEFAULT_CODECS} installed, available and able to encode
     * the planes; e.g. for scratch copies that must be exact.
     *
     * @throws IllegalArgumentException if none of them can encode the planes, naming each and why
     */
    public SliceCodec defaultLosslessCodec(DType dtype, ChannelLayout channels) {
        return firstUsable(WriteOptions.LOSSLESS_DEFAULT_CODECS, dtype, channels);
    }

    private SliceCodec firstUsable(List<String> candidates, DType dtype, ChannelLayout channels) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(channels, "channels");
        List<String> refused = new ArrayList<>();
        for (String id : candidates) {
            SliceCodec codec = codecs.find(id).orElse(null);
            if (codec == null) {
                refused.add(id + ": not installed");
            } else if (!codec.availability().isAvailable()) {
                refused.add(id + ": not available here (" + codec.availability().reason().orElse("") + ")");
            } else if (!codec.capabilities().supports(dtype, channels)) {
                refused.add(id + ": cannot encode " + dtype + " " + channels);
            } else {
                return codec;
            }
        }
        throw new IllegalArgumentException("no codec named and no default codec can encode " + dtype + " " + channels + " planes ("
                + String.join("; ", refused) + "); name one of the installed codecs " + codecs.ids());
    }

    /** The codec the options name, else the {@linkplain #defaultCodec default} for the planes. */
    private SliceCodec codecFor(WriteOptions options, DType dtype, ChannelLayout channels) {
        return options.codecId().isPresent() ? codecs.require(options.codecId().get()) : defaultCodec(dtype, channels);
    }

    /**
     * Opens a container file; only its header and index are read now.
     *
     * @throws org.jpkl.api.JpklFormatException if no serializer recognises the file, or it is damaged
     * @throws MissingProviderException if its codec is not available
     */
    public JpklArray open(Path file) throws IOException {
        return open(RandomAccessSource.open(file), OpenOptions.defaults());
    }

    /** Opens a container file with options (checksums, cache). */
    public JpklArray open(Path file, OpenOptions options) throws IOException {
        return open(RandomAccessSource.open(file), options);
    }

    /**
     * Opens a container named by a URI: {@code file:} URIs and URIs without a scheme as local files,
     * any other scheme through the {@linkplain #storage() storage provider} that reads it (for example
     * {@code https://...} or {@code s3://bucket/key} when their modules are on the class path).
     *
     * @throws IllegalArgumentException if no provider reads the URI's scheme, naming the schemes read
     */
    public JpklArray open(URI uri) throws IOException {
        return open(uri, OpenOptions.defaults());
    }

    /** As {@link #open(URI)}, with options. */
    public JpklArray open(URI uri, OpenOptions options) throws IOException {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null) {
            return open(Path.of(uri.getPath()), options);
        }
        if (uri.getScheme().equalsIgnoreCase("file")) {
            return open(Path.of(uri), options);
        }
        return open(storage.open(uri), options);
    }

    /**
     * Opens a container from any random-access source; the returned array owns and closes it
     * (also when opening fails).
     */
    public JpklArray open(RandomAccessSource source) throws IOException {
        return open(source, OpenOptions.defaults());
    }

    /** As {@link #open(RandomAccessSource)}, with options. */
    public JpklArray open(RandomAccessSource source, OpenOptions options) throws IOException {
        ContainerReader reader;
        try {
            ContainerSerializer serializer = serializers.detect(source).orElseThrow(() -> new org.jpkl.api.JpklFormatException(
                    source.name(), "preamble", "no serializer recognises this file; serializers tried: " + serializers.ids()));
            reader = serializer.openReader(source, options.verifyChecksums());
            if (reader.header().levelCount() > 1 && !serializer.supportsLevels()) {
                reader.close();
                throw new org.jpkl.api.JpklFormatException(source.name(), "header", "'levels' is not supported by serializer '"
                        + serializer.id() + "', whose containers hold one resolution");
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(source, e);
            throw e;
        }
        try {
            return new JpklArray(reader, resolveCodec(reader), executor, parallelism, options.cache().orElse(null));
        } catch (IOException | RuntimeException e) {
            closeQuietly(reader, e);
            throw e;
        }
    }

    private SliceCodec resolveCodec(ContainerReader reader) throws IOException {
        ContainerHeader h = reader.header();
        SliceCodec codec = codecs.find(h.codecId()).orElse(null);
        if (codec == null) {
            throw new MissingProviderException(reader.name(), "codec", h.codecId(), codecs.ids(),
                    "Add the jar that provides it to the class path, or open with Jpkl.create(classLoader).");
        }
        if (!codec.availability().isAvailable()) {
            throw new MissingProviderException(reader.name(), "codec", h.codecId(), codecs.ids(),
                    "It is present but unavailable: " + codec.availability().reason().orElse(""));
        }
        return codec;
    }

    /**
     * Encodes {@code array} plane by plane and writes it to {@code target} atomically: a temporary
     * file in the same folder is renamed onto {@code target} only when complete, so a failure never
     * leaves a partial file and never touches an existing one. Options that name no codec use the
     * {@linkplain #defaultCodec default codec for the array's dtype}.
     *
     * @throws IllegalArgumentException for an unknown codec or format, bad parameters, or a dtype or
     *     layout the codec cannot encode (naming the codecs that can)
     */
    public void save(NdArray array, Path target, WriteOptions options) throws IOException {
        Objects.requireNonNull(target, "target");
        save(array, options, bound -> newWriter(target, array.dtype(), array.shape(), bound));
    }

    /**
     * As {@link #save(NdArray, Path, WriteOptions)}, to a URI: {@code file:} URIs and URIs without a
     * scheme are local files, any other scheme is written through the {@linkplain #storage() storage
     * provider} of its scheme (for example {@code s3://bucket/key} as a multipart upload), published
     * only when complete.
     *
     * @throws IllegalArgumentException as for {@link #save(NdArray, Path, WriteOptions)} and
     *     {@link #newWriter(URI, DType, int[], WriteOptions)}
     */
    public void save(NdArray array, URI target, WriteOptions options) throws IOException {
        Objects.requireNonNull(target, "target");
        save(array, options, bound -> newWriter(target, array.dtype(), array.shape(), bound));
    }

    /** Opens a writer for the bound options. */
    private interface WriterOpener {
        JpklWriter open(WriteOptions bound) throws IOException;
    }

    private void save(NdArray array, WriteOptions options, WriterOpener opener) throws IOException {
        PlaneLayout layout = options.layout().orElse(PlaneLayout.jpkl(false));
        SliceCodec codec = codecFor(options, array.dtype(), layout.channels());
        CodecParams bound = codec.bindToArray(codec.params(options.codecParams()), array, layout);
        WriteOptions boundOptions = options.toBuilder().codec(codec.id()).params(bound.toMap()).build();
        try (JpklWriter writer = opener.open(boundOptions)) {
            long count = writer.header().sliceCount();
            int group = writer.header().planeFitsInOneArray() ? ParallelSlices.gatherGroup(writer.header().planeSpec()) : 1;
            for (long n = 0; n < count; n += group) {
                writer.writeFrom(array, layout, n, (int) Math.min(group, count - n));
            }
            writer.commit();
        }
    }

    /**
     * Starts a streaming write: planes are written one at a time (any order, each once), so memory
     * stays at one plane plus the encoder's, whatever the array's size. {@link JpklWriter#commit()}
     * publishes the file atomically; closing without a commit discards it.
     *
     * @throws IllegalArgumentException as for {@link #save}
     */
    public JpklWriter newWriter(Path target, DType dtype, int[] shape, WriteOptions options) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        ContainerSerializer serializer = serializers.require(options.serializerId());
        NewContainer c = newContainer(serializer, dtype, shape, options);
        return new JpklWriter(serializer.openWriter(target, c.header, c.params), c.codec, c.params, executor, parallelism,
                options.downsampling());
    }

    /**
     * As {@link #newWriter(Path, DType, int[], WriteOptions)}, to a URI: {@code file:} URIs and URIs
     * without a scheme are local files; any other scheme is written through the
     * {@linkplain #storage() storage provider} of its scheme, streamed front to back (the provider
     * uploads on this instance's executor) and published only by {@link JpklWriter#commit()}; closing
     * without a commit leaves no object.
     *
     * @throws IllegalArgumentException as for {@link #newWriter(Path, DType, int[], WriteOptions)}; if
     *     no provider writes the URI's scheme; or if the serializer cannot stream its format
     *     ({@link ContainerSerializer#writesSequentially()}), naming it
     */
    public JpklWriter newWriter(URI target, DType dtype, int[] shape, WriteOptions options) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        if (target.getScheme() == null) {
            return newWriter(Path.of(target.getPath()), dtype, shape, options);
        }
        if (target.getScheme().equalsIgnoreCase("file")) {
            return newWriter(Path.of(target), dtype, shape, options);
        }
        ContainerSerializer serializer = serializers.require(options.serializerId());
        NewContainer c = newContainer(serializer, dtype, shape, options);
        if (!serializer.writesSequentially()) {
            throw new IllegalArgumentException(ContainerSerializer.notSequential(serializer, target.toString()));
        }
        SequentialOutput out = storage.create(target, executor);
        return new JpklWriter(serializer.openWriter(out, c.header, c.params), c.codec, c.params, executor, parallelism,
                options.downsampling());
    }

    /**
     * The header {@link #newWriter(Path, DType, int[], WriteOptions)} would write with these options
     * (codec parameters with their defaults, tiles, levels), checked as it checks them; nothing is
     * written. For writers that assemble a container from pieces written elsewhere (a distributed
     * encode on an object store).
     *
     * @throws IllegalArgumentException as for {@link #newWriter(Path, DType, int[], WriteOptions)}
     */
    public ContainerHeader newHeader(DType dtype, int[] shape, WriteOptions options) {
        Objects.requireNonNull(options, "options");
        return newContainer(serializers.require(options.serializerId()), dtype, shape, options).header;
    }

    /** The header, codec and parameters of a new container, all checked. */
    private static final class NewContainer {
        final ContainerHeader header;
        final SliceCodec codec;
        final CodecParams params;

        NewContainer(ContainerHeader header, SliceCodec codec, CodecParams params) {
            this.header = header;
            this.codec = codec;
            this.params = params;
        }
    }

    private NewContainer newContainer(ContainerSerializer serializer, DType dtype, int[] shape, WriteOptions options) {
        PlaneLayout layout = options.layout().orElse(PlaneLayout.jpkl(false));
        SliceCodec codec = codecFor(options, dtype, layout.channels());
        if (!codec.availability().isAvailable()) {
            throw new IllegalArgumentException("codec '" + codec.id() + "' is not available here: "
                    + codec.availability().reason().orElse(""));
        }
        codecs.checkCanEncode(codec, dtype, layout.channels());
        CodecParams params = codec.params(options.codecParams());
        int[] tile = tileShape(options, serializer, shape, layout);
        ContainerHeader header = new ContainerHeader(shape, dtype, layout, options.axisNames(), codec.id(), params.toMap(),
                options.metadata(), tile[0], tile[1], options.levels(), options.levels() == 0 ? null : options.downsampling());
        if (header.isTiled() && !serializer.supportsTiles()) {
            throw new IllegalArgumentException("serializer '" + serializer.id() + "' cannot hold tiled planes; the "
                    + header.tiling().get() + " would be lost: write without tiles, or with serializer 'jpkl'");
        }
        if (header.levelCount() > 1 && !serializer.supportsLevels()) {
            throw new IllegalArgumentException("serializer '" + serializer.id() + "' cannot hold resolution levels; the "
                    + options.levels() + " levels would be lost: write without levels, or with serializer 'jpkl'");
        }
        if (header.levelCount() > 1 && !header.planeFitsInOneArray() && header.tiling().get().tileHeight() % 2 != 0) {
            throw new IllegalArgumentException("the levels of a " + header.shape()[layout.yAxis()] + "x" + header.shape()[layout.xAxis()]
                    + " plane, larger than one Java array, are built tile row by tile row, which needs an even tile height (not "
                    + header.tiling().get().tileHeight() + "): write with even tiles, or without levels");
        }
        return new NewContainer(header, codec, params);
    }

    /** The tile size of a new container ({0, 0} untiled); the shape and layout are checked by the header. */
    private static int[] tileShape(WriteOptions options, ContainerSerializer serializer, int[] shape, PlaneLayout layout) {
        boolean fits = layout.yAxis() < shape.length && layout.xAxis() < shape.length && layout.yAxis() >= 0 && layout.xAxis() >= 0;
        if (!fits) {
            return new int[] {0, 0};
        }
        return options.tileShapeFor(shape[layout.yAxis()], shape[layout.xAxis()], serializer.supportsTiles());
    }

    /**
     * Converts a container to another codec, parameters, plane layout or format, slice by slice
     * (memory bounded by one plane). Axis names and metadata are kept unless {@code options} sets them
     * (metadata is merged). A different plane layout moves the plane axes and keeps the key axes in
     * their order, e.g. {@code (z, y, x)} with {@code PlaneLayout.of(1, 2)} to JPkl's {@code (y, x, z)}:
     * the planes and their numbering stay the same. When the target codec is the source's and the
     * codec says both parameter sets encode these planes to the same bytes
     * ({@link SliceCodec#encodesAlike}), the encoded bytes are copied unchanged (no re-encoding, no
     * generation loss); tiles are kept (options with {@link WriteOptions.Tiling#AUTO} keep the
     * source's tile size) and copied only when the tile sizes match too. Options that name no codec keep the source's codec and parameters (their
     * parameters, if any, override single source parameters), rather than the dtype's
     * {@linkplain #defaultCodec default}. Resolution levels are written as {@code options} say
     * ({@link WriteOptions#levels()}, none by default: the source's levels are then dropped); the
     * source's first levels are copied with level 0 when the rest is copied and the source records
     * the same {@linkplain ContainerHeader#levelDownsampling() downsampling}, else built anew (from
     * level 0's decoded planes, level 0 itself still copied when it can be).
     *
     * @return whether level 0's chunks were copied without re-encoding
     * @throws IllegalArgumentException if the target layout adds or removes the colour axis, or as
     *     for {@link #save}
     */
    public boolean convert(Path source, Path target, WriteOptions options) throws IOException {
        try (JpklArray in = open(source)) {
            return convert(in, target, options);
        }
    }

    /** As {@link #convert(Path, Path, WriteOptions)}, from an open container. */
    public boolean convert(JpklArray in, Path target, WriteOptions options) throws IOException {
        return convert(in, target, options, w -> { });
    }

    /**
     * As {@link #convert(JpklArray, Path, WriteOptions)}; {@code opened} is given the writer as soon as
     * it is open, before any chunk is written (e.g. to close it, discarding the temporary file, when
     * the JVM is stopped).
     */
    public boolean convert(JpklArray in, Path target, WriteOptions options, java.util.function.Consumer<? super JpklWriter> opened)
            throws IOException {
        return convert(in, target, options, opened, done -> { });
    }

    /**
     * As {@link #convert(JpklArray, Path, WriteOptions, java.util.function.Consumer)}; {@code slicesDone}
     * is given the number of source slices (planes) written so far, with their levels, after each
     * one (e.g. to show progress); copied levels follow the last call.
     */
    public boolean convert(JpklArray in, Path target, WriteOptions options, java.util.function.Consumer<? super JpklWriter> opened,
                           java.util.function.LongConsumer slicesDone) throws IOException {
        ContainerHeader h = in.header();
        PlaneLayout targetLayout = options.layout().orElse(h.layout());
        int[] fromSource = planeAxesMoved(h.layout(), targetLayout, h.shape().length);
        int[] shape = new int[fromSource.length];
        List<String> names = new ArrayList<>();
        for (int a = 0; a < fromSource.length; a++) {
            shape[a] = h.shape()[fromSource[a]];
            names.add(h.axisNames().get(fromSource[a]));
        }
        WriteOptions.Builder b = options.toBuilder().layout(targetLayout);
        if (options.codecId().isEmpty()) {
            b.codec(h.codecId()).clearParams().params(h.codecParams()).params(options.codecParams());
        }
        if (options.axisNames().isEmpty()) {
            b.axisNames(names);
        }
        if (options.tiling() == WriteOptions.Tiling.AUTO && h.isTiled()) {
            b.storedTiles(h.tiling().get().tileHeight(), h.tiling().get().tileWidth());
        }
        Map<String, Object> metadata = new LinkedHashMap<>(h.metadata());
        metadata.putAll(options.metadata());
        WriteOptions resolved = b.metadata(metadata).build();
        SliceCodec codec = codecs.require(resolved.codecId().orElseThrow());
        boolean sameCodec = codec.id().equals(h.codecId())
                && codec.encodesAlike(resolved.codecParams(), h.codecParams(), h.dtype(), h.layout().channels());
        try (JpklWriter writer = newWriter(target, h.dtype(), shape, resolved)) {
            opened.accept(writer);
            boolean copy = sameCodec && writer.header().tiling().map(TileGrid::tileHeight).equals(h.tiling().map(TileGrid::tileHeight))
                    && writer.header().tiling().map(TileGrid::tileWidth).equals(h.tiling().map(TileGrid::tileWidth));
            if (copy && writer.header().levelsCopyableFrom(h)) {
                long perSlice = h.chunksPerSlice();
                for (long n = 0; n < h.sliceCount(); n++) {
                    for (long chunk = n * perSlice; chunk < (n + 1) * perSlice; chunk++) {
                        writer.writeEncoded(chunk, in.readEncodedSlice(chunk));
                    }
                    slicesDone.accept(n + 1);
                }
                for (long chunk = h.level(0).chunkCount(); chunk < writer.header().chunkCount(); chunk++) {
                    writer.writeEncoded(chunk, in.readEncodedSlice(chunk));
                }
            } else if (copy) {
                // Level 0 copied, the levels built from its decoded planes.
                long perSlice = h.chunksPerSlice();
                PlaneBuffer plane = h.planeFitsInOneArray() ? PlaneBuffer.allocate(h.planeSpec()) : null;
                for (long n = 0; n < h.sliceCount(); n++) {
                    for (long chunk = n * perSlice; chunk < (n + 1) * perSlice; chunk++) {
                        writer.writeEncoded(chunk, in.readEncodedSlice(chunk));
                    }
                    if (plane != null) {
                        in.decodeSlice(n, plane);
                        writer.writeLevelsOf(n, plane);
                    } else {
                        writer.writeLevelsFrom(in, n);
                    }
                    slicesDone.accept(n + 1);
                }
            } else if (writer.header().isTiled() && !h.planeFitsInOneArray()) {
                for (long n = 0; n < h.sliceCount(); n++) {
                    writer.writeTileRowsFrom(in, n);
                    slicesDone.accept(n + 1);
                }
            } else {
                PlaneBuffer plane = PlaneBuffer.allocate(h.planeSpec());
                for (long n = 0; n < h.sliceCount(); n++) {
                    in.decodeSlice(n, plane);
                    writer.write(n, plane);
                    slicesDone.accept(n + 1);
                }
            }
            writer.commit();
            return copy;
        }
    }

    /**
     * For each axis of an array with the target layout, the source axis it comes from: plane axes
     * go to the target layout's positions, key axes fill the rest in their order.
     */
    private static int[] planeAxesMoved(PlaneLayout from, PlaneLayout to, int ndim) {
        if (from.channelAxis().isPresent() != to.channelAxis().isPresent()) {
            throw new IllegalArgumentException("layout " + to + " " + (to.channelAxis().isPresent() ? "adds" : "removes")
                    + " a colour axis; the source layout is " + from + " (convert moves plane axes, it cannot add or drop one)");
        }
        int max = Math.max(Math.max(to.yAxis(), to.xAxis()), to.channelAxis().orElse(-1));
        if (max >= ndim) {
            throw new IllegalArgumentException("layout " + to + " needs " + (max + 1) + " axes; the array has " + ndim);
        }
        int[] fromSource = new int[ndim];
        java.util.Arrays.fill(fromSource, -1);
        fromSource[to.yAxis()] = from.yAxis();
        fromSource[to.xAxis()] = from.xAxis();
        if (to.channelAxis().isPresent()) {
            fromSource[to.channelAxis().getAsInt()] = from.channelAxis().getAsInt();
        }
        int[] keys = from.keyAxes(ndim);
        int k = 0;
        for (int a = 0; a < ndim; a++) {
            if (fromSource[a] < 0) {
                fromSource[a] = keys[k++];
            }
        }
        return fromSource;
    }

    private static void closeQuietly(AutoCloseable c, Exception primary) {
        try {
            c.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return "Jpkl[codecs " + codecs.ids() + ", serializers " + serializers.ids() + ", parallelism " + parallelism + "]";
    }

    /** Builds a {@link Jpkl}. Not thread-safe. */
    public static final class Builder {
        private ClassLoader loader;
        private SliceCodecs codecs;
        private ContainerSerializers serializers;
        private StorageProviders storage;
        private final ProviderOptions.Builder storageOptions = ProviderOptions.builder();
        private Executor executor;
        private int parallelism;
        private final ProviderOptions.Builder options = ProviderOptions.builder();

        private Builder() {
        }

        /**
         * Hand these options to the codecs (scanned or given), e.g. {@code jpeg.backend=imageio}; adds to
         * earlier ones, a later value for a key replacing the earlier. See {@link SliceCodecs#withOptions}.
         * {@link #build()} refuses a key that no codec takes.
         */
        public Builder providerOptions(ProviderOptions options) {
            Objects.requireNonNull(options, "options").toMap().forEach(this.options::put);
            return this;
        }

        /**
         * Hand one option to the codecs, as {@link #providerOptions}.
         *
         * @throws IllegalArgumentException if the key is not of the form {@code namespace.name}
         */
        public Builder providerOption(String key, String value) {
            options.put(key, value);
            return this;
        }

        /** Find providers through this loader (default: the context class loader, else this library's). */
        public Builder classLoader(ClassLoader loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Use exactly these codecs instead of scanning. */
        public Builder codecs(SliceCodecs codecs) {
            this.codecs = Objects.requireNonNull(codecs, "codecs");
            return this;
        }

        /** Use exactly these storage providers instead of scanning. */
        public Builder storage(StorageProviders storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * Hand one option to the storage providers, e.g. {@code s3.endpoint=http://127.0.0.1:9000};
         * a later value for a key replaces the earlier. {@link #build()} refuses a key no provider takes
         * ({@link org.jpkl.api.spi.StorageProvider#optionKeys()}).
         */
        public Builder storageOption(String key, String value) {
            storageOptions.put(key, value);
            return this;
        }

        /** Use exactly these serializers instead of scanning. */
        public Builder serializers(ContainerSerializers serializers) {
            this.serializers = Objects.requireNonNull(serializers, "serializers");
            return this;
        }

        /**
         * Run parallel decodes and encodes on this executor (the caller's thread always works too).
         * Default: a pool owned by the instance with {@code parallelism - 1} daemon threads that exit
         * when idle; never the common pool.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * At most this many threads per {@code get} or {@code save}, the caller's included
         * (default: the number of processors; 1 = all work on the calling thread).
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder parallelism(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("parallelism (" + threads + ") must be >= 1");
            }
            this.parallelism = threads;
            return this;
        }

        /**
         * The instance (scans class loaders for providers not given explicitly).
         *
         * @throws IllegalArgumentException for a provider option no codec takes or a value a codec refuses
         */
        public Jpkl build() {
            return new Jpkl(this);
        }
    }

    /** The default executor: up to {@code parallelism - 1} daemon threads, created on demand, gone when idle. */
    private static final class DefaultExecutor implements Executor {
        private final java.util.concurrent.ThreadPoolExecutor pool;

        DefaultExecutor(int parallelism) {
            int threads = Math.max(1, parallelism - 1);
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            this.pool = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 30, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "jpkl-worker-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
        }

        @Override
        public void execute(Runnable task) {
            pool.execute(task);
        }
    }
}
