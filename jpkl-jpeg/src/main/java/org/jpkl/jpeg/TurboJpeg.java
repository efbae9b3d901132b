package org.jpkl.jpeg;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Optional;
import org.jpkl.api.spi.support.LazyNativeLibrary;

/**
 * libjpeg-turbo's TurboJPEG C API ({@code libturbojpeg.so.0}, Debian package {@code libturbojpeg0};
 * {@code turbojpeg.dll} / {@code libturbojpeg.dylib} elsewhere), bound with JNA direct mapping.
 *
 * <p>Why JNA: the API is nine plain C functions on pointers and integers, so JNA's direct mapping
 * ({@link Native#register}) calls them at JNI speed (figure in docs/PERFORMANCE.md) without a line of
 * C or a per-platform build of our own; JNA ships its small JNI stub for every platform in its jar.
 * Java 17 has no stable foreign-function API (Panama is final only in Java 22). Buffers cross as
 * native {@link com.sun.jna.Memory} owned by the compressor or decompressor and copied with one
 * region copy each way: a Java {@code byte[]} argument would make JNA copy the whole array in and
 * out on every call.
 *
 * <p>The library is looked up on the first {@link #unavailableReason(String)} call (normally the
 * first use of a {@link JpegCodec}), never during ServiceLoader discovery. Its name is
 * {@value #DEFAULT_LIBRARY} (JNA finds {@code libturbojpeg.so.0} without the {@code -dev} package),
 * or the name or absolute path a codec got through its provider option
 * {@value JpegCodec#OPTION_LIBRARY}; tests name a library that does not exist to see the unavailable
 * path.
 *
 * <p>Thread safety: JNA's direct mapping binds the native methods of {@link Binding} once per JVM,
 * so the first library that loads is the one every codec of the JVM uses; asking for another name
 * afterwards reports that codec unavailable with the reason (never a silent switch). That one
 * binding, guarded by a lock, is the only state here: it mirrors the JVM-wide native linkage. A
 * failed load binds nothing and is retried by the next codec instance that asks. TurboJPEG handles
 * are one per compressor or decompressor, one per thread.
 */
final class TurboJpeg {
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

    private static final Object LOCK = new Object();
    /** The library bound to {@link Binding} in this JVM, or null while none is (guarded by {@link #LOCK}). */
    private static Loaded bound;
    /** A library bound to {@link Binding} that then failed its probe, or null (guarded by {@link #LOCK}). */
    private static Loaded broken;

    /** The outcome of loading a library: its description, or why it cannot be used. */
    private static final class Loaded {
        final String name;
        final String description;
        final String failure;
        /** Whether {@link Binding}'s methods were bound to it (true also when its probe then failed). */
        final boolean registered;

        Loaded(String name, String description, String failure) {
            this(name, description, failure, false);
        }

        Loaded(String name, String description, String failure, boolean registered) {
            this.name = name;
            this.description = description;
            this.failure = failure;
            this.registered = registered;
        }
    }

    /** The native methods, bound by {@link #load} to one library per JVM. */
    static final class Binding {
        private Binding() {
        }

        private static Loaded load(String name) {
            String origin = name.equals(DEFAULT_LIBRARY) ? "" : " (named by provider option " + JpegCodec.OPTION_LIBRARY + ")";
            NativeLibrary library;
            try {
                library = NativeLibrary.getInstance(name);
            } catch (UnsatisfiedLinkError e) {
                return new Loaded(name, null, "the TurboJPEG library '" + name + "'" + origin + " could not be loaded: "
                        + LazyNativeLibrary.brief(e)
                        + "; install libjpeg-turbo's TurboJPEG library (Debian/Ubuntu: apt-get install libturbojpeg0)");
            } catch (LinkageError | RuntimeException e) {
                return new Loaded(name, null, "JNA could not start (" + LazyNativeLibrary.brief(e) + "); JNA unpacks its native stub into"
                        + " -Djna.tmpdir or the user cache directory, which must allow executing files");
            }
            String file = library.getFile() == null ? library.getName() : library.getFile().getPath();
            try {
                Native.register(Binding.class, library);
            } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                return new Loaded(name, null, file + " lacks a TurboJPEG function this codec calls (" + LazyNativeLibrary.brief(e)
                        + "); libjpeg-turbo 2.0 or later is needed");
            }
            Pointer probe = tjInitDecompress();
            if (probe == null) {
                return new Loaded(name, null, file + " loaded, but tjInitDecompress failed: " + tjGetErrorStr2(null), true);
            }
            tjDestroy(probe);
            return new Loaded(name, "libjpeg-turbo TurboJPEG via JNA " + Native.VERSION + " (" + file + ")", null);
        }

        static native Pointer tjInitCompress();

        static native Pointer tjInitDecompress();

        static native int tjDestroy(Pointer handle);

        static native NativeLong tjBufSize(int width, int height, int subsamp);

        static native int tjCompress2(Pointer handle, Pointer src, int width, int pitch, int height, int pixelFormat,
                PointerByReference jpegBuf, NativeLongByReference jpegSize, int subsamp, int quality, int flags);

        static native int tjDecompress2(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, Pointer dst, int width, int pitch,
                int height, int pixelFormat, int flags);

        static native String tjGetErrorStr2(Pointer handle);

        static native int tjGetErrorCode(Pointer handle);
    }

    /** As {@link #unavailableReason(String)} for the default library {@value #DEFAULT_LIBRARY}. */
    static Optional<String> unavailableReason() {
        return unavailableReason(DEFAULT_LIBRARY);
    }

    /**
     * Why the TurboJPEG library {@code library} (a JNA name or an absolute path) cannot be used, or
     * empty when it can. The first successful call binds it for the JVM; later calls for the same
     * name return at once, calls for another name report the one bound. Never throws.
     */
    static Optional<String> unavailableReason(String library) {
        try {
            synchronized (LOCK) {
                if (bound != null) {
                    return bound.name.equals(library) ? Optional.empty()
                            : Optional.of("the TurboJPEG library '" + library + "' cannot be used: this JVM already uses '" + bound.name
                                    + "' (" + bound.description + "), and JNA binds one TurboJPEG library per JVM");
                }
                if (broken != null) {
                    return Optional.of(broken.failure + (broken.name.equals(library) ? ""
                            : "; JNA binds one TurboJPEG library per JVM, so '" + library + "' cannot be tried"));
                }
                Loaded loaded = Binding.load(library);
                if (loaded.failure == null) {
                    bound = loaded;
                } else if (loaded.registered) {
                    broken = loaded;
                }
                return Optional.ofNullable(loaded.failure);
            }
        } catch (LinkageError e) { // JNA's classes are missing or could not be initialised
            return Optional.of("JNA (net.java.dev.jna:jna) is not usable here: " + e);
        }
    }

    /**
     * What runs, e.g. {@code libjpeg-turbo TurboJPEG via JNA 5.18.1 (/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0)}.
     *
     * @throws IllegalStateException if no TurboJPEG library is bound
     */
    static String describe() {
        synchronized (LOCK) {
            requireAvailable();
            return bound.description;
        }
    }

    /** @throws IllegalStateException if no TurboJPEG library is bound in this JVM (none loaded yet, or it failed) */
    static void requireAvailable() {
        synchronized (LOCK) {
            if (bound == null) {
                throw new IllegalStateException("TurboJPEG is unavailable: no TurboJPEG library is loaded");
            }
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
