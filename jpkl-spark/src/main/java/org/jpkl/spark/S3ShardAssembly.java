package org.jpkl.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.jpkl.Jpkl;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.SequentialOutput;
import org.jpkl.api.spi.StorageProvider;
import org.jpkl.container.JpklFileParts;
import org.jpkl.s3.S3Assembly;
import org.jpkl.s3.S3StorageProvider;

/**
 * A distributed encode into {@code s3://} assembled on S3, so that the encoded slices do not pass
 * through the driver:
 *
 * <ol>
 * <li>each task attempt uploads the bytes of its slices, exactly as they will lie in the container
 *     (chunks back to back in the order its {@code JpklWriter} produced them; task 0's object starts
 *     with the container's head: preamble, header and its CRC, which the driver decided before the
 *     job), as an object of its own: {@code PREFIX/part-NNNNNN.attempt-ID}, where the prefix is
 *     {@code .NAME.spark-UUID/} beside the target and ID Spark's unique task attempt id; it returns,
 *     as its task result, the object's name and each chunk's number, length and CRC32C (20 bytes per
 *     chunk), so the driver learns only of the attempt Spark committed;</li>
 * <li>the driver checks that every partition's chunks are exactly those of its slices, each once,
 *     computes each chunk's offset in the container and writes the index and footer
 *     ({@link JpklFileParts}); then builds the container in one multipart upload
 *     ({@link S3Assembly#compose}): each object large enough (S3's 5 MiB minimum part) is copied on
 *     the server by {@code UploadPartCopy}, smaller ones are gathered into parts of 5 MiB that the
 *     driver downloads and uploads, and the index and footer are uploaded as the last part;</li>
 * <li>the objects under the prefix are deleted afterwards, those of failed or speculative attempts
 *     included; on failure the upload is aborted (no object appears; an existing one is untouched).</li>
 * </ol>
 *
 * <p>The container is the one {@code Jpkl.save} writes, byte for byte: same header, same chunks in the
 * same order, the index and footer written by the same code.
 */
final class S3ShardAssembly {
    /** The URI scheme assembled on S3. */
    static final String SCHEME = "s3";

    private S3ShardAssembly() {
    }

    /** One task's object and the index of its chunks, in the order they lie in the object. */
    record ShardObject(Shard.Plan plan, String uri, long headBytes, long[] chunks, long[] lengths, int[] crcs)
            implements Serializable {
        /** The object's size: the head (task 0) and the chunks. */
        long size() {
            long n = headBytes;
            for (long l : lengths) {
                n += l;
            }
            return n;
        }
    }

    /**
     * Runs the job and assembles the container (see the class comment).
     *
     * @param start the driver's start ({@link System#nanoTime()}), for the report
     */
    static EncodeReport encode(JavaSparkContext sc, Jpkl driver, JpklFactory factory, SparkEncoder.Faults faults, StackFiles input,
                               URI target, ContainerHeader header, byte[] headerJson, String serializerId, List<Shard.Plan> plans,
                               long start) throws IOException {
        S3Assembly assembly = assembly(driver, target);
        int chunkCount = SparkEncoder.chunkCount(header);
        byte[] head = JpklFileParts.head(header);
        URI prefix = jobPrefix(target);
        ObjectTask task = new ObjectTask(input, headerJson, head, serializerId, prefix.toString(), factory, faults);
        try {
            JavaFutureAction<List<ShardObject>> job = sc.parallelize(plans, Math.max(1, plans.size())).map(task).collectAsync();
            List<ShardObject> shards;
            try {
                SparkEncoder.await(job);
                shards = job.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the encode job");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("the Spark encode job failed: " + e.getCause(), e.getCause());
            } finally {
                job.cancel(true);
            }
            long[] offsets = new long[chunkCount];
            long[] lengths = new long[chunkCount];
            int[] crcs = new int[chunkCount];
            List<S3Assembly.Piece> pieces = new ArrayList<>();
            long end = place(header, plans, shards, head.length, offsets, lengths, crcs, pieces);
            if (plans.isEmpty()) {
                pieces.add(new S3Assembly.Bytes(head));
            }
            ByteArrayOutputStream tail = new ByteArrayOutputStream(Math.toIntExact(JpklFileParts.indexAndFooterBytes(chunkCount)));
            JpklFileParts.writeIndexAndFooter(end, offsets, lengths, crcs, b -> tail.write(b.array(), b.arrayOffset() + b.position(),
                    b.remaining()));
            pieces.add(new S3Assembly.Bytes(tail.toByteArray()));
            S3Assembly.Result r = assembly.compose(target, pieces, part -> faults.afterAssemblyPart(part.number()));
            return new EncodeReport(header.sliceCount(), plans.size(), chunkCount, end - head.length,
                    (System.nanoTime() - start) / 1e9, r.uploadedBytes(), r.copiedBytes());
        } finally {
            deleteQuietly(assembly, prefix);
        }
    }

