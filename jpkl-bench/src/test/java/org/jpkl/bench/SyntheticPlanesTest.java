package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticPlanesTest {
    @Test
    void stackInJpklLayoutHoldsEachPlaneAtItsKey() {
        int h = 24;
        int w = 20;
        int keys = 6;
        byte[] stack = SyntheticPlanes.jpklStack(3, 6.0, h, w, keys);
        assertEquals(h * w * keys, stack.length);
        for (int n = 0; n < keys; n++) {
            byte[] plane = SyntheticPlanes.plane(3, 6.0, h, w, n);
            for (int i = 0; i < h * w; i++) {
                assertEquals(plane[i], stack[i * keys + n], "plane " + n + " sample " + i);
            }
        }
    }

    @Test
    void planesAreReproducibleAndDifferBySliceAndSeed() {
        byte[] a = SyntheticPlanes.plane(5, 6.0, 32, 32, 2);
        assertArrayEquals(a, SyntheticPlanes.plane(5, 6.0, 32, 32, 2));
        assertFalse(Arrays.equals(a, SyntheticPlanes.plane(5, 6.0, 32, 32, 3)));
        assertFalse(Arrays.equals(a, SyntheticPlanes.plane(6, 6.0, 32, 32, 2)));
    }

    @Test
    void noiseHasTheRequestedStandardDeviation() {
        int h = 256;
        int w = 256;
        byte[] noisy = SyntheticPlanes.plane(9, 6.0, h, w, 1);
        byte[] clean = SyntheticPlanes.plane(9, 0.0, h, w, 1);
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < noisy.length; i++) {
            double d = (noisy[i] & 0xFF) - (clean[i] & 0xFF);
            sum += d;
            sq += d * d;
        }
        double mean = sum / noisy.length;
        double sd = Math.sqrt(sq / noisy.length - mean * mean);
        assertTrue(Math.abs(mean) < 0.1, "mean " + mean);
        assertTrue(sd > 5.8 && sd < 6.2, "sd " + sd);
    }

    @Test
    void rgbChannelsAreThePlanesOfTheirOwnSliceNumbers() {
        byte[] rgb = SyntheticPlanes.rgbPlane(4, 6.0, 8, 10, 2);
        for (int c = 0; c < 3; c++) {
            byte[] plane = SyntheticPlanes.plane(4, 6.0, 8, 10, 2 * 3 + c);
            for (int i = 0; i < plane.length; i++) {
                assertEquals(plane[i], rgb[i * 3 + c]);
            }
        }
    }
}
