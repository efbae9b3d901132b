package org.jpkl.tests.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.tests.NativeCodecs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A codec whose native library is missing is, in {@link CodecSerializerMatrixTest}, a test that skips
 * with a message, or fails under CI: never a silent gap in the matrix.
 */
class UnavailableCodecRequirementTest {
    private static final String REASON = "libzfp.so.1: cannot open shared object file";

    /** The identity codec as {@code id}, reporting itself unavailable. */
    private static SliceCodec missing(String id) {
        IdentityCodec identity = new IdentityCodec();
        return new SliceCodec() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public CodecCapabilities capabilities() {
                return identity.capabilities();
            }

            @Override
            public Availability availability() {
                return Availability.unavailable(REASON);
            }

            @Override
            public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
                throw new IllegalStateException(REASON);
            }

            @Override
            public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
                throw new IllegalStateException(REASON);
            }
        };
    }

    @Test
    void theMatrixHasOneTestPerUnavailableCodecThatSkipsOrFailsUnderCi() {
        List<DynamicTest> tests = CodecSerializerMatrixTest.requirements(List.of(new IdentityCodec(), missing("zfp")));
        assertEquals(List.of("zfp is available here"), tests.stream().map(DynamicTest::getDisplayName).toList());
        String message = "codec zfp is not available here: " + REASON + " (apt-get install libzfp1)";
        if (OptionalPieces.strict()) {
            assertEquals("CI=true, so this test must run, but " + message,
                    assertThrows(AssertionFailedError.class, () -> tests.get(0).getExecutable().execute()).getMessage());
        } else {
            assertEquals(message, assertThrows(TestAbortedException.class, () -> tests.get(0).getExecutable().execute()).getMessage()
                    .replaceFirst("^Assumption failed: ", ""));
        }
    }

    @Test
    void skipsWithTheReasonAndPackageOrFailsWhenStrict() {
        SliceCodec zfp = missing("zfp");
        String message = "codec zfp is not available here: " + REASON + " (apt-get install libzfp1)";
        assertEquals(message, assertThrows(TestAbortedException.class, () -> NativeCodecs.require(zfp, false)).getMessage()
                .replaceFirst("^Assumption failed: ", ""));
        assertEquals("CI=true, so this test must run, but " + message,
                assertThrows(AssertionFailedError.class, () -> NativeCodecs.require(zfp, true)).getMessage());
        NativeCodecs.require(new IdentityCodec(), true);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> NativeCodecs.require(missing("test-x"), false));
        assertEquals("codec 'test-x' is unavailable (" + REASON + ") but not among the native-library codecs "
                + NativeCodecs.PACKAGES.keySet() + "; add its Debian package to NativeCodecs.PACKAGES", unknown.getMessage());
        assertEquals(Map.of("jpeg", "libturbojpeg0", "zfp", "libzfp1", "lerc", "liblerc4", "jpegls", "libcharls2",
                "jpegxl", "libjxl0.7"), NativeCodecs.PACKAGES);
    }
}
