package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helper for tests that need libturbojpeg: where it is missing they are skipped with the reason,
 * except when the environment variable {@code CI} is {@code true} (CI installs libturbojpeg0, so a
 * missing library there is a failure, not a skip).
 */
final class TurboJpegTests {
    private TurboJpegTests() {
    }

    /** Skips the calling test (or fails it on CI) unless TurboJPEG loads in this JVM. */
    static void assumeTurboJpeg() {
        Optional<String> reason = TurboJpeg.unavailableReason();
        if (reason.isEmpty()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and TurboJPEG is unavailable (.ci/run installs libturbojpeg0): " + reason.get());
        }
        Assumptions.abort("TurboJPEG is not installed here; skipping a TurboJPEG test (with CI=true it would fail): "
                + reason.get());
    }
}
