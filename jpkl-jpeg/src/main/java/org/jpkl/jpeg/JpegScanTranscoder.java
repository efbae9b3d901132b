package org.jpkl.jpeg;

import java.io.IOException;
import java.util.Arrays;

/**
 * Re-codes the entropy-coded data of one baseline scan from one set of Huffman tables to another,
 * losslessly: each block's DC difference category and AC run/size symbols are decoded with the source
 * tables and written with the target tables' codes, each followed by its unchanged extra bits, so the
 * quantised coefficients, and so the decoded samples, are exactly those of the source stream. Byte
 * stuffing (a 0x00 after each 0xFF) is undone when reading and redone when writing, and the last byte
 * is padded with 1 bits, as T.81 (F.1.2.3) and libjpeg do. Also counts symbols
 * ({@link #count}) for building optimal tables ({@link JpegHuffman#optimal}), hands out each block's
 * coefficients ({@link #blocks}) and writes blocks of coefficients ({@link #begin}, {@link #writeBlock},
 * {@link #finish}), the Huffman side of {@link JpegArithmetic}.
 *
 * <p>The scan is the one {@link JpegHeader} rebuilds: every component of the frame in one scan, grey
 * (one component, blocks in raster order) or YCbCr (interleaved MCUs of Y 2x2 + Cb + Cr for 4:2:0, or
 * Y + Cb + Cr for 4:4:4; Y uses tables 0, Cb and Cr tables 1), no restart markers (the header has no
 * DRI segment), so any marker inside the data, a code the source tables do not have, a block running
 * past coefficient 63, data ending early or bytes left after the last block are refused as damage.
 *
 * <p>Thread safety: not thread-safe (reuses its output buffer); one per encoder.
 */
final class JpegScanTranscoder {
    private final int mcus;
    /** Table pair of each block of an MCU: 0 (DC 0, AC 0) for Y or grey, 1 (DC 1, AC 1) for Cb and Cr. */
    private final int[] blockTables;
    /** Component of each block of an MCU: 0 for Y or grey, 1 Cb, 2 Cr. */
    private final int[] blockComponents;
    /** For messages, e.g. {@code 64x64 grey}. */
    private final String what;

    // Reader state.
    private byte[] in;
    private int pos;
    private int end;
    private long acc;
    private int bits;
    /** 0xFF bytes added after the end of the data (the decoder's padding), to detect reads past the end. */
    private int padBytes;

    // Writer state.
    private byte[] out = new byte[0];
    private int outLength;
    private long outAcc;
    private int outBits;

    /**
     * @param width plane width in samples
     * @param height plane height
     * @param components 1 (grey) or 3 (YCbCr)
     * @param subsampled for 3 components, whether chroma is 4:2:0 (Y sampled 2x2)
     */
    JpegScanTranscoder(int width, int height, int components, boolean subsampled) {
        int h = components == 3 && subsampled ? 2 : 1;
        long mcusX = (width + 8L * h - 1) / (8L * h);
        long mcusY = (height + 8L * h - 1) / (8L * h);
        this.mcus = Math.toIntExact(mcusX * mcusY);
        if (components == 1) {
            blockTables = new int[] {0};
            blockComponents = new int[] {0};
        } else {
            blockTables = new int[h * h + 2];
            blockTables[h * h] = 1;
            blockTables[h * h + 1] = 1;
            blockComponents = blockTables.clone();
            blockComponents[h * h + 1] = 2;
        }
        this.what = height + "x" + width + (components == 1 ? " grey" : subsampled ? " YCbCr 4:2:0" : " YCbCr 4:4:4");
    }

    /**
     * {@code slice[0, prefix)} followed by the scan data {@code slice[prefix, slice.length)} re-coded
     * from {@code source}'s tables to {@code target}'s.
     *
     * @throws IOException if the scan data is not a complete scan of this plane coded with {@code source}
     */
    byte[] transcode(byte[] slice, int prefix, JpegHuffman source, JpegHuffman target) throws IOException {
        begin(slice, prefix, slice.length + 64);
        walk(slice, prefix, source, target, null, null);
        return finish();
    }

    /** MCUs of the scan. */
    int mcuCount() {
        return mcus;
    }

    /** Component (0 Y or grey, 1 Cb, 2 Cr) of each block of an MCU, in scan order; a copy. */
    int[] blockComponents() {
        return blockComponents.clone();
    }

    /** Table pair (0 for Y or grey, 1 for Cb and Cr) of each block of an MCU, in scan order; a copy. */
    int[] blockTables() {
        return blockTables.clone();
    }

    /** For messages, e.g. {@code 64x64 grey}. */
    String what() {
        return what;
    }

    /**
     * Receives the quantised coefficients of each block of a scan, in scan order.
     *
     * <p>Thread safety: as its implementation.
     */
    interface BlockSink {
        /**
         * One block: {@code zz[0]} the DC difference (from the previous block of the same component, 0
         * before the first), {@code zz[1..63]} the AC coefficients in zigzag order; the array is reused.
         *
         * @param mcu the block's MCU
         * @param block the block's index in its MCU (its component and table: {@link #blockComponents}, {@link #blockTables})
         */
        void block(int mcu, int block, int[] zz) throws IOException;
    }

