package org.jpkl.zfp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Encodes planes of one spec with one zfp mode: samples copied into native memory, one
 * {@code zfp_compress} into a buffer of {@code zfp_stream_maximum_size} bytes, framed.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class ZfpEncoder implements SliceEncoder {
    private final Zfp.Api api;
    private final ZfpMode.Setting setting;
    private final PlaneSpec spec;
    private final ZfpField field;
    private Memory out;

    ZfpEncoder(Zfp.Api api, ZfpMode.Setting setting, PlaneSpec spec) {
        this.api = api;
        this.setting = setting;
        this.spec = spec;
        this.field = new ZfpField(api, spec, setting.wide());
    }

    @Override
    public byte[] encode(PlaneBuffer plane) {
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'zfp': this encoder takes " + spec + " planes, not " + plane.spec());
        }
        if (setting.mode() != ZfpMode.REVERSIBLE) {
            requireFinite(plane);
        }
        field.put(plane);
        Pointer zfp = api.zfp_stream_open(null);
        if (zfp == null) {
            throw new IllegalStateException("codec 'zfp': zfp_stream_open failed (out of memory?)");
        }
        Pointer stream = null;
        try {
            setting.apply(api, zfp, field, spec);
            long max = api.zfp_stream_maximum_size(zfp, field.field);
            if (max <= 0 || max > Integer.MAX_VALUE - NativeSliceFrame.SIZE) {
                throw new IllegalStateException("codec 'zfp': zfp_stream_maximum_size is " + max + " bytes for " + spec + ", " + setting);
            }
            if (out == null || out.size() < max) {
                if (out != null) {
                    out.close();
                }
                out = new Memory(max);
            }
            stream = api.stream_open(out, max);
            api.zfp_stream_set_bit_stream(zfp, stream);
            api.zfp_stream_rewind(zfp);
            long size = api.zfp_compress(zfp, field.field);
            if (size <= 0 || size > max) {
                throw new IllegalStateException("codec 'zfp': zfp_compress returned " + size + " for " + spec + ", " + setting);
            }
            byte[] bytes = new byte[NativeSliceFrame.SIZE + (int) size];
            out.read(0, bytes, NativeSliceFrame.SIZE, (int) size);
            NativeSliceFrame.write(bytes, ZfpCodec.MAGIC, spec, setting.mode().code(), setting.parameter());
            return bytes;
        } finally {
            if (stream != null) {
                api.stream_close(stream);
            }
            api.zfp_stream_close(zfp);
        }
    }

    /** zfp's lossy modes are undefined on NaN and infinities: refuse them, naming the first. */
    private void requireFinite(PlaneBuffer plane) {
        int n = spec.sampleCount();
        for (int i = 0; i < n; i++) {
            double v = spec.dtype() == DType.FLOAT32 ? plane.floats()[plane.offset() + i] : plane.doubles()[plane.offset() + i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("codec 'zfp': mode " + setting.mode().name().toLowerCase(java.util.Locale.ROOT)
                        + " cannot store " + v + " (sample " + i + " of a " + spec + " plane); zfp's lossy modes need finite"
                        + " values: use mode reversible, or codec lerc, which keeps NaN exactly");
            }
        }
    }

    @Override
    public void close() {
        field.close();
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
