package org.jpkl.api.testing;

import java.util.Random;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;

/**
 * Deterministic test content for codec and container tests: smooth structures plus a little noise
 * (what microscopy looks like), and a bit-exact plane comparison; error figures come from
 * {@link org.jpkl.api.ErrorMetrics}. Stateless.
 */
public final class TestPlanes {
    private TestPlanes() {
    }

    /**
     * A plane of smooth structures (gradient, Gaussian blob, stripes) plus noise, spanning most of the
     * dtype's useful range; for integer dtypes the first row's first samples hold the extreme values
     * (min, max), and with {@code specialFloats} float planes hold NaN, +-Inf, -0.0 and subnormals there.
     */
    public static PlaneBuffer smooth(PlaneSpec spec, long seed, boolean extremes, boolean specialFloats) {
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        Random rnd = new Random(seed);
        int h = spec.height();
        int w = spec.width();
        int s = spec.channels().samplesPerPixel();
        double lo;
        double hi;
        switch (spec.dtype()) {
            case UINT8:
                lo = 0;
                hi = 255;
                break;
            case UINT16:
                lo = 0;
                hi = 65535;
                break;
            case INT16:
                lo = -32768;
                hi = 32767;
                break;
            case INT32:
                lo = -1e9;
                hi = 1e9;
                break;
            default:
                lo = -1000;
                hi = 1000;
                break;
        }
        double noise = (hi - lo) * 0.02;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < s; c++) {
                    double fy = h == 1 ? 0.5 : y / (double) (h - 1);
                    double fx = w == 1 ? 0.5 : x / (double) (w - 1);
                    double blob = Math.exp(-((fx - 0.4) * (fx - 0.4) + (fy - 0.6) * (fy - 0.6)) / 0.05);
                    double v = 0.2 + 0.3 * fx + 0.1 * fy + 0.3 * blob + 0.05 * Math.sin(20 * fx + 3 * c);
                    double value = lo + v * (hi - lo) + rnd.nextGaussian() * noise;
                    set(plane, (y * w + x) * s + c, Math.max(lo, Math.min(hi, value)));
                }
            }
        }
        int n = spec.sampleCount();
        if (extremes && spec.dtype().isIntegral()) {
            set(plane, 0, spec.dtype().minValue());
            if (n > 1) {
                set(plane, n - 1, spec.dtype().maxValue());
            }
        }
        if (specialFloats && !spec.dtype().isIntegral()) {
            double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
                Float.MIN_VALUE, spec.dtype().maxValue(), -spec.dtype().maxValue()};
            for (int i = 0; i < special.length && i < n; i++) {
                set(plane, i, special[i]);
            }
        }
        return plane;
    }

    /**
     * A plane of uniform noise over the dtype's whole range (integers) or [-1000, 1000] (floats):
     * the least compressible content, for worst-case encoded sizes.
     */
    public static PlaneBuffer noise(PlaneSpec spec, long seed) {
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        Random rnd = new Random(seed);
        boolean integral = spec.dtype().isIntegral();
        double lo = integral ? spec.dtype().minValue() : -1000;
        double hi = integral ? spec.dtype().maxValue() : 1000;
        for (int i = 0; i < spec.sampleCount(); i++) {
            set(plane, i, integral ? Math.floor(lo + rnd.nextDouble() * (hi - lo + 1)) : lo + rnd.nextDouble() * (hi - lo));
        }
        return plane;
    }

    /** Stores a value (rounded for integer dtypes) at sample {@code i} of the plane. */
    public static void set(PlaneBuffer plane, int i, double value) {
        int at = plane.offset() + i;
        switch (plane.spec().dtype()) {
            case UINT8:
                plane.bytes()[at] = (byte) Math.round(value);
                break;
            case UINT16:
            case INT16:
                plane.shorts()[at] = (short) Math.round(value);
                break;
            case INT32:
                plane.ints()[at] = (int) Math.round(value);
                break;
            case FLOAT32:
                plane.floats()[at] = (float) value;
                break;
            default:
                plane.doubles()[at] = value;
                break;
        }
    }

    /** Sample {@code i} of the plane as a double (unsigned types read unsigned). */
    public static double get(PlaneBuffer plane, int i) {
        int at = plane.offset() + i;
        switch (plane.spec().dtype()) {
            case UINT8:
                return plane.bytes()[at] & 0xFF;
            case UINT16:
                return plane.shorts()[at] & 0xFFFF;
            case INT16:
                return plane.shorts()[at];
            case INT32:
                return plane.ints()[at];
            case FLOAT32:
                return plane.floats()[at];
            default:
                return plane.doubles()[at];
        }
    }

    /** Whether two planes hold bit-identical samples (floats compared by their raw bits, so NaN payloads count). */
    public static boolean bitEqual(PlaneBuffer expected, PlaneBuffer actual) {
        return expected.spec().equals(actual.spec())
                && expected.toNdArray().toByteBuffer(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .equals(actual.toNdArray().toByteBuffer(java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * An array in the default plane layout ({@code y, x[, c], keys...}) whose every plane is
     * {@link #smooth} content (seeded by {@code seed} plus the slice number; no extremes or special floats).
     */
    public static NdArray smoothArray(DType dtype, ChannelLayout channels, long seed, int... shape) {
        int planeAxes = channels == ChannelLayout.RGB ? 3 : 2;
        PlaneSpec spec = new PlaneSpec(dtype, shape[0], shape[1], channels);
        int samples = channels.samplesPerPixel();
        long slices = 1;
        for (int a = planeAxes; a < shape.length; a++) {
            slices *= shape[a];
        }
        PlaneBuffer[] planes = new PlaneBuffer[(int) slices];
        for (int n = 0; n < planes.length; n++) {
            planes[n] = smooth(spec, seed + n, false, false);
        }
        int w = shape[1];
        return NdArray.generate(dtype, shape, flat -> {
            long rest = flat;
            long key = 0;
            long keyStride = 1;
            for (int a = shape.length - 1; a >= planeAxes; a--) {
                key += (rest % shape[a]) * keyStride;
                keyStride *= shape[a];
                rest /= shape[a];
            }
            int c = planeAxes == 3 ? (int) (rest % 3) : 0;
            rest /= planeAxes == 3 ? 3 : 1;
            int x = (int) (rest % w);
            int y = (int) (rest / w);
            return get(planes[(int) key], (y * w + x) * samples + c);
        });
    }

    /** A spec shortcut. */
    public static PlaneSpec spec(DType dtype, int h, int w, ChannelLayout channels) {
        return new PlaneSpec(dtype, h, w, channels);
    }
}
