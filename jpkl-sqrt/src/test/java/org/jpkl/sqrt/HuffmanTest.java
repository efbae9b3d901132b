package org.jpkl.sqrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Length-limited canonical Huffman codes: depth limit, prefix property, and refused tables. */
class HuffmanTest {
    @Test
    void fibonacciFrequenciesAreLimitedToFifteenBitsAndStayAPrefixCode() {
        int[] f = new int[30];
        f[0] = 1;
        f[1] = 1;
        for (int i = 2; i < f.length; i++) {
            f[i] = f[i - 1] + f[i - 2]; // an unlimited Huffman code would be 29 deep
        }
        byte[] lengths = Huffman.lengths(f, f.length);
        long kraft = 0;
        for (byte len : lengths) {
            assertTrue(len >= 1 && len <= Huffman.MAX_LENGTH, "length " + len);
            kraft += 1L << (Huffman.MAX_LENGTH - len);
        }
        assertEquals(1L << Huffman.MAX_LENGTH, kraft, "complete code");
        assertNotNull(Huffman.Decoding.of(lengths, lengths.length));
    }

    @Test
    void canonicalCodesAreAssignedByLengthThenSymbol() {
        byte[] lengths = {2, 1, 3, 3};
        int[] codes = Huffman.codes(lengths, 4);
        assertEquals(0b10 << 4 | 2, codes[0]);
        assertEquals(0b0 << 4 | 1, codes[1]);
        assertEquals(0b110 << 4 | 3, codes[2]);
        assertEquals(0b111 << 4 | 3, codes[3]);
    }

    @Test
    void singleSymbolGetsOneBitAndOversubscribedLengthsAreRefused() {
        int[] f = new int[5];
        f[3] = 9;
        assertEquals(1, Huffman.lengths(f, 5)[3]);
        assertNull(Huffman.Decoding.of(new byte[] {1, 1, 1}, 3));
        assertNull(Huffman.Decoding.of(new byte[] {0, 0}, 2));
    }
}
