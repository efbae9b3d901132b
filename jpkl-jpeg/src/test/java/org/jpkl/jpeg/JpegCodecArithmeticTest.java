package org.jpkl.jpeg;

import java.util.Map;

/**
 * The SliceCodec contract ({@link JpegCodecTest}'s bounds) with {@code tables=header, coding=arithmetic}:
 * every contract plane (noise, constants, extremes) is arithmetic-coded, decoded by the default backend,
 * and the slices' truncation and garbage are refused ({@link JpegArithmetic} accepts only the exact
 * coding of what it decodes; {@link JpegHuffmanTest} checks the samples equal the Huffman-coded ones').
 */
class JpegCodecArithmeticTest extends JpegCodecTest {
    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("tables", "header", "coding", "arithmetic");
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("tables", "header", "coding", "arith");
    }

    @Override
    protected String invalidParamsMessage() {
        return "coding (arith) must be one of [huffman, arithmetic]";
    }
}