    /**
     * Checks the tasks' results against the plans and the header, and fills the container's index
     * (offsets in the container, lengths, CRC32Cs) and the pieces that make its bytes up to the index.
     *
     * @return where the index starts
     */
    static long place(ContainerHeader header, List<Shard.Plan> plans, List<ShardObject> shards, long headBytes, long[] offsets,
                      long[] lengths, int[] crcs, List<S3Assembly.Piece> pieces) throws JpklFormatException {
        if (shards.size() != plans.size()) {
            throw new IllegalStateException(plans.size() + " partitions returned " + shards.size() + " results");
        }
        long perSlice = header.sliceCount() == 0 ? 0 : header.chunkCount() / header.sliceCount();
        BitSet seen = new BitSet(offsets.length);
        long position = headBytes;
        for (int i = 0; i < plans.size(); i++) {
            Shard.Plan plan = plans.get(i);
            ShardObject s = shards.get(i);
            SparkEncoder.checkShard(plan, s.uri(), s.plan(), s.chunks().length, plan.sliceCount() * perSlice);
            long expectedHead = plan.partition() == 0 ? headBytes : 0;
            if (s.headBytes() != expectedHead || s.lengths().length != s.chunks().length || s.crcs().length != s.chunks().length) {
                throw new JpklFormatException(s.uri(), "shard object", "reports " + s.headBytes() + " head bytes and "
                        + s.chunks().length + "/" + s.lengths().length + "/" + s.crcs().length + " chunks/lengths/CRCs; expected "
                        + expectedHead + " head bytes and as many of each");
            }
            for (int k = 0; k < s.chunks().length; k++) {
                long chunk = s.chunks()[k];
                SparkEncoder.claim(header, plan, s.uri(), chunk, seen);
                if (s.lengths()[k] < 0) {
                    throw new JpklFormatException(s.uri(), "shard object", "reports chunk " + chunk + " of " + s.lengths()[k] + " bytes");
                }
                int at = Math.toIntExact(chunk);
                offsets[at] = position;
                lengths[at] = s.lengths()[k];
                crcs[at] = s.crcs()[k];
                position += s.lengths()[k];
            }
            if (s.size() > 0) {
                pieces.add(new S3Assembly.Range(URI.create(s.uri()), 0, s.size()));
            }
        }
        SparkEncoder.checkAllSeen(header, seen);
        return position;
    }

    /** The assembly of the driver's {@code s3} storage provider, with its options. */
    private static S3Assembly assembly(Jpkl driver, URI target) throws IOException {
        StorageProvider p = driver.storage().forScheme(SCHEME).orElseThrow(() -> new IllegalArgumentException("no storage provider"
                + " writes " + target + ": put jpkl-s3 (and the AWS SDK it depends on) on the driver's and executors' class path"));
        if (!(p instanceof S3StorageProvider s3)) {
            throw new IllegalArgumentException("the storage provider for " + target + " is " + p.id() + " (" + p.getClass().getName()
                    + "), not jpkl-s3's, which the server-side assembly needs; use SparkEncoder.Builder.serverSideCopy(false)"
                    + " to copy the slices through the driver");
        }
        return s3.assembly(driver.storage().options().only(s3.optionKeys()));
    }

