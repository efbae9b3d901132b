package org.jpkl.jpeg;

import java.io.IOException;
import java.util.Arrays;
import org.jpkl.api.JpklFormatException;

/**
 * Arithmetic coding of one sequential DCT scan (ITU T.81 Annex D, the QM-coder, with the statistical
 * model of F.1.4 and the default conditioning: DC bounds L = 0, U = 1, AC threshold Kx = 5, so the
 * header needs no DAC segment), as the scan of a {@code coding=arithmetic} slice: {@link #encode}
 * re-codes a Huffman scan (decoded by {@link JpegScanTranscoder}) losslessly into an arithmetic one,
 * {@link #toHuffman} re-codes such a scan back into a Huffman scan with given tables, and
 * {@link #check} only validates it.
 *
 * <p>The encoder writes what libjpeg's writes ({@code jpegtran -arithmetic}), byte for byte: after
 * each renormalisation that completes a byte, the byte is held back while it may still receive a
 * carry, 0xFF bytes are stacked until resolved and stuffed with a 0x00 when written, and 0x00 bytes are
 * held back until a non-zero byte follows, so that the stream ends without zero bytes (a decoder
 * supplies zeros past the end, T.81 D.2.6 and libjpeg); the flush (D.1.8) chooses the value in the
 * final interval with the most trailing zero bits and writes at most two of its bytes, each only if the
 * rest is not zero.
 *
 * <p>The decoder is bounded: it reads only the slice (zeros past its end, as the encoder's held-back
 * zeros need), decodes exactly the blocks of the plane (a block never has more than 64 coefficients),
 * refuses a marker inside the data, a DC difference beyond +-2047 or an AC coefficient beyond +-1023
 * (8-bit baseline ranges, which the Huffman scan must code). Arithmetic-coded data gives no sign of
 * truncation, of bytes added after the last block or of being decoded as a plane of another size (the
 * decoder reads zeros past the end, and a cut scan decodes to coefficients whose coding is the cut scan),
 * so a slice stores a 16-bit check value of its coefficients and length ({@link #CHECK_BYTES}): a cut,
 * extended or altered scan, or a scan of another plane size, is refused with a
 * {@link JpklFormatException} (all but 1 in 65,536 of them; a change that leaves the coefficients and
 * length as they were changes nothing decoded).
 *
 * <p>Thread safety: not thread-safe (reuses its buffers); one per encoder or decoder.
 */
