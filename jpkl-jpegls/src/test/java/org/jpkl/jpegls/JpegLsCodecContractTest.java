package org.jpkl.jpegls;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The codec contract for {@code jpegls}, once per near: 0 (the default) is bit-exact, 3 keeps every sample within 3. */
@ParameterizedClass(name = "near {0}")
@ValueSource(ints = {0, 3})
class JpegLsCodecContractTest extends AbstractSliceCodecTest {
    @Parameter
    int near;

    @BeforeEach
    void needsCharLs() {
        JpegLsTests.assumeJpegLs();
    }

    @Override
    protected SliceCodec codec() {
        return new JpegLsCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return near == 0 ? Map.of() : Map.of("near", Integer.toString(near));
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return near;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("near", "256");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'jpegls': near (256) must be an integer in [0, 255]";
    }
}
