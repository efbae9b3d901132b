package org.jpkl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;

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
 * plugin jar added through a new class loader is seen by a new instance.
 *
 * <p>Thread safety: immutable and thread-safe.
 */
public final class Jpkl {
    private final SliceCodecs codecs;
    private final ContainerSerializers serializers;

    private Jpkl(SliceCodecs codecs, ContainerSerializers serializers) {
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.serializers = Objects.requireNonNull(serializers, "serializers");
    }

    /** Providers found through the thread's context class loader (or this library's loader). */
    public static Jpkl create() {
        return new Jpkl(SliceCodecs.load(), ContainerSerializers.load());
    }

    /** Providers found through {@code loader}. */
    public static Jpkl create(ClassLoader loader) {
        return new Jpkl(SliceCodecs.load(loader), ContainerSerializers.load(loader));
    }

    /** Exactly these providers. */
    public static Jpkl of(SliceCodecs codecs, ContainerSerializers serializers) {
        return new Jpkl(codecs, serializers);
    }

    /** The codecs this instance uses. */
    public SliceCodecs codecs() {
        return codecs;
    }

    /** The serializers this instance uses. */
    public ContainerSerializers serializers() {
        return serializers;
    }

    /**
     * Opens a container file; only its header and index are read now.
     *
     * @throws org.jpkl.api.JpklFormatException if no serializer recognises the file, or it is damaged
     * @throws MissingProviderException if its codec is not available
     */
    public JpklArray open(Path file) throws IOException {
        return open(RandomAccessSource.open(file));
    }

    /**
     * Opens a container from any random-access source; the returned array owns and closes it
     * (also when opening fails).
     */
    public JpklArray open(RandomAccessSource source) throws IOException {
        ContainerReader reader;
        try {
            ContainerSerializer serializer = serializers.detect(source).orElseThrow(() -> new org.jpkl.api.JpklFormatException(
                    source.name(), "preamble", "no container format recognises this file; formats tried: " + serializers.ids()));
            reader = serializer.openReader(source);
        } catch (IOException | RuntimeException e) {
            closeQuietly(source, e);
            throw e;
        }
        try {
            return new JpklArray(reader, resolveCodec(reader));
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
     * leaves a partial file and never touches an existing one.
     *
     * @throws IllegalArgumentException for an unknown codec or format, bad parameters, or a dtype or
     *     layout the codec cannot encode (naming the codecs that can)
     */
    public void save(NdArray array, Path target, WriteOptions options) throws IOException {
        PlaneLayout layout = options.layout().orElse(PlaneLayout.jpkl(false));
        SliceCodec codec = codecs.require(options.codecId());
        CodecParams bound = codec.bindToArray(codec.params(options.codecParams()), array);
        WriteOptions boundOptions = options.toBuilder().codec(codec.id()).params(bound.toMap()).build();
        try (JpklWriter writer = newWriter(target, array.dtype(), array.shape(), boundOptions)) {
            PlaneBuffer plane = PlaneBuffer.allocate(writer.header().planeSpec());
            for (long n = 0; n < writer.header().sliceCount(); n++) {
                array.copyPlane(layout, n, plane);
                writer.write(n, plane);
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
        PlaneLayout layout = options.layout().orElse(PlaneLayout.jpkl(false));
        ContainerSerializer serializer = serializers.require(options.serializerId());
        SliceCodec codec = codecs.require(options.codecId());
        if (!codec.availability().isAvailable()) {
            throw new IllegalArgumentException("codec '" + codec.id() + "' is not available here: "
                    + codec.availability().reason().orElse(""));
        }
        codecs.checkCanEncode(codec, dtype, layout.channels());
        CodecParams params = codec.params(options.codecParams());
        ContainerHeader header = new ContainerHeader(shape, dtype, layout, options.axisNames(), codec.id(), params.toMap(),
                options.metadata());
        return new JpklWriter(serializer.openWriter(target, header), codec, params);
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
        return "Jpkl[codecs " + codecs.ids() + ", formats " + serializers.ids() + "]";
    }
}
