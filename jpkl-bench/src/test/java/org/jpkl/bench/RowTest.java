package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jpkl.compare.Samples;
import org.junit.jupiter.api.Test;

class RowTest {
    @Test
    void costRowComparesFigureOverBaselineMedians() {
        Row r = Row.builder("x", "t", Units.SECONDS).figure("f", Samples.of(1.0, 1.1, 5.0)).baseline("b", Samples.of(1.0, 1.0, 0.1))
                .atMost(1.10).build();
        assertEquals(1.1, r.ratio(), 1e-12);
        assertEquals("PASS", r.status());
        Row miss = Row.builder("x", "t", Units.SECONDS).figure("f", Samples.of(1.2)).baseline("b", Samples.of(1.0)).atMost(1.10).build();
        assertEquals("MISS", miss.status());
    }

    @Test
    void speedupRowComparesBaselineOverFigure() {
        Row r = Row.builder("x", "t", Units.SECONDS).figure("2 threads", Samples.of(0.5)).baseline("1 thread", Samples.of(0.9))
                .speedup().atLeast(1.7).build();
        assertEquals(1.8, r.ratio(), 1e-12);
        assertEquals("PASS", r.status());
        assertEquals("≥ 1.7", r.goalText());
    }

    @Test
    void missingSideIsNotApplicableAndNoGoalIsInfo() {
        Row missing = Row.builder("x", "t", Units.MB_PER_S).figure("turbo", null).baseline("Pillow", Samples.of(700)).atLeast(1).build();
        assertTrue(Double.isNaN(missing.ratio()));
        assertEquals("n/a", missing.status());
        assertEquals("n/a", missing.figureText());
        Row info = Row.builder("x", "t", Units.BYTES).figure("a", Samples.of(2)).baseline("b", Samples.of(4)).build();
        assertEquals("info", info.status());
        assertEquals("0.50", info.ratioText());
    }

    @Test
    void unitsAreReadable() {
        assertEquals("412 µs", Units.seconds(412e-6));
        assertEquals("1.40 ms", Units.seconds(1.4e-3));
        assertEquals("2.50 s", Units.seconds(2.5));
        assertEquals("9.46 MB", Units.bytes(9.46e6));
    }
}