final class JpegArithmetic {
    /** ITU T.81 Table D.2: Qe of each state 0..112; state 113 is a fixed estimate of 0.5 (T.851), used for AC signs. */
    private static final int[] QE = {
        0x5a1d, 0x2586, 0x1114, 0x080b, 0x03d8, 0x01da, 0x00e5, 0x006f, 0x0036, 0x001a, 0x000d, 0x0006, 0x0003, 0x0001,
        0x5a7f, 0x3f25, 0x2cf2, 0x207c, 0x17b9, 0x1182, 0x0cef, 0x09a1, 0x072f, 0x055c, 0x0406, 0x0303, 0x0240, 0x01b1,
        0x0144, 0x00f5, 0x00b7, 0x008a, 0x0068, 0x004e, 0x003b, 0x002c, 0x5ae1, 0x484c, 0x3a0d, 0x2ef1, 0x261f, 0x1f33,
        0x19a8, 0x1518, 0x1177, 0x0e74, 0x0bfb, 0x09f8, 0x0861, 0x0706, 0x05cd, 0x04de, 0x040f, 0x0363, 0x02d4, 0x025c,
        0x01f8, 0x01a4, 0x0160, 0x0125, 0x00f6, 0x00cb, 0x00ab, 0x008f, 0x5b12, 0x4d04, 0x412c, 0x37d8, 0x2fe8, 0x293c,
        0x2379, 0x1edf, 0x1aa9, 0x174e, 0x1424, 0x119c, 0x0f6b, 0x0d51, 0x0bb6, 0x0a40, 0x5832, 0x4d1c, 0x438e, 0x3bdd,
        0x34ee, 0x2eae, 0x299a, 0x2516, 0x5570, 0x4ca9, 0x44d9, 0x3e22, 0x3824, 0x32b4, 0x2e17, 0x56a8, 0x4f46, 0x47e5,
        0x41cf, 0x3c3d, 0x375e, 0x5231, 0x4c0f, 0x4639, 0x415e, 0x5627, 0x50e7, 0x4b85, 0x5597, 0x504f, 0x5a10, 0x5522,
        0x59eb, 0x5a1d};
    /** Table D.2: the state after coding the less probable symbol. */
    private static final byte[] NEXT_LPS = {
        1, 14, 16, 18, 20, 23, 25, 28, 30, 33, 35, 9, 10, 12, 15, 36, 38, 39, 40, 42, 43, 45, 46, 48, 49, 51, 52, 54, 56, 57,
        59, 60, 62, 63, 32, 33, 37, 64, 65, 67, 68, 69, 70, 72, 73, 74, 75, 77, 78, 79, 48, 50, 50, 51, 52, 53, 54, 55, 56, 57,
        58, 59, 61, 61, 65, 80, 81, 82, 83, 84, 86, 87, 87, 72, 72, 74, 74, 75, 77, 77, 80, 88, 89, 90, 91, 92, 93, 86, 88, 95,
        96, 97, 99, 99, 93, 95, 101, 102, 103, 104, 99, 105, 106, 107, 103, 105, 108, 109, 110, 111, 110, 112, 112, 113};
    /** Table D.2: the state after coding the more probable symbol. */
    private static final byte[] NEXT_MPS = {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
        33, 34, 35, 9, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62,
        63, 32, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 48, 81, 82, 83, 84, 85, 86, 87, 71, 89, 90, 91, 92,
        93, 94, 86, 96, 97, 98, 99, 100, 93, 102, 103, 104, 99, 106, 107, 103, 109, 107, 111, 109, 111, 113};
    /** Table D.2: states whose less probable symbol becomes the more probable one when coded. */
    private static final boolean[] SWITCH = new boolean[QE.length];
    /** The fixed 0.5 estimate, for AC signs. */
    private static final int FIXED = 113;

    /** By bin value (state | MPS << 7): the state's Qe, and the bin value after coding the LPS and the MPS. */
    private static final int[] QE_OF_BIN = new int[256];
    private static final byte[] AFTER_LPS = new byte[256];
    private static final byte[] AFTER_MPS = new byte[256];

    static {
        for (int s : new int[] {0, 14, 36, 64, 80, 88, 95, 105, 110, 112}) {
            SWITCH[s] = true;
        }
        for (int bin = 0; bin < 256; bin++) {
            int state = bin & 0x7F;
            int mps = bin >> 7;
            if (state < QE.length) {
                QE_OF_BIN[bin] = QE[state];
                AFTER_LPS[bin] = (byte) (NEXT_LPS[state] | (SWITCH[state] ? 1 - mps : mps) << 7);
                AFTER_MPS[bin] = (byte) (NEXT_MPS[state] | mps << 7);
            }
        }
    }

    /** DC statistics per table: S0 at 0, 4, 8, 12, 16 (zero, small +, small -, large +, large - previous difference), X1.. at 20, M at X + 14. */
    private static final int DC_BINS = 49;
    /** AC statistics per table: SE, S0, SP at 3 (k - 1) ..; X2.. at 189 (k <= Kx) or 217; M at X + 14. */
    private static final int AC_BINS = 245;
    private static final int DC_X1 = 20;
    private static final int AC_LOW_X2 = 189;
    private static final int AC_HIGH_X2 = 217;
    /** Default conditioning (T.81 F.1.4.4.1.2 and F.1.4.4.2; no DAC segment). */
    private static final int KX = 5;
    /** Largest DC difference and AC value of 8-bit baseline (magnitude categories 11 and 10). */
    private static final int MAX_DC = 2047;
    private static final int MAX_AC = 1023;

