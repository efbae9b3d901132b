package org.jpkl.jpeg;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Optional;

/**
 * libjpeg-turbo's TurboJPEG C API ({@code libturbojpeg.so.0}, Debian package {@code libturbojpeg0};
 * {@code turbojpeg.dll} / {@code libturbojpeg.dylib} elsewhere), bound with JNA direct mapping.
 *
 * <p>Why JNA: the API is nine plain C functions on pointers and integers, so JNA's direct mapping
 * ({@link Native#register}) calls them at JNI speed (3.8 M trivial calls/s measured) without a line of
 * C or a per-platform build of our own; JNA ships its small JNI stub for every platform in its jar.
 * Java 17 has no stable foreign-function API (Panama is final only in Java 22). Buffers cross as
 * native {@link com.sun.jna.Memory} owned by the compressor or decompressor and copied with one
 * region copy each way: a Java {@code byte[]} argument would make JNA copy the whole array in and
 * out on every call.
 *
 * <p>The library is looked up on first use of this class's {@link #unavailableReason()} (normally
 * the first use of a {@link JpegCodec}), never during ServiceLoader discovery. Its name is
 * {@code turbojpeg} (JNA finds {@code libturbojpeg.so.0} without the {@code -dev} package), or the
 * name or absolute path in the system property {@value #LIBRARY_PROPERTY}, read once at that first
 * use; tests set it to a name that does not exist to see the unavailable path.
 *
 * <p>Thread safety: the binding is made once per JVM (by the class initialisation of a holder) and
 * immutable afterwards; TurboJPEG handles are one per compressor or decompressor, one per thread.
 */
final class TurboJpeg {
    /** System property naming the TurboJPEG library (a JNA library name or an absolute path). */
    static final String LIBRARY_PROPERTY = "jpkl.jpeg.turbojpeg.library";
    /** The library name JNA looks up by default. */
    static final String DEFAULT_LIBRARY = "turbojpeg";

    /** TJPF_RGB: 3 bytes per pixel, R, G, B. */
    static final int PF_RGB = 0;
    /** TJPF_GRAY: 1 byte per pixel. */
    static final int PF_GRAY = 6;
    /** TJSAMP_444: no chroma subsampling. */
    static final int SAMP_444 = 0;
    /** TJSAMP_420: chroma halved both ways. */
    static final int SAMP_420 = 2;
    /** TJSAMP_GRAY: one luminance component. */
    static final int SAMP_GRAY = 3;
    /** TJFLAG_NOREALLOC: write into the caller's buffer of {@code tjBufSize()} bytes, never reallocate it. */
    static final int FLAG_NOREALLOC = 1024;
    /**
     * TJFLAG_ACCURATEDCT: the accurate integer DCT (JDCT_ISLOW), as ImageIO and Pillow use; without it
     * tjCompress2 uses the fast DCT below quality 96 and writes different (1-10 % larger) streams.
     */
    static final int FLAG_ACCURATEDCT = 4096;
    /** TJFLAG_STOPONWARNING: a libjpeg warning (truncated or corrupt data) stops decoding as an error. */
    static final int FLAG_STOPONWARNING = 8192;
    /** TJERR_WARNING, returned by tjGetErrorCode for a non-fatal libjpeg warning. */
    static final int ERR_WARNING = 0;

    private TurboJpeg() {
    }

    /** The outcome of loading the library: its description, or why it cannot be used. */
    private static final class Loaded {
        final String description;
        final String failure;

        Loaded(String description, String failure) {
            this.description = description;
            this.failure = failure;
        }
    }

    /** The binding: the class initialisation loads the library once, on first access. */
    static final class Binding {
        static final Loaded LOADED = load();

        private Binding() {
        }

