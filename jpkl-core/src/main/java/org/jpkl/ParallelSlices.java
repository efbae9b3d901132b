package org.jpkl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs items {@code 0..count-1} on the calling thread plus up to {@code parallelism - 1} helper
 * tasks on an executor, which claim contiguous chunks of items from one counter (shrinking as the
 * items run out, see {@link #run(long, int, Executor, Supplier)}). Contiguous chunks matter: neighbouring planes of JPkl's layout are neighbouring
 * elements of the result, and two threads writing alternate planes would share every cache line. The caller always works too, so a saturated or
 * rejecting executor (or a {@code get} issued from inside one of its tasks) only loses
 * parallelism, never deadlocks. An executor that runs a helper task at once on the calling thread
 * (such as {@code Runnable::run}) adds no parallelism: that task returns without work, so the
 * caller's own first step ({@code callerFirst}, e.g. allocating the result that helpers wait for)
 * always runs before any item. Each participating thread gets its own {@link Worker} (e.g. a
 * decoder and a plane buffer), created on its first item.
 */
final class ParallelSlices {
    /** Per-thread work: processes items, then is closed. */
    interface Worker extends AutoCloseable {
        void process(long item) throws IOException;

        /** Called once after this worker's last item when no item failed, e.g. to flush work it batched. */
        default void finish() throws IOException {
        }

        @Override
        void close();
    }

    /** The most bytes of planes one thread holds for a grouped gather or scatter ({@link #planeGroup}). */
    static final long PLANE_GROUP_BYTES = 4L << 20;

    /**
     * How many planes of {@code spec} one thread gathers or scatters together when they are
     * interleaved in a whole array (JPkl's {@code (h, w, ...)} layout: one plane alone touches every
     * cache line of the array; a group is copied band of rows by band of rows, each band once for the
     * group): up to 8, within {@link #PLANE_GROUP_BYTES} (1 for larger planes).
     */
    static int planeGroup(org.jpkl.api.PlaneSpec spec) {
        return (int) Math.max(1, Math.min(8, PLANE_GROUP_BYTES / Math.max(1, spec.byteSize())));
    }

    /** The most bytes of planes {@code Jpkl.save} gathers out of the array at once ({@link #gatherGroup}). */
    static final long GATHER_GROUP_BYTES = 8L << 20;

    /**
     * How many planes of {@code spec} {@code Jpkl.save} gathers out of an array together: up to 32,
     * within {@link #GATHER_GROUP_BYTES} (1 for larger planes). More than {@link #planeGroup}: with
     * many interleaved planes (400 in the peer stack: one 400-byte pixel holds a sample of each),
     * every group reads every cache line of its part of the array from memory again, so the gather
     * is bound by memory traffic, which falls with the number of groups; 32 planes of 512 x 512
     * uint8 read the peer stack's lines 12.5 times instead of 50. The writer keeps about two
     * groups of planes in flight (the gather of the next runs while the last is encoded).
     */
    static int gatherGroup(org.jpkl.api.PlaneSpec spec) {
        return (int) Math.max(1, Math.min(32, GATHER_GROUP_BYTES / Math.max(1, spec.byteSize())));
    }

    /** Waits for the latch, keeping the thread's interrupt status (set again on return if it was interrupted). */
    static void awaitUninterruptibly(java.util.concurrent.CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private final long count;
    /** Items per claim; 0: guided (see {@link #claim}). */
    private final long chunk;
    /** Guided chunks: the end of the items not yet claimed from the back (under {@link #lock}). */
    private long back;
    private final int unit;
    private final int parallelism;
    private final Supplier<Worker> workers;
    private final AtomicLong next = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Object lock = new Object();
    private int running;
    private boolean closed;
    /** The thread that started the run; a helper task run on it (inline) does nothing. */
    private final Thread caller = Thread.currentThread();

    private ParallelSlices(long count, long chunk, int unit, int parallelism, Supplier<Worker> workers) {
        this.count = count;
        this.chunk = chunk;
        this.back = count;
        this.unit = unit;
        this.parallelism = parallelism;
        this.workers = workers;
    }

    /**
     * Processes every item; returns when all are done. Threads claim contiguous chunks that shrink
     * as the work runs out (guided: a chunk is the remaining items over {@code 2 x parallelism}),
     * so the threads end within about one small chunk of each other; fixed chunks of a quarter of a
     * thread's share left one thread finishing its last chunk, up to 50 planes of the peer stack
     * (an eighth of a 2-thread full decode), while the other waited.
     *
     * @throws IOException the first failure of any item (others are added as suppressed)
     * @throws InterruptedIOException if the calling thread is interrupted while helpers finish
     */
    static void run(long count, int parallelism, Executor executor, Supplier<Worker> workers) throws IOException {
        run(count, 1, parallelism, executor, null, workers);
    }

    /**
     * As {@link #run(long, int, Executor, Supplier)}, every chunk but the last a multiple of
     * {@code unit} items (the planes a worker gathers or scatters together, {@link #planeGroup}),
     * the calling thread first running {@code callerFirst} (if not null) once the helpers are
     * started (e.g. allocating the result while they decode); a failure of it fails the run like a
     * failed item.
     */
    static void run(long count, int unit, int parallelism, Executor executor, Runnable callerFirst, Supplier<Worker> workers)
            throws IOException {
        run(count, 0, unit, parallelism, executor, callerFirst, workers);
    }

    /**
     * As {@link #run(long, int, Executor, Supplier)}, each thread claiming one item at a time: for
     * items that each cost far more than a claim and write disjoint parts of the result, such as the
     * tiles of a plane. Chunks of a quarter of a thread's share would leave one thread finishing its
     * last chunk (up to an eighth of a 2-thread read) while the other waits; one tile at a time, the
     * threads end within one tile of each other.
     */
    static void runEach(long count, int parallelism, Executor executor, Supplier<Worker> workers) throws IOException {
        run(count, 1, 1, parallelism, executor, null, workers);
    }

    /**
     * As {@link #runEach(long, int, Executor, Supplier)}, the calling thread first running
     * {@code callerFirst} once the helpers are started (e.g. allocating the result while they
     * decode); a failure of it fails the run like a failed item.
     */
    static void runEach(long count, int parallelism, Executor executor, Runnable callerFirst, Supplier<Worker> workers)
            throws IOException {
        run(count, 1, 1, parallelism, executor, callerFirst, workers);
    }

    /** {@code chunk} items per claim, or 0 for guided chunks of multiples of {@code unit}. */
    private static void run(long count, long chunk, int unit, int parallelism, Executor executor, Runnable callerFirst,
            Supplier<Worker> workers) throws IOException {
        ParallelSlices run = new ParallelSlices(count, chunk, Math.max(1, unit), parallelism, workers);
        long helpers = Math.min(parallelism - 1L, count - 1);
        for (long h = 0; h < helpers; h++) {
            try {
                executor.execute(run::help);
            } catch (RejectedExecutionException e) {
                break;
            }
        }
        if (callerFirst != null) {
            try {
                callerFirst.run();
            } catch (RuntimeException | Error e) {
                run.fail(e);
            }
        }
        run.work();
        run.finish();
    }

    private void fail(Throwable e) {
        if (!failure.compareAndSet(null, e)) {
            failure.get().addSuppressed(e);
        }
    }

    private void help() {
        synchronized (lock) {
            if (closed || Thread.currentThread() == caller) {
                return;
            }
            running++;
        }
        try {
            work();
        } finally {
            synchronized (lock) {
                running--;
                lock.notifyAll();
            }
        }
    }

    /**
     * Claims the next chunk for the calling thread: {first, end}, or null when none is left. Fixed
     * chunks come from the front, from one counter. Guided chunks come from the front for the
     * thread that started the run and from the back for the helpers, so that on 2 threads the two
     * work far apart (neighbouring planes are neighbouring bytes of the result: two threads
     * scattering planes less than 64 apart would write the same cache lines) until the chunks,
     * shrinking, meet in the middle; a back chunk starts on a whole unit.
     */
    private long[] claim() {
        if (chunk > 0) {
            long first = next.getAndIncrement() * chunk;
            return first < count ? new long[] {first, Math.min(count, first + chunk)} : null;
        }
        boolean front = Thread.currentThread() == caller;
        synchronized (lock) {
            long remaining = back - front();
            if (remaining <= 0) {
                return null;
            }
            long size = guidedChunk(remaining, parallelism, unit);
            long lo = front();
            if (front) {
                long end = Math.min(back, lo + size);
                next.set(end);
                return new long[] {lo, end};
            }
            long start = Math.max(lo, (back - size) / unit * unit);
            long[] claimed = {start, back};
            back = start;
            return claimed;
        }
    }

    /** The first item not yet claimed from the front (guided chunks; under {@link #lock}). */
    private long front() {
        return next.get();
    }

    /**
     * A guided chunk: the {@code remaining} items over twice the threads, rounded up to whole
     * units (at least one unit; the last chunk may then reach past the end and is cut there).
     */
    static long guidedChunk(long remaining, int parallelism, int unit) {
        long share = (remaining + 2L * parallelism - 1) / (2L * parallelism);
        return Math.max(1, (share + unit - 1) / unit) * unit;
    }

    private void work() {
        Worker worker = null;
        try {
            long[] range;
            while (failure.get() == null && (range = claim()) != null) {
                if (worker == null) {
                    worker = workers.get();
                }
                for (long item = range[0]; item < range[1] && failure.get() == null; item++) {
                    worker.process(item);
                }
            }
            if (worker != null && failure.get() == null) {
                worker.finish();
            }
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        } finally {
            if (worker != null) {
                worker.close();
            }
        }
    }

    private void finish() throws IOException {
        synchronized (lock) {
            closed = true;
            while (running > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                    InterruptedIOException io = new InterruptedIOException("interrupted while waiting for slice workers");
                    io.initCause(e);
                    throw io;
                }
            }
        }
        Throwable f = failure.get();
        if (f == null) {
            return;
        }
        if (f instanceof IOException) {
            throw (IOException) f;
        }
        if (f instanceof UncheckedIOException) {
            throw ((UncheckedIOException) f).getCause();
        }
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        throw (Error) f;
    }
}
