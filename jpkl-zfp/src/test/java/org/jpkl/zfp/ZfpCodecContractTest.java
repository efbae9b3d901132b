package org.jpkl.zfp;

import java.util.List;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec contract for {@code zfp} in each of its modes: the whole contract runs once per
 * {@link Mode}, with that mode's parameters, error bound and an invalid parameter set.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("modes")
class ZfpCodecContractTest extends AbstractSliceCodecTest {
    /**
     * One mode under the contract.
     *
     * @param name the mode, as the test is named
     * @param params {@link #sampleParams()}
     * @param maxAbsError the error bound on the contract's planes (0: bit-exact, special floats included)
     * @param invalid one invalid parameter set
     * @param message what the refusal of {@code invalid} says
     */
    record Mode(String name, Map<String, String> params, double maxAbsError, Map<String, String> invalid, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Mode> modes() {
        return List.of(
                // The default: bit-exact, NaN, infinities, -0.0 and subnormals included.
                new Mode("reversible", Map.of(), 0, Map.of("precision", "65"), "codec 'zfp': precision (65) must be an integer in [1, 64]"),
                // Every sample within the tolerance.
                new Mode("accuracy", Map.of("mode", "accuracy", "tolerance", "0.25"), 0.25, Map.of("mode", "accuracy", "tolerance", "0"),
                        "codec 'zfp': tolerance (0) must be a number in [1.0E-300, 1.0E300]"),
                // 20 bit planes: a relative error; on the contract's planes (values within +-1000, so block exponents up to
                // 2^10) it stays near 2^(10-20+3) for grey (2-D) planes and under twice that for RGB (3-D blocks), measured 0.055.
                new Mode("precision", Map.of("mode", "precision", "precision", "20"), 0.1, Map.of("mode", "fast"),
                        "codec 'zfp': mode (fast) must be one of [reversible, accuracy, precision, rate]"),
                // 16 bits per value: a fixed size, no error bound; measured loosely here.
                new Mode("rate", Map.of("mode", "rate", "rate", "16"), 5, Map.of("rate", "0.5"),
                        "codec 'zfp': rate (0.5) must be a number in [1, 64]"));
    }

    @Parameter
    Mode mode;

    @BeforeEach
    void needsZfp() {
        ZfpTests.assumeZfp();
    }

    @Override
    protected SliceCodec codec() {
        return new ZfpCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return mode.params();
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return mode.maxAbsError();
    }

    @Override
    protected boolean testsSpecialFloats() {
        return mode.maxAbsError() == 0;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return mode.invalid();
    }

    @Override
    protected String invalidParamsMessage() {
        return mode.message();
    }
}
