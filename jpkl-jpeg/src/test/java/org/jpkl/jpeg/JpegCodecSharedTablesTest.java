package org.jpkl.jpeg;

import java.util.Map;

/**
 * The SliceCodec contract ({@link JpegCodecTest}'s bounds) with {@code tables=shared}: abbreviated
 * slices, whose tables the decoder splices back, decode to the samples of complete ones
 * ({@link JpegSharedTablesTest} checks equality), and survive the contract's truncation and mutation.
 */
class JpegCodecSharedTablesTest extends JpegCodecTest {
    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("tables", "shared");
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("tables", "own");
    }

    @Override
    protected String invalidParamsMessage() {
        return "tables (own) must be one of [inline, shared, header]";
    }
}
