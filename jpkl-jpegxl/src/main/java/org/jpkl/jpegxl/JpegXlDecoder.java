package org.jpkl.jpegxl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Decodes JPEG XL slices of one spec: the frame is checked in Java (plane, mode against distance,
 * length, CRC-32; for lossy float32 the stored window), then libjxl's basic info (width, height,
 * colour and extra channels, bits per sample, exponent bits, original profile, orientation, animation,
 * preview) and the output size libjxl asks for against the plane, before libjxl decodes into a buffer
 * of exactly the plane's size. One libjxl decoder per slice, without a parallel runner.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class JpegXlDecoder implements SliceDecoder {
    private final Jxl.Api api;
    private final PlaneSpec spec;
    private final Memory samples;
    private final Memory basicInfo = new Memory(Jxl.BASIC_INFO_SIZE);
    private final Memory pixelFormat;
    private final LongByReference size = new LongByReference();
    private Memory in;

    JpegXlDecoder(Jxl.Api api, PlaneSpec spec) {
        this.api = api;
        this.spec = spec;
        this.samples = new Memory(spec.byteSize());
        this.pixelFormat = Jxl.pixelFormat(spec);
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'jpegxl': this decoder fills " + spec + " planes, not " + destination.spec());
        }
        NativeSliceFrame frame = NativeSliceFrame.read(encoded, JpegXlCodec.MAGIC, JpegXlCodec.ID, spec);
        double distance = frame.parameter();
        if (!(distance >= 0 && distance <= JpegXlCodec.MAX_DISTANCE) || frame.mode() != JpegXlCodec.mode(spec.dtype(), distance)) {
            throw NativeSliceFrame.bad(JpegXlCodec.ID, "mode " + frame.mode() + " with distance " + distance
                    + " is not what this codec writes for a " + spec + " plane");
        }
        int at = frame.payloadOffset();
        int length = frame.payloadLength();
        double lo = 0;
        double hi = 0;
        if (frame.mode() == JpegXlCodec.MODE_LOSSY_FLOAT) {
            if (length < JpegXlCodec.WINDOW_SIZE) {
                throw NativeSliceFrame.bad(JpegXlCodec.ID, "a lossy float32 slice of " + length + " bytes has no room for its "
                        + JpegXlCodec.WINDOW_SIZE + "-byte window");
            }
            ByteBuffer w = encoded.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            lo = w.getDouble(at);
            hi = w.getDouble(at + 8);
            if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi) || (float) lo != lo || (float) hi != hi) {
                throw NativeSliceFrame.bad(JpegXlCodec.ID, "the window [" + lo + ", " + hi + "] is not two float32 values with low <= high");
            }
            at += JpegXlCodec.WINDOW_SIZE;
            length -= JpegXlCodec.WINDOW_SIZE;
        }
        if (length == 0) {
            throw NativeSliceFrame.bad(JpegXlCodec.ID, "the JPEG XL codestream is empty");
        }
        if (in == null || in.size() < length) {
            if (in != null) {
                in.close();
            }
            in = new Memory(length);
        }
        ByteBuffer payload = encoded.duplicate();
        payload.limit(at + length).position(at);
        in.getByteBuffer(0, length).put(payload);
        runLibjxl(length, frame.mode() == JpegXlCodec.MODE_LOSSLESS);
        int n = spec.sampleCount();
        if (spec.dtype() == DType.UINT8) {
            samples.read(0, destination.bytes(), destination.offset(), n);
        } else if (spec.dtype() == DType.UINT16) {
            samples.read(0, destination.shorts(), destination.offset(), n);
        } else {
            float[] out = destination.floats();
            int off = destination.offset();
            samples.read(0, out, off, n);
            double scale = hi - lo;
            for (int i = 0; i < n; i++) {
                // The samples lay in [lo, hi] before encoding: clamping can only bring a decoded one closer.
                double v = lo + out[off + i] * scale;
                out[off + i] = (float) Math.max(lo, Math.min(hi, Double.isNaN(v) ? lo : v));
            }
        }
    }

    /** Decodes the codestream in {@code in[0, length)} into {@link #samples}, checking what libjxl reads first. */
    private void runLibjxl(int length, boolean lossless) throws JpklFormatException {
        Pointer decoder = api.JxlDecoderCreate(null);
        if (decoder == null) {
            throw new IllegalStateException("codec 'jpegxl': JxlDecoderCreate failed (out of memory?)");
        }
        try {
            check(api.JxlDecoderSubscribeEvents(decoder, Jxl.DEC_BASIC_INFO | Jxl.DEC_FULL_IMAGE), "JxlDecoderSubscribeEvents");
            check(api.JxlDecoderSetKeepOrientation(decoder, 1), "JxlDecoderSetKeepOrientation");
            check(api.JxlDecoderSetInput(decoder, in, length), "JxlDecoderSetInput");
            api.JxlDecoderCloseInput(decoder);
            boolean sawInfo = false;
            boolean gaveBuffer = false;
            boolean full = false;
            while (true) {
                int status = api.JxlDecoderProcessInput(decoder);
                if (status == Jxl.DEC_SUCCESS) {
                    break;
                } else if (status == Jxl.DEC_BASIC_INFO && !sawInfo) {
                    check(api.JxlDecoderGetBasicInfo(decoder, basicInfo), "JxlDecoderGetBasicInfo");
                    checkBasicInfo(lossless);
                    sawInfo = true;
                } else if (status == Jxl.DEC_NEED_IMAGE_OUT_BUFFER && sawInfo && !gaveBuffer) {
                    check(api.JxlDecoderImageOutBufferSize(decoder, pixelFormat, size), "JxlDecoderImageOutBufferSize");
                    if (size.getValue() != spec.byteSize()) {
                        throw NativeSliceFrame.bad(JpegXlCodec.ID, "libjxl asks for " + size.getValue() + " bytes of output for a " + spec
                                + " plane of " + spec.byteSize());
                    }
                    check(api.JxlDecoderSetImageOutBuffer(decoder, pixelFormat, samples, spec.byteSize()), "JxlDecoderSetImageOutBuffer");
                    gaveBuffer = true;
                } else if (status == Jxl.DEC_FULL_IMAGE && gaveBuffer && !full) {
                    full = true;
                } else if (status == Jxl.DEC_NEED_MORE_INPUT) {
                    throw NativeSliceFrame.bad(JpegXlCodec.ID, "the " + length + "-byte JPEG XL codestream ends early: it is incomplete");
                } else if (status == Jxl.DEC_ERROR) {
                    throw NativeSliceFrame.bad(JpegXlCodec.ID, "libjxl cannot decode the " + length + "-byte JPEG XL codestream: the slice is"
                            + " damaged");
                } else {
                    throw NativeSliceFrame.bad(JpegXlCodec.ID, "libjxl reported event 0x" + Integer.toHexString(status)
                            + " where one image of one frame was expected (basic info " + sawInfo + ", buffer " + gaveBuffer + ", image "
                            + full + ")");
                }
            }
            if (!full) {
                throw NativeSliceFrame.bad(JpegXlCodec.ID, "the JPEG XL codestream ended without an image");
            }
        } finally {
            api.JxlDecoderDestroy(decoder);
        }
    }

    /** The stream's basic info must describe exactly the plane, as this codec writes it. */
    private void checkBasicInfo(boolean lossless) throws JpklFormatException {
        long width = basicInfo.getInt(Jxl.BI_XSIZE) & 0xFFFFFFFFL;
        long height = basicInfo.getInt(Jxl.BI_YSIZE) & 0xFFFFFFFFL;
        int colours = basicInfo.getInt(Jxl.BI_NUM_COLOR_CHANNELS);
        int extra = basicInfo.getInt(Jxl.BI_NUM_EXTRA_CHANNELS);
        int bits = basicInfo.getInt(Jxl.BI_BITS_PER_SAMPLE);
        int exponent = basicInfo.getInt(Jxl.BI_EXPONENT_BITS);
        int original = basicInfo.getInt(Jxl.BI_USES_ORIGINAL_PROFILE);
        int orientation = basicInfo.getInt(Jxl.BI_ORIENTATION);
        int animation = basicInfo.getInt(Jxl.BI_HAVE_ANIMATION);
        int preview = basicInfo.getInt(Jxl.BI_HAVE_PREVIEW);
        int expectedBits = 8 * spec.dtype().byteSize();
        int expectedExponent = spec.dtype() == DType.FLOAT32 ? 8 : 0;
        int expectedColours = spec.channels().samplesPerPixel();
        if (width != spec.width() || height != spec.height() || colours != expectedColours || extra != 0 || bits != expectedBits
                || exponent != expectedExponent || original != (lossless ? 1 : 0) || orientation != Jxl.ORIENT_IDENTITY
                || animation != 0 || preview != 0) {
            throw NativeSliceFrame.bad(JpegXlCodec.ID, "the JPEG XL stream describes " + height + "x" + width + ", " + colours
                    + " colour and " + extra + " extra channel(s) of " + bits + " bits (" + exponent + " exponent bits), original profile "
                    + original + ", orientation " + orientation + ", animation " + animation + ", preview " + preview + "; expected "
                    + spec.height() + "x" + spec.width() + ", " + expectedColours + " and 0 of " + expectedBits + " bits (" + expectedExponent
                    + " exponent bits), original profile " + (lossless ? 1 : 0) + ", orientation 1, animation 0, preview 0");
        }
    }

    private void check(int status, String step) throws JpklFormatException {
        if (status != Jxl.DEC_SUCCESS) {
            throw NativeSliceFrame.bad(JpegXlCodec.ID, "libjxl " + step + " failed (status " + status + "); the slice is damaged");
        }
    }

    @Override
    public void close() {
        samples.close();
        basicInfo.close();
        pixelFormat.close();
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
