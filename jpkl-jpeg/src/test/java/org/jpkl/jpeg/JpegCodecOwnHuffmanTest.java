package org.jpkl.jpeg;

import java.util.Map;

/**
 * The SliceCodec contract ({@link JpegCodecTest}'s bounds) with {@code tables=header} and the
 * container's own Huffman tables (fixed ones, as {@code Jpkl.save} stores after binding
 * {@code huffman=optimized}; {@link JpegHuffmanTest} checks the samples equal the standard tables'):
 * every contract plane (noise, constants, extremes) is re-coded by the transcoder, and the slices
 * survive the contract's truncation and garbage.
 */
class JpegCodecOwnHuffmanTest extends JpegCodecTest {
    /** Tables built from counts favouring small values: every symbol coded, long codes for large ones. */
    static final String TABLES;

    static {
        long[][] counts = new long[4][256];
        for (int t = 0; t < 4; t++) {
            for (int s = 0; s < 256; s++) {
                counts[t][s] = 1L << Math.max(0, 20 - (s & 0x0F) * 2 - (s >> 4));
            }
        }
        TABLES = JpegHuffman.optimal(counts).toString();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("tables", "header", "huffman", TABLES);
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("tables", "header", "huffman", "QUJD");
    }

    @Override
    protected String invalidParamsMessage() {
        return "huffman (QUJD) must be standard, optimized or Huffman tables (base64 of the DHT segments DC 0, AC 0[, DC 1, AC 1]):"
                + " byte 0 of 3 does not start a DHT segment (FFC4 and its length)";
    }
}
