package org.jpkl.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/**
 * How far an actual array (a lossy codec's output, a copy read back) is from the expected one of
 * the same shape: the one definition of max abs error, mean abs error, RMS error and PSNR used by
 * the codec contract tests, the codec comparison and the examples.
 *
 * <p>Definitions, with {@code e[i]} and {@code a[i]} the expected and actual elements read as
 * doubles (exact for every dtype; unsigned dtypes read unsigned):
 * <ul>
 *   <li>A <b>finite pair</b> is an element where both {@code e[i]} and {@code a[i]} are finite. The
 *       error sums run over the finite pairs only; {@code -0.0} and {@code 0.0} are equal.</li>
 *   <li>A <b>non-finite mismatch</b> is an element where at least one side is NaN or infinite and
 *       the two are not the same value: NaN matches any NaN (whatever its payload), an infinity only
 *       the infinity of the same sign. Any non-finite mismatch makes {@link #maxAbsError()}
 *       {@code +Infinity}; it does not enter the mean, RMS or PSNR, which describe the finite
 *       pairs (check {@link #nonFiniteMismatches()} or {@link #maxAbsError()} as well).</li>
 *   <li>{@code maxAbsError = max |e[i] - a[i]|} over the finite pairs (0 when there are none).</li>
 *   <li>{@code meanAbsError = sum |e[i] - a[i]| / F} and {@code meanSquaredError = sum (e[i] -
 *       a[i])^2 / F}, with {@code F} the number of finite pairs (both 0 when {@code F = 0}); {@code
 *       rmsError = sqrt(meanSquaredError)}.</li>
 *   <li>{@code psnr(peak) = 10 * log10(peak^2 / meanSquaredError)} in dB: {@code +Infinity} when
 *       {@code meanSquaredError} is 0 (identical finite pairs, whatever the peak), {@code NaN} when
 *       there is no peak (a peak of 0, e.g. flat data, or NaN, e.g. a float dtype's).</li>
 *   <li>Two peaks are offered: the <b>data range</b> ({@link #dataRange()}, max - min of the
 *       expected array's finite values: the honest peak for data that use a small part of their
 *       dtype, such as 12-bit camera data in uint16 or float frames) and the <b>dtype peak</b>
 *       ({@link #dtypePeak(DType)}, 255 for uint8 and 65535 for uint16, as most image tools
 *       report; none for floats).</li>
 * </ul>
 *
 * <p>An array holds at most 2^31 - 1 elements, so the counts are exact; the sums are plain double
 * sums in element order.
 *
 * <p>Thread safety: immutable.
 */
public final class ErrorMetrics {
    private final DType dtype;
    private final long count;
    private final long finitePairs;
    private final long nonFiniteMismatches;
    private final double maxAbsError;
    private final double sumAbs;
    private final double sumSquares;
    private final double dataMin;
    private final double dataMax;

    private ErrorMetrics(DType dtype, long count, long finitePairs, long nonFiniteMismatches, double maxAbsError, double sumAbs,
                         double sumSquares, double dataMin, double dataMax) {
        this.dtype = dtype;
        this.count = count;
        this.finitePairs = finitePairs;
        this.nonFiniteMismatches = nonFiniteMismatches;
        this.maxAbsError = maxAbsError;
        this.sumAbs = sumAbs;
        this.sumSquares = sumSquares;
        this.dataMin = dataMin;
        this.dataMax = dataMax;
    }