    /** {@code s3://bucket/dir/.NAME.spark-UUID/} for the target {@code s3://bucket/dir/NAME}. */
    static URI jobPrefix(URI target) {
        String path = target.getRawPath();
        int slash = path.lastIndexOf('/');
        return URI.create(target.getScheme() + "://" + target.getRawAuthority() + path.substring(0, slash + 1) + "."
                + path.substring(slash + 1) + ".spark-" + UUID.randomUUID() + "/");
    }

    /**
     * Deletes the job's objects. A speculative attempt still running after the job (Spark stops them
     * only cooperatively) may upload one later: it is left (a lifecycle rule on the prefix removes
     * such strays), as is everything when deleting fails, with a warning.
     */
    private static void deleteQuietly(S3Assembly assembly, URI prefix) {
        try {
            assembly.delete(assembly.list(prefix));
        } catch (IOException | RuntimeException e) {
            System.getLogger(S3ShardAssembly.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete the job's objects under " + prefix + ": " + e);
        }
    }

    /** The name of a task attempt's object under the job prefix. */
    static String objectName(int partition, long attemptId) {
        return String.format("part-%06d.attempt-%d", partition, attemptId);
    }

    /** One task: encodes the slices of a partition into an object of its own attempt. */
    private static final class ObjectTask implements Function<Shard.Plan, ShardObject> {
        private static final long serialVersionUID = 1L;
        private final StackFiles input;
        private final byte[] headerJson;
        private final byte[] head;
        private final String serializerId;
        private final String prefix;
        private final JpklFactory factory;
        private final SparkEncoder.Faults faults;

        ObjectTask(StackFiles input, byte[] headerJson, byte[] head, String serializerId, String prefix, JpklFactory factory,
                   SparkEncoder.Faults faults) {
            this.input = input;
            this.headerJson = headerJson;
            this.head = head;
            this.serializerId = serializerId;
            this.prefix = prefix;
            this.factory = factory;
            this.faults = faults;
        }

        @Override
        public ShardObject call(Shard.Plan plan) throws IOException {
            int attempt = SparkEncoder.attemptNumber();
            TaskContext ctx = TaskContext.get();
            long attemptId = ctx != null ? ctx.taskAttemptId() : System.nanoTime();
            URI uri = URI.create(prefix + objectName(plan.partition(), attemptId));
            Jpkl base = factory.create();
            ObjectSink sink;
            try (SequentialOutput out = base.storage().create(uri, base.executor())) {
                if (plan.partition() == 0) {
                    out.write(ByteBuffer.wrap(head));
                }
                sink = new ObjectSink(out);
                SparkEncoder.encodeSlices(input, headerJson, serializerId, base, plan, Path.of(uri.getPath()), sink,
                        n -> faults.afterChunk(plan.partition(), attempt, n));
                out.commit();
            }
            faults.afterPublish(plan.partition(), attempt);
            return new ShardObject(plan, uri.toString(), plan.partition() == 0 ? head.length : 0, sink.chunks.stream()
                    .mapToLong(Long::longValue).toArray(), sink.lengths.stream().mapToLong(Long::longValue).toArray(),
                    sink.crcs.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** Writes a task's chunks into its object, back to back, keeping each one's number, length and CRC32C. */
    private static final class ObjectSink implements ShardCapture.Sink {
        private final SequentialOutput out;
        private final List<Long> chunks = new ArrayList<>();
        private final List<Long> lengths = new ArrayList<>();
        private final List<Integer> crcs = new ArrayList<>();

        ObjectSink(SequentialOutput out) {
            this.out = out;
        }

        @Override
        public void write(long chunk, ByteBuffer encoded) throws IOException {
            int crc = Shard.crc(encoded);
            long length = encoded.remaining();
            out.write(encoded);
            chunks.add(chunk);
            lengths.add(length);
            crcs.add(crc);
        }

        @Override
        public int chunks() {
            return chunks.size();
        }
    }
}