    /**
     * Decodes the scan data {@code slice[prefix, slice.length)} coded with {@code source} and hands each
     * block's coefficients to {@code sink}, checking the scan as {@link #transcode} does.
     *
     * @throws IOException as {@link #transcode}, or as the sink throws
     */
    void blocks(byte[] slice, int prefix, JpegHuffman source, BlockSink sink) throws IOException {
        walk(slice, prefix, source, null, null, sink);
    }

    /**
     * Starts writing a scan: copies {@code head[0, prefix)} (the stored slice's fields before its scan
     * data), then {@link #writeBlock} each block in scan order, then {@link #finish}.
     */
    void begin(byte[] head, int prefix, int sizeHint) {
        if (out.length < Math.max(prefix + 2, sizeHint)) {
            out = new byte[Math.max(prefix + 2, sizeHint)];
        }
        System.arraycopy(head, 0, out, 0, prefix);
        outLength = prefix;
        outAcc = 0;
        outBits = 0;
    }

    /**
     * Writes one block with the Huffman tables {@code dc} and {@code ac}: {@code zz} as
     * {@link BlockSink#block} gives it, the DC difference within +-2047 and the AC coefficients within
     * +-1023 (8-bit baseline; the caller checks).
     */
    void writeBlock(int[] zz, JpegHuffman.Table dc, JpegHuffman.Table ac) {
        int v = zz[0];
        int s = category(v);
        put((dc.code(s) << s) | (v < 0 ? v - 1 : v) & ((1 << s) - 1), dc.size(s) + s);
        int run = 0;
        for (int k = 1; k < 64; k++) {
            v = zz[k];
            if (v == 0) {
                run++;
                continue;
            }
            while (run > 15) {
                put(ac.code(0xF0), ac.size(0xF0));
                run -= 16;
            }
            s = category(v);
            int rs = (run << 4) | s;
            put((ac.code(rs) << s) | (v < 0 ? v - 1 : v) & ((1 << s) - 1), ac.size(rs) + s);
            run = 0;
        }
        if (run > 0) {
            put(ac.code(0x00), ac.size(0x00));
        }
    }

    /** The magnitude category of {@code v}: bits of {@code |v|}. */
    static int category(int v) {
        return 32 - Integer.numberOfLeadingZeros(Math.abs(v));
    }

    /** Ends the scan begun by {@link #begin}: pads the last byte with 1 bits; the slice written. */
    byte[] finish() {
        if (outBits > 0) {
            put((1 << (8 - outBits)) - 1, 8 - outBits);
        }
        byte[] result = Arrays.copyOf(out, outLength);
        outLength = 0;
        return result;
    }

    /**
     * Adds to {@code counts} (per table slot {@link JpegHuffman#DC0} .. {@link JpegHuffman#AC1}, 256
     * symbols each) the symbols of the scan data {@code slice[prefix, slice.length)} coded with {@code source}.
     *
     * @throws IOException as {@link #transcode}
     */
    void count(byte[] slice, int prefix, JpegHuffman source, long[][] counts) throws IOException {
        walk(slice, prefix, source, null, counts, null);
    }

    private void walk(byte[] slice, int prefix, JpegHuffman source, JpegHuffman target, long[][] counts, BlockSink sink)
            throws IOException {
        in = slice;
        pos = prefix;
        end = slice.length;
        acc = 0;
        bits = 0;
        padBytes = 0;
        int pairs = blockTables[blockTables.length - 1] + 1;
        if (source.tableCount() < 2 * pairs || target != null && target.tableCount() < 2 * pairs) {
            throw new IllegalArgumentException("Huffman tables for " + source.tableCount() / 2 + " component kind(s); " + what
                    + " needs " + pairs);
        }
        JpegHuffman.Table[] dcIn = {source.table(JpegHuffman.DC0), pairs > 1 ? source.table(JpegHuffman.DC1) : null};
        JpegHuffman.Table[] acIn = {source.table(JpegHuffman.AC0), pairs > 1 ? source.table(JpegHuffman.AC1) : null};
        JpegHuffman.Table[] dcOut = target == null ? null
                : new JpegHuffman.Table[] {target.table(JpegHuffman.DC0), pairs > 1 ? target.table(JpegHuffman.DC1) : null};
        JpegHuffman.Table[] acOut = target == null ? null
                : new JpegHuffman.Table[] {target.table(JpegHuffman.AC0), pairs > 1 ? target.table(JpegHuffman.AC1) : null};
        int[] zz = sink == null ? null : new int[64];
        for (int m = 0; m < mcus; m++) {
            for (int b = 0; b < blockTables.length; b++) {
                int t = blockTables[b];
                fill();
                int s = decode(dcIn[t]);
                if (s >= JpegHuffman.DC_SYMBOLS) {
                    throw damaged("DC difference category " + s + " in MCU " + m);
                }
                int extra = read(s);
                if (sink != null) {
                    Arrays.fill(zz, 0);
                    zz[0] = extend(extra, s);
                } else if (counts != null) {
                    counts[2 * t][s]++;
                } else {
                    put((dcOut[t].code(s) << s) | extra, dcOut[t].size(s) + s);
                }
                JpegHuffman.Table ac = acIn[t];
                for (int k = 1; k < 64; k++) {
                    if (bits < 32) {
                        fill();
                    }
                    int rs = decode(ac);
                    int size = rs & 0x0F;
                    int run = rs >> 4;
                    if (size == 0 && run != 15) { // EOB
                        if (sink == null) {
                            emit(counts, acOut, t, rs, 0, 0);
                        }
                        break;
                    }
                    k += run;
                    if (k > 63) {
                        throw damaged("a block of MCU " + m + " runs past coefficient 63");
                    }
                    int bitsOf = size == 0 ? 0 : read(size);
                    if (sink != null) {
                        zz[k] = extend(bitsOf, size);
                    } else {
                        emit(counts, acOut, t, rs, bitsOf, size);
                    }
                }
                if (sink != null) {
                    sink.block(m, b, zz);
                }
            }
        }
        int left = bits - 8 * padBytes;
        if (left < 0) {
            throw truncated();
        }
        if (pos != end || left >= 8) {
            throw damaged((end - pos + left / 8) + " bytes follow the last MCU");
        }
        long padding = (acc >>> (8 * padBytes)) & ((1L << left) - 1);
        if (padding != (1L << left) - 1) {
            throw damaged("the last byte is not padded with 1 bits");
        }
    }

