package org.jpkl.spark;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.jpkl.Jpkl;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.container.HeaderJson;
import org.jpkl.container.JpklFileSerializer;

/**
 * Encodes a stack into one container on a Spark cluster: tasks encode ranges of slices in parallel,
 * each opening its input files itself (only file names and slice ranges travel), and write their
 * encoded chunks as <em>shards</em> into a job folder on shared storage; the driver writes the
 * single container from the shards in slice order, each shard as soon as it is published (while
 * later slices are still being encoded), through the container serializer's writer
 * ({@code Jpkl.newWriter} and {@link JpklWriter#writeEncoded}), published atomically as every
 * container is. The container is byte for byte the one {@code Jpkl.save} writes from the same
 * array with the same options: the tasks encode with the same {@link JpklWriter}, and the chunks
 * are written in the same order.
 *
 * <pre>{@code
 * SparkEncoder encoder = SparkEncoder.builder().slicesPerTask(16).build();
 * StackFiles input = StackFiles.probe(sc, List.of(Path.of("/shared/acquisition/")));
 * encoder.encode(sc, input, Path.of("/shared/stack.jpkl"), WriteOptions.builder().codec("zstd").build());
 * }</pre>
 *
 * <p><b>Idempotent.</b> A task attempt writes its shard to an attempt-private temporary name and
 * renames it onto its partition's name atomically ({@link org.jpkl.api.io.AtomicFileOutput}); a
 * failed attempt leaves no shard (at most a temporary file, never read), a retried or speculative
 * attempt replaces the shard with the same bytes. The driver reads only the partitions' names and
 * checks, before publishing, that each shard was written for its partition, slice range and header,
 * that its chunks are exactly those of its slices, each once, with matching lengths and CRC32C, and
 * that every chunk of the container is present. The job folder is deleted afterwards.
 *
 * <p>Codec parameters that need the whole array's value range (JPEG's {@code window=global}) are
 * bound from a first job that reads the input once more for its min and max, as {@code Jpkl.save}
 * binds them from the array. Limits: planes must fit one Java array (as {@code Jpkl.save}'s); the
 * chunks pass through the driver, except for {@code jpkl} containers on S3, which are assembled there
 * by server-side copies ({@link #encode(JavaSparkContext, StackFiles, java.net.URI, WriteOptions)}).
 *
 * <p>Thread safety: immutable; {@link #encode} may run from several driver threads (each job in
 * its own job folder).
 */
