package org.jpkl.api;

import java.util.Arrays;

/**
 * The key axes of an array and the numbering of its planes: slice number {@code n} is the C-order
 * rank of the key tuple (the positions along the key axes, in axis order). An array without key
 * axes has one plane, slice 0, with the empty key.
 *
 * <p>Thread safety: immutable.
 */
public final class KeySpace {
    private final int[] keyAxes;
    private final int[] keyDims;
    private final long sliceCount;

    /**
     * @param shape the array's shape
     * @param layout which axes form the plane (validated against the shape)
     * @throws IllegalArgumentException if the layout does not fit the shape
     */
    public KeySpace(int[] shape, PlaneLayout layout) {
        layout.validate(shape);
        this.keyAxes = layout.keyAxes(shape.length);
        this.keyDims = new int[keyAxes.length];
        for (int k = 0; k < keyAxes.length; k++) {
            keyDims[k] = shape[keyAxes[k]];
        }
        this.sliceCount = Shapes.product(keyDims);
    }

    /** The key axes, in increasing order. */
    public int[] keyAxes() {
        return keyAxes.clone();
    }

    /** The lengths of the key axes. */
    public int[] keyDims() {
        return keyDims.clone();
    }

    /** Number of planes: the product of the key axes' lengths. */
    public long sliceCount() {
        return sliceCount;
    }

    /**
     * The slice number of a key tuple.
     *
     * @throws IllegalArgumentException if the tuple has the wrong length
     * @throws IndexOutOfBoundsException if a position is outside its axis (negative positions are not accepted)
     */
    public long sliceNumber(int... key) {
        if (key.length != keyDims.length) {
            throw new IllegalArgumentException("key " + Arrays.toString(key) + " has " + key.length
                    + " positions; this array has " + keyDims.length + " key axes " + Arrays.toString(keyAxes));
        }
        long n = 0;
        for (int k = 0; k < key.length; k++) {
            if (key[k] < 0 || key[k] >= keyDims[k]) {
                throw new IndexOutOfBoundsException("key " + Arrays.toString(key) + ": position " + key[k]
                        + " is out of bounds for axis " + keyAxes[k] + " with size " + keyDims[k]);
            }
            n = n * keyDims[k] + key[k];
        }
        return n;
    }

    /**
     * The key tuple of a slice number.
     *
     * @throws IndexOutOfBoundsException if {@code sliceNumber} is not in {@code [0, sliceCount())}
     */
    public int[] key(long sliceNumber) {
        if (sliceNumber < 0 || sliceNumber >= sliceCount) {
            throw new IndexOutOfBoundsException("slice number " + sliceNumber + " is out of range [0, " + sliceCount + ")");
        }
        int[] key = new int[keyDims.length];
        long rest = sliceNumber;
        for (int k = keyDims.length - 1; k >= 0; k--) {
            key[k] = (int) (rest % keyDims[k]);
            rest /= keyDims[k];
        }
        return key;
    }

    /** The key of a slice as text, e.g. {@code (0, 5, 2)}, for messages. */
    public String describe(long sliceNumber) {
        if (sliceNumber < 0 || sliceNumber >= sliceCount) {
            return "#" + sliceNumber;
        }
        return Shapes.format(key(sliceNumber));
    }
}
