package org.jpkl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Writes a container plane by plane (from a loop, a file reader, a camera). Planes are encoded in
 * parallel on the {@link Jpkl}'s executor and written in the order they were given, with at most
 * {@code 2 x parallelism} planes in flight, so memory stays bounded whatever the array's size.
 * Planes may come in any order, each exactly once. {@link #commit()} writes the index and publishes
 * the file atomically; {@link #close()} without a commit discards everything.
 *
 * <p>{@link #write(long, PlaneBuffer)} copies the plane before returning, so the caller may reuse
 * its buffer at once.
 *
 * <p>Thread safety: not thread-safe; write from one thread.
 */
public final class JpklWriter implements AutoCloseable {
    private final ContainerWriter container;
    private final SliceCodec codec;
    private final CodecParams params;
    private final PlaneSpec spec;
    /** The codec's bound on one encoded plane; readers refuse longer slices, so none is written. */
    private final long maxSliceBytes;
    private final KeySpace keys;
    private final Executor executor;
    private final int maxInFlight;
    private final Queue<SliceEncoder> idleEncoders = new ConcurrentLinkedQueue<>();
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final Deque<PlaneBuffer> spareBuffers = new ArrayDeque<>();
    /** The one plane buffer of serial (parallelism 1) writes from an array, allocated on first use. */
    private PlaneBuffer serialScratch;
    private boolean finished;

    JpklWriter(ContainerWriter container, SliceCodec codec, CodecParams params, Executor executor, int parallelism)
            throws IOException {
        this.container = container;
        this.codec = codec;
        this.params = params;
        ContainerHeader h = container.header();
        this.spec = h.planeSpec();
        this.maxSliceBytes = codec.maxEncodedBytes(params, spec);
        this.keys = h.keySpace();
        this.executor = executor;
        this.maxInFlight = parallelism <= 1 ? 0 : 2 * parallelism;
        try {
            idleEncoders.add(codec.newEncoder(params, spec));
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
    }

    /** The header being written (shape, dtype, layout, names, codec and parameters, metadata). */
    public ContainerHeader header() {
        return container.header();
    }

    /** The key axes and slice numbering of the array being written. */
    public KeySpace keySpace() {
        return keys;
    }

    /**
     * Encodes and writes the plane with slice number {@code sliceNumber}; the plane is copied (or
     * encoded) before this returns.
     *
     * @throws IllegalArgumentException if the plane's spec differs from the array's
     * @throws IndexOutOfBoundsException if the slice number is out of range
     * @throws IllegalStateException if this slice was already written or the writer is finished
     * @throws IOException if encoding or writing this or an earlier plane failed
     */
    public void write(long sliceNumber, PlaneBuffer plane) throws IOException {
        ensureOpen();
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + "; this array's planes are " + spec);
        }
        keys.key(sliceNumber);
        if (maxInFlight == 0) {
            container.writeSlice(sliceNumber, ByteBuffer.wrap(encode(sliceNumber, plane)));
            return;
        }
        submit(sliceNumber, copy -> System.arraycopy(plane.array(), plane.offset(), copy.array(), 0, spec.sampleCount()), false);
    }

    /**
     * Encodes and writes plane {@code sliceNumber} of a whole array held in memory: with parallel
     * encoding, the plane is gathered out of the array inside the encoding task, so that this
     * strided copy runs in parallel too ({@code Jpkl.save} uses this).
     */
    void writeFrom(NdArray array, PlaneLayout layout, long sliceNumber) throws IOException {
        ensureOpen();
        keys.key(sliceNumber);
        if (maxInFlight == 0) {
            if (serialScratch == null) {
                serialScratch = PlaneBuffer.allocate(spec);
            }
            array.copyPlane(layout, sliceNumber, serialScratch);
            container.writeSlice(sliceNumber, ByteBuffer.wrap(encode(sliceNumber, serialScratch)));
            return;
        }
        submit(sliceNumber, buffer -> array.copyPlane(layout, sliceNumber, buffer), true);
    }

    /** Queues one plane: {@code fill} puts its samples into a spare buffer, on the caller's thread or in the task. */
    private void submit(long sliceNumber, java.util.function.Consumer<PlaneBuffer> fill, boolean fillInTask) throws IOException {
        PlaneBuffer buffer = spareBuffers.isEmpty() ? PlaneBuffer.allocate(spec) : spareBuffers.pop();
        if (!fillInTask) {
            fill.accept(buffer);
        }
        Pending p = new Pending(sliceNumber, buffer, fillInTask ? fill : null);
        inFlight.add(p);
        try {
            executor.execute(p::runIfUnclaimed);
        } catch (RejectedExecutionException e) {
            p.runIfUnclaimed();
        }
        while (inFlight.size() > maxInFlight) {
            drainOne();
        }
    }

    /**
     * Encodes and writes the plane at a key tuple; {@code plane} has shape {@code [h, w]} or
     * {@code [h, w, 3]} and the array's dtype.
     */
    public void write(int[] key, NdArray plane) throws IOException {
        long n = keys.sliceNumber(key);
        if (plane.dtype() != spec.dtype() || !Arrays.equals(plane.shape(), spec.shape())) {
            throw new IllegalArgumentException("plane is " + plane + "; this array's planes are " + spec.dtype()
                    + " of shape " + Arrays.toString(spec.shape()));
        }
        PlaneBuffer buffer = PlaneBuffer.allocate(spec);
        plane.copyPlane(PlaneLayout.jpkl(spec.channels() != ChannelLayout.GREY), 0, buffer);
        write(n, buffer);
    }

    /**
     * Writes already-encoded bytes of one slice as they are, e.g. copied from another container
     * written with the same codec and parameters. The caller vouches that they decode to a plane of
     * this array's spec with this writer's codec parameters.
     */
    public void writeEncoded(long sliceNumber, ByteBuffer encoded) throws IOException {
        ensureOpen();
        if (encoded.remaining() > maxSliceBytes) {
            throw new IllegalArgumentException("encoded slice " + keys.describe(sliceNumber) + " is " + encoded.remaining()
                    + " bytes; codec '" + codec.id() + "' produces at most " + maxSliceBytes + " for a " + spec
                    + " plane, and readers refuse longer slices");
        }
        drainAll();
        container.writeSlice(sliceNumber, encoded);
    }

    /** Finishes pending encodes, writes the index and footer and publishes the file atomically. */
    public void commit() throws IOException {
        ensureOpen();
        drainAll();
        container.commit();
        finished = true;
    }

    private void drainAll() throws IOException {
        while (!inFlight.isEmpty()) {
            drainOne();
        }
    }

    private void drainOne() throws IOException {
        Pending p = inFlight.peek();
        if (!p.runIfUnclaimed()) {
            // The head is being encoded elsewhere: encode later planes meanwhile instead of idling.
            for (java.util.Iterator<Pending> later = inFlight.descendingIterator(); later.hasNext() && !p.isDone(); ) {
                later.next().runIfUnclaimed();
            }
        }
        byte[] bytes = p.await();
        inFlight.poll();
        spareBuffers.push(p.plane);
        container.writeSlice(p.sliceNumber, ByteBuffer.wrap(bytes));
    }

    private byte[] encode(long sliceNumber, PlaneBuffer plane) throws IOException {
        SliceEncoder encoder = idleEncoders.poll();
        if (encoder == null) {
            encoder = codec.newEncoder(params, spec);
        }
        byte[] encoded;
        try {
            encoded = encoder.encode(plane);
        } catch (IOException e) {
            throw new IOException("codec '" + codec.id() + "' failed to encode slice " + keys.describe(sliceNumber)
                    + ": " + e.getMessage(), e);
        } finally {
            idleEncoders.add(encoder);
        }
        if (encoded.length > maxSliceBytes) {
            throw new IllegalStateException("codec '" + codec.id() + "' encoded slice " + keys.describe(sliceNumber) + " as "
                    + encoded.length + " bytes, more than the " + maxSliceBytes + " its maxEncodedBytes promises for a "
                    + spec + " plane (readers would refuse it)");
        }
        return encoded;
    }

    private void ensureOpen() {
        if (finished) {
            throw new IllegalStateException("writer for " + container.header() + " is already committed or closed");
        }
    }

    /** Waits for pending encodes, releases encoders; without a prior commit, discards the partial file. Idempotent. */
    @Override
    public void close() throws IOException {
        finished = true;
        try {
            for (Pending p : inFlight) {
                p.runIfUnclaimed();
                p.awaitQuietly();
            }
            inFlight.clear();
            SliceEncoder e;
            while ((e = idleEncoders.poll()) != null) {
                e.close();
            }
        } finally {
            container.close();
        }
    }

    /** One plane being encoded: claimed by exactly one thread (a pool thread or the writer's own). */
    private final class Pending {
        final long sliceNumber;
        final PlaneBuffer plane;
        private final java.util.function.Consumer<PlaneBuffer> fill;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private byte[] result;
        private Throwable failure;
        private boolean done;

        Pending(long sliceNumber, PlaneBuffer plane, java.util.function.Consumer<PlaneBuffer> fill) {
            this.sliceNumber = sliceNumber;
            this.plane = plane;
            this.fill = fill;
        }

        /** Encodes this plane unless another thread claimed it; returns whether this call did. */
        boolean runIfUnclaimed() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            byte[] r = null;
            Throwable f = null;
            try {
                if (fill != null) {
                    fill.accept(plane);
                }
                r = encode(sliceNumber, plane);
            } catch (IOException | RuntimeException | Error e) {
                f = e;
            }
            synchronized (this) {
                result = r;
                failure = f;
                done = true;
                notifyAll();
            }
            return true;
        }

        synchronized boolean isDone() {
            return done;
        }

        synchronized byte[] await() throws IOException {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            return result;
        }

        void awaitQuietly() {
            try {
                await();
            } catch (IOException | RuntimeException e) {
                // closing: the failure was or will be reported by write/commit; nothing to publish
            }
        }
    }
}
