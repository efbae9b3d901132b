package org.jpkl.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.Index;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Runs several codecs over the same N-D array and reports, per codec, whether it is lossless
 * (declared and measured), the compressed size and ratio, the largest absolute error and PSNR,
 * encode and decode throughput, end-to-end save and load throughput, and the latency of reading one
 * random plane from the saved file: the figures needed to choose a codec for one's own data.
 *
 * <pre>{@code
 * CodecComparison comparison = CodecComparison.builder(Jpkl.create())
 *         .codec("jpeg:quality=95").codec("jpeg:quality=50").codec("png").codec("deflate")
 *         .build();                                     // checks ids and parameters now
 * ComparisonReport report = comparison.run(stack, WriteOptions.defaults(), workDir);
 * System.out.print(report.toTable());
 * }</pre>
 *
 * <p>Per codec, in this order (each timed step runs {@code warmups} untimed passes, then
 * {@code repeats} timed ones, and reports the median; see {@link Stopwatch} and {@link Samples}):
 * <ol>
 *   <li><b>skip check</b>: a codec that is unavailable here, cannot encode the array's dtype or
 *       channel layout, or refuses the given settings for its planes ({@code newEncoder} throws
 *       {@link IllegalArgumentException}, e.g. jpegxl for float32 at distance 0) gets a
 *       {@link ComparisonRow.Status#SKIPPED SKIPPED} row with the reason;</li>
 *   <li><b>encode</b>: the codec's encoder alone on one thread over every plane (parameters first
 *       bound to the array as {@code Jpkl.save} does; copying planes out of the array is not timed);</li>
 *   <li><b>decode</b>: the codec's decoder alone on one thread over those encoded planes;</li>
 *   <li><b>save</b>: {@code Jpkl.save} into {@code workDir}, end to end (parallel encoding, file
 *       writing, forcing to disk, atomic rename);</li>
 *   <li><b>load</b>: one {@code get} of the whole array from the freshly opened file; the last
 *       result is compared with the input for exactness, max abs error and PSNR (as
 *       {@link org.jpkl.api.ErrorMetrics} defines them);</li>
 *   <li><b>slice reads</b>: {@code sliceReads} {@code get}s of single random planes (the same planes
 *       for every codec) from the freshly opened file.</li>
 * </ol>
 * An exception in any step gives a {@link ComparisonRow.Status#FAILED FAILED} row naming the step;
 * the other codecs still run. Each saved file is deleted after its codec unless
 * {@link Builder#keepFiles(boolean)} says otherwise.
 *
 * <p>Memory: besides the input, one codec at a time holds its encoded planes and one decoded copy
 * of the whole array; the input must therefore fit in memory comfortably (compare on a part of a
 * large container, e.g. a few planes read with {@code JpklArray.get}).
 *
 * <p>Figures depend on the machine, the JIT's warm-up and what else runs; the file just written is
 * normally in the operating system's cache, so load and slice figures measure reading from memory
 * and decoding, not the disk.
 *
 * <p>Thread safety: immutable; {@link #run} may be called from several threads, but concurrent
 * runs disturb each other's timings.
 */
public final class CodecComparison {
    private final Jpkl jpkl;
    private final List<CodecSpec> codecs;
    private final int warmups;
    private final int repeats;
    private final int sliceReads;
    private final long seed;
    private final boolean keepFiles;
    private final Consumer<String> progress;
    private final Stopwatch clock;

    private CodecComparison(Builder b, List<CodecSpec> codecs) {
        this.jpkl = b.jpkl;
        this.codecs = List.copyOf(codecs);
        this.warmups = b.warmups;
        this.repeats = b.repeats;
        this.sliceReads = b.sliceReads;
        this.seed = b.seed;
        this.keepFiles = b.keepFiles;
        this.progress = b.progress;
        this.clock = b.clock;
    }

    /** A builder comparing codecs of {@code jpkl} (its codecs, serializers and parallelism are used). */
    public static Builder builder(Jpkl jpkl) {
        return new Builder(jpkl);
    }

    /** The codecs compared, in report order, as resolved by {@link Builder#build()}. */
    public List<CodecSpec> codecs() {
        return codecs;
    }

    /** As {@link #run(NdArray, WriteOptions, Path)} with default write options (JPkl's grey layout, serializer {@code jpkl}). */
    public ComparisonReport run(NdArray array, Path workDir) throws IOException {
        return run(array, WriteOptions.defaults(), workDir);
    }

    /**
     * Compares the codecs on {@code array}.
     *
     * @param array the data; every codec sees exactly this array
     * @param base layout, axis names, metadata and serializer of the saved files; its codec
     *     and codec parameters are ignored (each {@link CodecSpec} supplies its own)
     * @param workDir folder for the saved files (created if missing); each codec's file is named
     *     {@code compare-NN-ID.EXT}
     * @return one row per codec, in the order of {@link #codecs()}
     * @throws IllegalArgumentException if the layout does not fit the array, the array has no planes
     *     (a key axis of length 0), or the serializer is unknown
     * @throws IOException if {@code workDir} cannot be created
     */
    public ComparisonReport run(NdArray array, WriteOptions base, Path workDir) throws IOException {
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(workDir, "workDir");
        PlaneLayout layout = base.layout().orElse(PlaneLayout.jpkl(false));
        int[] shape = array.shape();
        KeySpace keys = new KeySpace(shape, layout);
        if (keys.sliceCount() == 0) {
            throw new IllegalArgumentException("array " + array + " has no planes to compare codecs on");
        }
        ContainerSerializer serializer = jpkl.serializers().require(base.serializerId());
        Files.createDirectories(workDir);
        Input input = new Input(array, layout, keys,
                new PlaneSpec(array.dtype(), shape[layout.yAxis()], shape[layout.xAxis()], layout.channels()),
                InputStatistics.of(array), serializer.fileExtensions().isEmpty() ? "bin" : serializer.fileExtensions().get(0));
        List<ComparisonRow> rows = new ArrayList<>();
        for (int i = 0; i < codecs.size(); i++) {
            CodecSpec spec = codecs.get(i);
            progress.accept(String.format(Locale.ROOT, "[%d/%d] %s", i + 1, codecs.size(), spec));
            Path file = workDir.resolve(String.format(Locale.ROOT, "compare-%02d-%s.%s", i + 1, spec.id(), input.extension));
            try {
                rows.add(measure(spec, input, base, file));
            } finally {
                if (!keepFiles) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return new ComparisonReport(array.dtype(), shape, layout, keys.sliceCount(), array.byteSize(), input.stats,
                serializer.id(), warmups, repeats, sliceReads, jpkl.parallelism(), rows);
    }

    /** Everything about the input that every codec's measurement needs. */
    private static final class Input {
        final NdArray array;
        final PlaneLayout layout;
        final KeySpace keys;
        final PlaneSpec planeSpec;
        final InputStatistics stats;
        final String extension;
        final int slices;

        Input(NdArray array, PlaneLayout layout, KeySpace keys, PlaneSpec planeSpec, InputStatistics stats, String extension) {
            this.array = array;
            this.layout = layout;
            this.keys = keys;
            this.planeSpec = planeSpec;
            this.stats = stats;
            this.extension = extension;
            // The array fits in one Java array and every plane holds at least one sample.
            this.slices = Math.toIntExact(keys.sliceCount());
        }
    }

    /** What the last load pass read: the array, the stored parameters and the file's size. */
    private static final class ReadBack {
        NdArray array;
        Map<String, String> storedParams = Map.of();
        long fileBytes;
    }

    /** A step's failure, carrying which step failed. */
    private static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailure(String step, Throwable cause) {
            super(step + ": " + describe(cause), cause);
        }

        private static String describe(Throwable t) {
            String message = t.getMessage();
            return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
    }

    private ComparisonRow measure(CodecSpec spec, Input in, WriteOptions base, Path file) {
        SliceCodec codec = jpkl.codecs().require(spec.id());
        CodecCapabilities caps = codec.capabilities();
        boolean lossless = codec.isLossless(codec.params(spec.params()));
        Availability availability = codec.availability();
        if (!availability.isAvailable()) {
            return ComparisonRow.skipped(spec, lossless, "not available here: " + availability.reason().orElse(""));
        }
        if (!caps.supports(in.planeSpec.dtype(), in.planeSpec.channels())) {
            return ComparisonRow.skipped(spec, lossless, "cannot encode " + in.planeSpec.dtype() + " " + in.planeSpec.channels()
                    + " planes (takes dtypes " + caps.dtypes() + ", channels " + caps.channels() + ")");
        }
        try {
            CodecParams bound;
            try {
                bound = codec.bindToArray(codec.params(spec.params()), in.array, in.layout);
            } catch (RuntimeException e) {
                throw new StepFailure("binding parameters to the array", e);
            }
            try (SliceEncoder probe = codec.newEncoder(bound, in.planeSpec)) {
                // Only asks whether the codec takes these settings for these planes (jpegxl refuses float32 at distance 0).
            } catch (IllegalArgumentException e) {
                return ComparisonRow.skipped(spec, lossless, "refuses these settings for " + in.planeSpec.dtype() + " "
                        + in.planeSpec.channels() + " planes: " + e.getMessage());
            }
            byte[][] encoded = new byte[in.slices][];
            Samples encodeNanos = timeEncode(codec, bound, in, encoded);
            long payload = 0;
            for (byte[] e : encoded) {
                payload += e.length;
            }
            Samples decodeNanos = timeDecode(codec, bound, in, encoded);
            WriteOptions options = options(base, spec);
            Samples saveNanos;
            try {
                saveNanos = clock.repeat(warmups, repeats, () -> jpkl.save(in.array, file, options));
            } catch (IOException | RuntimeException e) {
                throw new StepFailure("save", e);
            }
            ReadBack back = new ReadBack();
            Samples loadNanos;
            try {
                loadNanos = clock.passes(warmups, repeats, () -> {
                    try (JpklArray opened = jpkl.open(file)) {
                        long nanos = clock.nanos(() -> back.array = opened.get(Index.ellipsis()));
                        back.storedParams = opened.codecParams();
                        back.fileBytes = opened.byteSize();
                        return nanos;
                    }
                });
            } catch (IOException | RuntimeException e) {
                throw new StepFailure("reading the saved file back", e);
            }
            double sliceMillis = sliceReadMillis(in, file);
            ErrorMetrics errors;
            try {
                if (back.array.dtype() != in.array.dtype()) {
                    throw new IllegalStateException("read back " + back.array + ", expected the dtype of " + in.array);
                }
                errors = ErrorMetrics.between(in.array, back.array);
            } catch (RuntimeException e) {
                throw new StepFailure("comparing the read-back array with the input", e);
            }
            long raw = in.array.byteSize();
            double maxAbs = errors.maxAbsError();
            return ComparisonRow.measured(spec, lossless, new CodecMeasurement(back.storedParams, in.array.equals(back.array), back.fileBytes, payload,
                    raw / (double) back.fileBytes, maxAbs, maxAbs == 0 ? 0 : maxAbs / in.stats.std(),
                    errors.psnr(in.stats.range()), errors.psnr(in.stats.dtypePeak()),
                    Stopwatch.megabytesPerSecond(raw, encodeNanos.median()), Stopwatch.megabytesPerSecond(raw, decodeNanos.median()),
                    Stopwatch.megabytesPerSecond(raw, saveNanos.median()), Stopwatch.megabytesPerSecond(raw, loadNanos.median()),
                    sliceMillis));
        } catch (StepFailure e) {
            progress.accept("  " + spec + " failed: " + e.getMessage());
            return ComparisonRow.failed(spec, lossless, e.getMessage());
        }
    }

    private static WriteOptions options(WriteOptions base, CodecSpec spec) {
        WriteOptions.Builder b = WriteOptions.builder().codec(spec.id()).params(spec.params()).axisNames(base.axisNames())
                .metadata(base.metadata()).serializer(base.serializerId());
        base.layout().ifPresent(b::layout);
        return b.build();
    }

    private Samples timeEncode(SliceCodec codec, CodecParams params, Input in, byte[][] encoded) throws StepFailure {
        try (SliceEncoder encoder = codec.newEncoder(params, in.planeSpec)) {
            PlaneBuffer plane = PlaneBuffer.allocate(in.planeSpec);
            return clock.passes(warmups, repeats, () -> {
                long total = 0;
                for (int n = 0; n < in.slices; n++) {
                    in.array.copyPlane(in.layout, n, plane);
                    int slice = n;
                    total += clock.nanos(() -> encoded[slice] = encoder.encode(plane));
                }
                return total;
            });
        } catch (IOException | RuntimeException e) {
            throw new StepFailure("encode", e);
        }
    }

    private Samples timeDecode(SliceCodec codec, CodecParams params, Input in, byte[][] encoded) throws StepFailure {
        int[] at = {-1};
        try (SliceDecoder decoder = codec.newDecoder(params, in.planeSpec)) {
            PlaneBuffer plane = PlaneBuffer.allocate(in.planeSpec);
            return clock.passes(warmups, repeats, () -> {
                long total = 0;
                for (at[0] = 0; at[0] < in.slices; at[0]++) {
                    ByteBuffer bytes = ByteBuffer.wrap(encoded[at[0]]).asReadOnlyBuffer();
                    total += clock.nanos(() -> decoder.decode(bytes, plane));
                }
                return total;
            });
        } catch (IOException | RuntimeException e) {
            throw new StepFailure(at[0] < 0 ? "creating a decoder" : "decode of slice " + in.keys.describe(at[0]), e);
        }
    }

    private double sliceReadMillis(Input in, Path file) throws StepFailure {
        if (sliceReads == 0) {
            return Double.NaN;
        }
        int[] keyAxes = in.keys.keyAxes();
        List<Index> items = new ArrayList<>(Collections.nCopies(in.array.ndim(), Index.all()));
        Random random = new Random(seed);
        double[] times = new double[sliceReads];
        try (JpklArray opened = jpkl.open(file)) {
            for (int r = 0; r < sliceReads; r++) {
                int[] key = in.keys.key(random.nextInt(in.slices));
                for (int k = 0; k < keyAxes.length; k++) {
                    items.set(keyAxes[k], Index.at(key[k]));
                }
                times[r] = clock.nanos(() -> opened.get(items));
            }
        } catch (IOException | RuntimeException e) {
            throw new StepFailure("random slice reads", e);
        }
        return Samples.of(times).median() / 1e6;
    }

    @Override
    public String toString() {
        return "CodecComparison[" + codecs + ", warmups " + warmups + ", repeats " + repeats + ", slice reads " + sliceReads + "]";
    }

    /**
     * Builds a {@link CodecComparison}: which codecs (with parameters), how many warm-up and timed
     * passes, how many random slice reads. Defaults: every codec of the {@link Jpkl} instance with
     * its default parameters, 1 warm-up, 3 timed passes, 20 slice reads, seed 1, files deleted.
     *
     * <p>Thread safety: not thread-safe.
     */
    public static final class Builder {
        private final Jpkl jpkl;
        private final List<CodecSpec> specs = new ArrayList<>();
        private boolean allCodecs;
        private boolean losslessOnly;
        private int warmups = 1;
        private int repeats = 3;
        private int sliceReads = 20;
        private long seed = 1;
        private boolean keepFiles;
        private Consumer<String> progress = message -> { };
        private Stopwatch clock = Stopwatch.system();

        private Builder(Jpkl jpkl) {
            this.jpkl = Objects.requireNonNull(jpkl, "jpkl");
        }

        /** Adds a codec with parameters. */
        public Builder codec(CodecSpec spec) {
            specs.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Adds a codec given as {@code ID[:KEY=VALUE,...]}; see {@link CodecSpec#parse}. */
        public Builder codec(String spec) {
            return codec(CodecSpec.parse(spec));
        }

        /** Adds several codecs. */
        public Builder codecs(Collection<CodecSpec> more) {
            more.forEach(this::codec);
            return this;
        }

        /**
         * Also compares every codec of the {@link Jpkl} instance with its default parameters (the
         * default when no codec is added), after the codecs added explicitly; a codec already added
         * with no parameters is not repeated. Codecs that cannot take the array are reported as
         * skipped, not left out.
         */
        public Builder allCodecs() {
            this.allCodecs = true;
            return this;
        }

        /**
         * Compares only codecs that are exact at the parameters they are given
         * ({@link SliceCodec#isLossless(CodecParams)}, e.g. JPEG-LS at {@code near} 0 but not at
         * {@code near} 2): of {@link #allCodecs()} (or the default of every codec) those lossy with
         * their defaults are left out; a codec added explicitly with lossy parameters makes
         * {@link #build()} fail, since the two requests contradict each other.
         */
        public Builder losslessOnly() {
            this.losslessOnly = true;
            return this;
        }

        /**
         * Untimed passes before each timed step, so that the JIT and caches are warm (default 1).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder warmups(int passes) {
            if (passes < 0) {
                throw new IllegalArgumentException("warmups (" + passes + ") must be >= 0");
            }
            this.warmups = passes;
            return this;
        }

        /**
         * Timed passes per step; figures are their medians (default 3).
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder repeats(int passes) {
            if (passes < 1) {
                throw new IllegalArgumentException("repeats (" + passes + ") must be >= 1");
            }
            this.repeats = passes;
            return this;
        }

        /**
         * Random single-plane reads timed per codec (default 20; 0 skips the measurement).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder sliceReads(int reads) {
            if (reads < 0) {
                throw new IllegalArgumentException("sliceReads (" + reads + ") must be >= 0");
            }
            this.sliceReads = reads;
            return this;
        }

        /** Seed choosing the random planes (the same planes for every codec); default 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Keep each codec's saved file in the work folder instead of deleting it (default false). */
        public Builder keepFiles(boolean keep) {
            this.keepFiles = keep;
            return this;
        }

        /** Receives one line per codec as it starts, and one per failure (default: nowhere). */
        public Builder progress(Consumer<String> listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock timing every step (default {@link Stopwatch#system()}); tests pass a fake one. */
        Builder clock(Stopwatch stopwatch) {
            this.clock = Objects.requireNonNull(stopwatch, "stopwatch");
            return this;
        }

        /**
         * Resolves the codec list and checks every codec id and parameter set now, before anything
         * is measured.
         *
         * @throws IllegalArgumentException naming the spec for an unknown codec id (listing the
         *     available ones), invalid parameters (with the codec's message), or a spec given twice
         */
        public CodecComparison build() {
            Set<CodecSpec> resolved = new LinkedHashSet<>();
            for (CodecSpec s : specs) {
                if (!resolved.add(s)) {
                    throw new IllegalArgumentException("codec spec '" + s + "' is given twice");
                }
            }
            if (allCodecs || specs.isEmpty()) {
                for (SliceCodec c : jpkl.codecs().all()) {
                    if (!losslessOnly || c.isLossless(c.params(Map.of()))) {
                        resolved.add(CodecSpec.of(c.id()));
                    }
                }
            }
            for (CodecSpec s : resolved) {
                SliceCodec codec;
                try {
                    codec = jpkl.codecs().require(s.id());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("codec spec '" + s + "': " + e.getMessage(), e);
                }
                CodecParams params;
                try {
                    params = codec.params(s.params());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("codec spec '" + s + "': " + e.getMessage(), e);
                }
                if (losslessOnly && !codec.isLossless(params)) {
                    throw new IllegalArgumentException("codec spec '" + s + "' is lossy at these parameters, but only lossless codecs"
                            + " are to be compared; drop it or give it exact settings");
                }
            }
            return new CodecComparison(this, new ArrayList<>(resolved));
        }
    }
}
