package org.jpkl.viewer;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of the viewer's HTTP server: it puts time limits on the parts of an exchange that
 * wait for the client.
 *
 * <p>How the JDK 17 server ({@code sun.net.httpserver.ServerImpl}) works: its one dispatcher thread
 * accepts connections and waits, without blocking, for a connection's first byte; it then hands the
 * whole exchange to this executor, and the exchange reads the rest of the request head with
 * <em>blocking</em> reads on the executor's thread, then runs the handler, then the handler writes the
 * answer with blocking writes. A client that sends half a head and waits therefore holds a thread,
 * and the JDK puts no time limit on it unless JVM-wide system properties
 * ({@code sun.net.httpserver.maxReqTime}, {@code maxRspTime}) are set before the server class loads.
 * The viewer sets no JVM-wide state; instead:
 * <ul>
 *   <li>the request head must be read within the request timeout of the exchange's start (measured
 *       from when the dispatcher handed it over, but at least {@link #GRACE} after a thread takes it
 *       up), and the answer must be written within the response timeout of the handler starting to
 *       send it; otherwise the thread is interrupted, which closes the connection's channel (a
 *       {@link java.nio.channels.SocketChannel} is an interruptible channel), frees the thread and
 *       drops the connection;</li>
 *   <li>the handler's own work (reading and decoding slices) is never interrupted: an interrupt would
 *       close the container's file channel as well;</li>
 *   <li>{@link #CONNECTION_THREADS} threads serve exchanges (the handler bounds the CPU-bound decoding
 *       separately), and at most {@link #QUEUE} more exchanges wait; beyond that a connection is
 *       closed at once (the JDK closes it when {@code execute} refuses).</li>
 * </ul>
 * The request head's size is bounded by the JDK (this project's JDK 17 build: 384 KiB and 200
 * header lines, {@code sun.net.httpserver.maxReqHeaderSize}, {@code maxReqHeaders}) and by the time limit.
 *
 * <p>Thread safety: thread-safe.
 */
final class GuardedExecutor implements Executor {
    /** Threads serving exchanges: more than a browser's 6 connections per host, so stalled clients need many. */
    static final int CONNECTION_THREADS = 32;
    /** Exchanges waiting for a thread; beyond this a new connection is closed. */
    static final int QUEUE = 1024;
    /** The least time a thread gives a request head after taking up its exchange. */
    static final Duration GRACE = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(GuardedExecutor.class.getName());

    private final long requestNanos;
    private final long responseNanos;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadLocal<Guard> guards = new ThreadLocal<>();

    GuardedExecutor(Duration requestTimeout, Duration responseTimeout) {
        this.requestNanos = requestTimeout.toNanos();
        this.responseNanos = responseTimeout.toNanos();
        this.pool = new ThreadPoolExecutor(CONNECTION_THREADS, CONNECTION_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), new DaemonThreads("jpkl-viewer-"));
        pool.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("jpkl-viewer-timeouts-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs an exchange of the JDK server under the request timeout.
     *
     * @throws java.util.concurrent.RejectedExecutionException if {@link #QUEUE} exchanges are waiting
     *         or the executor is shut down (the JDK server then closes the connection)
     */
    @Override
    public void execute(Runnable exchange) {
        long handedOver = System.nanoTime();
        pool.execute(() -> run(exchange, handedOver));
    }

    private void run(Runnable exchange, long handedOver) {
        Guard guard = new Guard(Thread.currentThread());
        guards.set(guard);
        try {
            long left = handedOver + requestNanos - System.nanoTime();
            guard.arm(Math.max(left, GRACE.toNanos()));
            exchange.run();
        } catch (Throwable t) {
            // The handler answers its own errors; this is the JDK's exchange code failing.
            ViewerHandler.logOneLine(LOG, "an exchange failed", t);
        } finally {
            guard.disarm();
            guards.remove();
            Thread.interrupted();
        }
    }

    /**
     * Called by the handler on the exchange's thread when the request head has been read: stops the
     * request timeout.
     *
     * @return false if the request timeout struck first (the connection is closed; do not answer)
     */
    boolean requestRead() {
        Guard guard = guards.get();
        return guard == null || guard.disarm();
    }

    /** Called by the handler on the exchange's thread just before it writes the answer: starts the response timeout. */
    void responding() {
        Guard guard = guards.get();
        if (guard != null) {
            guard.arm(responseNanos);
        }
    }

    /** Refuses new exchanges, drops the waiting ones, and waits up to {@code wait} for running ones. */
    void shutdown(Duration wait) throws InterruptedException {
        pool.shutdown();
        pool.getQueue().clear();
        timer.shutdownNow();
        pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One exchange's timer: interrupts its thread when armed and not disarmed in time. Generations
     * make a stale timer (of a phase already over) do nothing; the interrupt is sent under the lock,
     * so the thread clears it in {@link #disarm()} and never carries it into its own work.
     */
    private final class Guard {
        private final Thread thread;
        private long generation;
        private boolean armed;
        private boolean struck;
        private ScheduledFuture<?> pending;

        Guard(Thread thread) {
            this.thread = thread;
        }

        synchronized void arm(long nanos) {
            if (struck) {
                return;
            }
            long armedGeneration = ++generation;
            armed = true;
            try {
                pending = timer.schedule(() -> strike(armedGeneration), nanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                armed = false; // shutting down: the server closes every connection itself
            }
        }

        /** Stops the timer; true unless it already struck (then the thread's interrupt is cleared). */
        synchronized boolean disarm() {
            armed = false;
            generation++;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
            if (struck) {
                Thread.interrupted();
                return false;
            }
            return true;
        }

        private synchronized void strike(long armedGeneration) {
            if (armed && armedGeneration == generation && !struck) {
                struck = true;
                thread.interrupt();
            }
        }
    }

    /** Named daemon threads, so a forgotten server never keeps a JVM alive. */
    private static final class DaemonThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        DaemonThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
