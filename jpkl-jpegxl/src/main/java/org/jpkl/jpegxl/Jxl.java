package org.jpkl.jpegxl;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.support.LazyNativeLibrary;

/**
 * libjxl's C API ({@code jxl/encode.h} and {@code jxl/decode.h} of libjxl 0.7, {@code libjxl.so.0.7},
 * Debian package {@code libjxl0.7}), the functions this codec calls, bound with JNA's interface
 * mapping as jpkl-jpegls binds CharLS (one binding per codec instance, no JVM-wide state). The structs
 * cross as native memory written and read at the offsets of the 0.7 headers (checked with
 * {@code offsetof} on x86-64), not as JNA {@code Structure}s, which would need this package opened to
 * JNA: {@code JxlBasicInfo} (204 bytes, with 100 bytes of padding reserved by libjxl for later fields),
 * {@code JxlPixelFormat} (24 bytes), {@code JxlColorEncoding} (104 bytes, filled by libjxl). C
 * {@code size_t} is a Java {@code long} ({@link #bind} refuses a JVM where it is not 64 bits).
 *
 * <p>Thread safety: libjxl encoders and decoders are one per thread; no parallel runner is set, so
 * each works on the calling thread alone (and writes the same bytes for the same plane every time).
 */
final class Jxl {
    /** The library name JNA looks up by default (it finds {@code libjxl.so.0.7} without the -dev package). */
    static final String DEFAULT_LIBRARY = "jxl";

    /** Bytes of {@code JxlBasicInfo}. */
    static final int BASIC_INFO_SIZE = 204;
    static final int BI_XSIZE = 4;
    static final int BI_YSIZE = 8;
    static final int BI_BITS_PER_SAMPLE = 12;
    static final int BI_EXPONENT_BITS = 16;
    static final int BI_USES_ORIGINAL_PROFILE = 36;
    static final int BI_HAVE_PREVIEW = 40;
    static final int BI_HAVE_ANIMATION = 44;
    static final int BI_ORIENTATION = 48;
    static final int BI_NUM_COLOR_CHANNELS = 52;
    static final int BI_NUM_EXTRA_CHANNELS = 56;

    /** Bytes of {@code JxlPixelFormat}: uint32 num_channels, int data_type, int endianness, 4 bytes padding, size_t align. */
    static final int PIXEL_FORMAT_SIZE = 24;
    /** Bytes of {@code JxlColorEncoding}. */
    static final int COLOR_ENCODING_SIZE = 104;

    /** {@code JxlDataType} codes. */
    static final int TYPE_FLOAT = 0;
    static final int TYPE_UINT8 = 2;
    static final int TYPE_UINT16 = 3;
    /** {@code JXL_NATIVE_ENDIAN}: the samples cross as Java writes them into native memory. */
    static final int NATIVE_ENDIAN = 0;

    /** {@code JxlEncoderStatus}. */
    static final int ENC_SUCCESS = 0;
    static final int ENC_NEED_MORE_OUTPUT = 2;
    /** {@code JXL_ENC_FRAME_SETTING_EFFORT}. */
    static final int FRAME_SETTING_EFFORT = 0;

    /** {@code JxlDecoderStatus}. */
    static final int DEC_SUCCESS = 0;
    static final int DEC_ERROR = 1;
    static final int DEC_NEED_MORE_INPUT = 2;
    static final int DEC_NEED_IMAGE_OUT_BUFFER = 5;
    static final int DEC_BASIC_INFO = 0x40;
    static final int DEC_FULL_IMAGE = 0x1000;
    /** {@code JXL_ORIENT_IDENTITY}. */
    static final int ORIENT_IDENTITY = 1;

    private Jxl() {
    }

    /** The functions called; {@code JXL_BOOL} is an int, the status enums are ints. */
    interface Api extends Library {
        int JxlEncoderVersion();

        Pointer JxlEncoderCreate(Pointer memoryManager);

        void JxlEncoderDestroy(Pointer encoder);

        int JxlEncoderGetError(Pointer encoder);

        void JxlEncoderInitBasicInfo(Pointer info);

        int JxlEncoderSetBasicInfo(Pointer encoder, Pointer info);

        void JxlColorEncodingSetToSRGB(Pointer colorEncoding, int isGray);

        void JxlColorEncodingSetToLinearSRGB(Pointer colorEncoding, int isGray);

        int JxlEncoderSetColorEncoding(Pointer encoder, Pointer colorEncoding);

