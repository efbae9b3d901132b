package org.jpkl.spark;

import java.io.Serializable;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;

/**
 * Statistics of one plane: smallest, largest and mean sample (over every sample of every channel;
 * unsigned dtypes read unsigned; NaN samples skipped and counted). The mean is the sum in slice
 * order of the samples, as doubles, divided by their count, so that a local computation over the
 * same plane gives exactly the same value.
 *
 * @param slice the plane's slice number
 * @param count the samples counted (NaN excluded)
 * @param nanCount the NaN samples
 * @param min the smallest sample (NaN when none was counted)
 * @param max the largest sample (NaN when none was counted)
 * @param mean the mean sample (NaN when none was counted)
 */
public record PlaneStats(long slice, long count, long nanCount, double min, double max, double mean) implements Serializable {

    /** The statistics of {@code plane}, slice number {@code slice}. */
    public static PlaneStats of(long slice, PlaneBuffer plane) {
        NdArray samples = plane.toNdArray();
        int n = plane.spec().sampleCount();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long nan = 0;
        for (int i = 0; i < n; i++) {
            double v = samples.getDoubleFlat(i);
            if (Double.isNaN(v)) {
                nan++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        long count = n - nan;
        return count == 0 ? new PlaneStats(slice, 0, nan, Double.NaN, Double.NaN, Double.NaN)
                : new PlaneStats(slice, count, nan, min, max, sum / count);
    }
}
