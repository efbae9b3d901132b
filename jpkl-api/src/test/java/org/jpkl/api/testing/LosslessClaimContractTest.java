package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The codec contract catches a codec that says it is lossless at some settings
 * ({@link SliceCodec#isLossless(CodecParams)}) but is not exact there, even when its test allows an
 * error bound; and asks nothing exact of settings the codec calls lossy.
 */
class LosslessClaimContractTest {
    /** Lossy in general ({@code near} 1..3); claims {@code near} 0 is exact, yet flips one bit of every plane whatever near is. */
    static final class LyingCodec implements SliceCodec {
        static final String ID = "test-lying";
        private static final CodecCapabilities CAPS = CodecCapabilities.builder().lossless(false).dtypes(DType.values())
                .channels(ChannelLayout.values()).param("near", ParamType.integer(0, 3), "0", "claimed max error")
                .description("claims exactness it does not have (tests only)").build();
        private final IdentityCodec identity = new IdentityCodec();

        @Override
        public String id() {
            return ID;
        }

        @Override
        public CodecCapabilities capabilities() {
            return CAPS;
        }

        @Override
        public boolean isLossless(CodecParams params) {
            return CodecParams.requireOwn(ID, TypedParams.class, params).intValue("near") == 0;
        }

        @Override
        public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
            SliceEncoder inner = identity.newEncoder(identity.params(Map.of()), spec);
            return new SliceEncoder() {
                @Override
                public byte[] encode(PlaneBuffer plane) throws java.io.IOException {
                    byte[] out = inner.encode(plane);
                    out[out.length - 1] ^= 1;
                    return out;
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }

        @Override
        public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
            return identity.newDecoder(identity.params(Map.of()), spec);
        }
    }

    /** The contract on {@link LyingCodec} at {@code params}, with a generous error bound (not a test class itself). */
    static final class Contract extends AbstractSliceCodecTest {
        private final Map<String, String> params;

        Contract(Map<String, String> params) {
            this.params = params;
        }

        @Override
        protected SliceCodec codec() {
            return new LyingCodec();
        }

        @Override
        protected Map<String, String> sampleParams() {
            return params;
        }

        @Override
        protected double maxAbsError(DType dtype, ChannelLayout channels) {
            return Double.POSITIVE_INFINITY;
        }
    }

    @Test
    void aCodecClaimingExactnessItLacksFailsEveryExactCheck() {
        // near=3 exercised, near=0 (the defaults) too: the claim at the defaults is checked whatever the sample params are.
        List<DynamicTest> checks = new Contract(Map.of("near", "3")).bitIdenticalWhereverTheCodecSaysLossless();
        int expected = DType.values().length * ChannelLayout.values().length * AbstractSliceCodecTest.SHAPES.length;
        assertEquals(expected, checks.size(), "one check per dtype, layout and shape, at the defaults only");
        for (DynamicTest check : checks) {
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check.getExecutable().execute(), check.getDisplayName());
            assertTrue(e.getMessage().startsWith("codec 'test-lying' says it is lossless at {near=0}, but the round trip of "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(" is not bit-identical: sample "), e.getMessage());
        }
    }

    @Test
    void theBoundedRoundTripIsExactWhereTheCodecSaysLosslessWhateverTheBound() throws Throwable {
        List<DynamicTest> trips = new Contract(Map.of()).roundTripsEverySupportedDtypeLayoutAndShape();
        DynamicTest first = trips.get(0);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> first.getExecutable().execute());
        assertTrue(e.getMessage().startsWith("lossless round trip of " + first.getDisplayName() + " is not bit-exact"), e.getMessage());
        // At near=3 the codec promises nothing exact: the bounded round trip (infinite bound here) passes.
        new Contract(Map.of("near", "3")).roundTripsEverySupportedDtypeLayoutAndShape().get(0).getExecutable().execute();
    }

    @Test
    void anHonestCodecPassesTheExactChecks() throws Throwable {
        List<DynamicTest> checks = new IdentityCodecTest().bitIdenticalWhereverTheCodecSaysLossless();
        assertEquals(DType.values().length * ChannelLayout.values().length * AbstractSliceCodecTest.SHAPES.length, checks.size());
        for (DynamicTest check : checks) {
            check.getExecutable().execute();
        }
    }
}
