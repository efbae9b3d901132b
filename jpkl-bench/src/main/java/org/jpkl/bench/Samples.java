package org.jpkl.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Repeated measurements of one quantity (seconds, bytes, MB/s ...): the median is what rows
 * report, min and max show the spread.
 *
 * <p>Thread safety: immutable.
 */
final class Samples {
    private final double[] sorted;

    private Samples(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    /** The samples (copied). */
    static Samples of(double... values) {
        return new Samples(values);
    }

    /** The samples of a list. */
    static Samples of(List<Double> values) {
        return new Samples(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median (mean of the two middle values for an even count). */
    double median() {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    int count() {
        return sorted.length;
    }

    /** Each sample multiplied by {@code factor} (e.g. seconds to milliseconds). */
    Samples scaled(double factor) {
        double[] s = sorted.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] *= factor;
        }
        return new Samples(s);
    }

    /** {@code numerator / sample} for each sample, e.g. bytes over seconds to a rate. */
    Samples inverted(double numerator) {
        double[] s = sorted.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] = numerator / s[i];
        }
        return new Samples(s);
    }

    /** The values in ascending order (copied). */
    double[] values() {
        return sorted.clone();
    }
}
