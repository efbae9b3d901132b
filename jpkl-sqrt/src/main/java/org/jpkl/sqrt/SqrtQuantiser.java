package org.jpkl.sqrt;

import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;

/**
 * The quantiser of one plane shape and parameter set, as two tables: every sample value to its
 * level {@code q} and every level to its decoded value. Both are exact functions of the parameters,
 * so encoder and decoder agree on every JVM (IEEE square root and products).
 *
 * <p>Thread safety: immutable after construction.
 */
final class SqrtQuantiser {
    final PlaneSpec spec;
    final double offset;
    final double gain;
    final double scale;
    /** The step in the square-root domain: {@code scale * sqrt(gain)}. */
    final double step;
    /** The largest level: that of the dtype's largest value. */
    final int maxLevel;
    /** Residual symbols are zigzag-coded differences of levels: {@code [0, 2 * maxLevel]}. */
    final int alphabet;
    /** Level of each sample value {@code 0..maxValue}. */
    final char[] levels;
    /** Decoded sample value of each level {@code 0..maxLevel}. */
    final char[] values;

    SqrtQuantiser(PlaneSpec spec, double offset, double gain, double scale) {
        this.spec = spec;
        this.offset = offset;
        this.gain = gain;
        this.scale = scale;
        this.step = scale * Math.sqrt(gain);
        int maxValue = spec.dtype() == DType.UINT8 ? 0xFF : 0xFFFF;
        levels = new char[maxValue + 1];
        for (int x = 0; x <= maxValue; x++) {
            levels[x] = (char) level(x);
        }
        maxLevel = levels[maxValue];
        alphabet = 2 * maxLevel + 1;
        values = new char[maxLevel + 1];
        for (int q = 0; q <= maxLevel; q++) {
            double root = q * step;
            double v = Math.floor(root * root + offset + 0.5);
            values[q] = (char) Math.max(0, Math.min(maxValue, v));
        }
    }

    private int level(int x) {
        double signal = x - offset;
        return signal <= 0 ? 0 : (int) Math.floor(Math.sqrt(signal) / step + 0.5);
    }
}
