package org.jpkl.api;

import java.util.Locale;

/**
 * How a plane is reduced to the next resolution level: its height and width halved, rounding up
 * (a plane of {@code H x W} gives {@code ceil(H/2) x ceil(W/2)}), each output pixel made from the
 * 2 x 2 block at twice its coordinates (at the last row or column of an odd side, the 1 x 2, 2 x 1
 * or 1 x 1 block that is present). Channels are reduced separately.
 *
 * <p>Thread safety: immutable.
 */
public enum Downsampling {
    /**
     * The mean of the block's samples: computed exactly in {@code long} for integer dtypes and
     * rounded half to even (the mean of 1 and 2 is 2, of 2 and 3 is 2, of 1, 2, 2, 2 is 2), in
     * {@code double} for floating-point dtypes (float32 rounded to the nearest float once). For
     * intensity images.
     */
    MEAN,
    /** The block's top-left sample: no new values appear, for label images. */
    NEAREST;

    /** The name used in options and on the command line: {@code mean} or {@code nearest}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The downsampling called {@code name} ({@code mean} or {@code nearest}).
     *
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static Downsampling parse(String name) {
        for (Downsampling d : values()) {
            if (d.id().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("downsampling '" + name + "' is not known; use mean or nearest");
    }

    /** The spec of the plane {@link #apply} makes from a plane of {@code spec}. */
    public static PlaneSpec halve(PlaneSpec spec) {
        return new PlaneSpec(spec.dtype(), (int) ((spec.height() + 1L) / 2), (int) ((spec.width() + 1L) / 2), spec.channels());
    }

    /** The plane at half the height and width of {@code plane} (a new buffer, see {@link #halve}). */
    public PlaneBuffer apply(PlaneBuffer plane) {
        PlaneBuffer out = PlaneBuffer.allocate(halve(plane.spec()));
        apply(plane, out);
        return out;
    }

    /**
     * Reduces {@code plane} into {@code out}, whose spec must be {@link #halve}{@code (plane.spec())}.
     *
     * @throws IllegalArgumentException if {@code out} has another spec
     */
    public void apply(PlaneBuffer plane, PlaneBuffer out) {
        PlaneSpec in = plane.spec();
        PlaneSpec half = halve(in);
        if (!out.spec().equals(half)) {
            throw new IllegalArgumentException("output is " + out.spec() + "; halving " + in + " gives " + half);
        }
        int samples = in.channels().samplesPerPixel();
        int width = in.width();
        int height = in.height();
        boolean floating = !in.dtype().isIntegral();
        for (int oy = 0; oy < half.height(); oy++) {
            int y0 = 2 * oy;
            int rows = Math.min(2, height - y0);
            for (int ox = 0; ox < half.width(); ox++) {
                int x0 = 2 * ox;
                int cols = Math.min(2, width - x0);
                for (int s = 0; s < samples; s++) {
                    int o = (oy * half.width() + ox) * samples + s;
                    int first = (y0 * width + x0) * samples + s;
                    if (this == NEAREST) {
                        copy(plane, first, out, o);
                        continue;
                    }
                    int n = rows * cols;
                    if (floating) {
                        double sum = 0;
                        double scaled = 0;
                        for (int dy = 0; dy < rows; dy++) {
                            for (int dx = 0; dx < cols; dx++) {
                                double v = doubleAt(plane, ((y0 + dy) * width + x0 + dx) * samples + s);
                                sum += v;
                                scaled += v / n;
                            }
                        }
                        double mean = sum / n;
                        setDouble(out, o, Double.isInfinite(mean) && !Double.isInfinite(scaled) ? scaled : mean);
                    } else {
                        long sum = 0;
                        for (int dy = 0; dy < rows; dy++) {
                            for (int dx = 0; dx < cols; dx++) {
                                sum += longAt(plane, ((y0 + dy) * width + x0 + dx) * samples + s);
                            }
                        }
                        setLong(out, o, roundHalfEven(sum, n));
                    }
                }
            }
        }
    }

    /** {@code sum / n} rounded half to even ({@code n} in 1..4). */
    static long roundHalfEven(long sum, int n) {
        long q = Math.floorDiv(sum, n);
        long twiceRest = 2 * (sum - q * n);
        if (twiceRest > n || (twiceRest == n && (q & 1) != 0)) {
            q++;
        }
        return q;
    }

    private static void copy(PlaneBuffer from, int i, PlaneBuffer to, int o) {
        Object a = from.array();
        int src = from.offset() + i;
        int dst = to.offset() + o;
        if (a instanceof byte[]) {
            ((byte[]) to.array())[dst] = ((byte[]) a)[src];
        } else if (a instanceof short[]) {
            ((short[]) to.array())[dst] = ((short[]) a)[src];
        } else if (a instanceof int[]) {
            ((int[]) to.array())[dst] = ((int[]) a)[src];
        } else if (a instanceof float[]) {
            ((float[]) to.array())[dst] = ((float[]) a)[src];
        } else {
            ((double[]) to.array())[dst] = ((double[]) a)[src];
        }
    }

    private static long longAt(PlaneBuffer p, int i) {
        int at = p.offset() + i;
        switch (p.spec().dtype()) {
            case UINT8:
                return p.bytes()[at] & 0xFF;
            case UINT16:
                return p.shorts()[at] & 0xFFFF;
            case INT16:
                return p.shorts()[at];
            case INT32:
                return p.ints()[at];
            default:
                throw new IllegalArgumentException("not an integer dtype: " + p.spec().dtype());
        }
    }

    private static void setLong(PlaneBuffer p, int i, long v) {
        int at = p.offset() + i;
        switch (p.spec().dtype()) {
            case UINT8:
                p.bytes()[at] = (byte) v;
                break;
            case UINT16:
            case INT16:
                p.shorts()[at] = (short) v;
                break;
            case INT32:
                p.ints()[at] = (int) v;
                break;
            default:
                throw new IllegalArgumentException("not an integer dtype: " + p.spec().dtype());
        }
    }

    private static double doubleAt(PlaneBuffer p, int i) {
        return p.spec().dtype() == DType.FLOAT32 ? p.floats()[p.offset() + i] : p.doubles()[p.offset() + i];
    }

    private static void setDouble(PlaneBuffer p, int i, double v) {
        if (p.spec().dtype() == DType.FLOAT32) {
            p.floats()[p.offset() + i] = (float) v;
        } else {
            p.doubles()[p.offset() + i] = v;
        }
    }
}
