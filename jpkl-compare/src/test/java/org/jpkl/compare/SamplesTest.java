package org.jpkl.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void medianMinMaxAndCount() {
        Samples s = Samples.of(4, 1, 3, 2);
        assertEquals(2.5, s.median(), "the mean of 2 and 3");
        assertEquals(1, s.min());
        assertEquals(4, s.max());
        assertEquals(4, s.count());
        assertEquals(3, Samples.of(3, 1, 9).median());
        assertEquals(7, Samples.of(7).median());
        assertEquals(Samples.of(1, 2, 3, 4), s, "the order of the samples does not matter");
        assertEquals(Samples.of(5.0, 1.0), Samples.of(List.of(1.0, 5.0)));
    }

    @Test
    void scalingAndInvertingMapEverySample() {
        Samples nanos = Samples.of(2_000_000, 4_000_000, 1_000_000);
        assertArrayEquals(new double[] {1, 2, 4}, nanos.scaled(1e-6).values(), 1e-12);
        Samples rates = Samples.of(0.5, 2, 4).inverted(8);
        assertArrayEquals(new double[] {2, 4, 16}, rates.values(), 0, "8 / 4, 8 / 2, 8 / 0.5");
        assertEquals(4, rates.median());
    }

    @Test
    void valuesAreCopies() {
        double[] in = {3, 1};
        Samples s = Samples.of(in);
        in[0] = 100;
        s.values()[0] = -1;
        assertArrayEquals(new double[] {1, 3}, s.values());
    }

    @Test
    void noSamplesOrNaNAreRejected() {
        assertEquals("no samples: at least one value is needed",
                assertThrows(IllegalArgumentException.class, () -> Samples.of()).getMessage());
        assertEquals("sample 1 is NaN", assertThrows(IllegalArgumentException.class, () -> Samples.of(1, Double.NaN)).getMessage());
    }
}
