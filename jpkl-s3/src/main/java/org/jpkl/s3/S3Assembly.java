package org.jpkl.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Builds one S3 object from pieces: ranges of other objects in the same store, copied on the server
 * ({@code UploadPartCopy} with {@code x-amz-copy-source-range}), and bytes given here, uploaded
 * ({@code UploadPart}); the object appears when {@code CompleteMultipartUpload} succeeds, replacing
 * an existing one in one step, and any failure aborts the upload (no object, no parts left). So an
 * object made of large pieces written elsewhere (by the tasks of a distributed job) is assembled
 * without its bytes passing through this machine.
 *
 * <p><b>S3's part rule.</b> Every part but the last must hold at least 5 MiB ({@link #MIN_PART}),
 * a part at most 5 GiB, an upload at most 10,000 parts. {@link #plan} makes the parts: a range of at
 * least 5 MiB is copied on the server (split into copies of at most 5 GiB); pieces smaller than
 * 5 MiB are gathered into one uploaded part until it reaches 5 MiB, the ranges among them
 * downloaded here first; when a large range follows gathered pieces, only the 5 MiB still missing
 * is taken from its start (downloaded) and the rest of it is copied. The last part, which may be
 * small, takes whatever remains. The bytes this machine downloads and uploads are counted
 * ({@link Result}).
 *
 * <p>Obtained from {@link S3StorageProvider#assembly}, with that provider's clients and options.
 *
 * <p>Thread safety: thread-safe; {@link #compose} runs its parts on threads of its own.
 */
public final class S3Assembly {
    /** S3's smallest part, but the last: 5 MiB. */
    public static final long MIN_PART = 5L << 20;
    /** S3's largest part, and largest copy source range: 5 GiB. */
    public static final long MAX_PART = 5L << 30;
    /** S3's most parts in one upload. */
    public static final int MAX_PARTS = 10_000;

    private final S3Client client;
    private final int threads;

    S3Assembly(S3Client client, int threads) {
        this.client = client;
        this.threads = threads;
    }

    /** A piece of the object to build: {@link Bytes} or a {@link Range} of another object. */
    public sealed interface Piece permits Bytes, Range {
        /** Its length in bytes. */
        long length();
    }

    /**
     * Bytes given here, uploaded.
     *
     * @param bytes the bytes (not copied; do not change them)
     */
    public record Bytes(byte[] bytes) implements Piece {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }

    /**
     * Bytes {@code [offset, offset + length)} of the object {@code source} ({@code s3://bucket/key},
     * in the store the assembly writes to), copied on the server when it makes a part of its own.
     */
    public record Range(URI source, long offset, long length) implements Piece {
        public Range {
            S3Location.of(source);
            if (offset < 0 || length < 1) {
                throw new IllegalArgumentException("range of " + source + " at offset " + offset + " of length " + length
                        + ": the offset must be >= 0 and the length >= 1");
            }
        }
    }

    /**
     * One part of the upload: a server-side copy of one range ({@link #copy()}), or bytes uploaded
     * from here, gathered from the pieces listed (ranges among them are downloaded first).
     */
    public record Part(int number, List<Piece> pieces, boolean copy) {
        /** The part's length. */
        public long length() {
            return pieces.stream().mapToLong(Piece::length).sum();
        }
    }

    /**
     * What {@link #compose} did.
     *
     * @param parts the parts of the object
     * @param copyParts parts copied on the server
     * @param copiedBytes bytes copied on the server (they never reached this machine)
     * @param uploadParts parts uploaded from here
     * @param uploadedBytes bytes uploaded from here: every byte of the object that passed through this machine
     * @param downloadedBytes bytes of ranges downloaded here to be uploaded again within gathered parts
     *     (a part of {@code uploadedBytes})
     * @param size the object's size
     */
    public record Result(int parts, int copyParts, long copiedBytes, int uploadParts, long uploadedBytes, long downloadedBytes,
                         long size) {
    }

    /** Called after each part is stored (progress; tests inject failures here). */
    @FunctionalInterface
    public interface PartListener {
        void partDone(Part part) throws IOException;
    }

    /**
     * The parts that make {@code pieces}, in order, under S3's rule (see the class comment).
     *
     * @param minPart the smallest part but the last ({@link #MIN_PART} on S3)
     * @param maxCopy the longest range one copy takes ({@link #MAX_PART} on S3), at least 2 x {@code minPart}
     * @throws IllegalArgumentException if there are no pieces, or they make more than {@link #MAX_PARTS} parts
     */
    public static List<Part> plan(List<? extends Piece> pieces, long minPart, long maxCopy) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("no pieces: an object needs at least one");
        }
        if (minPart < 1 || maxCopy < 2 * minPart) {
            throw new IllegalArgumentException("minPart " + minPart + " and maxCopy " + maxCopy + ": maxCopy must be at least 2 x minPart");
        }
        List<Part> parts = new ArrayList<>();
        List<Piece> gathered = new ArrayList<>();
        long gatheredBytes = 0;
        for (Piece piece : pieces) {
            if (piece instanceof Range r && r.length() - (gatheredBytes == 0 ? 0 : minPart - gatheredBytes) >= minPart) {
                Range rest = r;
                if (gatheredBytes > 0) {
                    long take = minPart - gatheredBytes;
                    gathered.add(new Range(r.source(), r.offset(), take));
                    parts.add(new Part(parts.size() + 1, List.copyOf(gathered), false));
                    gathered.clear();
                    gatheredBytes = 0;
                    rest = new Range(r.source(), r.offset() + take, r.length() - take);
                }
                addCopies(parts, rest, minPart, maxCopy);
            } else {
                gathered.add(piece);
                gatheredBytes += piece.length();
                if (gatheredBytes >= minPart) {
                    parts.add(new Part(parts.size() + 1, List.copyOf(gathered), false));
                    gathered.clear();
                    gatheredBytes = 0;
                }
            }
        }
        if (!gathered.isEmpty()) {
            parts.add(new Part(parts.size() + 1, List.copyOf(gathered), false));
        }
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException(pieces.size() + " pieces make " + parts.size() + " parts; S3 takes at most " + MAX_PARTS
                    + " in one object: use fewer, larger pieces");
        }
        return List.copyOf(parts);
    }

    /** Copies of {@code r} of at most {@code maxCopy} bytes, none below {@code minPart}. */
    private static void addCopies(List<Part> parts, Range r, long minPart, long maxCopy) {
        long offset = r.offset();
        long left = r.length();
        while (left > 0) {
            long n = left <= maxCopy ? left : left - maxCopy >= minPart ? maxCopy : left - minPart;
            parts.add(new Part(parts.size() + 1, List.of(new Range(r.source(), offset, n)), true));
            offset += n;
            left -= n;
        }
    }

    /**
     * Builds {@code target} from {@code pieces}, in order, as one multipart upload: the parts of
     * {@link #plan} with S3's limits, stored in parallel; then completes it. On any failure the
     * upload is aborted, so no object (and no part) is left, and an existing object is untouched.
     *
     * @param listener called after each part is stored (from the assembly's threads)
     * @throws IllegalArgumentException as {@link #plan}; if a source is in another bucket
     * @throws IOException naming the target and the part if a request fails (e.g. a source shorter than its range)
     */
    public Result compose(URI target, List<? extends Piece> pieces, PartListener listener) throws IOException {
        S3Location to = S3Location.of(target);
        for (Piece p : pieces) {
            if (p instanceof Range r && !S3Location.of(r.source()).bucket().equals(to.bucket())) {
                throw new IllegalArgumentException("range of " + r.source() + " is in another bucket than " + target
                        + "; the assembly copies within one bucket");
            }
        }
        List<Part> parts = plan(pieces, MIN_PART, MAX_PART);
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(b -> b.bucket(to.bucket()).key(to.key())).uploadId();
        } catch (SdkException e) {
            throw S3Errors.of(target.toString(), "starting the multipart upload", e);
        }
        AtomicLong downloaded = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, parts.size())), r -> {
            Thread t = new Thread(r, "s3-assembly");
            t.setDaemon(true);
            return t;
        });
        boolean done = false;
        List<Future<CompletedPart>> futures = new ArrayList<>();
        try {
            for (Part part : parts) {
                futures.add(pool.submit(() -> {
                    CompletedPart c = store(to, uploadId, part, downloaded);
                    listener.partDone(part);
                    return c;
                }));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> f : futures) {
                completed.add(await(f, target));
            }
            try {
                client.completeMultipartUpload(b -> b.bucket(to.bucket()).key(to.key()).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed)));
            } catch (SdkException e) {
                throw S3Errors.of(target.toString(), "completing the multipart upload", e);
            }
            done = true;
        } finally {
            if (done) {
                pool.shutdownNow();
            } else {
                // Parts not started are cancelled; parts in flight must end first, and uninterrupted: an
                // interrupted request ends on the client while the store may still be saving the part,
                // and a part stored after the abort leaves an upload behind (S3 documents this race;
                // S3Proxy shows it).
                for (Future<CompletedPart> f : futures) {
                    f.cancel(false);
                }
                pool.shutdown();
                awaitParts(pool, target);
                abort(to, uploadId);
            }
        }
        int copies = 0;
        long copied = 0;
        long uploaded = 0;
        long size = 0;
        for (Part p : parts) {
            size += p.length();
            if (p.copy()) {
                copies++;
                copied += p.length();
            } else {
                uploaded += p.length();
            }
        }
        return new Result(parts.size(), copies, copied, parts.size() - copies, uploaded, downloaded.get(), size);
    }

    private CompletedPart store(S3Location to, String uploadId, Part part, AtomicLong downloaded) throws IOException {
        String what = "part " + part.number() + " (" + part.length() + " bytes" + (part.copy() ? ", copied from "
                + ((Range) part.pieces().get(0)).source() : "") + ")";
        try {
            if (part.copy()) {
                Range r = (Range) part.pieces().get(0);
                S3Location from = S3Location.of(r.source());
                String etag = client.uploadPartCopy(b -> b.sourceBucket(from.bucket()).sourceKey(from.key())
                        .destinationBucket(to.bucket()).destinationKey(to.key()).uploadId(uploadId).partNumber(part.number())
                        .copySourceRange("bytes=" + r.offset() + "-" + (r.offset() + r.length() - 1))).copyPartResult().eTag();
                return CompletedPart.builder().partNumber(part.number()).eTag(etag).build();
            }
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(part.length()));
            for (Piece p : part.pieces()) {
                if (p instanceof Bytes b) {
                    bytes.put(b.bytes());
                } else {
                    byte[] got = download((Range) p);
                    downloaded.addAndGet(got.length);
                    bytes.put(got);
                }
            }
            bytes.flip();
            String etag = client.uploadPart(b -> b.bucket(to.bucket()).key(to.key()).uploadId(uploadId).partNumber(part.number())
                    .contentLength(part.length()), RequestBody.fromByteBuffer(bytes)).eTag();
            return CompletedPart.builder().partNumber(part.number()).eTag(etag).build();
        } catch (SdkException e) {
            throw S3Errors.of(to.toString(), "storing " + what, e);
        }
    }

    private byte[] download(Range r) throws IOException {
        S3Location from = S3Location.of(r.source());
        ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket(from.bucket()).key(from.key())
                .range("bytes=" + r.offset() + "-" + (r.offset() + r.length() - 1)));
        byte[] bytes = got.asByteArray();
        if (bytes.length != r.length()) {
            throw new IOException(r.source() + ": asked for " + r.length() + " bytes at offset " + r.offset() + ", got "
                    + bytes.length + " (the object is shorter than the range)");
        }
        return bytes;
    }

    private static CompletedPart await(Future<CompletedPart> f, URI target) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while assembling " + target);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(target + ": " + cause, cause);
        }
    }

    /** Waits (at most {@value #PARTS_END_SECONDS} s) for the parts being stored when the assembly failed. */
    private static void awaitParts(ExecutorService pool, URI target) {
        boolean interrupted = false;
        try {
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(PARTS_END_SECONDS);
            while (!pool.isTerminated() && System.nanoTime() < until) {
                try {
                    pool.awaitTermination(until - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!pool.isTerminated()) {
                System.getLogger(S3Assembly.class.getName()).log(System.Logger.Level.WARNING,
                        "parts of " + target + " still being stored after " + PARTS_END_SECONDS + " s; aborting the upload anyway");
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long a failed assembly waits for its parts in flight before aborting the upload. */
    private static final long PARTS_END_SECONDS = 60;

    /** Aborts the upload ({@link S3Uploads#abort}); a final failure is logged (the caller's error matters more). */
    private void abort(S3Location to, String uploadId) {
        S3Uploads.abort(client, to, uploadId).ifPresent(e -> System.getLogger(S3Assembly.class.getName()).log(
                System.Logger.Level.WARNING, "could not abort the multipart upload " + uploadId + " of " + to + " in "
                        + S3Uploads.ABORT_ATTEMPTS + " attempts: " + e));
    }

    /**
     * The objects whose keys start with {@code prefix}'s key ({@code s3://bucket/prefix}), in key order.
     *
     * @throws IOException naming the prefix if listing fails
     */
    public List<URI> list(URI prefix) throws IOException {
        S3Location at = S3Location.of(prefix);
        List<URI> out = new ArrayList<>();
        try {
            String token = null;
            do {
                String t = token;
                ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket(at.bucket()).prefix(at.key()).continuationToken(t));
                for (S3Object o : page.contents()) {
                    out.add(URI.create("s3://" + at.bucket() + "/" + encodeKey(o.key())));
                }
                token = page.isTruncated() ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw S3Errors.of(prefix.toString(), "listing", e);
        }
        return out;
    }

    /**
     * Deletes these objects (absent ones are fine).
     *
     * @throws IOException naming the first object that could not be deleted
     */
    public void delete(Collection<URI> objects) throws IOException {
        for (URI uri : objects) {
            S3Location at = S3Location.of(uri);
            try {
                client.deleteObject(b -> b.bucket(at.bucket()).key(at.key()));
            } catch (SdkException e) {
                throw S3Errors.of(uri.toString(), "deleting", e);
            }
        }
    }

    /** A key as the path of an {@code s3://} URI ({@link S3Location#of} decodes it back). */
    private static String encodeKey(String key) {
        try {
            return new URI(null, null, "/" + key, null).getRawPath().substring(1);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("key '" + key + "' cannot be named by a URI", e);
        }
    }

    @Override
    public String toString() {
        return "S3Assembly[" + threads + " threads]";
    }
}