        Pointer JxlEncoderFrameSettingsCreate(Pointer encoder, Pointer source);

        int JxlEncoderSetFrameLossless(Pointer frameSettings, int lossless);

        int JxlEncoderSetFrameDistance(Pointer frameSettings, float distance);

        int JxlEncoderFrameSettingsSetOption(Pointer frameSettings, int option, long value);

        int JxlEncoderAddImageFrame(Pointer frameSettings, Pointer pixelFormat, Pointer buffer, long size);

        void JxlEncoderCloseInput(Pointer encoder);

        int JxlEncoderProcessOutput(Pointer encoder, PointerByReference nextOut, LongByReference availOut);

        Pointer JxlDecoderCreate(Pointer memoryManager);

        void JxlDecoderDestroy(Pointer decoder);

        int JxlDecoderSubscribeEvents(Pointer decoder, int events);

        int JxlDecoderSetKeepOrientation(Pointer decoder, int keep);

        int JxlDecoderSetInput(Pointer decoder, Pointer data, long size);

        void JxlDecoderCloseInput(Pointer decoder);

        int JxlDecoderProcessInput(Pointer decoder);

        int JxlDecoderGetBasicInfo(Pointer decoder, Pointer info);

        int JxlDecoderImageOutBufferSize(Pointer decoder, Pointer pixelFormat, LongByReference size);

        int JxlDecoderSetImageOutBuffer(Pointer decoder, Pointer pixelFormat, Pointer buffer, long size);
    }

    /** libjxl's sample type for a dtype's samples in memory. */
    static int dataType(DType dtype) {
        switch (dtype) {
            case UINT8:
                return TYPE_UINT8;
            case UINT16:
                return TYPE_UINT16;
            case FLOAT32:
                return TYPE_FLOAT;
            default:
                throw new IllegalArgumentException("dtype " + dtype + " has no JPEG XL sample type here");
        }
    }

    /** A {@code JxlPixelFormat} for planes of {@code spec}: interleaved samples, native byte order, rows unaligned. */
    static Memory pixelFormat(PlaneSpec spec) {
        Memory m = new Memory(PIXEL_FORMAT_SIZE);
        m.clear();
        m.setInt(0, spec.channels().samplesPerPixel());
        m.setInt(4, dataType(spec.dtype()));
        m.setInt(8, NATIVE_ENDIAN);
        m.setLong(16, 0);
        return m;
    }

    /**
     * Loads and binds {@code library}; the description names libjxl's version and the file.
     *
     * @throws UnsatisfiedLinkError if it cannot be loaded or lacks a function
     */
    static LazyNativeLibrary.Bound<Api> bind(String library) {
        if (Native.SIZE_T_SIZE != 8) {
            throw new UnsatisfiedLinkError("this binding needs a 64-bit JVM (size_t is " + Native.SIZE_T_SIZE + " bytes here)");
        }
        NativeLibrary lib = NativeLibrary.getInstance(library);
        Api api = Native.load(library, Api.class);
        for (String f : new String[] {"JxlEncoderCreate", "JxlEncoderFrameSettingsCreate", "JxlEncoderSetFrameLossless",
            "JxlEncoderFrameSettingsSetOption", "JxlEncoderProcessOutput", "JxlDecoderCreate", "JxlDecoderSetKeepOrientation",
            "JxlDecoderImageOutBufferSize", "JxlDecoderSetImageOutBuffer", "JxlColorEncodingSetToLinearSRGB"}) {
            lib.getFunction(f); // an UnsatisfiedLinkError now rather than at the first plane
        }
        int v = api.JxlEncoderVersion();
        if (v / 1_000_000 != 0 || v / 1000 % 1000 < 7) {
            // The struct offsets above are those of 0.7; 0.x releases keep JxlBasicInfo's layout, 1.0 may not.
            throw new UnsatisfiedLinkError("libjxl " + version(v) + " is not supported (this binding is written for 0.7 or a later 0.x)");
        }
        String file = lib.getFile() == null ? lib.getName() : lib.getFile().getPath();
        return new LazyNativeLibrary.Bound<>(api, "libjxl " + version(v) + " via JNA " + Native.VERSION + " (" + file + ")");
    }

    /** libjxl's version number (major * 1000000 + minor * 1000 + patch) as text. */
    static String version(int v) {
        return v / 1_000_000 + "." + v / 1000 % 1000 + "." + v % 1000;
    }
}
