package org.jpkl.api;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An independent reference for NumPy basic indexing, for cross-checking {@link Selection}: random
 * index expressions and a per-element evaluator written from Python's documented semantics, in
 * {@link BigInteger} arithmetic so that no bound can overflow. It shares no code with the main
 * classes.
 *
 * <p>Slice semantics (Python reference, "slicings" and {@code slice.indices}; CPython's
 * {@code PySlice_AdjustIndices}): an omitted step is 1; a negative bound gets the length added;
 * then, for a positive step, bounds are clamped to {@code [0, n]} and omitted ones are {@code 0}
 * and {@code n}; for a negative step, bounds are clamped to {@code [-1, n-1]} and omitted ones are
 * {@code n-1} and {@code -1}. The positions are {@code start, start+step, ...} while they have not
 * reached {@code stop}.
 */
final class NaiveIndexing {
    static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private NaiveIndexing() {
    }

    /** One index item: an integer, a slice (null parts omitted), an ellipsis or a new axis. */
    static final class Item {
        final char kind;
        final BigInteger value;
        final BigInteger start;
        final BigInteger stop;
        final BigInteger step;
        final int spelling;

        private Item(char kind, BigInteger value, BigInteger start, BigInteger stop, BigInteger step, int spelling) {
            this.kind = kind;
            this.value = value;
            this.start = start;
            this.stop = stop;
            this.step = step;
            this.spelling = spelling;
        }

        static Item integer(BigInteger v) {
            return new Item('i', v, null, null, null, 0);
        }

        static Item slice(BigInteger start, BigInteger stop, BigInteger step, int spelling) {
            return new Item('s', null, start, stop, step, spelling);
        }

        static Item ellipsis(int spelling) {
            return new Item('e', null, null, null, null, spelling);
        }

        static Item newAxis(int spelling) {
            return new Item('n', null, null, null, null, spelling);
        }

        boolean consumesAxis() {
            return kind == 'i' || kind == 's';
        }

        /** Python syntax, in one of a few equivalent spellings. */
        String text() {
            switch (kind) {
                case 'i':
                    return number(value, spelling);
                case 'e':
                    return spelling % 2 == 0 ? "..." : "Ellipsis";
                case 'n':
                    return new String[] {"None", "np.newaxis", "newaxis", "numpy.newaxis"}[spelling % 4];
                default:
                    String s = (start == null ? (spelling % 3 == 2 ? "None" : "") : number(start, spelling))
                            + ":" + (stop == null ? (spelling % 5 == 4 ? "None" : "") : number(stop, spelling));
                    if (step != null) {
                        return s + ":" + number(step, spelling);
                    }
                    return spelling % 4 == 1 ? s + ":" : spelling % 4 == 3 ? s + ":None" : s;
            }
        }

        /** The typed equivalent, or null when a number is outside what the typed API takes. */
        Index typed() {
            switch (kind) {
                case 'i':
                    return fitsLong(value) ? Index.at(value.longValueExact()) : null;
                case 'e':
                    return Index.ellipsis();
                case 'n':
                    return Index.newAxis();
                default:
                    if ((start != null && !fitsLong(start)) || (stop != null && !fitsLong(stop))
                            || (step != null && (!fitsLong(step) || step.equals(LONG_MIN)))) {
                        return null;
                    }
                    return Index.slice(start == null ? null : start.longValueExact(),
                            stop == null ? null : stop.longValueExact(), step == null ? 1 : step.longValueExact());
            }
        }

        private static String number(BigInteger v, int spelling) {
            if (v.signum() >= 0 && spelling % 7 == 3) {
                return "+" + v;
            }
            if (v.signum() < 0 && spelling % 7 == 5) {
                return "- " + v.negate();
            }
            return v.toString();
        }
    }

    /** The outcome of an index: the result shape and source flat indices, or the error jpkl must throw. */
    static final class Outcome {
        final int[] resultShape;
        final long[] sourceFlat;
        final Class<? extends RuntimeException> error;
        final int errorAxis;

        private Outcome(int[] resultShape, long[] sourceFlat, Class<? extends RuntimeException> error, int errorAxis) {
            this.resultShape = resultShape;
            this.sourceFlat = sourceFlat;
            this.error = error;
            this.errorAxis = errorAxis;
        }
    }

