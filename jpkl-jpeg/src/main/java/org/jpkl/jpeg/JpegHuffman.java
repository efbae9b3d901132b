package org.jpkl.jpeg;

import java.util.Arrays;
import java.util.Base64;

/**
 * A set of baseline JPEG Huffman tables: DC and AC table 0 (luminance), and for YCbCr also DC and AC
 * table 1 (chrominance), as the DHT segments that a JPEG header carries (one table per segment, in
 * the order DC 0, AC 0, DC 1, AC 1), with the code of every symbol for encoding and the canonical
 * decoding arrays of ITU T.81 Annex F.2.2.3.
 *
 * <p>Every table codes every symbol that baseline 8-bit JPEG can use, so that a scan coded with any
 * other valid tables can be re-coded with these ({@link JpegScanTranscoder}) whatever its data: a DC
 * table codes exactly the categories 0..11, an AC table exactly the 162 run/size symbols (EOB
 * {@code 0x00}, ZRL {@code 0xF0}, and {@code r/s} for runs 0..15 and sizes 1..10). Code lengths are at
 * most 16 bits, the codes form a prefix code assigned canonically (Annex C), and no code is all ones.
 * The standard tables ({@link #standard}, Annex K.3) are such tables; {@link #optimal} builds them from
 * symbol counts (Annex K.2, as libjpeg's {@code jpeg_gen_optimal_table}); {@link #parse} reads their
 * stored form (base64 of the DHT segments, {@link #toString}), refusing anything else.
 *
 * <p>Thread safety: immutable.
 */
final class JpegHuffman {
    /** DC symbols of 8-bit baseline: the difference categories 0..11. */
    static final int DC_SYMBOLS = 12;
    /** AC symbols of 8-bit baseline: EOB, ZRL and 16 runs x 10 sizes. */
    static final int AC_SYMBOLS = 162;
    /** Table slots, in segment order: DC 0, AC 0, DC 1, AC 1. */
    static final int DC0 = 0;
    static final int AC0 = 1;
    static final int DC1 = 2;
    static final int AC1 = 3;
    private static final int DHT = 0xC4;
    /** Longest code JPEG allows. */
    private static final int MAX_LENGTH = 16;
    /** Bits of the decoding lookahead table. */
    static final int LOOKAHEAD = 9;

    /** The tables, 2 (grey) or 4 (YCbCr). */
    private final Table[] tables;
    /** The DHT segments, markers included. */
    private final byte[] segments;

    private JpegHuffman(Table[] tables, byte[] segments) {
        this.tables = tables;
        this.segments = segments;
    }

    /** The standard tables (ITU T.81 Annex K.3) for 1 (grey: DC 0, AC 0) or 3 (YCbCr: all four) components. */
    static JpegHuffman standard(int components) {
        return ofSegments(JpegTables.standard(JpegParams.DEFAULT_QUALITY, components).huffmanSegments());
    }

    /** Whether {@code symbol} is one that a DC ({@code ac} false) or AC table of baseline 8-bit JPEG must code. */
    static boolean isSymbol(boolean ac, int symbol) {
        if (!ac) {
            return symbol >= 0 && symbol < DC_SYMBOLS;
        }
        int size = symbol & 0x0F;
        return symbol == 0x00 || symbol == 0xF0 || (symbol >> 8) == 0 && size >= 1 && size <= 10;
    }