    /** The value of the {@code size} extra bits {@code bits} of a magnitude category (T.81 F.2.2.1, EXTEND). */
    private static int extend(int bits, int size) {
        return size == 0 ? 0 : bits < (1 << (size - 1)) ? bits - (1 << size) + 1 : bits;
    }

    private void emit(long[][] counts, JpegHuffman.Table[] acOut, int t, int rs, int extra, int size) {
        if (counts != null) {
            counts[2 * t + 1][rs]++;
        } else {
            put((acOut[t].code(rs) << size) | extra, acOut[t].size(rs) + size);
        }
    }

    /** Makes at least 32 bits available (1 bits past the end of the data, counted in {@link #padBytes}). */
    private void fill() throws IOException {
        while (bits <= 56) {
            int b;
            if (pos < end) {
                b = in[pos] & 0xFF;
                if (b == 0xFF) {
                    if (pos + 1 >= end || in[pos + 1] != 0) {
                        throw damaged("marker FF" + (pos + 1 < end ? String.format("%02X", in[pos + 1] & 0xFF) : "")
                                + " inside the scan data at byte " + pos);
                    }
                    pos += 2;
                } else {
                    pos++;
                }
            } else {
                b = 0xFF;
                padBytes++;
                if (padBytes > 16) {
                    throw truncated();
                }
            }
            acc = (acc << 8) | b;
            bits += 8;
        }
    }

    /**
     * The next symbol, decoded with {@code table}: codes of up to {@value JpegHuffman#LOOKAHEAD} bits by
     * table lookup, longer ones as Annex F.2.2.3 does; needs 16 bits available.
     */
    private int decode(JpegHuffman.Table table) throws IOException {
        int look = (int) (acc >>> (bits - 16)) & 0xFFFF;
        int quick = table.lookahead[look >>> (16 - JpegHuffman.LOOKAHEAD)];
        if (quick != 0) {
            bits -= quick >> 8;
            return quick & 0xFF;
        }
        for (int length = JpegHuffman.LOOKAHEAD + 1; length <= 16; length++) {
            int c = look >>> (16 - length);
            if (c <= table.maxCode[length]) {
                bits -= length;
                return table.values[table.valueOffset[length] + c];
            }
        }
        if (bits - 8 * padBytes < 16) {
            throw truncated();
        }
        throw damaged("a code that the slice's Huffman table does not have");
    }

    /** The next {@code n} (0..16) bits. */
    private int read(int n) {
        bits -= n;
        return (int) (acc >>> bits) & ((1 << n) - 1);
    }

    /** Writes {@code size} (0..27) bits of {@code value}, stuffing a 0 byte after each FF. */
    private void put(int value, int size) {
        outAcc = (outAcc << size) | (value & ((1L << size) - 1));
        outBits += size;
        while (outBits >= 8) {
            outBits -= 8;
            int b = (int) (outAcc >>> outBits) & 0xFF;
            if (outLength + 2 > out.length) {
                out = Arrays.copyOf(out, Math.max(64, 2 * out.length));
            }
            out[outLength++] = (byte) b;
            if (b == 0xFF) {
                out[outLength++] = 0;
            }
        }
    }

    private IOException truncated() {
        return damaged("the scan data ends before its last MCU (truncated)");
    }

    private IOException damaged(String detail) {
        return new IOException("JPEG scan data of a " + what + " plane: " + detail);
    }
}