    /** The positions a slice selects on an axis of length {@code n}. */
    static List<Integer> slicePositions(int n, BigInteger start, BigInteger stop, BigInteger step) {
        BigInteger length = BigInteger.valueOf(n);
        BigInteger k = step == null ? BigInteger.ONE : step;
        if (k.signum() == 0) {
            throw new IllegalArgumentException("step 0");
        }
        BigInteger lo;
        BigInteger hi;
        if (k.signum() > 0) {
            lo = start == null ? BigInteger.ZERO : clamp(relative(start, length), BigInteger.ZERO, length);
            hi = stop == null ? length : clamp(relative(stop, length), BigInteger.ZERO, length);
        } else {
            BigInteger last = length.subtract(BigInteger.ONE);
            lo = start == null ? last : clamp(relative(start, length), BigInteger.ONE.negate(), last);
            hi = stop == null ? BigInteger.ONE.negate() : clamp(relative(stop, length), BigInteger.ONE.negate(), last);
        }
        List<Integer> positions = new ArrayList<>();
        for (BigInteger x = lo; k.signum() > 0 ? x.compareTo(hi) < 0 : x.compareTo(hi) > 0; x = x.add(k)) {
            positions.add(x.intValueExact());
        }
        return positions;
    }

    private static BigInteger relative(BigInteger bound, BigInteger length) {
        return bound.signum() < 0 ? bound.add(length) : bound;
    }

    private static BigInteger clamp(BigInteger v, BigInteger min, BigInteger max) {
        return v.max(min).min(max);
    }

    /** Evaluates {@code items} on {@code np.arange(prod(shape)).reshape(shape)}, element by element. */
    static Outcome evaluate(int[] shape, List<Item> items) {
        int ndim = shape.length;
        int consumed = 0;
        int ellipses = 0;
        for (Item item : items) {
            if (item.consumesAxis()) {
                consumed++;
            } else if (item.kind == 'e') {
                ellipses++;
            }
        }
        if (ellipses > 1 || consumed > ndim) {
            return new Outcome(null, null, IllegalArgumentException.class, -1);
        }
        // Per source axis: the selected positions, and whether the axis stays in the result.
        List<List<Integer>> positions = new ArrayList<>();
        List<Boolean> kept = new ArrayList<>();
        // The result axes, in order: a source axis number, or -1 for a new axis.
        List<Integer> resultAxes = new ArrayList<>();
        int axis = 0;
        List<Item> expanded = new ArrayList<>();
        for (Item item : items) {
            if (item.kind == 'e') {
                for (int k = 0; k < ndim - consumed; k++) {
                    expanded.add(Item.slice(null, null, null, 0));
                }
            } else {
                expanded.add(item);
            }
        }
        while (countConsuming(expanded) < ndim) {
            expanded.add(Item.slice(null, null, null, 0));
        }
        for (Item item : expanded) {
            if (item.kind == 'n') {
                resultAxes.add(-1);
                continue;
            }
            int n = shape[axis];
            if (item.kind == 'i') {
                BigInteger v = item.value;
                if (v.compareTo(BigInteger.valueOf(-n)) < 0 || v.compareTo(BigInteger.valueOf(n)) >= 0) {
                    boolean representable = fitsLong(v);
                    return new Outcome(null, null,
                            representable ? IndexOutOfBoundsException.class : IllegalArgumentException.class,
                            representable ? axis : -1);
                }
                positions.add(List.of(v.signum() < 0 ? v.intValueExact() + n : v.intValueExact()));
                kept.add(false);
            } else {
                positions.add(slicePositions(n, item.start, item.stop, item.step));
                kept.add(true);
                resultAxes.add(axis);
            }
            axis++;
        }
        int[] resultShape = new int[resultAxes.size()];
        long size = 1;
        for (int r = 0; r < resultShape.length; r++) {
            int a = resultAxes.get(r);
            resultShape[r] = a < 0 ? 1 : positions.get(a).size();
            size *= resultShape[r];
        }
        long[] sourceStride = new long[ndim];
        long s = 1;
        for (int a = ndim - 1; a >= 0; a--) {
            sourceStride[a] = s;
            s *= shape[a];
        }
        long[] flat = new long[(int) size];
        int[] counter = new int[resultShape.length];
        for (int e = 0; e < size; e++) {
            long source = 0;
            for (int a = 0; a < ndim; a++) {
                int j = 0;
                if (kept.get(a)) {
                    j = counter[resultAxes.indexOf(a)];
                }
                source += positions.get(a).get(j) * sourceStride[a];
            }
            flat[e] = source;
            for (int r = resultShape.length - 1; r >= 0; r--) {
                if (++counter[r] < resultShape[r]) {
                    break;
                }
                counter[r] = 0;
            }
        }
        return new Outcome(resultShape, flat, null, -1);
    }

    private static int countConsuming(List<Item> items) {
        int c = 0;
        for (Item i : items) {
            if (i.consumesAxis()) {
                c++;
            }
        }
        return c;
    }

    static boolean fitsLong(BigInteger v) {
        return v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0;
    }

