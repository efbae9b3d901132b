package org.jpkl.jpegxl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Encodes planes of one spec with one distance and effort: samples copied into native memory (float32
 * planes mapped to [0, 1] first when lossy), one libjxl encoder per plane without a parallel runner,
 * its output collected chunk by chunk, framed.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class JpegXlEncoder implements SliceEncoder {
    /** Bytes libjxl writes per {@code JxlEncoderProcessOutput} call at most. */
    private static final int CHUNK = 64 << 10;

    private final Jxl.Api api;
    private final PlaneSpec spec;
    private final double distance;
    private final int effort;
    private final int mode;
    private final Memory samples;
    private final Memory basicInfo = new Memory(Jxl.BASIC_INFO_SIZE);
    private final Memory colorEncoding = new Memory(Jxl.COLOR_ENCODING_SIZE);
    private final Memory pixelFormat;
    private final Memory out = new Memory(CHUNK);
    private final PointerByReference next = new PointerByReference();
    private final LongByReference avail = new LongByReference();

    JpegXlEncoder(Jxl.Api api, PlaneSpec spec, double distance, int effort) {
        this.api = api;
        this.spec = spec;
        this.distance = distance;
        this.effort = effort;
        this.mode = JpegXlCodec.mode(spec.dtype(), distance);
        this.samples = new Memory(spec.byteSize());
        this.pixelFormat = Jxl.pixelFormat(spec);
    }

    @Override
    public byte[] encode(PlaneBuffer plane) {
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'jpegxl': this encoder takes " + spec + " planes, not " + plane.spec());
        }
        ByteArrayOutputStream stream = new ByteArrayOutputStream(CHUNK);
        stream.write(new byte[NativeSliceFrame.SIZE], 0, NativeSliceFrame.SIZE);
        if (spec.dtype() == DType.UINT8) {
            samples.write(0, plane.bytes(), plane.offset(), spec.sampleCount());
        } else if (spec.dtype() == DType.UINT16) {
            samples.write(0, plane.shorts(), plane.offset(), spec.sampleCount());
        } else {
            float[] mapped = mapToUnit(plane, stream);
            samples.write(0, mapped, 0, mapped.length);
        }
        Pointer encoder = api.JxlEncoderCreate(null);
        if (encoder == null) {
            throw new IllegalStateException("codec 'jpegxl': JxlEncoderCreate failed (out of memory?)");
        }
        try {
            boolean grey = spec.channels() == ChannelLayout.GREY;
            api.JxlEncoderInitBasicInfo(basicInfo);
            basicInfo.setInt(Jxl.BI_XSIZE, spec.width());
            basicInfo.setInt(Jxl.BI_YSIZE, spec.height());
            basicInfo.setInt(Jxl.BI_BITS_PER_SAMPLE, 8 * spec.dtype().byteSize());
            basicInfo.setInt(Jxl.BI_EXPONENT_BITS, spec.dtype() == DType.FLOAT32 ? 8 : 0);
            basicInfo.setInt(Jxl.BI_NUM_COLOR_CHANNELS, spec.channels().samplesPerPixel());
            // Lossless needs the samples kept in their own space; lossy converts them to XYB.
            basicInfo.setInt(Jxl.BI_USES_ORIGINAL_PROFILE, mode == JpegXlCodec.MODE_LOSSLESS ? 1 : 0);
            check(encoder, api.JxlEncoderSetBasicInfo(encoder, basicInfo), "JxlEncoderSetBasicInfo");
            // libjxl's own defaults, said explicitly: sRGB for integer samples, linear sRGB for float samples.
            if (spec.dtype() == DType.FLOAT32) {
                api.JxlColorEncodingSetToLinearSRGB(colorEncoding, grey ? 1 : 0);
            } else {
                api.JxlColorEncodingSetToSRGB(colorEncoding, grey ? 1 : 0);
            }
            check(encoder, api.JxlEncoderSetColorEncoding(encoder, colorEncoding), "JxlEncoderSetColorEncoding");
            Pointer settings = api.JxlEncoderFrameSettingsCreate(encoder, null);
            if (settings == null) {
                throw new IllegalStateException("codec 'jpegxl': JxlEncoderFrameSettingsCreate failed (out of memory?)");
            }
            if (mode == JpegXlCodec.MODE_LOSSLESS) {
                check(encoder, api.JxlEncoderSetFrameLossless(settings, 1), "JxlEncoderSetFrameLossless");
            } else {
                check(encoder, api.JxlEncoderSetFrameDistance(settings, (float) distance), "JxlEncoderSetFrameDistance");
            }
            check(encoder, api.JxlEncoderFrameSettingsSetOption(settings, Jxl.FRAME_SETTING_EFFORT, effort), "effort");
            check(encoder, api.JxlEncoderAddImageFrame(settings, pixelFormat, samples, spec.byteSize()), "JxlEncoderAddImageFrame");
            api.JxlEncoderCloseInput(encoder);
            int status;
            do {
                next.setValue(out);
                avail.setValue(CHUNK);
                status = api.JxlEncoderProcessOutput(encoder, next, avail);
                long written = CHUNK - avail.getValue();
                if (written < 0 || written > CHUNK) {
                    throw new IllegalStateException("codec 'jpegxl': libjxl reports " + written + " bytes written into " + CHUNK);
                }
                byte[] chunk = out.getByteArray(0, (int) written);
                stream.write(chunk, 0, chunk.length);
                if (stream.size() > Integer.MAX_VALUE / 2) {
                    throw new IllegalStateException("codec 'jpegxl': libjxl wrote more than " + stream.size() + " bytes for a " + spec
                            + " plane");
                }
            } while (status == Jxl.ENC_NEED_MORE_OUTPUT);
            check(encoder, status, "JxlEncoderProcessOutput");
        } finally {
            api.JxlEncoderDestroy(encoder);
        }
        byte[] bytes = stream.toByteArray();
        NativeSliceFrame.write(bytes, JpegXlCodec.MAGIC, spec, mode, distance);
        return bytes;
    }

    /**
     * The plane's samples mapped linearly from [smallest, largest] to [0, 1]; the two bounds are
     * written to {@code stream} (little-endian float64) for the decoder.
     *
     * @throws IllegalArgumentException naming the first sample that is NaN or infinite
     */
    private float[] mapToUnit(PlaneBuffer plane, ByteArrayOutputStream stream) {
        float[] in = plane.floats();
        int n = spec.sampleCount();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = in[plane.offset() + i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("codec 'jpegxl': sample " + i + " of the " + spec + " plane is " + v + "; JPEG XL"
                        + " (distance " + distance + ") takes finite float32 samples only (lossless float codecs such as zstd keep them)");
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double scale = hi - lo;
        float[] mapped = new float[n];
        for (int i = 0; i < n; i++) {
            mapped[i] = scale == 0 ? 0 : (float) ((in[plane.offset() + i] - lo) / scale);
        }
        byte[] window = ByteBuffer.allocate(JpegXlCodec.WINDOW_SIZE).order(ByteOrder.LITTLE_ENDIAN).putDouble(lo + 0.0).putDouble(hi + 0.0)
                .array();
        stream.write(window, 0, window.length);
        return mapped;
    }

    private void check(Pointer encoder, int status, String step) {
        if (status != Jxl.ENC_SUCCESS) {
            throw new IllegalStateException("codec 'jpegxl': libjxl " + step + " failed for a " + spec + " plane, distance " + distance
                    + ", effort " + effort + " (status " + status + ", JxlEncoderError " + api.JxlEncoderGetError(encoder) + ")");
        }
    }

    @Override
    public void close() {
        samples.close();
        basicInfo.close();
        colorEncoding.close();
        pixelFormat.close();
        out.close();
    }
}
