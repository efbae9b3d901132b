package org.jpkl.jpegls;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import java.nio.ByteBuffer;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Decodes JPEG-LS slices of one spec: the frame is checked in Java (plane, near, length, CRC-32), the
 * stream must start with SOI and end with EOI (CharLS 2.4.1 hangs on a scan cut short), then CharLS's reading of the stream's header (width, height, bits per sample, components, near and
 * the destination size) against the plane, before CharLS decodes into a buffer of exactly the plane's size.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class JpegLsDecoder implements SliceDecoder {
    private final CharLs.Api api;
    private final PlaneSpec spec;
    private final Memory samples;
    private final Memory frameInfo = new Memory(CharLs.FRAME_INFO_SIZE);
    private final IntByReference near = new IntByReference();
    private final LongByReference size = new LongByReference();
    private Memory in;

    JpegLsDecoder(CharLs.Api api, PlaneSpec spec) {
        this.api = api;
        this.spec = spec;
        this.samples = new Memory(spec.byteSize());
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'jpegls': this decoder fills " + spec + " planes, not " + destination.spec());
        }
        NativeSliceFrame frame = NativeSliceFrame.read(encoded, JpegLsCodec.MAGIC, JpegLsCodec.ID, spec);
        double n = frame.parameter();
        if (frame.mode() != 0 || !(n >= 0 && n <= JpegLsCodec.maxNear(spec.dtype()) && n == Math.rint(n))) {
            throw NativeSliceFrame.bad(JpegLsCodec.ID, "mode " + frame.mode() + " with near " + n + " is not what this codec writes for a "
                    + spec + " plane");
        }
        int length = frame.payloadLength();
        int at = frame.payloadOffset();
        // CharLS 2.4.1 loops forever on a scan that runs to the end of its buffer without the EOI marker
        // (found by NativeStreamFuzz: a stream cut short); a complete stream starts with SOI and ends with EOI.
        if (length < 4 || (encoded.get(at) & 0xFF) != 0xFF || (encoded.get(at + 1) & 0xFF) != 0xD8
                || (encoded.get(at + length - 2) & 0xFF) != 0xFF || (encoded.get(at + length - 1) & 0xFF) != 0xD9) {
            throw NativeSliceFrame.bad(JpegLsCodec.ID, "the " + length + "-byte JPEG-LS stream does not start with SOI (FF D8) and end"
                    + " with EOI (FF D9): it is incomplete");
        }
        if (in == null || in.size() < length) {
            if (in != null) {
                in.close();
            }
            in = new Memory(length);
        }
        ByteBuffer payload = encoded.duplicate();
        payload.limit(frame.payloadOffset() + length).position(frame.payloadOffset());
        in.getByteBuffer(0, length).put(payload);
        Pointer decoder = api.charls_jpegls_decoder_create();
        if (decoder == null) {
            throw new IllegalStateException("codec 'jpegls': charls_jpegls_decoder_create failed (out of memory?)");
        }
        try {
            check(api.charls_jpegls_decoder_set_source_buffer(decoder, in, length), "set_source_buffer");
            check(api.charls_jpegls_decoder_read_header(decoder), "read_header");
            check(api.charls_jpegls_decoder_get_frame_info(decoder, frameInfo), "get_frame_info");
            int width = frameInfo.getInt(0);
            int height = frameInfo.getInt(4);
            int bits = frameInfo.getInt(8);
            int components = frameInfo.getInt(12);
            check(api.charls_jpegls_decoder_get_near_lossless(decoder, 0, near), "get_near_lossless");
            int samplesPerPixel = spec.channels().samplesPerPixel();
            int expectedBits = 8 * spec.dtype().byteSize();
            if (width != spec.width() || height != spec.height() || bits != expectedBits || components != samplesPerPixel
                    || near.getValue() != (int) n) {
                throw NativeSliceFrame.bad(JpegLsCodec.ID, "the JPEG-LS stream describes " + height + "x" + width + ", " + components
                        + " component(s) of " + bits + " bits, near " + near.getValue() + "; expected " + spec.height() + "x"
                        + spec.width() + ", " + samplesPerPixel + " of " + expectedBits + " bits, near " + (int) n);
            }
            check(api.charls_jpegls_decoder_get_destination_size(decoder, 0, size), "get_destination_size");
            if (size.getValue() != spec.byteSize()) {
                throw NativeSliceFrame.bad(JpegLsCodec.ID, "CharLS would write " + size.getValue() + " bytes for a " + spec + " plane of "
                        + spec.byteSize());
            }
            check(api.charls_jpegls_decoder_decode_to_buffer(decoder, samples, spec.byteSize(), 0), "decode_to_buffer");
        } finally {
            api.charls_jpegls_decoder_destroy(decoder);
        }
        if (spec.dtype() == DType.UINT8) {
            samples.read(0, destination.bytes(), destination.offset(), spec.sampleCount());
        } else {
            samples.read(0, destination.shorts(), destination.offset(), spec.sampleCount());
        }
    }

    private void check(int error, String step) throws JpklFormatException {
        if (error != 0) {
            throw NativeSliceFrame.bad(JpegLsCodec.ID, "CharLS " + step + " failed: " + CharLs.message(api, error)
                    + "; the slice is damaged");
        }
    }

    @Override
    public void close() {
        samples.close();
        frameInfo.close();
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
