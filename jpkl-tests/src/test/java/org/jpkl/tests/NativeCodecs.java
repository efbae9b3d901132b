package org.jpkl.tests;

import java.util.Map;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.OptionalPieces;

/**
 * The codecs that need a native library, with the Debian package that brings it, for tests that
 * run every codec: an unavailable one is skipped with its reason and package, except under CI
 * ({@link OptionalPieces#strict()}), where {@code .ci/run} installs them all and a missing one fails.
 *
 * <p>Stateless.
 */
public final class NativeCodecs {
    /** The Debian package of each codec that loads a native library. */
    public static final Map<String, String> PACKAGES = Map.of("jpeg", "libturbojpeg0", "zfp", "libzfp1", "lerc", "liblerc4",
            "jpegls", "libcharls2", "jpegxl", "libjxl0.7");

    private NativeCodecs() {
    }

    /** As {@link #require(SliceCodec, boolean)} with {@link OptionalPieces#strict()}. */
    public static void require(SliceCodec codec) {
        require(codec, OptionalPieces.strict());
    }

    /**
     * Returns when {@code codec} is available here; else skips the calling test naming the codec,
     * the reason and the package, or fails it when {@code strict}.
     *
     * @throws IllegalArgumentException if an unavailable codec is not in {@link #PACKAGES} (add it there)
     */
    public static void require(SliceCodec codec, boolean strict) {
        if (codec.availability().isAvailable()) {
            return;
        }
        String packages = PACKAGES.get(codec.id());
        if (packages == null) {
            throw new IllegalArgumentException("codec '" + codec.id() + "' is unavailable (" + codec.availability().reason().orElse("")
                    + ") but not among the native-library codecs " + PACKAGES.keySet() + "; add its Debian package to NativeCodecs.PACKAGES");
        }
        OptionalPieces.require("codec " + codec.id(), codec.availability().reason(), packages, strict);
    }
}
