package org.jpkl.sqrt;

import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;

/**
 * The quantiser of one plane shape and parameter set, as tables: every sample value to its level
 * {@code q} and every level to its decoded value. All are exact functions of the parameters
 * (IEEE square roots, products and sums), so encoder and decoder agree on every JVM.
 *
 * <p>Format version 2 (written today): level 0 holds every value {@code x <= offset} and decodes as
 * {@code round(offset)}; above the offset the values are cut, from the bottom up, into the widest
 * runs of consecutive integers {@code lo..hi} that one integer {@code v} represents within
 * {@code scale * sigma(x)} for every {@code x} of the run ({@code sigma(x) = sqrt(gain * (x - offset))}),
 * i.e. {@code v <= lo + scale * sigma(lo)} and {@code v >= x - scale * sigma(x)} for all {@code x}
 * in the run; {@code v} is the one of those that minimises the run's largest error in units of
 * sigma. The dtype's largest value (a saturated pixel) gets a level of its own when its run would
 * not decode to it, so it decodes exactly. So the bound {@code |x' - x| <= scale * sigma(x)} is exact, integer rounding included. The
 * runs are as wide as the square-root bins of version 1 on average (about {@code 2 * scale * sigma}).
 *
 * <p>Format version 1 (decoded only): {@code q = round(sqrt(max(x - offset, 0)) / step)},
 * {@code step = scale * sqrt(gain)}, decoded as {@code round((q * step)^2 + offset)}.
 *
 * <p>Thread safety: immutable after construction; quantisers of several plane shapes share one set
 * of tables ({@link #forPlanes}).
 */
final class SqrtQuantiser {
    final PlaneSpec spec;
    final double offset;
    final double gain;
    final double scale;
    /** Level (version 2) of each sample value {@code 0..maxValue}. */
    final char[] levels;
    /** Decoded values of the levels of format version 2 (written) and 1 (still decoded). */
    final Levels current;
    final Levels version1;

    /**
     * The decoded value of each level {@code 0..maxLevel} of one format version.
     *
     * @param maxLevel the largest level: that of the dtype's largest value
     * @param alphabet residual symbols are zigzag-coded differences of levels: {@code [0, 2 * maxLevel]}
     */
    record Levels(char[] values, int maxLevel, int alphabet) {
        Levels(char[] values) {
            this(values, values.length - 1, 2 * values.length - 1);
        }
    }

    SqrtQuantiser(PlaneSpec spec, double offset, double gain, double scale) {
        this.spec = spec;
        this.offset = offset;
        this.gain = gain;
        this.scale = scale;
        int maxValue = spec.dtype() == DType.UINT8 ? 0xFF : 0xFFFF;
        levels = new char[maxValue + 1];
        char[] values = new char[maxValue + 2];
        values[0] = (char) Math.min(maxValue, Math.floor(offset + 0.5));
        int x = (int) Math.min(maxValue + 1, Math.floor(offset) + 1);
        int q = 0;
        while (x <= maxValue) {
            q++;
            int lo = x;
            double loSigma = sigma(lo);
            double vMax = Math.floor(lo + scale * loSigma);
            // The largest x - scale * sigma(x) over the run so far: v must not be below it.
            double floorNeeded = lo - scale * loSigma;
            int hi = lo;
            while (hi < maxValue) {
                double need = Math.max(floorNeeded, hi + 1 - scale * sigma(hi + 1));
                if (Math.ceil(need) > vMax) {
                    break;
                }
                floorNeeded = need;
                hi++;
            }
            int from = (int) Math.max(lo, Math.ceil(floorNeeded));
            int to = (int) Math.min(hi, vMax);
            double hiSigma = sigma(hi);
            // The run's largest error in sigma is at lo or hi; the continuous best v balances the two.
            double balance = (lo * hiSigma + hi * loSigma) / (loSigma + hiSigma);
            int v = (int) Math.max(from, Math.min(to, Math.floor(balance)));
            if (v < to && worst(v + 1, lo, hi, loSigma, hiSigma) < worst(v, lo, hi, loSigma, hiSigma)) {
                v++;
            }
            values[q] = (char) v;
            for (int k = lo; k <= hi; k++) {
                levels[k] = (char) q;
            }
            x = hi + 1;
        }
        if (values[q] != maxValue && levels[maxValue] != 0) {
            // Saturated samples decode exactly: the largest value gets a level of its own.
            levels[maxValue] = (char) ++q;
            values[q] = (char) maxValue;
        }
        current = new Levels(java.util.Arrays.copyOf(values, q + 1));
        if (current.alphabet > 1 << Huffman.MAX_LENGTH) {
            // Cannot happen in the parameters' ranges (scale >= 0.1, gain >= 0.05 give about 11,000 levels).
            throw new IllegalStateException(current.alphabet + " residual symbols exceed what " + Huffman.MAX_LENGTH
                    + "-bit codes can hold");
        }
        version1 = sqrtBins(maxValue);
    }

    /** This quantiser's tables for planes of {@code planes} (of the same dtype). */
    private SqrtQuantiser(SqrtQuantiser tables, PlaneSpec planes) {
        this.spec = planes;
        this.offset = tables.offset;
        this.gain = tables.gain;
        this.scale = tables.scale;
        this.levels = tables.levels;
        this.current = tables.current;
        this.version1 = tables.version1;
    }

    /** The same tables for planes of {@code planes}, which must have this quantiser's dtype. */
    SqrtQuantiser forPlanes(PlaneSpec planes) {
        if (planes.dtype() != spec.dtype()) {
            throw new IllegalArgumentException("tables for " + spec.dtype() + " cannot quantise " + planes);
        }
        return planes.equals(spec) ? this : new SqrtQuantiser(this, planes);
    }

    /** Whether these tables are those of {@code dtype} and the parameters (compared bit for bit). */
    boolean hasTablesOf(DType dtype, double offset, double gain, double scale) {
        return dtype == spec.dtype() && Double.doubleToRawLongBits(offset) == Double.doubleToRawLongBits(this.offset)
                && Double.doubleToRawLongBits(gain) == Double.doubleToRawLongBits(this.gain)
                && Double.doubleToRawLongBits(scale) == Double.doubleToRawLongBits(this.scale);
    }

    private double sigma(int x) {
        return Math.sqrt(gain * (x - offset));
    }

    private static double worst(int v, int lo, int hi, double loSigma, double hiSigma) {
        return Math.max((v - lo) / loSigma, (hi - v) / hiSigma);
    }

    /** The levels of format version 1: rounding in the square-root domain. */
    private Levels sqrtBins(int maxValue) {
        double step = scale * Math.sqrt(gain);
        double top = maxValue - offset;
        int maxLevel = top <= 0 ? 0 : (int) Math.floor(Math.sqrt(top) / step + 0.5);
        char[] values = new char[maxLevel + 1];
        for (int q = 0; q <= maxLevel; q++) {
            double root = q * step;
            double v = Math.floor(root * root + offset + 0.5);
            values[q] = (char) Math.max(0, Math.min(maxValue, v));
        }
        return new Levels(values);
    }
}
