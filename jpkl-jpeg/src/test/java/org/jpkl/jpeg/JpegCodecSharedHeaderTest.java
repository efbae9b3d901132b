package org.jpkl.jpeg;

import java.util.Map;

/**
 * The SliceCodec contract ({@link JpegCodecTest}'s bounds) with {@code tables=header}: slices of scan
 * data, whose header the decoder rebuilds, decode to the samples of complete ones
 * ({@link JpegSharedHeaderTest} checks equality), and survive the contract's truncation and garbage.
 */
class JpegCodecSharedHeaderTest extends JpegCodecTest {
    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("tables", "header");
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("tables", "scan");
    }

    @Override
    protected String invalidParamsMessage() {
        return "tables (scan) must be one of [inline, shared, header]";
    }
}
