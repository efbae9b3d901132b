package org.jpkl.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An index resolved against a shape: for every source axis, the first position, step and count it
 * selects and whether the axis is kept; and the shape of the result (NumPy basic-indexing rules).
 *
 * <p>Resolving validates everything: too many indices, more than one ellipsis and out-of-range
 * integers fail here, before anything is read, with a message quoting the expression and the axis.
 *
 * <p>Thread safety: immutable.
 */
public final class Selection {
    /** The largest number of elements one result array may hold (a Java array's practical limit). */
    public static final int MAX_RESULT_ELEMENTS = Integer.MAX_VALUE - 8;

    private final String expression;
    private final String quoted;
    private final int[] sourceShape;
    private final long[] start;
    private final long[] step;
    private final int[] count;
    private final int[] resultAxis;
    private final int[] resultShape;
    private final long resultSize;

    private Selection(String expression, String quoted, int[] sourceShape, long[] start, long[] step, int[] count,
                      int[] resultAxis, int[] resultShape) {
        this.expression = expression;
        this.quoted = quoted;
        this.sourceShape = sourceShape;
        this.start = start;
        this.step = step;
        this.count = count;
        this.resultAxis = resultAxis;
        this.resultShape = resultShape;
        long size = 1;
        for (int d : resultShape) {
            size = Math.multiplyExact(size, d);
        }
        this.resultSize = size;
    }

    /**
     * Resolves index items against a shape.
     *
     * @throws IllegalArgumentException for two ellipses or too many indices (quoting the expression)
     * @throws IndexOutOfBoundsException for an integer outside its axis (naming the axis and its size)
     */
    public static Selection resolve(List<? extends Index> items, int[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (Index item : items) {
            if (item == null) {
                throw new NullPointerException("index item in " + items);
            }
        }
        String expression = Index.format(items);
        return resolve(items, shape, expression, "[" + expression + "]");
    }

    /**
     * Parses NumPy syntax and resolves it against a shape; messages quote the expression as written.
     *
     * @throws IllegalArgumentException for bad syntax, two ellipses or too many indices
     * @throws IndexOutOfBoundsException for an integer outside its axis
     */
    public static Selection resolve(String expression, int[] shape) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(shape, "shape");
        return resolve(Index.parse(expression), shape, expression, "'" + expression + "'");
    }

    /**
     * @param expression the index as given (typed items are formatted), kept for {@link #expression()}
     * @param quoted the index as messages show it: {@code 'text'} as written, or {@code [items]}
     */
    private static Selection resolve(List<? extends Index> items, int[] shape, String expression, String quoted) {
        int ndim = shape.length;
        int consumed = 0;
        int ellipses = 0;
        for (Index item : items) {
            if (item.consumesAxis()) {
                consumed++;
            } else if (item instanceof Index.Ellipsis) {
                ellipses++;
            }
        }
        if (ellipses > 1) {
            throw new IllegalArgumentException("index " + quoted + ": an index can only have a single ellipsis ('...'), found " + ellipses);
        }
        if (consumed > ndim) {
            throw new IllegalArgumentException("index " + quoted + ": too many indices for array: array is "
                    + ndim + "-dimensional, but " + consumed + " were indexed");
        }
        long[] start = new long[ndim];
        long[] step = new long[ndim];
        int[] count = new int[ndim];
        int[] resultAxis = new int[ndim];
        List<Integer> resultDims = new ArrayList<>();
        int axis = 0;
        List<Index> expanded = new ArrayList<>(items.size() + ndim);
        for (Index item : items) {
            if (item instanceof Index.Ellipsis) {
                for (int k = 0; k < ndim - consumed; k++) {
                    expanded.add(Index.all());
                }
            } else {
                expanded.add(item);
            }
        }
        while (countConsuming(expanded) < ndim) {
            expanded.add(Index.all());
        }
        for (Index item : expanded) {
            if (item instanceof Index.NewAxis) {
                resultDims.add(1);
                continue;
            }
            int n = shape[axis];
            if (item instanceof Index.At) {
                long p = ((Index.At) item).position();
                if (p < -n || p >= n) {
                    throw new IndexOutOfBoundsException("index " + quoted + ": index " + p
                            + " is out of bounds for axis " + axis + " with size " + n);
                }
                start[axis] = p < 0 ? p + n : p;
                step[axis] = 1;
                count[axis] = 1;
                resultAxis[axis] = -1;
            } else {
                Index.Range r = (Index.Range) item;
                resolveRange(r, n, axis, start, step, count);
                resultAxis[axis] = resultDims.size();
                resultDims.add(count[axis]);
            }
            axis++;
        }
        int[] resultShape = resultDims.stream().mapToInt(Integer::intValue).toArray();
        return new Selection(expression, quoted, shape.clone(), start, step, count, resultAxis, resultShape);
    }

    private static int countConsuming(List<Index> items) {
        int c = 0;
        for (Index i : items) {
            if (i.consumesAxis()) {
                c++;
            }
        }
        return c;
    }

