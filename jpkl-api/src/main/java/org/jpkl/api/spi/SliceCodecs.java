package org.jpkl.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;

/**
 * An immutable snapshot of the available {@link SliceCodec}s, sorted by id. Build one from a
 * {@link ClassLoader} with {@link #load(ClassLoader)} (a {@link java.util.ServiceLoader} scan: do it
 * once and keep the instance), or wire codecs explicitly with {@link #of}. There is no global
 * registry: a new class loader (e.g. with a plugin jar) gives a new snapshot.
 *
 * <p>Options for the providers ({@link ProviderOptions}, e.g. {@code jpeg.backend=imageio}) are
 * given when the snapshot is made ({@link #load(ClassLoader, ProviderOptions)}, {@link #withOptions}):
 * each codec gets its own configured instance, so two snapshots in one JVM can run the same codec
 * differently at the same time.
 *
 * <p>A provider that fails to load is reported by {@link #problems()} instead of breaking the
 * others. Two providers with one id are an error naming both classes.
 *
 * <p>Thread safety: immutable.
 */
public final class SliceCodecs {

    private final ProviderIndex<SliceCodec> index;

    private SliceCodecs(ProviderIndex<SliceCodec> index) {
        this.index = index;
    }

    /** Scans {@code loader} for {@code META-INF/services/org.jpkl.api.spi.SliceCodec} entries. */
    public static SliceCodecs load(ClassLoader loader) {
        return new SliceCodecs(ProviderIndex.load("SliceCodec", SliceCodec.class, Objects.requireNonNull(loader, "loader"), SliceCodec::id));
    }

    /**
     * Scans {@code loader}, then applies {@code options} as {@link #withOptions} does.
     *
     * @throws IllegalArgumentException for an option no codec takes, or a value a codec refuses
     */
    public static SliceCodecs load(ClassLoader loader, ProviderOptions options) {
        return load(loader).withOptions(options);
    }

    /** Scans the thread's context class loader, or this library's loader when there is none. */
    public static SliceCodecs load() {
        return load(ProviderIndex.defaultLoader(SliceCodecs.class));
    }

    /** Exactly these codecs, no scanning. */
    public static SliceCodecs of(SliceCodec... codecs) {
        return new SliceCodecs(ProviderIndex.of("SliceCodec", List.of(codecs), List.of(), SliceCodec::id));
    }

