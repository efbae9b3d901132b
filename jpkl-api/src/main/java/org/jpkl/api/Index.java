package org.jpkl.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * One item of a NumPy basic index: an integer ({@link #at}), a slice ({@link #range}, {@link #all}),
 * an ellipsis ({@link #ellipsis}) or a new axis ({@link #newAxis}).
 *
 * <p>A list of items selects from an N-D array exactly as NumPy's basic indexing does: integers pick
 * one position and drop their axis, slices keep their axis, one ellipsis stands for as many full
 * slices as needed, and a new axis inserts a length-1 axis. Negative positions count from the end.
 * {@link #toString()} renders the item in NumPy syntax, so {@link #format(List)} of a parsed
 * expression gives back an equivalent expression. {@link #parse(String)} turns NumPy syntax into
 * items.
 *
 * <p>Thread safety: immutable.
 */
public abstract class Index {

    private Index() {
    }

    /** An integer index: selects position {@code i} (negative counts from the end) and drops the axis. */
    public static Index at(long i) {
        return new At(i);
    }

    /** The full slice {@code :}. */
    public static Index all() {
        return Range.ALL;
    }

    /** The slice {@code start:stop} (step 1). */
    public static Index range(long start, long stop) {
        return new Range(true, start, true, stop, 1);
    }

    /**
     * The slice {@code start:stop:step}.
     *
     * @throws IllegalArgumentException if {@code step} is 0
     */
    public static Index range(long start, long stop, long step) {
        return new Range(true, start, true, stop, step);
    }

    /** The slice {@code start:} (to the end, step 1). */
    public static Index from(long start) {
        return new Range(true, start, false, 0, 1);
    }

    /** The slice {@code :stop} (from the beginning, step 1). */
    public static Index to(long stop) {
        return new Range(false, 0, true, stop, 1);
    }

    /**
     * The slice {@code ::step}, e.g. {@code every(-1)} reverses an axis.
     *
     * @throws IllegalArgumentException if {@code step} is 0
     */
    public static Index every(long step) {
        return new Range(false, 0, false, 0, step);
    }

    /**
     * A slice with optional bounds, as in Python's {@code slice(start, stop, step)}; a {@code null}
     * bound means "omitted".
     *
     * @throws IllegalArgumentException if {@code step} is 0
     */
    public static Index slice(Long start, Long stop, long step) {
        return new Range(start != null, start == null ? 0 : start, stop != null, stop == null ? 0 : stop, step);
    }

    /** The ellipsis {@code ...}: as many full slices as needed to index every axis. At most one per index. */
    public static Index ellipsis() {
        return Ellipsis.INSTANCE;
    }

    /** {@code None} / {@code numpy.newaxis}: inserts an axis of length 1 into the result. */
    public static Index newAxis() {
        return NewAxis.INSTANCE;
    }

    /**
     * Parses NumPy index syntax, e.g. {@code "128:256:2, :, 4, ..."}, {@code "::-1"}, {@code "None, 3"}.
     * The empty string (like {@code a[()]}) selects everything. Integers are Python decimal literals
     * ({@code -1}, {@code - 1}, {@code +2}, {@code 1_000}; no leading zeros). Slice bounds and steps
     * beyond the {@code long} range saturate as in CPython, which selects exactly what Python would;
     * an integer index beyond it is rejected. Advanced indexing (lists, booleans) is not supported.
     *
     * @throws IllegalArgumentException quoting the expression and the position of the first error
     */
    public static List<Index> parse(String expression) {
        return IndexParser.parse(expression);
    }

    /** Renders items in NumPy syntax, separated by {@code ", "}. */
    public static String format(List<? extends Index> items) {
        return items.stream().map(Index::toString).collect(Collectors.joining(", "));
    }

    /** Whether this item consumes an axis of the array (integers and slices do; ellipsis and new axis do not). */
    abstract boolean consumesAxis();

    /** An integer index. */
    public static final class At extends Index {
        private final long position;

        At(long position) {
            this.position = position;
        }

        /** The position, possibly negative (counting from the end). */
        public long position() {
            return position;
        }

        @Override
        boolean consumesAxis() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof At && ((At) o).position == position;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(position);
        }

        @Override
        public String toString() {
            return Long.toString(position);
        }
    }

    /** A slice {@code start:stop:step} with optional bounds. */
    public static final class Range extends Index {
        static final Range ALL = new Range(false, 0, false, 0, 1);

        private final boolean hasStart;
        private final long start;
        private final boolean hasStop;
        private final long stop;
        private final long step;

        Range(boolean hasStart, long start, boolean hasStop, long stop, long step) {
            if (step == 0) {
                throw new IllegalArgumentException("slice step cannot be zero");
            }
            if (step == Long.MIN_VALUE) {
                throw new IllegalArgumentException("slice step " + step + " is out of range; allowed: ["
                        + (Long.MIN_VALUE + 1) + ", " + Long.MAX_VALUE + "] without 0");
            }
            this.hasStart = hasStart;
            this.start = start;
            this.hasStop = hasStop;
            this.stop = stop;
            this.step = step;
        }

        /** The start bound, empty when omitted. */
        public OptionalLong start() {
            return hasStart ? OptionalLong.of(start) : OptionalLong.empty();
        }

        /** The stop bound (exclusive), empty when omitted. */
        public OptionalLong stop() {
            return hasStop ? OptionalLong.of(stop) : OptionalLong.empty();
        }

        /** The step, never 0. */
        public long step() {
            return step;
        }

        @Override
        boolean consumesAxis() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Range)) {
                return false;
            }
            Range r = (Range) o;
            return r.hasStart == hasStart && r.hasStop == hasStop && r.step == step
                    && (!hasStart || r.start == start) && (!hasStop || r.stop == stop);
        }

        @Override
        public int hashCode() {
            return Objects.hash(start(), stop(), step);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (hasStart) {
                sb.append(start);
            }
            sb.append(':');
            if (hasStop) {
                sb.append(stop);
            }
            if (step != 1) {
                sb.append(':').append(step);
            }
            return sb.toString();
        }
    }

    /** The ellipsis {@code ...}. */
    public static final class Ellipsis extends Index {
        static final Ellipsis INSTANCE = new Ellipsis();

        private Ellipsis() {
        }

        @Override
        boolean consumesAxis() {
            return false;
        }

        @Override
        public String toString() {
            return "...";
        }
    }

    /** A new axis of length 1 ({@code None}). */
    public static final class NewAxis extends Index {
        static final NewAxis INSTANCE = new NewAxis();

        private NewAxis() {
        }

        @Override
        boolean consumesAxis() {
            return false;
        }

        @Override
        public String toString() {
            return "None";
        }
    }
}
