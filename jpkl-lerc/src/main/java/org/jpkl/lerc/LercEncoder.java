package org.jpkl.lerc;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Encodes planes of one spec with one maxZError: samples copied into native memory, float planes'
 * all-NaN pixels marked invalid in LERC's mask (their samples zeroed), one {@code lerc_encode}
 * (retried with {@code lerc_computeCompressedSize}'s size if the first buffer was too small), framed.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class LercEncoder implements SliceEncoder {
    private final Lerc.Api api;
    private final PlaneSpec spec;
    private final double maxZError;
    /** What LERC is given: maxZError, halved for float32 (see {@link LercCodec}). */
    private final double lercMaxZError;
    private final int samplesPerPixel;
    private final Memory samples;
    private final Memory mask;
    private final IntByReference written = new IntByReference();
    private Memory out;

    LercEncoder(Lerc.Api api, PlaneSpec spec, double maxZError) {
        this.api = api;
        this.spec = spec;
        this.maxZError = maxZError;
        this.lercMaxZError = spec.dtype() == DType.FLOAT32 ? maxZError / 2 : maxZError;
        this.samplesPerPixel = spec.channels().samplesPerPixel();
        this.samples = new Memory(spec.byteSize());
        this.mask = spec.dtype().isIntegral() ? null : new Memory((long) spec.height() * spec.width());
    }

    @Override
    public byte[] encode(PlaneBuffer plane) {
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'lerc': this encoder takes " + spec + " planes, not " + plane.spec());
        }
        Lerc.put(samples, plane);
        int masks = mask == null ? 0 : markNaN(plane);
        // LERC 4.0's lossless float32 path writes bytes that depend on the thread it runs on (measured: the same
        // plane encoded on other threads gave other blobs, each decoding exactly), so that a plane would not
        // always encode to the same bytes; lossless float32 planes are stored as their int32 bit patterns instead.
        boolean floatBits = spec.dtype() == DType.FLOAT32 && maxZError == 0;
        int type = floatBits ? Lerc.DT_INT : Lerc.dataType(spec.dtype());
        int w = spec.width();
        int h = spec.height();
        long first = spec.byteSize() + (long) h * w / 8 + 4096;
        if (out == null || out.size() < first) {
            replaceOut(first);
        }
        // LERC does not write every byte of the blob it reports (measured: two encoders gave blobs differing in
        // unwritten bytes, CodecSerializerMatrixTest); cleared, so that a plane always encodes to the same bytes.
        out.clear();
        int status = api.lerc_encode(samples, type, samplesPerPixel, w, h, 1, masks, masks == 0 ? null : mask, lercMaxZError, out,
                (int) Math.min(Integer.MAX_VALUE, out.size()), written);
        if (status != 0) {
            IntByReference size = new IntByReference();
            int s = api.lerc_computeCompressedSize(samples, type, samplesPerPixel, w, h, 1, masks, masks == 0 ? null : mask,
                    lercMaxZError, size);
            if (s != 0 || size.getValue() <= 0) {
                throw new IllegalStateException("codec 'lerc': lerc_encode failed (status " + status + ", size query status " + s
                        + ") for a " + spec + " plane, maxZError " + maxZError);
            }
            replaceOut(size.getValue() & 0xFFFFFFFFL);
            out.clear();
            status = api.lerc_encode(samples, type, samplesPerPixel, w, h, 1, masks, masks == 0 ? null : mask, lercMaxZError, out,
                    (int) out.size(), written);
            if (status != 0) {
                throw new IllegalStateException("codec 'lerc': lerc_encode failed (status " + status + ") for a " + spec
                        + " plane, maxZError " + maxZError);
            }
        }
        long length = written.getValue() & 0xFFFFFFFFL;
        if (length <= 0 || length > out.size() || length > Integer.MAX_VALUE - NativeSliceFrame.SIZE) {
            throw new IllegalStateException("codec 'lerc': lerc_encode reported " + length + " bytes written into " + out.size());
        }
        int n = Math.toIntExact(length); // checked above against Integer.MAX_VALUE - SIZE
        byte[] bytes = new byte[NativeSliceFrame.SIZE + n];
        out.read(0, bytes, NativeSliceFrame.SIZE, n);
        NativeSliceFrame.write(bytes, LercCodec.MAGIC, spec, masks | (floatBits ? Lerc.MODE_FLOAT_BITS : 0), maxZError);
        return bytes;
    }

    private void replaceOut(long size) {
        if (out != null) {
            out.close();
        }
        out = new Memory(size);
    }

    /**
     * Marks pixels whose samples are all NaN invalid (zeroing them in the native copy) and refuses
     * infinities and partly-NaN RGB pixels.
     *
     * @return 1 if some pixel is invalid (a mask is needed), else 0
     */
    private int markNaN(PlaneBuffer plane) {
        int pixels = spec.height() * spec.width();
        boolean any = false;
        int width = spec.dtype().byteSize();
        for (int p = 0; p < pixels; p++) {
            int nan = 0;
            for (int c = 0; c < samplesPerPixel; c++) {
                int i = p * samplesPerPixel + c;
                double v = value(plane, i);
                if (Double.isNaN(v)) {
                    nan++;
                } else if (Double.isInfinite(v)) {
                    throw refuse(v, i, "LERC cannot store infinities");
                }
            }
            if (nan == samplesPerPixel) {
                any = true;
                mask.setByte(p, (byte) 0);
                samples.setMemory((long) p * samplesPerPixel * width, (long) samplesPerPixel * width, (byte) 0);
            } else if (nan > 0) {
                int i = p * samplesPerPixel;
                while (!Double.isNaN(value(plane, i))) {
                    i++;
                }
                throw refuse(Double.NaN, i, "LERC's mask marks whole pixels, and this RGB pixel is only partly NaN");
            } else {
                mask.setByte(p, (byte) 1);
            }
        }
        return any ? 1 : 0;
    }

    /** Sample {@code i} of a float plane. */
    private static double value(PlaneBuffer plane, int i) {
        return plane.spec().dtype() == DType.FLOAT32 ? plane.floats()[plane.offset() + i] : plane.doubles()[plane.offset() + i];
    }

    private IllegalArgumentException refuse(double v, int i, String why) {
        return new IllegalArgumentException("codec 'lerc' cannot store " + v + " (sample " + i + " of a " + spec + " plane): " + why);
    }

    @Override
    public void close() {
        samples.close();
        if (mask != null) {
            mask.close();
        }
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