    /**
     * These codecs with {@code options} applied: each codec declaring some of the keys
     * ({@link SliceCodec#optionKeys()}) is replaced by its {@link SliceCodec#configure} result;
     * this snapshot is not changed. Empty options return this snapshot.
     *
     * @throws IllegalArgumentException for a key no codec declares, e.g. {@code provider option
     *     'jpeg.bakend' is not known; codec 'jpeg' takes [jpeg.backend, jpeg.turbojpeg.library]}, or
     *     a value a codec refuses, or a codec whose configured instance has another id
     */
    public SliceCodecs withOptions(ProviderOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.isEmpty()) {
            return this;
        }
        Map<String, Set<String>> taken = new TreeMap<>();
        Set<String> allKeys = new TreeSet<>();
        for (SliceCodec c : index.all()) {
            if (!c.optionKeys().isEmpty()) {
                taken.put(c.id(), new TreeSet<>(c.optionKeys()));
                allKeys.addAll(c.optionKeys());
            }
        }
        for (String key : options.keys()) {
            if (!allKeys.contains(key)) {
                throw new IllegalArgumentException(unknownOptionMessage(key, taken));
            }
        }
        List<SliceCodec> configured = new ArrayList<>();
        for (SliceCodec c : index.all()) {
            ProviderOptions mine = options.only(c.optionKeys());
            SliceCodec out = c;
            if (!mine.isEmpty()) {
                out = Objects.requireNonNull(c.configure(mine), () -> c.getClass().getName() + ".configure returned null");
                if (!out.id().equals(c.id())) {
                    throw new IllegalStateException(c.getClass().getName() + ".configure returned a codec with id '" + out.id()
                            + "' instead of '" + c.id() + "'");
                }
            }
            configured.add(out);
        }
        return new SliceCodecs(ProviderIndex.of("SliceCodec", configured, index.problems(), SliceCodec::id));
    }

    private static String unknownOptionMessage(String key, Map<String, Set<String>> taken) {
        String namespace = ProviderOptions.namespace(key);
        List<String> sameNamespace = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : taken.entrySet()) {
            for (String k : e.getValue()) {
                if (ProviderOptions.namespace(k).equals(namespace)) {
                    sameNamespace.add("codec '" + e.getKey() + "' takes " + e.getValue());
                    break;
                }
            }
        }
        if (!sameNamespace.isEmpty()) {
            return "provider option '" + key + "' is not known; " + String.join("; ", sameNamespace);
        }
        return "provider option '" + key + "' is not known: no codec takes options '" + namespace + ".*'; options taken: "
                + (taken.isEmpty() ? "none" : taken.toString());
    }

    /** All codecs, sorted by id. */
    public List<SliceCodec> all() {
        return index.all();
    }

    /** All ids, sorted. */
    public List<String> ids() {
        return index.ids();
    }

    /** The codec with this id. */
    public Optional<SliceCodec> find(String id) {
        return index.find(id);
    }

    /**
     * The codec with this id.
     *
     * @throws IllegalArgumentException naming the id and the available ids
     */
    public SliceCodec require(String id) {
        return index.find(id).orElseThrow(() -> new IllegalArgumentException(index.unknownMessage(id)));
    }

    /** The message used when a codec is missing (for callers that raise their own exception type). */
    public String unknownMessage(String id) {
        return index.unknownMessage(id);
    }

    /**
     * The codecs that can encode planes of this dtype and channel layout (and are available here),
     * optionally only those that are lossless with their default parameters
     * ({@link SliceCodec#isLossless(CodecParams)}: JPEG-LS at {@code near} 0 counts, as does any codec
     * whose defaults are exact even though other settings are lossy), sorted by id.
     */
    public List<SliceCodec> encodersFor(DType dtype, ChannelLayout channels, boolean losslessOnly) {
        List<SliceCodec> out = new ArrayList<>();
        for (SliceCodec c : index.all()) {
            CodecCapabilities caps = c.capabilities();
            if (caps.supports(dtype, channels) && (!losslessOnly || losslessByDefault(c, dtype, channels)) && c.availability().isAvailable()) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Checks that {@code codec} can encode {@code dtype}/{@code channels}.
     *
     * @throws IllegalArgumentException naming the codec, the dtype and layout, and the codecs that could take them
     */
    public void checkCanEncode(SliceCodec codec, DType dtype, ChannelLayout channels) {
        if (!codec.capabilities().supports(dtype, channels)) {
            List<String> alternatives = new ArrayList<>();
            for (SliceCodec c : encodersFor(dtype, channels, false)) {
                alternatives.add(c.id() + (c.capabilities().lossless() ? " (lossless)" : losslessByDefault(c, dtype, channels) ? " (lossless by default)"
                        : " (lossy)"));
            }
            throw new IllegalArgumentException(codec.capabilities().unsupportedMessage(codec.id(), dtype, channels) + "; codecs that can: "
                    + (alternatives.isEmpty() ? "none on the class path" : alternatives));
        }
    }

    /** Whether {@code codec}'s default parameters encode such planes, exactly. */
    private static boolean losslessByDefault(SliceCodec codec, DType dtype, ChannelLayout channels) {
        CodecParams defaults = codec.params(Map.of());
        return codec.refusal(defaults, dtype, channels).isEmpty() && codec.isLossless(defaults);
    }

    /** Problems met while scanning (broken provider entries), empty when all loaded. */
    public List<String> problems() {
        return index.problems();
    }


    @Override
    public String toString() {
        return "SliceCodecs" + index.ids();
    }
}