        private static Loaded load() {
            String property = System.getProperty(LIBRARY_PROPERTY);
            String name = property == null || property.isBlank() ? DEFAULT_LIBRARY : property.trim();
            String origin = name.equals(DEFAULT_LIBRARY) ? "" : " (named by -D" + LIBRARY_PROPERTY + ")";
            NativeLibrary library;
            try {
                library = NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError e) {
                return new Loaded(null, "the TurboJPEG library '" + name + "'" + origin + " could not be loaded: " + brief(e)
                        + "; install libjpeg-turbo's TurboJPEG library (Debian/Ubuntu: apt-get install libturbojpeg0)");
            } catch (LinkageError | RuntimeException e) {
                return new Loaded(null, "JNA could not start (" + brief(e) + "); JNA unpacks its native stub into"
                        + " -Djna.tmpdir or the user cache directory, which must allow executing files");
            }
            String file = library.getFile() == null ? library.getName() : library.getFile().getPath();
            try {
                Native.register(Binding.class, library);
            } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                return new Loaded(null, file + " lacks a TurboJPEG function this codec calls (" + brief(e)
                        + "); libjpeg-turbo 2.0 or later is needed");
            }
            Pointer probe = tjInitDecompress();
            if (probe == null) {
                return new Loaded(null, file + " loaded, but tjInitDecompress failed: " + tjGetErrorStr2(null));
            }
            tjDestroy(probe);
            return new Loaded("libjpeg-turbo TurboJPEG via JNA " + Native.VERSION + " (" + file + ")", null);
        }

        /**
         * The exception's message on one line: distinct lines only, without JNA's long "not found in
         * resource path (class path...)" line, at most 400 characters.
         */
        private static String brief(Throwable e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            StringBuilder b = new StringBuilder();
            message.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("Native library (")).distinct()
                    .forEach(l -> b.append(b.length() == 0 ? "" : " ").append(l));
            String m = b.length() == 0 ? e.toString() : b.toString();
            return m.length() > 400 ? m.substring(0, 400) + "..." : m;
        }

        static native Pointer tjInitCompress();

        static native Pointer tjInitDecompress();

        static native int tjDestroy(Pointer handle);

        static native NativeLong tjBufSize(int width, int height, int subsamp);

        static native int tjCompress2(Pointer handle, Pointer src, int width, int pitch, int height, int pixelFormat,
                PointerByReference jpegBuf, NativeLongByReference jpegSize, int subsamp, int quality, int flags);

        static native int tjDecompressHeader3(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, IntByReference width,
                IntByReference height, IntByReference subsamp, IntByReference colorspace);

        static native int tjDecompress2(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, Pointer dst, int width, int pitch,
                int height, int pixelFormat, int flags);

        static native String tjGetErrorStr2(Pointer handle);

        static native int tjGetErrorCode(Pointer handle);
    }

    /**
     * Why TurboJPEG cannot be used in this JVM, or empty when it can. The first call loads the library
     * (never throws); later calls return the same answer.
     */
    static Optional<String> unavailableReason() {
        try {
            return Optional.ofNullable(Binding.LOADED.failure);
        } catch (LinkageError e) { // JNA's classes are missing or could not be initialised
            return Optional.of("JNA (net.java.dev.jna:jna) is not usable here: " + e);
        }
    }

    /**
     * What runs, e.g. {@code libjpeg-turbo TurboJPEG via JNA 5.18.1 (/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0)}.
     *
     * @throws IllegalStateException if TurboJPEG is unavailable
     */
    static String describe() {
        requireAvailable();
        return Binding.LOADED.description;
    }

    /** @throws IllegalStateException with the reason if TurboJPEG is unavailable */
    static void requireAvailable() {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException("TurboJPEG is unavailable: " + reason.get());
        }
    }

    /** The library's message for the last failure on {@code handle}, and whether it was only a warning. */
    static String error(Pointer handle) {
        String message = Binding.tjGetErrorStr2(handle);
        return message == null || message.isBlank() ? "unknown TurboJPEG error" : message.trim();
    }

    /** Whether the last failure on {@code handle} was a libjpeg warning (e.g. "Premature end of JPEG file"). */
    static boolean wasWarning(Pointer handle) {
        return Binding.tjGetErrorCode(handle) == ERR_WARNING;
    }
}
