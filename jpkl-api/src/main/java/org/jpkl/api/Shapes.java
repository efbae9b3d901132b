package org.jpkl.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Shape helpers shared by the array model and containers. Stateless. */
public final class Shapes {
    /** The most axes an array may have (NumPy's historical limit). */
    public static final int MAX_NDIM = 32;

    private Shapes() {
    }

    /** NumPy-style rendering: {@code (512, 512, 3)}, {@code (7,)}, {@code ()}. */
    public static String format(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * Product of the lengths.
     *
     * @throws IllegalArgumentException if the product overflows a long
     */
    public static long product(int[] shape) {
        return NdArray.elementCount(shape);
    }
}
