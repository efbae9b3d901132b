package org.jpkl.zfp;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.jpkl.api.spi.support.LazyNativeLibrary;

/**
 * libzfp's C API (zfp 1.0, {@code libzfp.so.1}, Debian package {@code libzfp1}), the functions this
 * codec calls, bound with JNA's interface mapping.
 *
 * <p>Why interface mapping, not the direct mapping of jpkl-jpeg's TurboJPEG binding: direct mapping
 * binds a class's native methods to one library per JVM, which needs JVM-wide state; an interface
 * mapping is one object per library, owned by the codec instance (through
 * {@link LazyNativeLibrary}), so a codec configured with another library (provider option
 * {@value ZfpCodec#OPTION_LIBRARY}) simply loads it. The per-call cost of the proxy (a few
 * microseconds) is paid about ten times per plane.
 *
 * <p>Thread safety: libzfp's functions are reentrant on distinct {@code zfp_stream}s; each encoder and
 * decoder makes its own.
 */
final class Zfp {
    /** The library name JNA looks up by default (it finds {@code libzfp.so.1} without the -dev package). */
    static final String DEFAULT_LIBRARY = "zfp";

    /** zfp_type_float. */
    static final int TYPE_FLOAT = 3;
    /** zfp_type_double. */
    static final int TYPE_DOUBLE = 4;

    private Zfp() {
    }

    /**
     * The functions called; names and signatures as in zfp.h and bitstream.h of zfp 1.0, with C
     * {@code size_t} as a Java {@code long} ({@link #bind} refuses a JVM whose {@code size_t} is not 64 bits).
     */
    interface Api extends Library {
        Pointer zfp_field_2d(Pointer data, int type, long nx, long ny);

        Pointer zfp_field_3d(Pointer data, int type, long nx, long ny, long nz);

        void zfp_field_free(Pointer field);

        Pointer zfp_stream_open(Pointer bitstream);

        void zfp_stream_close(Pointer zfp);

        double zfp_stream_set_accuracy(Pointer zfp, double tolerance);

        int zfp_stream_set_precision(Pointer zfp, int precision);

        double zfp_stream_set_rate(Pointer zfp, double rate, int type, int dims, int align);

        void zfp_stream_set_reversible(Pointer zfp);

        long zfp_stream_maximum_size(Pointer zfp, Pointer field);

        Pointer stream_open(Pointer buffer, long bytes);

        void stream_close(Pointer bitstream);

        void zfp_stream_set_bit_stream(Pointer zfp, Pointer bitstream);

        void zfp_stream_rewind(Pointer zfp);

        long zfp_compress(Pointer zfp, Pointer field);

        long zfp_decompress(Pointer zfp, Pointer field);
    }

    /**
     * Loads and binds {@code library}; the description names zfp's own version string and the file.
     *
     * @throws UnsatisfiedLinkError if it cannot be loaded or lacks a function
     */
    static LazyNativeLibrary.Bound<Api> bind(String library) {
        if (Native.SIZE_T_SIZE != 8) {
            throw new UnsatisfiedLinkError("this binding needs a 64-bit JVM (size_t is " + Native.SIZE_T_SIZE + " bytes here)");
        }
        NativeLibrary lib = NativeLibrary.getInstance(library);
        Api api = Native.load(library, Api.class);
        String version;
        try {
            version = lib.getGlobalVariableAddress("zfp_version_string").getPointer(0).getString(0);
        } catch (UnsatisfiedLinkError e) {
            throw new UnsatisfiedLinkError(library + " is not libzfp (no zfp_version_string)");
        }
        int libraryVersion = lib.getGlobalVariableAddress("zfp_library_version").getInt(0);
        if (libraryVersion < 0x1000) {
            throw new UnsatisfiedLinkError(library + " is " + version + "; zfp 1.0.0 or later is needed");
        }
        for (String f : new String[] {"zfp_field_2d", "zfp_field_3d", "zfp_stream_open", "zfp_stream_set_reversible", "stream_open",
            "zfp_compress", "zfp_decompress", "zfp_stream_maximum_size"}) {
            lib.getFunction(f); // an UnsatisfiedLinkError now rather than at the first plane
        }
        String file = lib.getFile() == null ? lib.getName() : lib.getFile().getPath();
        return new LazyNativeLibrary.Bound<>(api, version + " via JNA " + Native.VERSION + " (" + file + ")");
    }
}
