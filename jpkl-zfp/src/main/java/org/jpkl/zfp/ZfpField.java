package org.jpkl.zfp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;

/**
 * One plane's samples in native memory, described to zfp: grey as a 2-D field (nx = width, ny =
 * height), RGB as a 3-D field (nx = 3 channels, ny = width, nz = height). Owns the sample memory
 * and the {@code zfp_field}; one per encoder or decoder.
 *
 * <p>A <em>wide</em> field holds float32 samples as doubles: mode accuracy codes float32 planes so,
 * because zfp's float path does not keep its bound for subnormals (flushed to zero) nor near
 * {@code Float.MAX_VALUE} (decoded as infinity), measured by {@code ZfpBoundTest}. The double path
 * with half the tolerance, then rounding to the nearest float (never beyond {@code +-Float.MAX_VALUE}),
 * keeps every sample within the tolerance: the nearest float to y is no farther from y than the
 * original float x is, so |x - float(y)| <= 2 |x - y| <= tolerance.
 *
 * <p>Thread safety: not thread-safe.
 */
final class ZfpField implements AutoCloseable {
    final Memory samples;
    final Pointer field;
    private final Zfp.Api api;
    private final PlaneSpec spec;
    private final boolean wide;
    private double[] scratch;
    private boolean closed;

    ZfpField(Zfp.Api api, PlaneSpec spec, boolean wide) {
        this.api = api;
        this.spec = spec;
        this.wide = wide && spec.dtype() == DType.FLOAT32;
        this.samples = new Memory((long) spec.sampleCount() * (this.wide ? 8 : spec.dtype().byteSize()));
        long h = spec.height();
        long w = spec.width();
        this.field = spec.channels() == ChannelLayout.GREY ? api.zfp_field_2d(samples, type(), w, h)
                : api.zfp_field_3d(samples, type(), 3L, w, h);
        if (field == null) {
            samples.close();
            throw new IllegalStateException("zfp_field_" + dims(spec) + "d failed (out of memory?) for " + spec);
        }
    }

    /** zfp's type of the samples in this field. */
    int type() {
        return spec.dtype() == DType.FLOAT32 && !wide ? Zfp.TYPE_FLOAT : Zfp.TYPE_DOUBLE;
    }

    /** Copies the plane's samples into the field. */
    void put(PlaneBuffer plane) {
        int n = spec.sampleCount();
        if (spec.dtype() == DType.FLOAT64) {
            samples.write(0, plane.doubles(), plane.offset(), n);
        } else if (!wide) {
            samples.write(0, plane.floats(), plane.offset(), n);
        } else {
            double[] d = scratch();
            float[] f = plane.floats();
            for (int i = 0; i < n; i++) {
                d[i] = f[plane.offset() + i];
            }
            samples.write(0, d, 0, n);
        }
    }

    /** Copies the field's samples into the plane (a wide field's rounded to the nearest float, at most {@code +-Float.MAX_VALUE}). */
    void get(PlaneBuffer plane) {
        int n = spec.sampleCount();
        if (spec.dtype() == DType.FLOAT64) {
            samples.read(0, plane.doubles(), plane.offset(), n);
        } else if (!wide) {
            samples.read(0, plane.floats(), plane.offset(), n);
        } else {
            double[] d = scratch();
            samples.read(0, d, 0, n);
            float[] f = plane.floats();
            for (int i = 0; i < n; i++) {
                float v = (float) d[i];
                f[plane.offset() + i] = Float.isInfinite(v) && Double.isFinite(d[i]) ? Math.copySign(Float.MAX_VALUE, v) : v;
            }
        }
    }

    private double[] scratch() {
        if (scratch == null) {
            scratch = new double[spec.sampleCount()];
        }
        return scratch;
    }

    /** zfp's dimensionality for the plane: 2 (grey) or 3 (RGB). */
    static int dims(PlaneSpec spec) {
        return spec.channels() == ChannelLayout.GREY ? 2 : 3;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            api.zfp_field_free(field);
            samples.close();
        }
    }
}
