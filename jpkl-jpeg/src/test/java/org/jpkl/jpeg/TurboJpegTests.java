package org.jpkl.jpeg;

import org.jpkl.api.testing.OptionalPieces;

/**
 * Test helper for tests that need libturbojpeg: where it is missing they are skipped with the reason,
 * except under CI ({@link OptionalPieces#strict()}: CI installs libturbojpeg0, so a missing library
 * there is a failure, not a skip).
 */
final class TurboJpegTests {
    private TurboJpegTests() {
    }

    /** Skips the calling test (or fails it on CI) unless TurboJPEG loads in this JVM. */
    static void assumeTurboJpeg() {
        OptionalPieces.require("TurboJPEG", TurboJpeg.unavailableReason(), "libturbojpeg0");
    }
}
