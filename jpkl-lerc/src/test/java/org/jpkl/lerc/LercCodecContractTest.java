package org.jpkl.lerc;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codec contract for {@code lerc}, once per maxZError: 0 (the default) is bit-exact for every
 * dtype (NaN and infinities: LercBoundTest), 3 keeps every sample within 3 of the original.
 */
@ParameterizedClass(name = "maxZError {0}")
@ValueSource(ints = {0, 3})
class LercCodecContractTest extends AbstractSliceCodecTest {
    @Parameter
    int maxZError;

    @BeforeEach
    void needsLerc() {
        LercTests.assumeLerc();
    }

    @Override
    protected SliceCodec codec() {
        return new LercCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return maxZError == 0 ? Map.of() : Map.of("maxZError", Integer.toString(maxZError));
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return maxZError;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("maxZError", "-1");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'lerc': maxZError (-1) must be a number in [0, 1.0E300]";
    }
}
