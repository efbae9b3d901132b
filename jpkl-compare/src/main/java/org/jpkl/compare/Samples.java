package org.jpkl.compare;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Repeated measurements of one quantity (nanoseconds, seconds, bytes, MB/s ...): the median is the
 * figure to report, the minimum and maximum show the spread. This is the statistics half of the
 * one timing harness; {@link Stopwatch} produces the samples.
 *
 * <p>The median of an odd count is the middle value, of an even count the mean of the two middle
 * values. NaN samples are rejected, so that a median is always a measured value.
 *
 * <p>Thread safety: immutable.
 */
public final class Samples {
    private final double[] sorted;

    private Samples(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples: at least one value is needed");
        }
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("sample " + i + " is NaN");
            }
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    /**
     * The samples (copied).
     *
     * @throws IllegalArgumentException if there are none or one is NaN
     */
    public static Samples of(double... values) {
        return new Samples(Objects.requireNonNull(values, "values"));
    }

    /**
     * The samples of a list.
     *
     * @throws IllegalArgumentException if there are none or one is NaN
     * @throws NullPointerException if the list or an element is null
     */
    public static Samples of(List<Double> values) {
        return new Samples(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median (the mean of the two middle values for an even count). */
    public double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The smallest sample. */
    public double min() {
        return sorted[0];
    }

    /** The largest sample. */
    public double max() {
        return sorted[sorted.length - 1];
    }

    /** Number of samples (at least 1). */
    public int count() {
        return sorted.length;
    }

    /** Each sample multiplied by {@code factor} (e.g. nanoseconds to seconds with {@code 1e-9}). */
    public Samples scaled(double factor) {
        double[] s = sorted.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] *= factor;
        }
        return new Samples(s);
    }

    /** {@code numerator / sample} for each sample, e.g. bytes over seconds to a rate. */
    public Samples inverted(double numerator) {
        double[] s = sorted.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] = numerator / s[i];
        }
        return new Samples(s);
    }

    /** The values in ascending order (a copy). */
    public double[] values() {
        return sorted.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Samples && Arrays.equals(sorted, ((Samples) o).sorted);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sorted);
    }

    /** The median, the range and the count. */
    @Override
    public String toString() {
        return "Samples[median " + median() + ", min " + min() + ", max " + max() + ", count " + count() + "]";
    }
}