    /**
     * The tables that code symbols with these counts in the fewest bits, within JPEG's limits (Annex
     * K.2 with the reserved all-ones code, as libjpeg's {@code jpeg_gen_optimal_table}). Every symbol
     * gets a code, those counted 0 as if counted once, so that any scan can be coded with them.
     *
     * @param counts per table slot ({@link #DC0} .. {@link #AC1}; 2 or 4 slots) the count of each symbol 0..255
     */
    static JpegHuffman optimal(long[][] counts) {
        if (counts.length != 2 && counts.length != 4) {
            throw new IllegalArgumentException("Huffman counts for " + counts.length + " tables; expected 2 or 4");
        }
        byte[][] parts = new byte[counts.length][];
        int total = 0;
        for (int slot = 0; slot < counts.length; slot++) {
            boolean ac = slot % 2 == 1;
            long[] freq = new long[257];
            for (int s = 0; s < 256; s++) {
                if (isSymbol(ac, s)) {
                    freq[s] = Math.max(1, counts[slot][s]);
                }
            }
            parts[slot] = segment(ac, slot / 2, freq);
            total += parts[slot].length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return ofSegments(all);
    }

    /** The DHT segment of the optimal table for {@code freq} (257 entries, the last the reserved pseudo-symbol). */
    private static byte[] segment(boolean ac, int id, long[] freq) {
        freq[256] = 1; // reserves the all-ones code, which JPEG forbids
        int[] codeSize = new int[257];
        int[] others = new int[257];
        Arrays.fill(others, -1);
        while (true) {
            int c1 = -1;
            long v = Long.MAX_VALUE;
            for (int i = 0; i <= 256; i++) {
                if (freq[i] != 0 && freq[i] <= v) {
                    v = freq[i];
                    c1 = i;
                }
            }
            int c2 = -1;
            v = Long.MAX_VALUE;
            for (int i = 0; i <= 256; i++) {
                if (freq[i] != 0 && freq[i] <= v && i != c1) {
                    v = freq[i];
                    c2 = i;
                }
            }
            if (c2 < 0) {
                break;
            }
            freq[c1] += freq[c2];
            freq[c2] = 0;
            codeSize[c1]++;
            while (others[c1] >= 0) {
                c1 = others[c1];
                codeSize[c1]++;
            }
            others[c1] = c2;
            codeSize[c2]++;
            while (others[c2] >= 0) {
                c2 = others[c2];
                codeSize[c2]++;
            }
        }
        int[] bits = new int[258];
        for (int i = 0; i <= 256; i++) {
            if (codeSize[i] > 0) {
                bits[codeSize[i]]++;
            }
        }
        // Annex K.2 Figure K.3: move codes longer than 16 bits up the tree.
        for (int i = bits.length - 1; i > MAX_LENGTH; i--) {
            while (bits[i] > 0) {
                int j = i - 2;
                while (bits[j] == 0) {
                    j--;
                }
                bits[i] -= 2;
                bits[i - 1]++;
                bits[j + 1] += 2;
                bits[j]--;
            }
        }
        int longest = MAX_LENGTH;
        while (bits[longest] == 0) {
            longest--;
        }
        bits[longest]--; // drop the reserved pseudo-symbol's code
        int symbols = 0;
        for (int i = 1; i <= MAX_LENGTH; i++) {
            symbols += bits[i];
        }
        byte[] out = new byte[4 + 1 + 16 + symbols];
        out[0] = (byte) 0xFF;
        out[1] = (byte) DHT;
        out[2] = (byte) ((out.length - 2) >> 8);
        out[3] = (byte) (out.length - 2);
        out[4] = (byte) ((ac ? 0x10 : 0) | id);
        for (int i = 1; i <= MAX_LENGTH; i++) {
            out[4 + i] = (byte) bits[i];
        }
        // Symbols in order of code length, then of value (K.2 Figure K.4); the pseudo-symbol, whose code
        // was the longest, is left out.
        int p = 21;
        for (int length = 1; length <= bits.length - 1 && p < out.length; length++) {
            for (int s = 0; s < 256 && p < out.length; s++) {
                if (codeSize[s] == length) {
                    out[p++] = (byte) s;
                }
            }
        }
        return out;
    }

    /**
     * The tables stored as {@code text}: the base64 (RFC 4648, with padding, no line breaks) of the DHT
     * segments, as {@link #toString} writes them.
     *
     * @throws IllegalArgumentException saying what is wrong: not canonical base64, not DHT segments, a
     *     table other than DC/AC 0 and 1 or given twice, DC 0 / AC 0 missing, only one of DC 1 and AC 1,
     *     counts that do not add up, a symbol set other than all baseline symbols, or codes that do not
     *     fit in 16 bits or include the all-ones code
     */
    static JpegHuffman parse(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("not in canonical base64 (RFC 4648 with padding, no line breaks)");
        }
        return ofSegments(bytes);
    }

    /** The tables of DHT segments (one table each), validated as {@link #parse} says. */
    private static JpegHuffman ofSegments(byte[] bytes) {
        Table[] found = new Table[4];
        int at = 0;
        int count = 0;
        while (at < bytes.length) {
            if (at + 4 > bytes.length || (bytes[at] & 0xFF) != 0xFF || (bytes[at + 1] & 0xFF) != DHT) {
                throw new IllegalArgumentException("byte " + at + " of " + bytes.length + " does not start a DHT segment (FFC4 and its length)");
            }
            int length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
            if (length < 2 + 17 || at + 2 + length > bytes.length) {
                throw new IllegalArgumentException("the DHT segment at byte " + at + " has length " + length + ", which does not fit in the "
                        + bytes.length + " bytes or holds no table");
            }
            int tc = (bytes[at + 4] & 0xFF) >> 4;
            int th = bytes[at + 4] & 0x0F;
            if (tc > 1 || th > 1) {
                throw new IllegalArgumentException("the DHT segment at byte " + at + " is for table class " + tc + " id " + th
                        + "; baseline tables are class 0 (DC) or 1 (AC), id 0 or 1");
            }
            int slot = 2 * th + tc;
            String name = (tc == 0 ? "DC" : "AC") + " table " + th;
            if (found[slot] != null) {
                throw new IllegalArgumentException(name + " is given twice");
            }
            if (slot != count) {
                throw new IllegalArgumentException("the DHT segments must come in the order DC 0, AC 0, DC 1, AC 1; " + name
                        + " is segment " + (count + 1));
            }
            int[] bits = new int[MAX_LENGTH + 1];
            int symbols = 0;
            for (int i = 1; i <= MAX_LENGTH; i++) {
                bits[i] = bytes[at + 4 + i] & 0xFF;
                symbols += bits[i];
            }
            if (length != 2 + 17 + symbols) {
                throw new IllegalArgumentException(name + ": its code length counts add up to " + symbols + " symbols, but its segment holds "
                        + (length - 2 - 17));
            }
            int[] values = new int[symbols];
            for (int i = 0; i < symbols; i++) {
                values[i] = bytes[at + 21 + i] & 0xFF;
            }
            found[slot] = Table.of(name, tc == 1, bits, values);
            at += 2 + length;
            count++;
        }
        if (found[DC0] == null || found[AC0] == null) {
            throw new IllegalArgumentException("the DHT segments must hold DC table 0 and AC table 0");
        }
        if ((found[DC1] == null) != (found[AC1] == null)) {
            throw new IllegalArgumentException("the DHT segments hold " + (found[DC1] == null ? "AC" : "DC")
                    + " table 1 without its " + (found[DC1] == null ? "DC" : "AC") + " table 1");
        }
        Table[] tables = Arrays.copyOf(found, count);
        return new JpegHuffman(tables, bytes.clone());
    }

