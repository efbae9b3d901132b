package org.jpkl.jpegls;

import org.jpkl.api.testing.OptionalPieces;

/**
 * Test helper for tests that need CharLS: where it is missing they are skipped with the reason, except
 * under CI ({@link OptionalPieces#strict()}: CI installs libcharls2, so a missing library there fails).
 */
final class JpegLsTests {
    private JpegLsTests() {
    }

    /** Skips the calling test (or fails it on CI) unless CharLS loads. */
    static void assumeJpegLs() {
        OptionalPieces.require("CharLS", new JpegLsCodec().availability().reason(), "libcharls2");
    }
}
