package org.jpkl.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.junit.jupiter.api.Test;

class SampleStacksTest {
    @Test
    void everyDtypeGetsCameraLikeCountsInRangeDeterministically() {
        for (DType dtype : DType.values()) {
            NdArray a = SampleStacks.microscopy(dtype, 7, 40, 50, 4, 2);
            assertArrayEquals(new int[] {40, 50, 4, 2}, a.shape());
            assertEquals(dtype, a.dtype());
            assertEquals(a, SampleStacks.microscopy(dtype, 7, 40, 50, 4, 2), "same seed, same stack");
            assertNotEquals(a, SampleStacks.microscopy(dtype, 8, 40, 50, 4, 2), "another seed, another stack");
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            double sum = 0;
            for (int i = 0; i < a.size(); i++) {
                double v = a.getDoubleFlat(i);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            double scale = dtype == DType.UINT8 ? 16 : 1;
            assertTrue(min >= 0 && min < 150 / scale, dtype + " background near 100 counts: min " + min);
            assertTrue(max > 500 / scale && max <= Math.min(dtype.maxValue(), 65535), dtype + " bright cells: max " + max);
            double mean = sum / a.size();
            assertTrue(mean > 100 / scale && mean < 1500 / scale, dtype + " mean " + mean);
            if (dtype.isIntegral()) {
                assertEquals(Math.rint(a.getDoubleFlat(17)), a.getDoubleFlat(17));
            }
        }
    }

    @Test
    void planesDifferAndSinglePlanesWork() {
        NdArray a = SampleStacks.microscopy(DType.UINT16, 1, 32, 32, 3);
        assertNotEquals(a.get(":, :, 0"), a.get(":, :, 1"));
        assertArrayEquals(new int[] {5, 6}, SampleStacks.microscopy(DType.UINT8, 1, 5, 6).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleStacks.microscopy(DType.UINT8, 1, 5, 6, 0));
        assertTrue(e.getMessage().contains("axis 2 has length 0"), e.getMessage());
    }
}
