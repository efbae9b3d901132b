package org.jpkl.sqrt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;

/**
 * Decodes what {@link SqrtEncoder} wrote. Every field is checked against the plane and the
 * parameters before anything is allocated or decoded; the levels are decoded into scratch and
 * written to the destination only once all of them proved valid.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class SqrtDecoder implements SliceDecoder {
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final SqrtQuantiser quantiser;
    private final PlaneSpec spec;
    private final int count;
    private char[] levels;
    private byte[] copy;
    private boolean closed;

    SqrtDecoder(SqrtQuantiser quantiser) {
        this.quantiser = quantiser;
        this.spec = quantiser.spec;
        this.count = spec.sampleCount();
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
        if (closed) {
            throw new IllegalStateException("decoder is closed");
        }
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("destination is " + destination.spec() + ", decoder is for " + spec);
        }
        ByteBuffer in = encoded.slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = in.remaining();
        if (length < SqrtStream.HEADER) {
            throw error("slice data", length + " bytes, shorter than the " + SqrtStream.HEADER + "-byte plane header");
        }
        int magic = in.getInt(0);
        if (magic != SqrtStream.MAGIC) {
            throw error("slice header", String.format("magic 0x%08x is not sqrt's 0x%08x", magic, SqrtStream.MAGIC));
        }
        int version = in.get(4) & 0xFF;
        if (version != SqrtStream.VERSION && version != SqrtStream.VERSION_SQRT_BINS) {
            throw error("slice header", "format version " + version + " is not supported; expected "
                    + SqrtStream.VERSION_SQRT_BINS + " or " + SqrtStream.VERSION);
        }
        SqrtQuantiser.Levels levelSet = version == SqrtStream.VERSION ? quantiser.current : quantiser.version1;
        int dtype = in.get(5) & 0xFF;
        int samples = in.get(6) & 0xFF;
        int height = in.getInt(8);
        int width = in.getInt(12);
        if (dtype != SqrtStream.dtypeCode(spec.dtype()) || samples != spec.channels().samplesPerPixel()
                || height != spec.height() || width != spec.width()) {
            throw error("slice header", "plane of dtype code " + dtype + ", " + height + "x" + width + "x" + samples
                    + " does not match the expected " + spec + " (dtype code " + SqrtStream.dtypeCode(spec.dtype()) + ")");
        }
        int predictor = in.get(7) & 0xFF;
        if (predictor != SqrtStream.PREDICTOR_MEAN) {
            throw error("slice header", "predictor " + predictor + " is not supported; expected " + SqrtStream.PREDICTOR_MEAN);
        }
        double offset = in.getDouble(16);
        double gain = in.getDouble(24);
        double scale = in.getDouble(32);
        if (Double.doubleToRawLongBits(offset) != Double.doubleToRawLongBits(quantiser.offset)
                || Double.doubleToRawLongBits(gain) != Double.doubleToRawLongBits(quantiser.gain)
                || Double.doubleToRawLongBits(scale) != Double.doubleToRawLongBits(quantiser.scale)) {
            throw error("slice header", "encoded with offset " + offset + ", gain " + gain + ", scale " + scale
                    + "; the parameters say offset " + quantiser.offset + ", gain " + quantiser.gain + ", scale " + quantiser.scale);
        }
        long symbols = in.getInt(40) & 0xFFFFFFFFL;
        if (symbols < 1 || symbols > levelSet.alphabet()) {
            throw error("slice header", "code table of " + symbols + " symbols; this plane's residuals have 1.."
                    + levelSet.alphabet());
        }
        long payload = in.getInt(44) & 0xFFFFFFFFL;
        long tableBytes = (symbols + 1) / 2;
        long maxPayload = SqrtStream.maxPayload(count);
        if (payload > maxPayload) {
            throw error("slice header", "payload of " + payload + " bytes; a plane of " + count + " samples needs at most "
                    + maxPayload);
        }
        long expected = SqrtStream.HEADER + tableBytes + payload;
        if (length < expected) {
            throw error("slice data", "the data is truncated: " + length + " bytes, the header declares " + expected);
        }
        if (length > expected) {
            throw error("slice data", (length - expected) + " bytes of trailing data follow the payload");
        }
        byte[] data;
        int base;
        if (in.hasArray()) {
            data = in.array();
            base = in.arrayOffset();
        } else {
            if (copy == null || copy.length < length) {
                copy = new byte[length];
            }
            in.get(0, copy, 0, length);
            data = copy;
            base = 0;
        }
        CRC32C crc = new CRC32C();
        crc.update(data, base + SqrtStream.HEADER, length - SqrtStream.HEADER);
        int stored = in.getInt(48);
        if ((int) crc.getValue() != stored) {
            throw error("slice data", String.format("CRC-32C 0x%08x of the code table and payload does not match the stored 0x%08x",
                    (int) crc.getValue(), stored));
        }
        byte[] lengths = new byte[(int) symbols];
        for (int s = 0; s < symbols; s++) {
            int packed = data[base + SqrtStream.HEADER + s / 2] & 0xFF;
            lengths[s] = (byte) ((s & 1) == 0 ? packed & 0xF : packed >>> 4);
        }
        if ((symbols & 1) == 1 && (data[(int) (base + SqrtStream.HEADER + tableBytes - 1)] & 0xF0) != 0) {
            throw error("slice data", "the code table's padding nibble is not zero");
        }
        Huffman.Decoding code = Huffman.Decoding.of(lengths, (int) symbols);
        if (code == null) {
            throw error("slice data", "the code lengths do not form a prefix code");
        }
        int payloadStart = (int) (base + SqrtStream.HEADER + tableBytes);
        if (levels == null) {
            levels = new char[count];
        }
        decodeLevels(code, data, payloadStart, (int) payload, levelSet.maxLevel());
        write(destination, levelSet.values());
        encoded.position(encoded.limit());
    }

    private void decodeLevels(Huffman.Decoding code, byte[] data, int start, int length, int maxLevel) throws JpklFormatException {
        char[] q = levels;
        int lag = spec.channels().samplesPerPixel();
        int rowLength = spec.width() * lag;
        int rows = spec.height();
        Bits in = new Bits(code, data, start, length);
        for (int i = 0; i < rowLength; i++) {
            q[i] = level(i < lag ? 0 : q[i - lag], in.residual(i), maxLevel, i);
        }
        for (int y = 1; y < rows; y++) {
            int first = y * rowLength;
            int end = first + rowLength;
            for (int i = first; i < first + lag; i++) {
                q[i] = level(q[i - rowLength], in.residual(i), maxLevel, i);
            }
            for (int i = first + lag; i < end; i++) {
                q[i] = level((q[i - lag] + q[i - rowLength]) >>> 1, in.residual(i), maxLevel, i);
            }
        }
        in.checkEnd();
    }

    private static char level(int prediction, int residual, int maxLevel, int i) throws JpklFormatException {
        int level = prediction + residual;
        if (Integer.compareUnsigned(level, maxLevel) > 0) {
            throw error("slice data", "sample " + i + " decodes to level " + level + ", outside 0.." + maxLevel);
        }
        return (char) level;
    }

    /**
     * Reads canonical Huffman codes, most significant bit first, from a payload: the next bits are
     * kept left-aligned in a long, refilled eight bytes at a time (bytes past the end read as zero
     * and are counted, so that {@link #checkEnd} can tell a truncated payload).
     *
     * <p>Thread safety: not thread-safe; one per decode.
     */
    private static final class Bits {
        private final Huffman.Decoding code;
        private final int[] table;
        private final int shift;
        private final byte[] data;
        private final int start;
        private final int end;
        private long bits;
        private int available;
        private int pos;
        private long padding;

        Bits(Huffman.Decoding code, byte[] data, int start, int length) {
            this.code = code;
            this.table = code.table;
            this.shift = 64 - code.tableBits;
            this.data = data;
            this.start = start;
            this.end = start + length;
            this.pos = start;
        }

        /** The next residual (zigzag decoded). */
        int residual(int i) throws JpklFormatException {
            if (available < Huffman.MAX_LENGTH) {
                refill();
            }
            int entry = table[(int) (bits >>> shift)];
            int symbol;
            int len;
            if (entry != 0) {
                symbol = entry >>> 4;
                len = entry & 0xF;
            } else {
                symbol = -1;
                len = 0;
                for (int l = code.tableBits + 1; l <= code.maxLength; l++) {
                    int c = (int) (bits >>> (64 - l)) - code.first[l];
                    if (c >= 0 && c < code.count[l]) {
                        symbol = code.symbols[code.index[l] + c];
                        len = l;
                        break;
                    }
                }
                if (symbol < 0) {
                    throw error("slice data", "invalid Huffman code at sample " + i);
                }
            }
            bits <<= len;
            available -= len;
            return symbol >>> 1 ^ -(symbol & 1);
        }

        private void refill() {
            if (pos + 8 <= end) {
                // Bits below the counted bytes are OR-ed again, identically, by the next refill.
                bits |= (long) BIG_ENDIAN_LONG.get(data, pos) >>> available;
                int bytes = (63 - available) >>> 3;
                pos += bytes;
                available += bytes << 3;
                return;
            }
            while (available <= 56) {
                long b;
                if (pos < end) {
                    b = data[pos++] & 0xFFL;
                } else {
                    b = 0;
                    padding++;
                }
                bits |= b << (56 - available);
                available += 8;
            }
        }

        /** The codes must end in the payload's last byte, whose remaining bits are zero padding. */
        void checkEnd() throws JpklFormatException {
            int length = end - start;
            long consumedBits = (long) (pos - start + padding) * 8 - available;
            long usedBytes = (consumedBits + 7) / 8;
            if (usedBytes > length) {
                throw error("slice data", "the data is truncated: the codes need " + usedBytes + " payload bytes, " + length
                        + " are stored");
            }
            if (usedBytes < length) {
                throw error("slice data", (length - usedBytes) + " bytes of trailing data follow the codes");
            }
            int spare = (int) (usedBytes * 8 - consumedBits);
            if (spare > 0 && (data[end - 1] & ((1 << spare) - 1)) != 0) {
                throw error("slice data", "the payload's padding bits are not zero");
            }
        }
    }

    private void write(PlaneBuffer destination, char[] values) {
        char[] q = levels;
        int off = destination.offset();
        if (spec.dtype() == DType.UINT8) {
            byte[] d = destination.bytes();
            for (int i = 0; i < count; i++) {
                d[off + i] = (byte) values[q[i]];
            }
        } else {
            short[] d = destination.shorts();
            for (int i = 0; i < count; i++) {
                d[off + i] = (short) values[q[i]];
            }
        }
    }

    private static JpklFormatException error(String region, String detail) {
        return new JpklFormatException(SqrtCodec.ID, region, detail);
    }

    @Override
    public void close() {
        closed = true;
        levels = null;
        copy = null;
    }
}