    /**
     * Bytes of the check value that a stored slice holds before its scan data: the low 16 bits, big-endian,
     * of the CRC-32 (ISO-HDLC, {@link java.util.zip.CRC32}) of every block's 64 coefficients in scan order
     * (DC difference, then AC in zigzag order; each as a big-endian 16-bit two's-complement value) followed
     * by the scan data's length in bytes (big-endian 32-bit).
     */
    static final int CHECK_BYTES = 2;

    private final JpegScanTranscoder scans;
    /** The CRC-32 of the coefficients coded so far. */
    private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    private final byte[] crcBlock = new byte[128];
    private final int[] blockComponents;
    private final int[] blockTables;
    private final int blocks;
    /** Statistics bins: state index (bits 0..6) and the more probable symbol (bit 7). */
    private final byte[][] dcBins = new byte[2][DC_BINS];
    private final byte[][] acBins = new byte[2][AC_BINS];
    /** DC conditioning of each component: S0 of its next block (0, 4, 8, 12 or 16). */
    private final int[] dcContext = new int[3];
    private final int[] zz = new int[64];
    /** The decoded coefficients of every block, 64 each, in scan order. */
    private int[] coefficients = new int[0];

    // Encoder state (T.81 D.1, registers A and C, bit counter CT) and held-back output.
    private int a;
    private long c;
    private int ct;
    /** The last completed byte, still open to a carry; -1 before the first. */
    private int held;
    /** 0xFF bytes stacked after {@link #held}. */
    private int stackedFf;
    /** 0x00 bytes held back (written only if a non-zero byte follows). */
    private int zeros;
    private byte[] out = new byte[64];
    private int outLength;

    // Decoder state.
    private byte[] in;
    private int pos;
    private int end;
    /** Offset of the scan data in {@link #in}, for messages. */
    private int dataStart;

    /**
     * @param scans the Huffman side and the plane's geometry
     */
    JpegArithmetic(JpegScanTranscoder scans) {
        this.scans = scans;
        this.blockComponents = scans.blockComponents();
        this.blockTables = scans.blockTables();
        this.blocks = Math.multiplyExact(scans.mcuCount(), blockTables.length);
    }

    /**
     * {@code slice[0, prefix)} followed by the arithmetic coding of the coefficients of the Huffman scan
     * data {@code slice[prefix, slice.length)} coded with {@code source}.
     *
     * @throws IOException if the scan data is not a complete scan of this plane ({@link JpegScanTranscoder})
     */
    byte[] encode(byte[] slice, int prefix, JpegHuffman source) throws IOException {
        startEncoding(slice, prefix);
        outLength += CHECK_BYTES;
        scans.blocks(slice, prefix, source, (mcu, block, values) -> encodeBlock(block, values));
        return withCheck(finishEncoding(), prefix);
    }

