package org.jpkl.sqrt;

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
    private final SqrtQuantiser quantiser;
    private final PlaneSpec spec;
    private final int count;
    private char[] levels;
    private char[] residuals;
    private int[] frequencies;
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
        int alphabet = quantiser.alphabet;
        if (levels == null) {
            long bound = SqrtStream.HEADER + (alphabet + 1) / 2 + SqrtStream.maxPayload(count) + 8;
            if (bound > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("plane " + spec + " may encode to " + bound + " bytes, more than a Java array holds");
            }
            levels = new char[count];
            residuals = new char[count];
            frequencies = new int[alphabet];
            output = new byte[(int) bound];
        }
        quantise(plane);
        Arrays.fill(frequencies, 0);
        predict();
        byte[] lengths = Huffman.lengths(frequencies, alphabet);
        int[] codes = Huffman.codes(lengths, alphabet);
        int n = alphabet;
        while (lengths[n - 1] == 0) {
            n--;
        }
        int tableBytes = (n + 1) / 2;
        int payloadStart = SqrtStream.HEADER + tableBytes;
        for (int s = 0; s < n; s += 2) {
            output[SqrtStream.HEADER + s / 2] = (byte) (lengths[s] | (s + 1 < n ? lengths[s + 1] << 4 : 0));
        }
        int payloadEnd = writeCodes(codes, output, payloadStart);
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

    private void quantise(PlaneBuffer plane) {
        char[] table = quantiser.levels;
        char[] q = levels;
        int off = plane.offset();
        int n = count;
        if (spec.dtype() == DType.UINT8) {
            byte[] s = plane.bytes();
            for (int i = 0; i < n; i++) {
                q[i] = table[s[off + i] & 0xFF];
            }
        } else {
            short[] s = plane.shorts();
            for (int i = 0; i < n; i++) {
                q[i] = table[s[off + i] & 0xFFFF];
            }
        }
    }

    /** Residual symbols and their frequencies; the first row predicts from the left, the first pixel of a row from above. */
    private void predict() {
        char[] q = levels;
        char[] r = residuals;
        int[] f = frequencies;
        int lag = spec.channels().samplesPerPixel();
        int rowLength = spec.width() * lag;
        int rows = spec.height();
        for (int i = 0; i < lag; i++) {
            f[r[i] = zigzag(q[i])]++;
        }
        for (int i = lag; i < rowLength; i++) {
            f[r[i] = zigzag(q[i] - q[i - lag])]++;
        }
        for (int y = 1; y < rows; y++) {
            int start = y * rowLength;
            int end = start + rowLength;
            for (int i = start; i < start + lag; i++) {
                f[r[i] = zigzag(q[i] - q[i - rowLength])]++;
            }
            for (int i = start + lag; i < end; i++) {
                f[r[i] = zigzag(q[i] - ((q[i - lag] + q[i - rowLength]) >>> 1))]++;
            }
        }
    }

    private static char zigzag(int d) {
        return (char) (d << 1 ^ d >> 31);
    }

    /** Writes every residual's code from {@code at}, most significant bit first; returns the end. */
    private int writeCodes(int[] codes, byte[] out, int at) {
        char[] r = residuals;
        int n = count;
        long bits = 0;
        int pending = 0;
        int pos = at;
        for (int i = 0; i < n; i++) {
            int code = codes[r[i]];
            int length = code & 0xF;
            bits = bits << length | code >>> 4;
            pending += length;
            if (pending >= 32) {
                pending -= 32;
                int word = (int) (bits >>> pending);
                out[pos] = (byte) (word >>> 24);
                out[pos + 1] = (byte) (word >>> 16);
                out[pos + 2] = (byte) (word >>> 8);
                out[pos + 3] = (byte) word;
                pos += 4;
            }
        }
        while (pending >= 8) {
            pending -= 8;
            out[pos++] = (byte) (bits >>> pending);
        }
        if (pending > 0) {
            out[pos++] = (byte) (bits << (8 - pending));
        }
        return pos;
    }

    @Override
    public void close() {
        closed = true;
        levels = null;
        residuals = null;
        frequencies = null;
        output = null;
    }
}
