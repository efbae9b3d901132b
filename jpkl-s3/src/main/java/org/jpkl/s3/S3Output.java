package org.jpkl.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jpkl.api.io.SequentialOutput;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams an object to S3: bytes fill a part buffer of {@code s3.part-size} bytes; each full part is
 * uploaded (UploadPart) on the executor while the next one fills, with at most
 * {@code s3.parts-in-flight} uploads pending, so memory stays at {@code (parts-in-flight + 1) x part-size}.
 * The multipart upload is started with the first full part; {@link #commit()} uploads the last part
 * and completes the upload, which makes the object appear (or replaces the old one) in one step. An
 * object smaller than one part is sent by one PutObject on commit. {@link #close()} without a commit,
 * and any failure, aborts the upload, leaving no object and no parts.
 *
 * <p>Thread safety: one writer thread; {@link #close()} may come from another thread.
 */
final class S3Output implements SequentialOutput {
    /** S3's limit on the parts of one upload. */
    static final int MAX_PARTS = 10_000;

    private final S3Client client;
    private final S3Location location;
    private final Executor executor;
    private final int partSize;
    private final int maxInFlight;
    private final Deque<byte[]> spare = new ArrayDeque<>();
    private final Deque<Part> inFlight = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final List<CompletedPart> completed = new ArrayList<>();
    private byte[] buffer;
    private int filled;
    private long position;
    private String uploadId;
    private volatile boolean done;

    S3Output(S3Location location, S3Client client, Executor executor, int partSize, int maxInFlight) {
        this.location = location;
        this.client = client;
        this.executor = executor;
        this.partSize = partSize;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public String name() {
        return location.toString();
    }

    @Override
    public long position() {
        return position;
    }

    /** The multipart upload's id, or null before the first part is full (and when the object fits one PutObject). */
    synchronized String uploadId() {
        return uploadId;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        ensureOpen();
        while (src.hasRemaining()) {
            if (buffer == null) {
                buffer = spare.isEmpty() ? new byte[partSize] : spare.pop();
                filled = 0;
            }
            int n = Math.min(src.remaining(), partSize - filled);
            src.get(buffer, filled, n);
            filled += n;
            position += n;
            if (filled == partSize) {
                sendPart();
            }
        }
    }

    /** Uploads the full buffer as the next part, on the executor; waits while too many are pending. */
    private void sendPart() throws IOException {
        try {
            if (uploadId == null) {
                String id = client.createMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())).uploadId();
                synchronized (this) {
                    uploadId = id;
                }
            }
            int number = completed.size() + inFlight.size() + 1;
            if (number > MAX_PARTS) {
                throw new IOException(name() + ": the object needs more than " + MAX_PARTS + " parts of " + partSize
                        + " bytes, S3's limit; raise the storage option " + S3Settings.PART_SIZE);
            }
            Part part = new Part(number, buffer, filled);
            buffer = null;
            filled = 0;
            inFlight.add(part);
            try {
                executor.execute(part::runIfUnclaimed);
            } catch (RejectedExecutionException e) {
                part.runIfUnclaimed();
            }
            while (inFlight.size() > maxInFlight) {
                finishOldest();
            }
        } catch (SdkException e) {
            throw fail(S3Errors.of(name(), "starting the multipart upload", e));
        } catch (IOException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** Waits for the oldest pending part (running it here if no thread has started it) and records it. */
    private void finishOldest() throws IOException {
        Part part = inFlight.peek();
        part.runIfUnclaimed();
        CompletedPart done = part.await();
        inFlight.poll();
        completed.add(done);
        spare.push(part.bytes);
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        try {
            if (uploadId == null) {
                byte[] bytes = buffer == null ? new byte[0] : buffer;
                int length = filled;
                client.putObject(b -> b.bucket(location.bucket()).key(location.key()), body(bytes, length));
            } else {
                if (filled > 0) {
                    sendPart();
                }
                while (!inFlight.isEmpty()) {
                    finishOldest();
                }
                String id = uploadId;
                client.completeMultipartUpload(b -> b.bucket(location.bucket()).key(location.key()).uploadId(id)
                        .multipartUpload(m -> m.parts(completed)));
            }
            done = true;
            buffer = null;
            spare.clear();
        } catch (SdkException e) {
            throw fail(S3Errors.of(name(), "publishing", e));
        } catch (IOException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** Aborts, then returns {@code e} to be thrown (with an abort failure added as suppressed). */
    private <E extends Exception> E fail(E e) {
        try {
            close();
        } catch (IOException | RuntimeException abort) {
            e.addSuppressed(abort);
        }
        return e;
    }

    /**
     * Without a prior commit: stops uploading (parts not started are dropped, running ones are waited
     * for) and aborts the multipart upload, so no object and no parts are left. Idempotent.
     *
     * @throws IOException naming the object and the upload id if the abort fails (the store then
     *     keeps the parts until its lifecycle rules remove them)
     */
    @Override
    public void close() throws IOException {
        String id;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            id = uploadId;
        }
        buffer = null;
        for (Part part : inFlight) {
            part.cancelOrAwait();
        }
        inFlight.clear();
        spare.clear();
        if (id != null) {
            java.util.Optional<SdkException> failed = S3Uploads.abort(client, location, id);
            if (failed.isPresent()) {
                throw new IOException(name() + ": could not abort multipart upload " + id + " in " + S3Uploads.ABORT_ATTEMPTS
                        + " attempts (" + failed.get().getMessage() + "); its parts stay in the bucket until aborted or removed"
                        + " by a lifecycle rule", failed.get());
            }
        }
    }

    private void ensureOpen() {
        if (done) {
            throw new IllegalStateException("output to " + name() + " is already committed or closed");
        }
    }

    private static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                "application/octet-stream");
    }

    @Override
    public String toString() {
        return "S3Output[" + name() + ", " + position + " bytes, upload " + uploadId + "]";
    }

    /** One part: uploaded by whichever thread claims it first (an executor thread, or the writer waiting for it). */
    private final class Part {
        final int number;
        final byte[] bytes;
        final int length;
        final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<CompletedPart> result = new CompletableFuture<>();

        Part(int number, byte[] bytes, int length) {
            this.number = number;
            this.bytes = bytes;
            this.length = length;
        }

        void runIfUnclaimed() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                String id = uploadId();
                String etag = client.uploadPart(b -> b.bucket(location.bucket()).key(location.key()).uploadId(id)
                        .partNumber(number).contentLength((long) length), body(bytes, length)).eTag();
                result.complete(CompletedPart.builder().partNumber(number).eTag(etag).build());
            } catch (SdkException e) {
                result.completeExceptionally(S3Errors.of(name(), "uploading part " + number, e));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }

        CompletedPart await() throws IOException {
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException io = new InterruptedIOException(name() + ": interrupted while uploading part " + number);
                io.initCause(e);
                throw io;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException) {
                    throw (IOException) cause;
                }
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                throw (Error) cause;
            }
        }

        /** Drops the part if no thread started it, else waits for its end (its outcome no longer matters). */
        void cancelOrAwait() {
            if (claimed.compareAndSet(false, true)) {
                result.cancel(false);
                return;
            }
            try {
                result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // Aborted anyway.
            }
        }
    }
}
