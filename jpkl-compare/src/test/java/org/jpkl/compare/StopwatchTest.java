package org.jpkl.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The timing harness with a fake clock and injected durations: arithmetic only, nothing is timed. */
class StopwatchTest {
    /** A clock that returns the given readings in turn. */
    private static Stopwatch readings(long... values) {
        AtomicInteger next = new AtomicInteger();
        return Stopwatch.withClock(() -> values[next.getAndIncrement()]);
    }

    @Test
    void oneRunIsTheDifferenceOfTwoReadings() throws Exception {
        Stopwatch clock = readings(1_000, 4_500, 10_000_000_000L, 12_500_000_000L);
        List<String> ran = new ArrayList<>();
        assertEquals(3_500, clock.nanos(() -> ran.add("a")));
        assertEquals(2.5, clock.seconds(() -> ran.add("b")));
        assertEquals(List.of("a", "b"), ran);
    }

    @Test
    void nanosPerRunRepeatsUntilTheMinimumHasPassedAndAverages() throws Exception {
        // start 0; after runs 1..3 the clock reads 40, 90, 130: the third crosses 100 ns.
        AtomicInteger runs = new AtomicInteger();
        assertEquals(130 / 3.0, readings(0, 40, 90, 130).nanosPerRun(100, runs::incrementAndGet));
        assertEquals(3, runs.get());
        // A minimum of 0 still runs once.
        assertEquals(7.0, readings(5, 12).nanosPerRun(0, runs::incrementAndGet));
        assertEquals(4, runs.get());
        assertEquals("minNanos (-1) must be >= 0",
                assertThrows(IllegalArgumentException.class, () -> Stopwatch.system().nanosPerRun(-1, () -> { })).getMessage());
    }

    @Test
    void warmUpRunsAreDiscardedAndTheRestAreSamples() throws Exception {
        // readings in pairs: warm-up 0..100 (100 ns), then 7, 3 and 5 ns
        Stopwatch clock = readings(0, 100, 200, 207, 300, 303, 400, 405);
        AtomicInteger runs = new AtomicInteger();
        Samples s = clock.repeat(1, 3, runs::incrementAndGet);
        assertEquals(4, runs.get(), "1 warm-up + 3 timed runs");
        assertArrayEquals(new double[] {3, 5, 7}, s.values());
        assertEquals(5, s.median());
    }

    @Test
    void passesReportTheirOwnDurations() {
        long[] measured = {900, 40, 10, 30, 20};
        AtomicInteger pass = new AtomicInteger();
        Samples s = Stopwatch.system().passes(1, 4, () -> measured[pass.getAndIncrement()]);
        assertArrayEquals(new double[] {10, 20, 30, 40}, s.values());
        assertEquals(25, s.median(), "the mean of the two middle values of an even count");
        assertEquals(10, s.min());
        assertEquals(40, s.max());
    }

    @Test
    void theWorksExceptionPassesThroughUnwrapped() {
        IOException boom = new IOException("disk gone");
        IOException thrown = assertThrows(IOException.class, () -> Stopwatch.system().repeat(0, 2, () -> {
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @Test
    void badCountsAndNegativeDurationsAreRejected() {
        Stopwatch clock = Stopwatch.system();
        assertEquals("warmups (-1) must be >= 0",
                assertThrows(IllegalArgumentException.class, () -> clock.passes(-1, 1, () -> 1)).getMessage());
        assertEquals("repeats (0) must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> clock.passes(0, 0, () -> 1)).getMessage());
        assertEquals("pass 1 measured -5 ns; a duration cannot be negative",
                assertThrows(IllegalArgumentException.class, () -> readings(0, 10, 20, 15).repeat(1, 1, () -> { })).getMessage());
    }

    @Test
    void throughputIsMegabytesOfRawBytesPerSecond() {
        assertEquals(1.0, Stopwatch.megabytesPerSecond(1_000_000, 1_000_000_000L));
        assertEquals(4.608, Stopwatch.megabytesPerSecond(4608, 1e6), 1e-12);
        assertEquals(5e9, Stopwatch.megabytesPerSecond(5_000_000, 0), "below 1 ns counts as 1 ns");
    }
}
