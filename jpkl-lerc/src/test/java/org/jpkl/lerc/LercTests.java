package org.jpkl.lerc;

import org.jpkl.api.testing.OptionalPieces;

/**
 * Test helper for tests that need libLerc: where it is missing they are skipped with the reason, except
 * under CI ({@link OptionalPieces#strict()}: CI installs liblerc4, so a missing library there fails).
 */
final class LercTests {
    private LercTests() {
    }

    /** Skips the calling test (or fails it on CI) unless libLerc loads. */
    static void assumeLerc() {
        OptionalPieces.require("libLerc", new LercCodec().availability().reason(), "liblerc4");
    }
}
