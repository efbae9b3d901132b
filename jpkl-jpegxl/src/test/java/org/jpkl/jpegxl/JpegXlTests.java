package org.jpkl.jpegxl;

import org.jpkl.api.testing.OptionalPieces;

/**
 * Test helper for tests that need libjxl: where it is missing they are skipped with the reason, except
 * under CI ({@link OptionalPieces#strict()}: CI installs libjxl0.7, so a missing library there fails).
 */
final class JpegXlTests {
    private JpegXlTests() {
    }

    /** Skips the calling test (or fails it on CI) unless libjxl loads. */
    static void assumeJpegXl() {
        OptionalPieces.require("libjxl", new JpegXlCodec().availability().reason(), "libjxl0.7");
    }
}
