package org.jpkl.jpegls;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import org.jpkl.api.spi.support.LazyNativeLibrary;

/**
 * CharLS's C API ({@code charls.h} of CharLS 2.x, {@code libcharls.so.2}, Debian package
 * {@code libcharls2}), the functions this codec calls, bound with JNA's interface mapping as jpkl-zfp
 * binds libzfp (one binding per codec instance, no JVM-wide state). {@code charls_frame_info} crosses
 * as 16 bytes of native memory (uint32 width, uint32 height, int32 bits per sample, int32 component
 * count), not as a JNA {@code Structure}, which would need this package opened to JNA; C
 * {@code size_t} is a Java {@code long} ({@link #bind} refuses a JVM where it is not 64 bits).
 *
 * <p>Thread safety: CharLS encoders and decoders are one per thread; the functions are reentrant.
 */
final class CharLs {
    /** The library name JNA looks up by default (it finds {@code libcharls.so.2} without the -dev package). */
    static final String DEFAULT_LIBRARY = "charls";
    /** Bytes of {@code charls_frame_info}. */
    static final int FRAME_INFO_SIZE = 16;
    /** charls_interleave_mode_sample: samples interleaved, as RGB planes hold them. */
    static final int INTERLEAVE_SAMPLE = 2;

    private CharLs() {
    }

    /** The functions called; {@code charls_jpegls_errc} is an int, 0 = success. */
    interface Api extends Library {
        Pointer charls_jpegls_encoder_create();

        void charls_jpegls_encoder_destroy(Pointer encoder);

        int charls_jpegls_encoder_set_frame_info(Pointer encoder, Pointer frameInfo);

        int charls_jpegls_encoder_set_near_lossless(Pointer encoder, int near);

        int charls_jpegls_encoder_set_interleave_mode(Pointer encoder, int mode);

        int charls_jpegls_encoder_get_estimated_destination_size(Pointer encoder, LongByReference size);

        int charls_jpegls_encoder_set_destination_buffer(Pointer encoder, Pointer buffer, long size);

        int charls_jpegls_encoder_encode_from_buffer(Pointer encoder, Pointer source, long size, int stride);

        int charls_jpegls_encoder_get_bytes_written(Pointer encoder, LongByReference written);

        Pointer charls_jpegls_decoder_create();

        void charls_jpegls_decoder_destroy(Pointer decoder);

        int charls_jpegls_decoder_set_source_buffer(Pointer decoder, Pointer source, long size);

        int charls_jpegls_decoder_read_header(Pointer decoder);

        int charls_jpegls_decoder_get_frame_info(Pointer decoder, Pointer frameInfo);

        int charls_jpegls_decoder_get_near_lossless(Pointer decoder, int component, IntByReference near);

        int charls_jpegls_decoder_get_destination_size(Pointer decoder, int stride, LongByReference size);

        int charls_jpegls_decoder_decode_to_buffer(Pointer decoder, Pointer destination, long size, int stride);

        String charls_get_error_message(int error);

        String charls_get_version_string();
    }

    /** CharLS's message for an error code. */
    static String message(Api api, int error) {
        String m = api.charls_get_error_message(error);
        return (m == null || m.isBlank() ? "error" : m.trim()) + " (" + error + ")";
    }

    /** A {@code charls_frame_info} in native memory. */
    static Memory frameInfo(int width, int height, int bits, int components) {
        Memory m = new Memory(FRAME_INFO_SIZE);
        m.setInt(0, width);
        m.setInt(4, height);
        m.setInt(8, bits);
        m.setInt(12, components);
        return m;
    }

    /**
     * Loads and binds {@code library}; the description names CharLS's version and the file.
     *
     * @throws UnsatisfiedLinkError if it cannot be loaded or lacks a function
     */
    static LazyNativeLibrary.Bound<Api> bind(String library) {
        if (Native.SIZE_T_SIZE != 8) {
            throw new UnsatisfiedLinkError("this binding needs a 64-bit JVM (size_t is " + Native.SIZE_T_SIZE + " bytes here)");
        }
        NativeLibrary lib = NativeLibrary.getInstance(library);
        Api api = Native.load(library, Api.class);
        for (String f : new String[] {"charls_jpegls_encoder_create", "charls_jpegls_encoder_encode_from_buffer",
            "charls_jpegls_decoder_create", "charls_jpegls_decoder_decode_to_buffer", "charls_jpegls_decoder_get_near_lossless",
            "charls_get_version_string"}) {
            lib.getFunction(f); // an UnsatisfiedLinkError now rather than at the first plane
        }
        String version = api.charls_get_version_string();
        String file = lib.getFile() == null ? lib.getName() : lib.getFile().getPath();
        return new LazyNativeLibrary.Bound<>(api, "CharLS " + version + " via JNA " + Native.VERSION + " (" + file + ")");
    }
}