    /** A random shape of 0 to {@code maxNdim} axes, lengths 0..6 (0 rarely). */
    static int[] randomShape(Random rnd, int maxNdim) {
        int[] shape = new int[rnd.nextInt(maxNdim + 1)];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(6);
        }
        return shape;
    }

    /**
     * Random index items for {@code shape}: mostly valid, sometimes an out-of-range integer, too
     * many indices or two ellipses; slice bounds and steps include huge and beyond-long values.
     */
    static List<Item> randomItems(Random rnd, int[] shape) {
        int ndim = shape.length;
        int consuming = rnd.nextInt(50) == 0 ? ndim + 1 : rnd.nextInt(ndim + 1);
        List<Item> items = new ArrayList<>();
        for (int k = 0; k < consuming; k++) {
            int n = k < ndim ? shape[k] : 1;
            if (rnd.nextInt(3) == 0) {
                items.add(Item.integer(randomInteger(rnd, n)));
            } else {
                items.add(Item.slice(randomBound(rnd, n), randomBound(rnd, n), randomStep(rnd, n), rnd.nextInt(420)));
            }
        }
        int ellipses = rnd.nextInt(100) < 3 ? 2 : rnd.nextInt(5) < 2 ? 1 : 0;
        for (int e = 0; e < ellipses; e++) {
            items.add(rnd.nextInt(items.size() + 1), Item.ellipsis(rnd.nextInt(2)));
        }
        int newAxes = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(2) : 0;
        for (int e = 0; e < newAxes; e++) {
            items.add(rnd.nextInt(items.size() + 1), Item.newAxis(rnd.nextInt(4)));
        }
        return items;
    }

    /** One random case of the conformance test: a shape, its index items and their text. */
    static final class RandomCase {
        final int[] shape;
        final List<Item> items;
        final String expression;

        RandomCase(int[] shape, List<Item> items, String expression) {
            this.shape = shape;
            this.items = items;
            this.expression = expression;
        }
    }

    /**
     * The random cases of {@code IndexConformanceTest} (seed 20240607, 4,000 cases), also replayed
     * through the Python reader by jpkl-tests' {@code PythonReaderCrossTest}.
     */
    static List<RandomCase> conformanceCases() {
        Random rnd = new Random(20240607L);
        List<RandomCase> cases = new ArrayList<>();
        for (int iteration = 0; iteration < 4000; iteration++) {
            int[] shape = randomShape(rnd, 5);
            List<Item> items = randomItems(rnd, shape);
            cases.add(new RandomCase(shape, items, text(rnd, items)));
        }
        return cases;
    }

    /** Items as text, with random whitespace and sometimes a trailing comma. */
    static String text(Random rnd, List<Item> items) {
        StringBuilder sb = new StringBuilder();
        String[] spaces = {"", "", " ", "  ", "\t"};
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(spaces[rnd.nextInt(spaces.length)]).append(',').append(spaces[rnd.nextInt(spaces.length)]);
            }
            sb.append(items.get(i).text());
        }
        if (!items.isEmpty() && rnd.nextInt(10) == 0) {
            sb.append(',');
        }
        return sb.toString();
    }

    private static BigInteger randomInteger(Random rnd, int n) {
        if (rnd.nextInt(40) == 0) {
            return pick(rnd, BigInteger.valueOf(n), BigInteger.valueOf(-n - 1), LONG_MAX, LONG_MIN, BigInteger.TEN.pow(18));
        }
        return n == 0 ? BigInteger.ZERO : BigInteger.valueOf(rnd.nextInt(2 * n) - n);
    }

    private static BigInteger randomBound(Random rnd, int n) {
        int r = rnd.nextInt(10);
        if (r < 3) {
            return null;
        }
        if (r < 8) {
            return BigInteger.valueOf(rnd.nextInt(2 * n + 7) - n - 3);
        }
        return pick(rnd, BigInteger.TEN.pow(18), BigInteger.TEN.pow(18).negate(), LONG_MAX, LONG_MIN,
                LONG_MIN.add(BigInteger.ONE), BigInteger.TEN.pow(20), BigInteger.TEN.pow(20).negate(),
                LONG_MIN.subtract(BigInteger.ONE), LONG_MAX.add(BigInteger.ONE));
    }

    private static BigInteger randomStep(Random rnd, int n) {
        int r = rnd.nextInt(20);
        if (r < 5) {
            return null;
        }
        if (r < 17) {
            int magnitude = 1 + rnd.nextInt(n + 2);
            return BigInteger.valueOf(rnd.nextBoolean() ? magnitude : -magnitude);
        }
        return pick(rnd, LONG_MAX, LONG_MIN.add(BigInteger.ONE), LONG_MIN, BigInteger.TEN.pow(18),
                BigInteger.TEN.pow(18).negate(), BigInteger.TEN.pow(20), BigInteger.TEN.pow(20).negate());
    }

    private static BigInteger pick(Random rnd, BigInteger... values) {
        return values[rnd.nextInt(values.length)];
    }
}