    /** Python's slice.indices(n) followed by len(range(...)), in overflow-safe arithmetic. */
    private static void resolveRange(Index.Range r, int n, int axis, long[] start, long[] step, int[] count) {
        long s = r.step();
        long lo;
        long hi;
        if (s > 0) {
            lo = clampBound(r.start(), n, 0, 0, n);
            hi = clampBound(r.stop(), n, n, 0, n);
        } else {
            lo = clampBound(r.start(), n, n - 1L, -1, n - 1L);
            hi = clampBound(r.stop(), n, -1, -1, n - 1L);
        }
        long c;
        if (s > 0) {
            c = hi > lo ? (hi - lo - 1) / s + 1 : 0;
        } else {
            c = lo > hi ? (lo - hi - 1) / (-s) + 1 : 0;
        }
        start[axis] = c == 0 ? 0 : lo;
        step[axis] = s;
        count[axis] = (int) c;
    }

    private static long clampBound(java.util.OptionalLong bound, int n, long absent, long min, long max) {
        if (bound.isEmpty()) {
            return absent;
        }
        long v = bound.getAsLong();
        if (v < 0) {
            v = v < -(long) n ? min : v + n;
            if (v < min) {
                v = min;
            }
        } else if (v > max) {
            v = max;
        }
        return v;
    }

    /** The index in NumPy syntax: the text as given to {@link #resolve(String, int[])}, or the formatted items. */
    public String expression() {
        return expression;
    }

    /** The shape of the array being indexed. */
    public int[] sourceShape() {
        return sourceShape.clone();
    }

    /** The first selected position along a source axis (0 when nothing is selected). */
    public long start(int sourceAxis) {
        return start[sourceAxis];
    }

    /** The step along a source axis (1 for integer-indexed axes). */
    public long step(int sourceAxis) {
        return step[sourceAxis];
    }

    /** How many positions are selected along a source axis (1 for integer-indexed axes). */
    public int count(int sourceAxis) {
        return count[sourceAxis];
    }

    /**
     * The distance in elements between consecutive selected positions along a source axis of an
     * array whose elements along that axis are {@code unit} apart: {@code step * unit}. When at most
     * one position is selected the step never matters (it may be any long) and {@code unit} is
     * returned, as for a step of 1.
     *
     * @throws ArithmeticException if the distance does not fit in an int, which cannot happen for an
     *     array that fits in one Java array (then {@code |step| < length} when two positions are selected)
     */
    public int elementStride(int sourceAxis, int unit) {
        if (count[sourceAxis] <= 1) {
            return unit;
        }
        return Math.toIntExact(Math.multiplyExact(step[sourceAxis], (long) unit));
    }

    /**
     * The offset in elements of the first selected position along a source axis of an array whose
     * elements along it are {@code unit} apart: {@code start * unit}.
     *
     * @throws ArithmeticException if it does not fit in an int (never for an array that fits in one Java array)
     */
    public int elementOffset(int sourceAxis, int unit) {
        return Math.toIntExact(Math.multiplyExact(start[sourceAxis], (long) unit));
    }

    /** The source position of the {@code i}-th selected element along an axis. */
    public long position(int sourceAxis, int i) {
        return start[sourceAxis] + i * step[sourceAxis];
    }

    /** The result axis a source axis becomes, or -1 when an integer index dropped it. */
    public int resultAxis(int sourceAxis) {
        return resultAxis[sourceAxis];
    }

    /** The shape of the result, after dropping integer-indexed axes and inserting new axes. */
    public int[] resultShape() {
        return resultShape.clone();
    }

    /** Number of elements in the result (may exceed what fits in one array; see {@link #checkFitsInArray}). */
    public long resultSize() {
        return resultSize;
    }

    /**
     * C-order element strides of the result, mapped back to source axes: the stride in the result of
     * one step along each source axis, or 0 for dropped axes.
     */
    int[] resultStridesBySourceAxis() {
        int[] resultStrides = NdArray.cOrderStrides(resultShape);
        int[] bySource = new int[sourceShape.length];
        for (int a = 0; a < sourceShape.length; a++) {
            bySource[a] = resultAxis[a] < 0 ? 0 : resultStrides[resultAxis[a]];
        }
        return bySource;
    }

    /**
     * Checks that the result fits in one Java array.
     *
     * @throws IllegalArgumentException naming the expression, the result shape and size, and the limit
     */
    public void checkFitsInArray() {
        if (resultSize > MAX_RESULT_ELEMENTS) {
            throw new IllegalArgumentException("index " + quoted + " selects " + resultSize
                    + " elements (shape " + Arrays.toString(resultShape) + "), more than the "
                    + MAX_RESULT_ELEMENTS + " one array can hold; select fewer elements per get");
        }
    }

    @Override
    public String toString() {
        return "Selection[" + expression + " on " + Arrays.toString(sourceShape) + " -> " + Arrays.toString(resultShape) + "]";
    }
}
