package org.jpkl.compare;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The one timing harness of jpkl's tools ({@link CodecComparison}, the benchmark): a nanosecond
 * clock, timing of one run of some work, and repeated passes after untimed warm-up passes,
 * giving {@link Samples} whose median is the figure to report.
 *
 * <p>The clock is {@link System#nanoTime()} for {@link #system()}; tests pass a fake clock to
 * {@link #withClock(LongSupplier)} so that the arithmetic can be checked without timing anything.
 * The harness never judges its figures: what they mean depends on the machine, the JIT's warm-up
 * and what else runs.
 *
 * <pre>{@code
 * Stopwatch clock = Stopwatch.system();
 * Samples nanos = clock.repeat(1, 5, () -> codec.encode(plane));   // 1 warm-up, 5 timed runs
 * double mbPerSecond = plane.byteSize() * 1e3 / nanos.median();
 * }</pre>
 *
 * <p>Thread safety: immutable; safe to share when the clock is (as {@code System.nanoTime} is).
 */
public final class Stopwatch {
    private static final Stopwatch SYSTEM = new Stopwatch(System::nanoTime);

    private final LongSupplier clock;

    private Stopwatch(LongSupplier clock) {
        this.clock = clock;
    }

    /** Work to time; {@code E} is what it may throw. */
    @FunctionalInterface
    public interface Work<E extends Exception> {
        /** Does the work once. */
        void run() throws E;
    }

    /**
     * One pass of repeated work that times itself (for example the sum of per-plane encode times,
     * leaving out the copying of each plane between them), usually with {@link #nanos(Work)}.
     */
    @FunctionalInterface
    public interface TimedPass<E extends Exception> {
        /** Does one pass and returns the nanoseconds it measured (at least 0). */
        long run() throws E;
    }

    /** The stopwatch on {@link System#nanoTime()}. */
    public static Stopwatch system() {
        return SYSTEM;
    }

    /** A stopwatch on another nanosecond clock (a fake one in tests); it must never go backwards. */
    public static Stopwatch withClock(LongSupplier nanoClock) {
        return new Stopwatch(Objects.requireNonNull(nanoClock, "nanoClock"));
    }

    /** The clock's current reading in nanoseconds (only differences mean anything). */
    public long now() {
        return clock.getAsLong();
    }

    /** Nanoseconds one run of {@code work} takes. */
    public <E extends Exception> long nanos(Work<E> work) throws E {
        long t0 = clock.getAsLong();
        work.run();
        return clock.getAsLong() - t0;
    }

    /** Seconds one run of {@code work} takes. */
    public <E extends Exception> double seconds(Work<E> work) throws E {
        return nanos(work) / 1e9;
    }

    /**
     * Runs {@code work} {@code warmups} times untimed, then {@code repeats} times timed.
     *
     * @return the {@code repeats} durations in nanoseconds
     * @throws IllegalArgumentException if {@code warmups < 0} or {@code repeats < 1}
     */
    public <E extends Exception> Samples repeat(int warmups, int repeats, Work<E> work) throws E {
        Objects.requireNonNull(work, "work");
        return passes(warmups, repeats, () -> nanos(work));
    }

    /**
     * Runs {@code pass} {@code warmups} times, discarding what it measured, then {@code repeats}
     * times, keeping it.
     *
     * @return the {@code repeats} measured durations in nanoseconds
     * @throws IllegalArgumentException if {@code warmups < 0} or {@code repeats < 1}, or a pass
     *     returns a negative duration
     */
    public <E extends Exception> Samples passes(int warmups, int repeats, TimedPass<E> pass) throws E {
        if (warmups < 0) {
            throw new IllegalArgumentException("warmups (" + warmups + ") must be >= 0");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats (" + repeats + ") must be >= 1");
        }
        Objects.requireNonNull(pass, "pass");
        double[] kept = new double[repeats];
        for (int i = 0; i < warmups + repeats; i++) {
            long nanos = pass.run();
            if (nanos < 0) {
                throw new IllegalArgumentException("pass " + i + " measured " + nanos + " ns; a duration cannot be negative");
            }
            if (i >= warmups) {
                kept[i - warmups] = nanos;
            }
        }
        return Samples.of(kept);
    }

    /**
     * Runs {@code work} back to back until at least {@code minNanos} have passed (at least once), for
     * work too short to time one run at a time.
     *
     * @return the mean nanoseconds per run
     * @throws IllegalArgumentException if {@code minNanos < 0}
     */
    public <E extends Exception> double nanosPerRun(long minNanos, Work<E> work) throws E {
        if (minNanos < 0) {
            throw new IllegalArgumentException("minNanos (" + minNanos + ") must be >= 0");
        }
        Objects.requireNonNull(work, "work");
        long start = clock.getAsLong();
        long runs = 0;
        long now;
        do {
            work.run();
            runs++;
            now = clock.getAsLong();
        } while (now - start < minNanos);
        return (now - start) / (double) runs;
    }

    /**
     * Throughput in megabytes (10^6 bytes) per second of {@code bytes} processed in {@code nanos}
     * nanoseconds; a duration below 1 ns counts as 1 ns so that the rate stays finite.
     */
    public static double megabytesPerSecond(long bytes, double nanos) {
        return bytes * 1e3 / Math.max(1, nanos);
    }

    @Override
    public String toString() {
        return this == SYSTEM ? "Stopwatch[System.nanoTime]" : "Stopwatch[" + clock + "]";
    }
}
