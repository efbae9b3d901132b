package org.jpkl.jpegls;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Encodes planes of one spec with one {@code near}: samples copied into native memory, one CharLS
 * encoder per plane writing into a buffer of twice the raw size (CharLS's own estimate is too small for
 * noise), framed.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class JpegLsEncoder implements SliceEncoder {
    private final CharLs.Api api;
    private final PlaneSpec spec;
    private final int near;
    private final Memory samples;
    private final Memory frameInfo;
    private final LongByReference size = new LongByReference();
    private Memory out;

    JpegLsEncoder(CharLs.Api api, PlaneSpec spec, int near) {
        this.api = api;
        this.spec = spec;
        this.near = near;
        this.samples = new Memory(spec.byteSize());
        this.frameInfo = CharLs.frameInfo(spec.width(), spec.height(), 8 * spec.dtype().byteSize(), spec.channels().samplesPerPixel());
    }

    @Override
    public byte[] encode(PlaneBuffer plane) {
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'jpegls': this encoder takes " + spec + " planes, not " + plane.spec());
        }
        if (spec.dtype() == DType.UINT8) {
            samples.write(0, plane.bytes(), plane.offset(), spec.sampleCount());
        } else {
            samples.write(0, plane.shorts(), plane.offset(), spec.sampleCount());
        }
        Pointer encoder = api.charls_jpegls_encoder_create();
        if (encoder == null) {
            throw new IllegalStateException("codec 'jpegls': charls_jpegls_encoder_create failed (out of memory?)");
        }
        try {
            check(api.charls_jpegls_encoder_set_frame_info(encoder, frameInfo), "set_frame_info");
            check(api.charls_jpegls_encoder_set_near_lossless(encoder, near), "set_near_lossless");
            if (spec.channels().samplesPerPixel() > 1) {
                check(api.charls_jpegls_encoder_set_interleave_mode(encoder, CharLs.INTERLEAVE_SAMPLE), "set_interleave_mode");
            }
            check(api.charls_jpegls_encoder_get_estimated_destination_size(encoder, size), "get_estimated_destination_size");
            // CharLS's estimate is too small for noise planes (measured: "destination buffer is too small" on
            // uniform noise); JPEG-LS never needs twice the raw samples plus its headers.
            long capacity = Math.max(size.getValue(), 2 * spec.byteSize() + 4096);
            if (capacity <= 0 || capacity > Integer.MAX_VALUE - NativeSliceFrame.SIZE) {
                throw new IllegalStateException("codec 'jpegls': CharLS estimates " + capacity + " bytes for a " + spec + " plane");
            }
            if (out == null || out.size() < capacity) {
                if (out != null) {
                    out.close();
                }
                out = new Memory(capacity);
            }
            check(api.charls_jpegls_encoder_set_destination_buffer(encoder, out, capacity), "set_destination_buffer");
            check(api.charls_jpegls_encoder_encode_from_buffer(encoder, samples, spec.byteSize(), 0), "encode_from_buffer");
            check(api.charls_jpegls_encoder_get_bytes_written(encoder, size), "get_bytes_written");
            long length = size.getValue();
            if (length <= 0 || length > capacity) {
                throw new IllegalStateException("codec 'jpegls': CharLS reports " + length + " bytes written into " + capacity);
            }
            int n = Math.toIntExact(length); // at most capacity, which was checked against Integer.MAX_VALUE - SIZE
            byte[] bytes = new byte[NativeSliceFrame.SIZE + n];
            out.read(0, bytes, NativeSliceFrame.SIZE, n);
            NativeSliceFrame.write(bytes, JpegLsCodec.MAGIC, spec, 0, near);
            return bytes;
        } finally {
            api.charls_jpegls_encoder_destroy(encoder);
        }
    }

    private void check(int error, String step) {
        if (error != 0) {
            throw new IllegalStateException("codec 'jpegls': CharLS " + step + " failed for a " + spec + " plane, near " + near + ": "
                    + CharLs.message(api, error));
        }
    }

    @Override
    public void close() {
        samples.close();
        frameInfo.close();
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
