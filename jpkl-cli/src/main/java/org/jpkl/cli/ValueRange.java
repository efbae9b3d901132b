package org.jpkl.cli;

import org.jpkl.api.PlaneBuffer;

/**
 * The smallest and largest value of the planes seen (unsigned dtypes read unsigned), for binding
 * codec parameters that need the whole array's range ({@code SliceCodec.bindToRange}) from a first
 * pass. Thread safety: one thread.
 */
final class ValueRange {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    /** Adds a plane's values; false if one is NaN or infinite. */
    boolean add(PlaneBuffer plane) {
        int n = plane.spec().sampleCount();
        int off = plane.offset();
        switch (plane.spec().dtype()) {
            case UINT8:
                byte[] b = plane.bytes();
                for (int i = 0; i < n; i++) {
                    take(b[off + i] & 0xFF);
                }
                return true;
            case UINT16:
                short[] u = plane.shorts();
                for (int i = 0; i < n; i++) {
                    take(u[off + i] & 0xFFFF);
                }
                return true;
            case INT16:
                short[] sh = plane.shorts();
                for (int i = 0; i < n; i++) {
                    take(sh[off + i]);
                }
                return true;
            case INT32:
                int[] in = plane.ints();
                for (int i = 0; i < n; i++) {
                    take(in[off + i]);
                }
                return true;
            case FLOAT32:
                float[] f = plane.floats();
                for (int i = 0; i < n; i++) {
                    float v = f[off + i];
                    if (!Float.isFinite(v)) {
                        return false;
                    }
                    take(v);
                }
                return true;
            default:
                double[] d = plane.doubles();
                for (int i = 0; i < n; i++) {
                    double v = d[off + i];
                    if (!Double.isFinite(v)) {
                        return false;
                    }
                    take(v);
                }
                return true;
        }
    }

    private void take(double v) {
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }
}
