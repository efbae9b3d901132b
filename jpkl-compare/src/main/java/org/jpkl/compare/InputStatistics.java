package org.jpkl.compare;

import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.NdArray;

/**
 * What a comparison's error figures are relative to, from the input's finite values: their range
 * (max - min; the peak of the headline PSNR, so that data using a small part of its dtype, e.g.
 * 12-bit CT in uint16 or float frames, is not flattered), the dtype's range (the peak of the
 * labelled dtype-peak PSNR; NaN for float dtypes, which have none) and their standard deviation
 * (max abs error is also given in units of it).
 *
 * <p>Thread safety: immutable.
 *
 * @param min smallest finite input value (NaN if there is none)
 * @param max largest finite input value (NaN if there is none)
 * @param dtypePeak {@link ErrorMetrics#dtypePeak(DType)}: max - min for integer dtypes (255 for uint8, 65535 for uint16), NaN for floats
 * @param std population standard deviation of the finite input values (NaN if there is none)
 */
public record InputStatistics(double min, double max, double dtypePeak, double std) {
    /** Scans the array once (two passes over its values for a stable standard deviation). */
    public static InputStatistics of(NdArray array) {
        DType dtype = array.dtype();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long n = 0;
        int size = Math.toIntExact(array.size()); // an in-memory NdArray holds at most 2^31 - 1 elements
        for (int i = 0; i < size; i++) {
            double v = array.getDoubleFlat(i);
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                sum += v;
                n++;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double squares = 0;
        for (int i = 0; i < size; i++) {
            double v = array.getDoubleFlat(i);
            if (Double.isFinite(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        return new InputStatistics(n == 0 ? Double.NaN : lo, n == 0 ? Double.NaN : hi,
                ErrorMetrics.dtypePeak(dtype), n == 0 ? Double.NaN : Math.sqrt(squares / n));
    }

    /** max - min of the finite input values: the headline PSNR's peak (0 for flat data, NaN without finite values). */
    public double range() {
        return max - min;
    }
}