    /**
     * {@code head[0, prefix)}, the check value and the arithmetic coding of {@code coefficients} (64 per
     * block of the plane, in scan order, as {@link JpegScanTranscoder.BlockSink#block} gives them),
     * unchecked: any value the model can code (for tests).
     */
    byte[] encodeCoefficients(byte[] head, int prefix, int[] coefficients) {
        if (coefficients.length != 64L * blocks) {
            throw new IllegalArgumentException(coefficients.length + " coefficients; the plane has " + blocks + " blocks of 64");
        }
        startEncoding(head, prefix);
        outLength += CHECK_BYTES;
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(coefficients, 64 * b, zz, 0, 64);
            encodeBlock(b % blockTables.length, zz);
        }
        return withCheck(finishEncoding(), prefix);
    }

    private byte[] withCheck(byte[] coded, int at) {
        int value = checkValue(coded.length - at - CHECK_BYTES);
        coded[at] = (byte) (value >> 8);
        coded[at + 1] = (byte) value;
        return coded;
    }

    /**
     * {@code slice[0, prefix - CHECK_BYTES)} followed by the Huffman coding with {@code target} of the
     * coefficients of the arithmetic-coded scan data {@code slice[prefix, slice.length)}, whose check
     * value is {@code slice[prefix - CHECK_BYTES, prefix)}.
     *
     * @throws JpklFormatException if the scan data is not the arithmetic coding of a scan of this plane
     *     with that check value
     */
    byte[] toHuffman(byte[] slice, int prefix, JpegHuffman target) throws JpklFormatException {
        check(slice, prefix, slice.length, checkValue(slice, prefix - CHECK_BYTES));
        JpegHuffman.Table[] dc = {target.table(JpegHuffman.DC0), target.tableCount() > 2 ? target.table(JpegHuffman.DC1) : null};
        JpegHuffman.Table[] ac = {target.table(JpegHuffman.AC0), target.tableCount() > 2 ? target.table(JpegHuffman.AC1) : null};
        scans.begin(slice, prefix - CHECK_BYTES, slice.length + slice.length / 4 + 64);
        for (int b = 0; b < blocks; b++) {
            int t = blockTables[b % blockTables.length];
            System.arraycopy(coefficients, 64 * b, zz, 0, 64);
            scans.writeBlock(zz, dc[t], ac[t]);
        }
        return scans.finish();
    }

    /** The check value stored at {@code slice[at, at + CHECK_BYTES)}. */
    static int checkValue(byte[] slice, int at) {
        return ((slice[at] & 0xFF) << 8) | (slice[at + 1] & 0xFF);
    }

    /**
     * Checks that {@code data[prefix, end)} is the arithmetic coding of a scan of this plane with the
     * check value {@code expected}: decodes it (bounded as the class says) and compares the check value
     * of its coefficients and length.
     *
     * @throws JpklFormatException naming the problem
     */
    void check(byte[] data, int prefix, int end, int expected) throws JpklFormatException {
        decodeAll(data, prefix, end);
        int found = checkValue(end - prefix);
        if (found != expected) {
            throw damaged(String.format("its check value is %04X, but the slice stores %04X: the scan data is truncated, extended"
                    + " or altered, or belongs to a plane of another size", found, expected));
        }
    }

    /** The check value of the blocks added to {@link #crc} and a scan of {@code scanLength} bytes. */
    private int checkValue(int scanLength) {
        crcBlock[0] = (byte) (scanLength >>> 24);
        crcBlock[1] = (byte) (scanLength >>> 16);
        crcBlock[2] = (byte) (scanLength >>> 8);
        crcBlock[3] = (byte) scanLength;
        crc.update(crcBlock, 0, 4);
        return (int) crc.getValue() & 0xFFFF;
    }

    /** Adds {@code values[from, from + 64)} to {@link #crc}. */
    private void addToCheck(int[] values, int from) {
        for (int k = 0; k < 64; k++) {
            int v = values[from + k];
            crcBlock[2 * k] = (byte) (v >> 8);
            crcBlock[2 * k + 1] = (byte) v;
        }
        crc.update(crcBlock, 0, crcBlock.length);
    }

    // ---- model (T.81 F.1.4) ----

    private void resetStatistics() {
        crc.reset();
        for (byte[] b : dcBins) {
            Arrays.fill(b, (byte) 0);
        }
        for (byte[] b : acBins) {
            Arrays.fill(b, (byte) 0);
        }
        Arrays.fill(dcContext, 0);
    }

    /** Codes one block, {@code values} as {@link JpegScanTranscoder.BlockSink#block} gives it. */
    private void encodeBlock(int block, int[] values) {
        addToCheck(values, 0);
        int component = blockComponents[block];
        byte[] dc = dcBins[blockTables[block]];
        byte[] ac = acBins[blockTables[block]];
        int s0 = dcContext[component];
        int v = values[0];
        if (v == 0) {
            encode(dc, s0, 0);
            dcContext[component] = 0;
        } else {
            encode(dc, s0, 1);
            encode(dc, s0 + 1, v < 0 ? 1 : 0);
            int m = encodeMagnitude(dc, s0 + (v < 0 ? 3 : 2), DC_X1, Math.abs(v) - 1, false);
            // F.1.4.4.1.2 with L = 0, U = 1: |v| <= 2 is small, larger is large.
            dcContext[component] = (v < 0 ? 8 : 4) + (m > 1 ? 8 : 0);
        }
        int last = 63;
        while (last > 0 && values[last] == 0) {
            last--;
        }
        int k = 1;
        for (; k <= last; k++) {
            int se = 3 * (k - 1);
            encode(ac, se, 0); // not the end of the block
            while (values[k] == 0) {
                encode(ac, se + 1, 0);
                k++;
                se += 3;
            }
            encode(ac, se + 1, 1);
            int value = values[k];
            encodeFixed(value < 0 ? 1 : 0);
            encodeMagnitude(ac, se + 2, k <= KX ? AC_LOW_X2 : AC_HIGH_X2, Math.abs(value) - 1, true);
        }
        if (k <= 63) {
            encode(ac, 3 * (k - 1), 1); // end of block
        }
    }

    /**
     * Codes {@code r = |v| - 1} (F.1.4.4.1.3 and F.1.4.4.2.1): its magnitude category as a run of 1s
     * ended by a 0, the first decision at {@code first} (for AC the second too), the rest at
     * {@code x} onwards, then its bits below the leading one at the category's M bin (X + 14).
     *
     * @return the category's leading power of two (0 for r == 0)
     */
    private int encodeMagnitude(byte[] bins, int first, int x, int r, boolean ac) {
        int bin = first;
        int m = 0;
        if (r != 0) {
            encode(bins, bin, 1);
            m = 1;
            int rest = r >> 1;
            if (ac && rest != 0) {
                encode(bins, bin, 1);
                m = 2;
                rest >>= 1;
                bin = x;
            } else if (!ac) {
                bin = x;
            }
            while (rest != 0) {
                encode(bins, bin, 1);
                m <<= 1;
                bin++;
                rest >>= 1;
            }
        }
        encode(bins, bin, 0);
        bin += 14;
        for (int bit = m >> 1; bit != 0; bit >>= 1) {
            encode(bins, bin, (r & bit) != 0 ? 1 : 0);
        }
        return m;
    }

    private void decodeAll(byte[] data, int prefix, int end) throws JpklFormatException {
        startDecoding(data, prefix, end);
        if (coefficients.length < 64 * blocks) {
            coefficients = new int[Math.multiplyExact(64, blocks)];
        }
        Arrays.fill(coefficients, 0, 64 * blocks, 0);
        for (int b = 0; b < blocks; b++) {
            int block = b % blockTables.length;
            int component = blockComponents[block];
            byte[] dc = dcBins[blockTables[block]];
            byte[] ac = acBins[blockTables[block]];
            int at = 64 * b;
            int s0 = dcContext[component];
            if (decode(dc, s0) == 0) {
                dcContext[component] = 0;
            } else {
                boolean negative = decode(dc, s0 + 1) != 0;
                int m = decodeMagnitude(dc, s0 + (negative ? 3 : 2), DC_X1, false, MAX_DC, b);
                int r = decodeBits(dc, m);
                if (r >= MAX_DC) {
                    throw outOfRange(false, MAX_DC, b);
                }
                coefficients[at] = negative ? -(r + 1) : r + 1;
                dcContext[component] = (negative ? 8 : 4) + (m > 1 ? 8 : 0);
            }
            for (int k = 1; k <= 63; k++) {
                int se = 3 * (k - 1);
                if (decode(ac, se) != 0) {
                    break; // end of block
                }
                while (decode(ac, se + 1) == 0) {
                    k++;
                    se += 3;
                    if (k > 63) {
                        throw damaged("block " + b + " has no non-zero coefficient after its last end-of-block decision"
                                + " (it would run past coefficient 63)");
                    }
                }
                boolean negative = decodeFixed() != 0;
                int m = decodeMagnitude(ac, se + 2, k <= KX ? AC_LOW_X2 : AC_HIGH_X2, true, MAX_AC, b);
                int r = decodeBits(ac, m);
                if (r >= MAX_AC) {
                    throw outOfRange(true, MAX_AC, b);
                }
                coefficients[at + k] = negative ? -(r + 1) : r + 1;
            }
            addToCheck(coefficients, at);
        }
    }

    /** The leading power of two of {@code |v| - 1} (0 for |v| = 1); {@link #bin} left at its M bin. */
    private int decodeMagnitude(byte[] bins, int first, int x, boolean ac, int max, int block) throws JpklFormatException {
        int b = first;
        int m = 0;
        if (decode(bins, b) != 0) {
            m = 1;
            // DC: the next decisions at X1, X2, ...; AC: the second one still at the first bin, then X2, ...
            boolean more = !ac || decode(bins, b) != 0;
            if (more) {
                m = ac ? 2 : 1;
                b = x;
                while (decode(bins, b) != 0) {
                    m <<= 1;
                    b++;
                    if (m > max) {
                        throw outOfRange(ac, max, block);
                    }
                }
            }
        }
        bin = b + 14;
        return m;
    }

    /** The M bin of the last magnitude decoded. */
    private int bin;

    private int decodeBits(byte[] bins, int m) throws JpklFormatException {
        int r = m;
        for (int bit = m >> 1; bit != 0; bit >>= 1) {
            if (decode(bins, bin) != 0) {
                r |= bit;
            }
        }
        return r;
    }

    private JpklFormatException outOfRange(boolean ac, int max, int block) {
        return damaged("block " + block + " has " + (ac ? "an AC coefficient" : "a DC difference") + " beyond +-" + max
                + ", outside 8-bit baseline JPEG");
    }

    // ---- QM encoder (T.81 D.1) ----

    private void startEncoding(byte[] head, int prefix) {
        resetStatistics();
        if (out.length < prefix + 64) {
            out = new byte[prefix + 64];
        }
        System.arraycopy(head, 0, out, 0, prefix);
        outLength = prefix;
        a = 0x10000;
        c = 0;
        ct = 11;
        held = -1;
        stackedFf = 0;
        zeros = 0;
    }

    private void encodeFixed(int bit) {
        // The fixed estimate never changes: MPS 0, state 113.
        int qe = QE[FIXED];
        a -= qe;
        if (bit != 0) {
            if (a >= qe) {
                c += a;
                a = qe;
            }
        } else {
            if (a >= 0x8000) {
                return;
            }
            if (a < qe) {
                c += a;
                a = qe;
            }
        }
        renormalise();
    }

    /** Codes {@code bit} with the statistics bin {@code bins[i]} (D.1.2 to D.1.5). */
    private void encode(byte[] bins, int i, int bit) {
        int s = bins[i] & 0xFF;
        int qe = QE_OF_BIN[s];
        a -= qe;
        if (bit != s >> 7) {
            if (a >= qe) { // no exchange: the LPS takes the upper part, Qe
                c += a;
                a = qe;
            }
            bins[i] = AFTER_LPS[s];
        } else {
            if (a >= 0x8000) {
                return;
            }
            if (a < qe) { // exchange: the MPS takes the larger part
                c += a;
                a = qe;
            }
            bins[i] = AFTER_MPS[s];
        }
        renormalise();
    }

    /** D.1.6: doubles A and C until A >= 0x8000, completing a byte every 8 shifts. */
    private void renormalise() {
        do {
            a <<= 1;
            c <<= 1;
            if (--ct == 0) {
                completeByte(Math.toIntExact(c >>> 19));
                c &= 0x7FFFF;
                ct = 8;
            }
        } while (a < 0x8000);
    }

    /** D.1.7: the byte {@code b} (9 bits: a carry into the held byte when above 0xFF) leaves C. */
    private void completeByte(int b) {
        if (b > 0xFF) {
            carry();
            held = b & 0xFF;
        } else if (b == 0xFF) {
            stackedFf++;
        } else {
            release();
            held = b;
        }
    }

    /** A carry: the held byte plus one is final; the stacked 0xFF bytes become 0x00 ones, held back. */
    private void carry() {
        if (held >= 0) {
            writeZeros();
            writeStuffed(held + 1);
        }
        zeros += stackedFf;
        stackedFf = 0;
    }

    /** No carry can reach the held byte and the stacked 0xFF bytes any more: they are final. */
    private void release() {
        if (held == 0) {
            zeros++;
        } else if (held > 0) {
            writeZeros();
            writeStuffed(held);
        }
        if (stackedFf > 0) {
            writeZeros();
            for (; stackedFf > 0; stackedFf--) {
                writeStuffed(0xFF);
            }
        }
    }

    /** D.1.8, as libjpeg: the value with the most trailing zeros in [C, C + A), and its non-zero bytes. */
    private byte[] finishEncoding() {
        long top = (a - 1 + c) & 0xFFFF0000L;
        c = top < c ? top + 0x8000 : top;
        c <<= ct;
        if ((c & 0xF8000000L) != 0) {
            carry();
        } else {
            release();
        }
        if ((c & 0x7FFF800L) != 0) {
            writeZeros();
            writeStuffed(Math.toIntExact(c >> 19) & 0xFF);
            if ((c & 0x7F800L) != 0) {
                writeStuffed(Math.toIntExact(c >> 11) & 0xFF);
            }
        }
        return Arrays.copyOf(out, outLength);
    }

    private void writeZeros() {
        for (; zeros > 0; zeros--) {
            write(0);
        }
    }

    private void writeStuffed(int b) {
        write(b);
        if (b == 0xFF) {
            write(0);
        }
    }

    private void write(int b) {
        if (outLength == out.length) {
            out = Arrays.copyOf(out, 2 * out.length);
        }
        out[outLength++] = (byte) b;
    }

    // ---- QM decoder (T.81 D.2) ----

    private void startDecoding(byte[] data, int prefix, int end) throws JpklFormatException {
        resetStatistics();
        this.in = data;
        this.pos = prefix;
        this.end = end;
        this.dataStart = prefix;
        c = ((long) nextByte() << 8) | nextByte();
        a = 0x10000;
        ct = 0;
    }

    /** The next byte of the data, stuffing undone; 0 past the end. */
    private int nextByte() throws JpklFormatException {
        if (pos >= end) {
            return 0;
        }
        int b = in[pos++] & 0xFF;
        if (b == 0xFF) {
            if (pos >= end || in[pos] != 0) {
                throw damaged("marker FF" + (pos < end ? String.format("%02X", in[pos] & 0xFF) : "") + " inside the scan data at byte "
                        + (pos - 1 - dataStart));
            }
            pos++;
        }
        return b;
    }

    private int decodeFixed() throws JpklFormatException {
        renormaliseDecoder();
        int qe = QE[FIXED];
        a -= qe;
        long t = (long) a << ct;
        if (c >= t) {
            c -= t;
            int bit = a < qe ? 0 : 1;
            a = qe;
            return bit;
        }
        if (a < 0x8000) {
            return a < qe ? 1 : 0;
        }
        return 0;
    }

    /** Decodes a bit with the statistics bin {@code bins[i]} (D.2.2 to D.2.5). */
    private int decode(byte[] bins, int i) throws JpklFormatException {
        if (a < 0x8000) {
            renormaliseDecoder();
        }
        int s = bins[i] & 0xFF;
        int qe = QE_OF_BIN[s];
        int mps = s >> 7;
        a -= qe;
        long t = (long) a << ct;
        boolean lps;
        if (c >= t) {
            c -= t;
            lps = a >= qe; // else exchanged: the upper part, Qe, was the MPS's
            a = qe;
        } else if (a < 0x8000) {
            lps = a < qe; // exchanged: the lower part was the LPS's
        } else {
            return mps;
        }
        if (lps) {
            bins[i] = AFTER_LPS[s];
            return mps ^ 1;
        }
        bins[i] = AFTER_MPS[s];
        return mps;
    }

    /** D.2.6: doubles A until A >= 0x8000, reading a byte into C every 8 doublings. */
    private void renormaliseDecoder() throws JpklFormatException {
        while (a < 0x8000) {
            if (--ct < 0) {
                c = (c << 8) | nextByte();
                ct += 8;
            }
            a <<= 1;
        }
    }

    private JpklFormatException damaged(String detail) {
        return JpegDecoder.badData("JPEG arithmetic-coded scan data of a " + scans.what() + " plane: " + detail);
    }
}