    /** How many tables: 2 (DC 0, AC 0) or 4 (also DC 1, AC 1). */
    int tableCount() {
        return tables.length;
    }

    /** The table in {@code slot} ({@link #DC0} .. {@link #AC1}). */
    Table table(int slot) {
        return tables[slot];
    }

    /** The DHT segments, markers included. */
    byte[] segments() {
        return segments.clone();
    }

    /** Length of the DHT segments. */
    int length() {
        return segments.length;
    }

    /** The stored form: base64 (RFC 4648, padded, one line) of the DHT segments. */
    @Override
    public String toString() {
        return Base64.getEncoder().encodeToString(segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JpegHuffman && Arrays.equals(((JpegHuffman) o).segments, segments);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(segments);
    }

    /**
     * One validated table: the code of each symbol, and the canonical decoding arrays.
     *
     * <p>Thread safety: immutable.
     */
    static final class Table {
        /** Code of each symbol 0..255 (right-aligned). */
        private final int[] code = new int[256];
        /** Length in bits of each symbol's code (every baseline symbol has one). */
        private final int[] size = new int[256];
        /** Annex F.2.2.3: largest code of each length, or -1. */
        final int[] maxCode = new int[MAX_LENGTH + 2];
        /** Index in {@link #values} of the first code of each length, minus that code. */
        final int[] valueOffset = new int[MAX_LENGTH + 1];
        /** The symbols in code order. */
        final int[] values;
        /**
         * For each {@value #LOOKAHEAD}-bit prefix: {@code (length << 8) | symbol} of the code it starts
         * with, if that code is at most {@value #LOOKAHEAD} bits long, else 0.
         */
        final int[] lookahead = new int[1 << LOOKAHEAD];
        private Table(int[] values) {
            this.values = values;
        }

        static Table of(String name, boolean ac, int[] bits, int[] values) {
            int expected = ac ? AC_SYMBOLS : DC_SYMBOLS;
            boolean[] seen = new boolean[256];
            for (int v : values) {
                if (!isSymbol(ac, v)) {
                    throw new IllegalArgumentException(name + " has symbol " + String.format("0x%02X", v) + ", which baseline "
                            + (ac ? "AC coding (EOB 0x00, ZRL 0xF0, run/size with sizes 1..10)" : "DC coding (categories 0..11)")
                            + " never uses");
                }
                if (seen[v]) {
                    throw new IllegalArgumentException(name + " has symbol " + String.format("0x%02X", v) + " twice");
                }
                seen[v] = true;
            }
            if (values.length != expected) {
                throw new IllegalArgumentException(name + " codes " + values.length + " symbols; it must code all " + expected
                        + " symbols of baseline " + (ac ? "AC" : "DC") + " coding");
            }
            Table t = new Table(values);
            int code = 0;
            int k = 0;
            for (int length = 1; length <= MAX_LENGTH; length++) {
                t.valueOffset[length] = k - code;
                if (bits[length] == 0) {
                    t.maxCode[length] = -1;
                } else {
                    for (int i = 0; i < bits[length]; i++) {
                        t.code[values[k]] = code;
                        t.size[values[k]] = length;
                        k++;
                        code++;
                    }
                    // code - 1, the last code of this length, must fit in it and must not be all ones.
                    if (code >= (1 << length)) {
                        throw new IllegalArgumentException(name + " has more codes of " + length + " bits or less than a prefix"
                                + " code holds (the all-ones code is not allowed)");
                    }
                    t.maxCode[length] = code - 1;
                }
                code <<= 1;
            }
            t.maxCode[MAX_LENGTH + 1] = Integer.MAX_VALUE;
            for (int v : values) {
                int length = t.size[v];
                if (length <= LOOKAHEAD) {
                    int first = t.code[v] << (LOOKAHEAD - length);
                    Arrays.fill(t.lookahead, first, first + (1 << (LOOKAHEAD - length)), (length << 8) | v);
                }
            }
            return t;
        }

        /** The code of {@code symbol}, right-aligned in {@link #size} bits. */
        int code(int symbol) {
            return code[symbol];
        }

        /** The length of {@code symbol}'s code in bits. */
        int size(int symbol) {
            return size[symbol];
        }
    }
}
