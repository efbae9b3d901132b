package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Slice numbering: key axes, the C-order rank of key tuples, and its inverse. */
class KeySpaceTest {

    @Test
    void jpklLayoutNumbersTheTrailingAxesInCOrder() {
        KeySpace keys = new KeySpace(new int[] {512, 256, 3, 4}, PlaneLayout.jpkl(false));
        assertArrayEquals(new int[] {2, 3}, keys.keyAxes());
        assertArrayEquals(new int[] {3, 4}, keys.keyDims());
        assertEquals(12, keys.sliceCount());
        long expected = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(expected, keys.sliceNumber(i, j));
                assertArrayEquals(new int[] {i, j}, keys.key(expected));
                expected++;
            }
        }
        assertEquals("(2, 3)", keys.describe(11));
        assertEquals("#12", keys.describe(12));
        assertEquals("#-1", keys.describe(-1));
    }

    @Test
    void keyAxesAreEveryNonPlaneAxisInOrder() {
        assertArrayEquals(new int[] {0, 1, 2}, new KeySpace(new int[] {2, 3, 4, 5, 6}, PlaneLayout.of(3, 4)).keyAxes());
        assertArrayEquals(new int[] {3}, new KeySpace(new int[] {4, 5, 3, 7}, PlaneLayout.jpkl(true)).keyAxes());
        assertArrayEquals(new int[] {1}, new KeySpace(new int[] {4, 5, 6}, PlaneLayout.of(2, 0)).keyAxes());
        assertArrayEquals(new int[] {0, 2}, new KeySpace(new int[] {2, 3, 4, 3, 5}, PlaneLayout.of(4, 1, 3)).keyAxes());
        KeySpace odd = new KeySpace(new int[] {2, 3, 4, 5, 6}, PlaneLayout.of(2, 0));
        assertArrayEquals(new int[] {1, 3, 4}, odd.keyAxes());
        assertArrayEquals(new int[] {3, 5, 6}, odd.keyDims());
        assertEquals(90, odd.sliceCount());
        assertEquals(1 * 30 + 2 * 6 + 3, odd.sliceNumber(1, 2, 3));
    }

    @Test
    void roundTripsEverySliceNumber() {
        int[][] shapes = {{3, 4, 2, 3, 4}, {4, 5, 3, 2, 1, 3}, {6, 7}};
        PlaneLayout[] layouts = {PlaneLayout.of(3, 4), PlaneLayout.jpkl(true), PlaneLayout.jpkl(false)};
        for (int s = 0; s < shapes.length; s++) {
            KeySpace keys = new KeySpace(shapes[s], layouts[s]);
            int[] previous = null;
            for (long n = 0; n < keys.sliceCount(); n++) {
                int[] key = keys.key(n);
                assertEquals(n, keys.sliceNumber(key));
                if (previous != null) {
                    assertTrue(Arrays.compare(previous, key) < 0, "keys increase in C order");
                }
                previous = key;
            }
        }
    }

    @Test
    void withoutKeyAxesThereIsOnePlane() {
        KeySpace keys = new KeySpace(new int[] {5, 6}, PlaneLayout.jpkl(false));
        assertEquals(1, keys.sliceCount());
        assertArrayEquals(new int[0], keys.keyAxes());
        assertArrayEquals(new int[0], keys.key(0));
        assertEquals(0, keys.sliceNumber());
        assertEquals("()", keys.describe(0));
        assertThrows(IndexOutOfBoundsException.class, () -> keys.key(1));
        KeySpace rgb = new KeySpace(new int[] {5, 6, 3}, PlaneLayout.jpkl(true));
        assertEquals(1, rgb.sliceCount());
    }

    @Test
    void aZeroLengthKeyAxisMeansNoPlanes() {
        KeySpace keys = new KeySpace(new int[] {4, 4, 3, 0}, PlaneLayout.jpkl(false));
        assertEquals(0, keys.sliceCount());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> keys.key(0));
        assertEquals("slice number 0 is out of range [0, 0)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> keys.sliceNumber(0, 0));
    }

    @Test
    void largeKeySpacesUseLongArithmetic() {
        int big = Integer.MAX_VALUE;
        KeySpace keys = new KeySpace(new int[] {1, 1, big, big}, PlaneLayout.jpkl(false));
        assertEquals((long) big * big, keys.sliceCount());
        long last = (long) big * big - 1;
        assertEquals(last, keys.sliceNumber(big - 1, big - 1));
        assertArrayEquals(new int[] {big - 1, big - 1}, keys.key(last));
        assertArrayEquals(new int[] {1, 0}, keys.key(big));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KeySpace(new int[] {1, 1, big, big, big}, PlaneLayout.jpkl(false)));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
    }

    @Test
    void rejectsBadKeysAndSliceNumbers() {
        KeySpace keys = new KeySpace(new int[] {8, 8, 3, 4}, PlaneLayout.jpkl(false));
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> keys.sliceNumber(1));
        assertEquals("key [1] has 1 positions; this array has 2 key axes [2, 3]", length.getMessage());
        IndexOutOfBoundsException high = assertThrows(IndexOutOfBoundsException.class, () -> keys.sliceNumber(1, 4));
        assertEquals("key [1, 4]: position 4 is out of bounds for axis 3 with size 4", high.getMessage());
        IndexOutOfBoundsException negative = assertThrows(IndexOutOfBoundsException.class, () -> keys.sliceNumber(-1, 0));
        assertEquals("key [-1, 0]: position -1 is out of bounds for axis 2 with size 3", negative.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> keys.key(12));
        IndexOutOfBoundsException below = assertThrows(IndexOutOfBoundsException.class, () -> keys.key(-1));
        assertEquals("slice number -1 is out of range [0, 12)", below.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> keys.key(Long.MAX_VALUE));
    }

    @Test
    void rejectsLayoutsThatDoNotFitTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KeySpace(new int[] {4, 5}, PlaneLayout.of(3, 4)));
        assertEquals("layout y=3, x=4 needs at least 5 axes; shape (4, 5) has 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KeySpace(new int[] {4, 5, 4}, PlaneLayout.jpkl(true)));
        assertTrue(e.getMessage().contains("colour axis 2 must have length 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KeySpace(new int[] {0, 5, 2}, PlaneLayout.jpkl(false)));
        assertTrue(e.getMessage().contains("at least 1x1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KeySpace(new int[] {7}, PlaneLayout.jpkl(false)));
        assertThrows(IllegalArgumentException.class, () -> PlaneLayout.of(1, 1));
        assertThrows(IllegalArgumentException.class, () -> PlaneLayout.of(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> PlaneLayout.of(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> PlaneLayout.of(0, 1, -1));
    }

    @Test
    void shapesFormatLikeNumpy() {
        assertEquals("()", Shapes.format(new int[0]));
        assertEquals("(7,)", Shapes.format(new int[] {7}));
        assertEquals("(512, 512, 3)", Shapes.format(new int[] {512, 512, 3}));
        assertEquals(1, Shapes.product(new int[0]));
        assertEquals(0, Shapes.product(new int[] {3, 0, 5}));
        assertEquals(60, Shapes.product(new int[] {3, 4, 5}));
        assertThrows(IllegalArgumentException.class,
                () -> Shapes.product(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}));
    }
}
