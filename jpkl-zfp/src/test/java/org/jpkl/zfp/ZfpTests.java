package org.jpkl.zfp;

import org.jpkl.api.testing.OptionalPieces;

/**
 * Test helper for tests that need libzfp: where it is missing they are skipped with the reason, except
 * under CI ({@link OptionalPieces#strict()}: CI installs libzfp1, so a missing library there fails).
 */
final class ZfpTests {
    private ZfpTests() {
    }

    /** Skips the calling test (or fails it on CI) unless libzfp loads. */
    static void assumeZfp() {
        OptionalPieces.require("libzfp", new ZfpCodec().availability().reason(), "libzfp1");
    }
}