public final class SparkEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Test hook: called in the tasks after each chunk and after a shard is published. */
    interface Faults extends Serializable {
        void afterChunk(int partition, int attempt, int chunksSoFar) throws IOException;

        void afterPublish(int partition, int attempt) throws IOException;

        /** Called in the driver after each part of the server-side assembly on S3 is stored. */
        default void afterAssemblyPart(int partNumber) throws IOException {
        }
    }

    /** No faults: the production hook. */
    private enum NoFaults implements Faults {
        INSTANCE;

        @Override
        public void afterChunk(int partition, int attempt, int chunksSoFar) {
        }

        @Override
        public void afterPublish(int partition, int attempt) {
        }
    }

    private final long slicesPerTask;
    private final Path jobFolder;
    private final JpklFactory jpkl;
    private final boolean keepJobFolder;
    private final boolean serverSideCopy;
    private final Faults faults;

    private SparkEncoder(Builder b, Faults faults) {
        this.slicesPerTask = b.slicesPerTask;
        this.jobFolder = b.jobFolder;
        this.jpkl = b.jpkl;
        this.keepJobFolder = b.keepJobFolder;
        this.serverSideCopy = b.serverSideCopy;
        this.faults = faults;
    }

    /** A builder with the defaults: about 4 tasks per core, a job folder beside the target, one thread per task. */
    public static Builder builder() {
        return new Builder();
    }

    /** This encoder with a fault hook (tests). */
    SparkEncoder withFaults(Faults f) {
        Builder b = new Builder();
        b.slicesPerTask = slicesPerTask;
        b.jobFolder = jobFolder;
        b.jpkl = jpkl;
        b.keepJobFolder = keepJobFolder;
        b.serverSideCopy = serverSideCopy;
        return new SparkEncoder(b, f);
    }

    /**
     * Encodes {@code input} into the container {@code target} with {@code options} (codec,
     * parameters, serializer, axis names, metadata, tiles, levels; the layout is the input's unless
     * the options give one).
     *
     * @return what was done: slices, tasks, chunks and bytes
     * @throws IllegalArgumentException for what {@link Jpkl#newWriter} refuses, or planes larger than one Java array
     * @throws JpklFormatException if a shard is missing, damaged or does not match its partition (the container is not written)
     * @throws IOException if the Spark job fails (a task failed more than {@code spark.task.maxFailures} times; the
     *     cause is Spark's {@code SparkException})
     * @throws IllegalArgumentException if the {@linkplain Builder#jobFolder job folder} holds shards of an earlier job
     */
    public EncodeReport encode(JavaSparkContext sc, StackFiles input, Path target, WriteOptions options) throws IOException {
        Objects.requireNonNull(target, "target");
        return encode(sc, input, options, (driver, resolved) -> driver.newWriter(target, input.dtype(), input.shape(), resolved),
                () -> target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".spark-" + UUID.randomUUID()));
    }

    /**
     * As {@link #encode(JavaSparkContext, StackFiles, Path, WriteOptions)}, into a container named by a
     * URI: a local file for {@code file:} URIs and plain paths, else an object written through the
     * driver's {@linkplain Jpkl#storage() storage provider}.
     *
     * <p>An {@code s3://bucket/key} target in the {@code jpkl} format is <b>assembled on S3</b> (unless
     * {@link Builder#serverSideCopy} is off): each task uploads its slices' bytes, exactly as they lie in
     * the container, as an object of its own under a job prefix beside the target, and the driver builds
     * the container from them with server-side copies ({@code UploadPartCopy}) plus the index and footer
     * it uploads, in one multipart upload that becomes visible only when complete
     * ({@link S3ShardAssembly}; docs/SPARK.md). The executors and the driver need {@code jpkl-s3} and the
     * same storage options; no job folder is used.
     *
     * <p>Otherwise (another scheme or serializer, or server-side copies off) the object is streamed by
     * the driver (e.g. an S3 multipart upload), which copies each shard from the {@linkplain Builder#jobFolder
     * job folder} as soon as it is published: the encoded slices pass through the driver, and the job
     * folder must be given (a folder that the executors and the driver share).
     *
     * @throws IllegalArgumentException as the other {@code encode}; if the URI names a remote object that
     *     is not assembled on S3 and no job folder was given; if no storage provider writes its scheme, or
     *     the serializer cannot stream
     * @throws JpklFormatException if a task's shard object does not hold what its partition needs (no container is written)
     */
    public EncodeReport encode(JavaSparkContext sc, StackFiles input, java.net.URI target, WriteOptions options) throws IOException {
        Objects.requireNonNull(target, "target");
        if (target.getScheme() == null || target.getScheme().equalsIgnoreCase("file")) {
            return encode(sc, input, target.getScheme() == null ? Path.of(target.getPath()) : Path.of(target), options);
        }
        if (serverSideCopy && target.getScheme().equalsIgnoreCase(S3ShardAssembly.SCHEME)
                && options.serializerId().equals(JpklFileSerializer.ID)) {
            return encodeOnS3(sc, input, target, options);
        }
        if (jobFolder == null) {
            throw new IllegalArgumentException("a container written to " + target + " needs a job folder for the shards that"
                    + " every executor and the driver can reach: set SparkEncoder.Builder.jobFolder");
        }
        return encode(sc, input, options, (driver, resolved) -> driver.newWriter(target, input.dtype(), input.shape(), resolved),
                () -> jobFolder);
    }

    /** Opens the driver's writer for the resolved options. */
    @FunctionalInterface
    private interface WriterOpener {
        JpklWriter open(Jpkl driver, WriteOptions resolved) throws IOException;
    }

    private EncodeReport encode(JavaSparkContext sc, StackFiles input, WriteOptions options, WriterOpener opener,
                                java.util.function.Supplier<Path> defaultFolder) throws IOException {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(options, "options");
        long start = System.nanoTime();
        Jpkl driver = jpkl.create();
        WriteOptions resolved = resolve(sc, driver, input, options);
        try (JpklWriter writer = opener.open(driver, resolved)) {
            ContainerHeader header = writer.header();
            checkPlanesFit(header);
            byte[] headerJson = HeaderJson.toBytes(header);
            int headerCrc = Shard.crc(headerJson);
            List<Shard.Plan> plans = plan(header.sliceCount(), perTask(sc, header.sliceCount()), headerCrc);
            Path folder = jobFolder != null ? jobFolder : defaultFolder.get();
            Files.createDirectories(folder);
            refuseEarlierShards(folder);
            try {
                EncodeTask task = new EncodeTask(input, headerJson, resolved.serializerId(), folder.toString(), jpkl, faults);
                JavaFutureAction<List<Long>> job = sc.parallelize(plans, plans.size()).map(task).collectAsync();
                long encoded;
                try {
                    // Each shard is copied as soon as it is published, while later slices are still being encoded.
                    encoded = assemble(writer, folder, plans, job);
                    await(job);
                } finally {
                    job.cancel(true);
                }
                writer.commit();
                return new EncodeReport(header.sliceCount(), plans.size(), header.chunkCount(), encoded,
                        (System.nanoTime() - start) / 1e9);
            } finally {
                if (!keepJobFolder) {
                    deleteQuietly(folder);
                }
            }
        }
    }

    /**
     * The encode into {@code s3://} assembled on S3 by server-side copies of the tasks' objects
     * ({@link S3ShardAssembly}): the driver decides the header as {@code Jpkl.newWriter} would, without
     * writing anything.
     */
    private EncodeReport encodeOnS3(JavaSparkContext sc, StackFiles input, java.net.URI target, WriteOptions options)
            throws IOException {
        long start = System.nanoTime();
        Jpkl driver = jpkl.create();
        WriteOptions resolved = resolve(sc, driver, input, options);
        ContainerHeader header = driver.newHeader(input.dtype(), input.shape(), resolved);
        checkPlanesFit(header);
        byte[] headerJson = HeaderJson.toBytes(header);
        List<Shard.Plan> plans = plan(header.sliceCount(), perTask(sc, header.sliceCount()), Shard.crc(headerJson));
        return S3ShardAssembly.encode(sc, driver, jpkl, faults, input, target, header, headerJson, resolved.serializerId(), plans,
                start);
    }

    /** The options with the input's layout unless they give one, and parameters bound to the value range where needed. */
    private WriteOptions resolve(JavaSparkContext sc, Jpkl driver, StackFiles input, WriteOptions options) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(options, "options");
        return bindValueRange(sc, driver, input, options.layout().isPresent() ? options : options.toBuilder().layout(input.layout()).build());
    }

    private static void checkPlanesFit(ContainerHeader header) {
        if (!header.planeFitsInOneArray()) {
            throw new IllegalArgumentException("the planes of " + header + " are larger than one Java array; the distributed"
                    + " encode reads whole planes");
        }
    }

    /**
     * Parameters that depend on the whole array's values (JPEG's {@code window=global}) bound from
     * a first job over the input, as {@code Jpkl.save} binds them from the array in memory
     * ({@link SliceCodec#bindToRange}, which equals {@code bindToArray} of the same values); other
     * options are returned as they are. A NaN or infinite sample is refused by the codec, as by
     * {@code Jpkl.save}.
     */
    private WriteOptions bindValueRange(JavaSparkContext sc, Jpkl driver, StackFiles input, WriteOptions options) {
        PlaneLayout layout = options.layout().orElseThrow();
        SliceCodec codec = options.codecId().isPresent() ? driver.codecs().require(options.codecId().get())
                : driver.defaultCodec(input.dtype(), layout.channels());
        CodecParams params = codec.params(options.codecParams());
        if (!codec.needsValueRange(params, input.dtype())) {
            return options;
        }
        List<Shard.Plan> ranges = plan(input.sliceCount(), perTask(sc, input.sliceCount()), 0);
        double[] range = sc.parallelize(ranges, ranges.size()).map(new RangeTask(input, jpkl))
                .reduce((x, y) -> new double[] {Math.min(x[0], y[0]), Math.max(x[1], y[1]), x[2] + y[2]});
        double min = range[2] > 0 ? Double.NaN : range[0];
        CodecParams bound = codec.bindToRange(params, input.dtype(), min, range[1]);
        return options.toBuilder().codec(codec.id()).params(bound.toMap()).build();
    }

    /** The smallest and largest sample of a partition's slices, and how many were NaN. */
    private static final class RangeTask implements Function<Shard.Plan, double[]> {
        private static final long serialVersionUID = 1L;
        private final StackFiles input;
        private final JpklFactory factory;

        RangeTask(StackFiles input, JpklFactory factory) {
            this.input = input;
            this.factory = factory;
        }

        @Override
        public double[] call(Shard.Plan plan) throws IOException {
            double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0};
            try (StackFiles.PlaneReader in = input.openReader(factory.create().storage())) {
                PlaneBuffer plane = PlaneBuffer.allocate(new PlaneSpec(input.dtype(), input.shape()[input.layout().yAxis()],
                        input.shape()[input.layout().xAxis()], input.layout().channels()));
                for (long n = plan.firstSlice(); n < plan.firstSlice() + plan.sliceCount(); n++) {
                    in.read(n, plane);
                    PlaneStats s = PlaneStats.of(n, plane);
                    if (s.count() > 0) {
                        range[0] = Math.min(range[0], s.min());
                        range[1] = Math.max(range[1], s.max());
                    }
                    range[2] += s.nanCount();
                }
            }
            return range;
        }
    }

    private long perTask(JavaSparkContext sc, long slices) {
        if (slicesPerTask > 0) {
            return slicesPerTask;
        }
        long tasks = 4L * Math.max(1, sc.defaultParallelism());
        return Math.max(1, (slices + tasks - 1) / tasks);
    }

    /** The partitions of {@code slices} slices, {@code perTask} each (the last one fewer). */
    static List<Shard.Plan> plan(long slices, long perTask, int headerCrc) {
        long count = (slices + perTask - 1) / perTask;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(slices + " slices in tasks of " + perTask + " make " + count + " tasks; raise slicesPerTask");
        }
        List<Shard.Plan> plans = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            long first = p * perTask;
            plans.add(new Shard.Plan(p, first, Math.min(perTask, slices - first), headerCrc));
        }
        return plans;
    }

    /**
     * Refuses a job folder that already holds shards: an earlier job's shard under a partition's
     * name could be copied before this job's task replaces it.
     */
    private static void refuseEarlierShards(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            List<String> shards = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-") && n.endsWith(".shard"))
                    .sorted().limit(3).toList();
            if (!shards.isEmpty()) {
                throw new IllegalArgumentException("job folder " + folder + " already holds shards (" + String.join(", ", shards)
                        + (shards.size() == 3 ? ", ..." : "") + ") of an earlier job; remove them or choose another folder");
            }
        }
    }

    /** Waits for the encode job; its failure (Spark's {@code SparkException}) becomes an IOException naming it. */
    static void await(Future<?> job) throws IOException {
        try {
            job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the encode job");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("the Spark encode job failed: " + cause.getMessage(), cause);
        }
    }

    /**
     * Writes every shard's chunks to {@code writer}, in partition order, after checking each shard
     * (see the class comment); returns the encoded bytes written. A shard not yet published is
     * waited for while {@code job} (the tasks writing them) runs; once it has ended, a shard still
     * absent is missing.
     */
    static long assemble(JpklWriter writer, Path folder, List<Shard.Plan> plans, Future<?> job) throws IOException {
        ContainerHeader h = writer.header();
        int chunkCount = chunkCount(h);
        long perSlice = h.sliceCount() == 0 ? 0 : chunkCount / h.sliceCount();
        BitSet seen = new BitSet(chunkCount);
        long bytes = 0;
        for (Shard.Plan plan : plans) {
            Path file = folder.resolve(Shard.fileName(plan.partition()));
            waitFor(file, job);
            if (!Files.isRegularFile(file)) {
                throw new JpklFormatException(file.toString(), "shard", "is missing: the task for partition " + plan.partition()
                        + " (slices " + plan.firstSlice() + " to " + (plan.firstSlice() + plan.sliceCount() - 1)
                        + ") published nothing");
            }
            try (RandomAccessSource shard = RandomAccessSource.open(file)) {
                long expected = plan.sliceCount() * perSlice;
                Shard.Contents c = Shard.read(shard, (int) expected);
                checkShard(plan, shard.name(), c.plan(), c.entries().size(), expected);
                for (Shard.Entry e : c.entries()) {
                    claim(h, plan, shard.name(), e.chunk(), seen);
                    bytes += e.length();
                    writer.writeEncoded(e.chunk(), Shard.readChunk(shard, e));
                }
            }
        }
        checkAllSeen(h, seen);
        return bytes;
    }

    /** The chunks of a container, checked to be at most what the distributed encode takes. */
    static int chunkCount(ContainerHeader h) {
        long chunkCount = h.chunkCount();
        if (chunkCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(h + " has " + chunkCount + " chunks; the distributed encode writes at most "
                    + (Integer.MAX_VALUE - 8));
        }
        return Math.toIntExact(chunkCount);
    }

    /**
     * Checks that the shard {@code name}, read back as written for {@code written} with {@code entries}
     * chunks, is {@code plan}'s, with the {@code expected} chunks of its slices.
     */
    static void checkShard(Shard.Plan plan, String name, Shard.Plan written, long entries, long expected) throws JpklFormatException {
        if (!written.equals(plan)) {
            throw new JpklFormatException(name, "shard head", "was written for " + written + "; this job expects "
                    + plan + " (a shard of another job or header)");
        }
        if (entries != expected) {
            throw new JpklFormatException(name, "shard index", "holds " + entries + " chunks; slices "
                    + plan.firstSlice() + " to " + (plan.firstSlice() + plan.sliceCount() - 1) + " have " + expected);
        }
    }

    /** Marks {@code chunk} of the shard {@code name} seen, after checking it belongs to the shard's slices and was not seen. */
    static void claim(ContainerHeader h, Shard.Plan plan, String name, long chunk, BitSet seen) throws JpklFormatException {
        long chunkCount = h.chunkCount();
        if (chunk < 0 || chunk >= chunkCount) {
            throw new JpklFormatException(name, "shard index", "names chunk " + chunk + "; the container's"
                    + " chunks are 0 to " + (chunkCount - 1));
        }
        long slice = sliceOfChunk(h, chunk);
        if (slice < plan.firstSlice() || slice >= plan.firstSlice() + plan.sliceCount()) {
            throw new JpklFormatException(name, "shard index", "holds chunk " + h.describeChunk(chunk)
                    + " of slice " + slice + ", outside its slices " + plan.firstSlice() + " to "
                    + (plan.firstSlice() + plan.sliceCount() - 1));
        }
        if (seen.get(Math.toIntExact(chunk))) {
            throw new JpklFormatException(name, "shard index", "holds chunk " + h.describeChunk(chunk) + " twice");
        }
        seen.set(Math.toIntExact(chunk));
    }

    /** Fails if a chunk of the container is in no shard. */
    static void checkAllSeen(ContainerHeader h, BitSet seen) {
        int missing = seen.nextClearBit(0);
        if (missing < h.chunkCount()) {
            throw new IllegalStateException("chunk " + h.describeChunk(missing) + " is in no shard");
        }
    }

    /** Waits until {@code file} exists or {@code job} has ended (then fails if the job did). */
    private static void waitFor(Path file, Future<?> job) throws IOException {
        long sleep = 1;
        while (!Files.isRegularFile(file)) {
            if (job.isDone()) {
                await(job);
                return;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for shard " + file);
            }
            sleep = Math.min(50, sleep * 2);
        }
    }

    /** The slice a chunk belongs to (at any resolution level). */
    static long sliceOfChunk(ContainerHeader h, long chunk) {
        int k = h.levelCount() - 1;
        while (k > 0 && h.levelChunkStart(k) > chunk) {
            k--;
        }
        return (chunk - h.levelChunkStart(k)) / h.level(k).chunksPerSlice();
    }

    /** The options that rebuild {@code h} exactly with {@code Jpkl.newWriter}. */
    static WriteOptions optionsOf(ContainerHeader h, String serializerId) {
        WriteOptions.Builder b = WriteOptions.builder().serializer(serializerId).codec(h.codecId()).clearParams()
                .params(h.codecParams()).layout(h.layout()).axisNames(h.axisNames()).metadata(h.metadata())
                .levels(h.levelCount() - 1);
        h.tiling().ifPresentOrElse(t -> b.storedTiles(t.tileHeight(), t.tileWidth()), b::noTiles);
        h.levelDownsampling().ifPresent(b::downsampling);
        return b.build();
    }

    /**
     * Deletes the job folder. A speculative attempt still running after the job (Spark stops them
     * only cooperatively) may write into it meanwhile: then the folder is left, with a warning,
     * rather than failing an encode whose container is published or whose own error matters more.
     */
    private static void deleteQuietly(Path folder) {
        try {
            deleteTree(folder);
        } catch (IOException e) {
            System.getLogger(SparkEncoder.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete the job folder " + folder + " (a straggling task attempt may still write into it): " + e);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "SparkEncoder[" + (slicesPerTask > 0 ? slicesPerTask + " slices per task" : "4 tasks per core")
                + (jobFolder != null ? ", job folder " + jobFolder : "") + "]";
    }

    /** One task: encodes the slices of a partition into its shard. */
    private static final class EncodeTask implements Function<Shard.Plan, Long> {
        private static final long serialVersionUID = 1L;
        private final StackFiles input;
        private final byte[] headerJson;
        private final String serializerId;
        private final String folder;
        private final JpklFactory factory;
        private final Faults faults;

        EncodeTask(StackFiles input, byte[] headerJson, String serializerId, String folder, JpklFactory factory, Faults faults) {
            this.input = input;
            this.headerJson = headerJson;
            this.serializerId = serializerId;
            this.folder = folder;
            this.factory = factory;
            this.faults = faults;
        }

        @Override
        public Long call(Shard.Plan plan) throws IOException {
            int attempt = attemptNumber();
            Path target = Path.of(folder, Shard.fileName(plan.partition()));
            try (Shard.Writer shard = new Shard.Writer(target, plan)) {
                encodeSlices(input, headerJson, serializerId, factory.create(), plan, target, shard,
                        n -> faults.afterChunk(plan.partition(), attempt, n));
                shard.commit();
            }
            faults.afterPublish(plan.partition(), attempt);
            return plan.sliceCount();
        }
    }

    /** The task attempt's number (0 for the first), or 0 outside a task. */
    static int attemptNumber() {
        TaskContext ctx = TaskContext.get();
        return ctx == null ? 0 : ctx.attemptNumber();
    }

    /**
     * Encodes the slices of {@code plan} into {@code sink} with the same {@link JpklWriter} code
     * {@code Jpkl.save} uses (with {@code base}'s codecs and executor), for the header the driver made
     * ({@code headerJson}); {@code name} names the shard in messages.
     */
    static void encodeSlices(StackFiles input, byte[] headerJson, String serializerId, Jpkl base, Shard.Plan plan,
                             Path name, ShardCapture.Sink sink, ShardCapture.ChunkListener listener) throws IOException {
        ContainerHeader header = HeaderJson.fromBytes(headerJson);
        ContainerSerializer real = base.serializers().require(serializerId);
        try {
            ShardCapture capture = new ShardCapture(real, sink, listener);
            Jpkl jpkl = Jpkl.builder().codecs(base.codecs()).storage(base.storage()).serializers(ContainerSerializers.of(capture))
                    .executor(base.executor()).parallelism(base.parallelism()).build();
            try (JpklWriter w = jpkl.newWriter(name, header.dtype(), header.shape(), optionsOf(header, serializerId));
                 StackFiles.PlaneReader in = input.openReader(base.storage())) {
                if (!Arrays.equals(HeaderJson.toBytes(w.header()), headerJson)) {
                    throw new IllegalStateException("the task's header " + w.header() + " differs from the driver's "
                            + header + " (different jpkl versions on driver and executors?)");
                }
                PlaneBuffer plane = PlaneBuffer.allocate(header.planeSpec());
                for (long n = plan.firstSlice(); n < plan.firstSlice() + plan.sliceCount(); n++) {
                    in.read(n, plane);
                    w.write(n, plane);
                }
                w.commit();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Builds a {@link SparkEncoder}. Not thread-safe. */
    public static final class Builder {
        private long slicesPerTask;
        private Path jobFolder;
        private JpklFactory jpkl = JpklFactory.oneThreadPerTask();
        private boolean keepJobFolder;
        private boolean serverSideCopy = true;

        private Builder() {
        }

        /**
         * Whether an {@code s3://} target in the {@code jpkl} format is assembled on S3 by server-side
         * copies of objects the tasks upload, so the encoded slices do not pass through the driver
         * (default true); false copies them through the driver from a {@linkplain #jobFolder job folder}.
         * See {@link SparkEncoder#encode(JavaSparkContext, StackFiles, java.net.URI, WriteOptions)}.
         */
        public Builder serverSideCopy(boolean serverSide) {
            this.serverSideCopy = serverSide;
            return this;
        }

        /**
         * Slices per task (one shard each); by default about four tasks per core of the cluster
         * ({@code defaultParallelism}), so that a slow task delays the job little.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder slicesPerTask(long slices) {
            if (slices < 1) {
                throw new IllegalArgumentException("slicesPerTask (" + slices + ") must be >= 1");
            }
            this.slicesPerTask = slices;
            return this;
        }

        /**
         * The folder the tasks write their shards into, on storage every executor and the driver
         * can reach; by default a new hidden folder beside the target. Created if absent.
         */
        public Builder jobFolder(Path folder) {
            this.jobFolder = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** How tasks and the driver make their {@link Jpkl}; default {@link JpklFactory#oneThreadPerTask()}. */
        public Builder jpkl(JpklFactory factory) {
            this.jpkl = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Keeps the job folder and its shards after the encode (for inspection); default false. */
        public Builder keepJobFolder(boolean keep) {
            this.keepJobFolder = keep;
            return this;
        }

        public SparkEncoder build() {
            return new SparkEncoder(this, NoFaults.INSTANCE);
        }
    }
}