    /**
     * The errors of {@code actual} against {@code expected}, element by element in C order. The
     * dtypes may differ (values are compared as doubles); {@link #dtype()} is the expected array's.
     *
     * @throws NullPointerException if either array is null
     * @throws IllegalArgumentException if the shapes differ
     */
    public static ErrorMetrics between(NdArray expected, NdArray actual) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new IllegalArgumentException("shapes differ: expected " + Shapes.format(expected.shape()) + ", actual "
                    + Shapes.format(actual.shape()));
        }
        return compute(expected.dtype(), Math.toIntExact(expected.size()), expected::getDoubleFlat, actual::getDoubleFlat);
    }

    /**
     * The errors of {@code actual} against {@code expected}, sample by sample in the planes' order
     * ({@code y, x[, c]}), read in place (no copy). The dtypes may differ; the heights, widths and
     * channel layouts must not.
     *
     * @throws NullPointerException if either plane is null
     * @throws IllegalArgumentException if the planes' shapes differ
     */
    public static ErrorMetrics between(PlaneBuffer expected, PlaneBuffer actual) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        if (!Arrays.equals(expected.spec().shape(), actual.spec().shape())) {
            throw new IllegalArgumentException("plane shapes differ: expected " + expected.spec() + ", actual " + actual.spec());
        }
        return compute(expected.spec().dtype(), expected.spec().sampleCount(), samples(expected), samples(actual));
    }

    private static ErrorMetrics compute(DType dtype, int n, IntToDoubleFunction expected, IntToDoubleFunction actual) {
        long finite = 0;
        long mismatches = 0;
        double max = 0;
        double sumAbs = 0;
        double sumSquares = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double e = expected.applyAsDouble(i);
            double a = actual.applyAsDouble(i);
            if (Double.isFinite(e)) {
                lo = Math.min(lo, e);
                hi = Math.max(hi, e);
            }
            if (Double.isFinite(e) && Double.isFinite(a)) {
                double d = Math.abs(e - a);
                max = Math.max(max, d);
                sumAbs += d;
                sumSquares += d * d;
                finite++;
            } else if (!(e == a || (Double.isNaN(e) && Double.isNaN(a)))) {
                mismatches++;
            }
        }
        boolean anyFinite = lo <= hi;
        return new ErrorMetrics(dtype, n, finite, mismatches, mismatches > 0 ? Double.POSITIVE_INFINITY : max, sumAbs, sumSquares,
                anyFinite ? lo : Double.NaN, anyFinite ? hi : Double.NaN);
    }

    private static IntToDoubleFunction samples(PlaneBuffer plane) {
        int at = plane.offset();
        switch (plane.spec().dtype()) {
            case UINT8: {
                byte[] b = plane.bytes();
                return i -> b[at + i] & 0xFF;
            }
            case UINT16: {
                short[] s = plane.shorts();
                return i -> s[at + i] & 0xFFFF;
            }
            case INT16: {
                short[] s = plane.shorts();
                return i -> s[at + i];
            }
            case INT32: {
                int[] v = plane.ints();
                return i -> v[at + i];
            }
            case FLOAT32: {
                float[] f = plane.floats();
                return i -> f[at + i];
            }
            case FLOAT64: {
                double[] d = plane.doubles();
                return i -> d[at + i];
            }
            default:
                throw new IllegalStateException("unhandled dtype " + plane.spec().dtype());
        }
    }

    /**
     * The peak value of a dtype for {@link #psnr(double)}: max - min of an integer dtype (255 for
     * uint8, 65535 for uint16 and int16, 4294967295 for int32), NaN for float dtypes, which have no
     * natural peak.
     */
    public static double dtypePeak(DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        return dtype.isIntegral() ? dtype.maxValue() - dtype.minValue() : Double.NaN;
    }

    /** The expected array's dtype: the one {@link #psnrOverDtypePeak()} takes its peak from. */
    public DType dtype() {
        return dtype;
    }

    /** Number of elements compared. */
    public long count() {
        return count;
    }

    /** Number of elements finite on both sides: the elements the sums run over. */
    public long finitePairs() {
        return finitePairs;
    }

    /** Number of elements where a NaN or infinity on either side is not matched by the same value on the other. */
    public long nonFiniteMismatches() {
        return nonFiniteMismatches;
    }

    /** Largest absolute difference over the finite pairs; +Infinity if there is any non-finite mismatch; 0 when identical. */
    public double maxAbsError() {
        return maxAbsError;
    }

    /** Mean absolute difference over the finite pairs (0 when there are none). */
    public double meanAbsError() {
        return finitePairs == 0 ? 0 : sumAbs / finitePairs;
    }

    /** Mean squared difference over the finite pairs (0 when there are none). */
    public double meanSquaredError() {
        return finitePairs == 0 ? 0 : sumSquares / finitePairs;
    }

    /** Root of {@link #meanSquaredError()}. */
    public double rmsError() {
        return Math.sqrt(meanSquaredError());
    }

    /**
     * Peak signal-to-noise ratio in dB, {@code 10 * log10(peak^2 / meanSquaredError())}:
     * +Infinity when the mean squared error is 0, NaN when {@code peak} is 0 or NaN (no peak).
     *
     * @param peak the value range the error is measured against, e.g. {@link #dataRange()} or
     *     {@link #dtypePeak(DType)}; 0 or NaN for none (+Infinity, the range of float64 data
     *     spanning both extremes, gives +Infinity)
     * @throws IllegalArgumentException if {@code peak} is negative
     */
    public double psnr(double peak) {
        if (peak < 0) {
            throw new IllegalArgumentException("peak (" + peak + ") must be >= 0 (0 or NaN for no peak)");
        }
        double mse = meanSquaredError();
        if (mse == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return peak > 0 ? 10 * Math.log10(peak * peak / mse) : Double.NaN;
    }

    /** {@link #psnr(double)} against {@link #dataRange()}. */
    public double psnrOverDataRange() {
        return psnr(dataRange());
    }

    /** {@link #psnr(double)} against {@link #dtypePeak(DType)} of {@link #dtype()}; NaN for float dtypes unless identical. */
    public double psnrOverDtypePeak() {
        return psnr(dtypePeak(dtype));
    }

    /** Smallest finite value of the expected array (NaN if it has none). */
    public double dataMin() {
        return dataMin;
    }

    /** Largest finite value of the expected array (NaN if it has none). */
    public double dataMax() {
        return dataMax;
    }

    /** {@code dataMax() - dataMin()}: 0 for flat data, NaN without finite values. */
    public double dataRange() {
        return dataMax - dataMin;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ErrorMetrics[%s, %d elements, max abs %s, mean abs %s, rms %s, %d non-finite mismatches, "
                + "data range %s]", dtype, count, maxAbsError, meanAbsError(), rmsError(), nonFiniteMismatches, dataRange());
    }
}
