package org.jpkl.sqrt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Quantises a plane through the table, predicts each level from the mean of its left and upper
 * neighbours, and Huffman codes the residuals (layout in {@link SqrtStream}).
 *
 * <p>Thread safety: not thread-safe; one per thread. Keeps its scratch buffers between calls.
 */
final class SqrtEncoder implements SliceEncoder {
    /** Symbols per side of the pair table: 64 x 64 pairs (32 KiB), enough for camera data at scale >= 0.5. */
    private static final int PAIR_SYMBOLS = 64;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final SqrtQuantiser quantiser;
    private final PlaneSpec spec;
    private final int count;
    private char[] rowAbove;
    private char[] rowHere;
    private char[] residuals;
    private int[] frequencies;
    private int[] spreadFrequencies;
    /** Codes of symbol pairs, for planes whose symbols are all below {@link #PAIR_SYMBOLS}; see {@link #pairTable}. */
    private long[] pairCodes;
    private byte[] output;
    private boolean closed;

    SqrtEncoder(SqrtQuantiser quantiser) {
        this.quantiser = quantiser;
        this.spec = quantiser.spec;
        this.count = spec.sampleCount();
    }

    @Override
    public byte[] encode(PlaneBuffer plane) {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + ", encoder is for " + spec);
        }
        int alphabet = quantiser.current.alphabet();
        if (residuals == null) {
            long bound = SqrtStream.HEADER + (alphabet + 1) / 2 + SqrtStream.maxPayload(count) + 8;
            if (bound > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("plane " + spec + " may encode to " + bound + " bytes, more than a Java array holds");
            }
            rowAbove = new char[spec.width() * spec.channels().samplesPerPixel()];
            rowHere = new char[rowAbove.length];
            residuals = new char[count];
            frequencies = new int[alphabet];
            spreadFrequencies = new int[4 * alphabet];
        }
        Arrays.fill(frequencies, 0);
        Arrays.fill(spreadFrequencies, 0);
        quantiseAndPredict(plane);
        byte[] lengths = Huffman.lengths(frequencies, alphabet);
        int[] codes = Huffman.codes(lengths, alphabet);
        int n = alphabet;
        while (lengths[n - 1] == 0) {
            n--;
        }
        int tableBytes = (n + 1) / 2;
        int payloadStart = SqrtStream.HEADER + tableBytes;
        long payloadBits = 0;
        for (int s = 0; s < n; s++) {
            payloadBits += (long) frequencies[s] * lengths[s];
        }
        // The exact size is known from the histogram: the scratch output grows to it (plus 8 bytes of
        // slack for writeCodes' long stores) instead of starting at the worst case of 15 bits a sample.
        int needed = Math.toIntExact(payloadStart + (payloadBits + 7) / 8 + 8);
        if (output == null || output.length < needed) {
            output = new byte[(int) Math.min(Integer.MAX_VALUE - 8, needed + (long) needed / 8)];
        }
        for (int s = 0; s < n; s += 2) {
            output[SqrtStream.HEADER + s / 2] = (byte) (lengths[s] | (s + 1 < n ? lengths[s + 1] << 4 : 0));
        }
        int payloadEnd = writeCodes(codes, n <= PAIR_SYMBOLS ? pairTable(codes, n) : null, output, payloadStart);
        int payloadLength = payloadEnd - payloadStart;
        CRC32C crc = new CRC32C();
        crc.update(output, SqrtStream.HEADER, payloadEnd - SqrtStream.HEADER);
        ByteBuffer.wrap(output, 0, SqrtStream.HEADER).order(ByteOrder.LITTLE_ENDIAN).putInt(SqrtStream.MAGIC)
                .put((byte) SqrtStream.VERSION).put((byte) SqrtStream.dtypeCode(spec.dtype()))
                .put((byte) spec.channels().samplesPerPixel()).put((byte) SqrtStream.PREDICTOR_MEAN)
                .putInt(spec.height()).putInt(spec.width())
                .putDouble(quantiser.offset).putDouble(quantiser.gain).putDouble(quantiser.scale)
                .putInt(n).putInt(payloadLength).putInt((int) crc.getValue());
        return Arrays.copyOf(output, payloadEnd);
    }

    /**
     * Quantises the plane through the table one row at a time, and writes each level's residual
     * symbol and counts it: the first row predicts from the left, the first pixel of a row from
     * above, every other sample from the mean of its left and upper neighbours (same channel). Only
     * two rows of levels are kept (this one and the one above), so the pass touches the input, the
     * residuals and a few kilobytes that stay in the first-level cache.
     */
    private void quantiseAndPredict(PlaneBuffer plane) {
        char[] r = residuals;
        int[] f = frequencies;
        int[] spread = spreadFrequencies;
        int lag = spec.channels().samplesPerPixel();
        int rowLength = spec.width() * lag;
        int rows = spec.height();
        char[] above = rowAbove;
        char[] here = rowHere;
        quantiseRow(plane, 0, here);
        for (int i = 0; i < lag; i++) {
            f[r[i] = zigzag(here[i])]++;
        }
        for (int i = lag; i < rowLength; i++) {
            f[r[i] = zigzag(here[i] - here[i - lag])]++;
        }
        for (int y = 1; y < rows; y++) {
            char[] swap = above;
            above = here;
            here = swap;
            quantiseRow(plane, y, here);
            int start = y * rowLength;
            for (int i = 0; i < lag; i++) {
                f[r[start + i] = zigzag(here[i] - above[i])]++;
            }
            // Four interleaved counters per symbol: runs of one symbol would otherwise wait on their own stores.
            for (int i = lag; i < rowLength; i++) {
                int symbol = zigzag(here[i] - ((here[i - lag] + above[i]) >>> 1));
                r[start + i] = (char) symbol;
                spread[symbol << 2 | (i & 3)]++;
            }
        }
        for (int s = 0; s < f.length; s++) {
            int k = s << 2;
            f[s] += spread[k] + spread[k + 1] + spread[k + 2] + spread[k + 3];
        }
    }

    /** The levels of row {@code y} of the plane, through the quantiser's table, into {@code out}. */
    private void quantiseRow(PlaneBuffer plane, int y, char[] out) {
        char[] table = quantiser.levels;
        int n = out.length;
        int from = plane.offset() + y * n;
        if (spec.dtype() == DType.UINT8) {
            byte[] s = plane.bytes();
            for (int i = 0; i < n; i++) {
                out[i] = table[s[from + i] & 0xFF];
            }
        } else {
            short[] s = plane.shorts();
            for (int i = 0; i < n; i++) {
                out[i] = table[s[from + i] & 0xFFFF];
            }
        }
    }

    private static char zigzag(int d) {
        return (char) (d << 1 ^ d >> 31);
    }

    /**
     * Writes every residual's code from {@code at}, most significant bit first; returns the end.
     * Three codes (at most 45 bits) join the fewer than 8 pending bits, then the whole bytes go out
     * as one big-endian long store (the output has 8 bytes of slack), without branches. With
     * {@code pairs} (every symbol below {@link #PAIR_SYMBOLS}, as on camera data: a few dozen small
     * residuals), each group of three costs one pair and one single lookup and joins the pending
     * bits in two steps instead of three: about 15 % faster in all. (Joining the three codes before
     * they meet the pending bits, off the chain from one store to the next, measured 2-3 % slower.)
     */
    private int writeCodes(int[] codes, long[] pairs, byte[] out, int at) {
        char[] r = residuals;
        int n = count;
        long bits = 0;
        int pending = 0;
        int pos = at;
        int i = 0;
        if (pairs != null) {
            for (; i + 3 <= n; i += 3) {
                long p = pairs[(r[i] * PAIR_SYMBOLS + r[i + 1]) & (PAIR_SYMBOLS * PAIR_SYMBOLS - 1)];
                int c = codes[r[i + 2]];
                int lp = (int) p & 31;
                int l2 = c & 0xF;
                bits = (bits << lp | p >>> 5) << l2 | c >>> 4;
                pending += lp + l2;
                BIG_ENDIAN_LONG.set(out, pos, bits << (64 - pending));
                pos += pending >>> 3;
                pending &= 7;
            }
        }
        for (; i + 3 <= n; i += 3) {
            int c0 = codes[r[i]];
            int c1 = codes[r[i + 1]];
            int c2 = codes[r[i + 2]];
            int l0 = c0 & 0xF;
            int l1 = c1 & 0xF;
            int l2 = c2 & 0xF;
            bits = ((bits << l0 | c0 >>> 4) << l1 | c1 >>> 4) << l2 | c2 >>> 4;
            pending += l0 + l1 + l2;
            BIG_ENDIAN_LONG.set(out, pos, bits << (64 - pending));
            pos += pending >>> 3;
            pending &= 7;
        }
        for (; i < n; i++) {
            int c = codes[r[i]];
            int l = c & 0xF;
            bits = bits << l | c >>> 4;
            pending += l;
            BIG_ENDIAN_LONG.set(out, pos, bits << (64 - pending));
            pos += pending >>> 3;
            pending &= 7;
        }
        if (pending > 0) {
            out[pos++] = (byte) (bits << (8 - pending));
        }
        return pos;
    }

    /**
     * The joined codes of each pair of symbols below {@code n <= PAIR_SYMBOLS}, for
     * {@link #writeCodes}: the two codes (at most 30 bits) above their joined length (five bits).
     */
    private long[] pairTable(int[] codes, int n) {
        if (pairCodes == null) {
            pairCodes = new long[PAIR_SYMBOLS * PAIR_SYMBOLS];
        }
        long[] pairs = pairCodes;
        for (int s0 = 0; s0 < n; s0++) {
            int c0 = codes[s0];
            for (int s1 = 0; s1 < n; s1++) {
                int c1 = codes[s1];
                int l1 = c1 & 0xF;
                pairs[s0 * PAIR_SYMBOLS + s1] = ((long) (c0 >>> 4) << l1 | c1 >>> 4) << 5 | (c0 & 0xF) + l1;
            }
        }
        return pairs;
    }

    @Override
    public void close() {
        closed = true;
        rowAbove = null;
        rowHere = null;
        residuals = null;
        pairCodes = null;
        frequencies = null;
        spreadFrequencies = null;
        output = null;
    }
}
