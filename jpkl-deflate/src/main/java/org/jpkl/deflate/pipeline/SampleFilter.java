package org.jpkl.deflate.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.deflate.PlaneFilter;

/**
 * The one implementation of {@link PlaneFilter}s, shared by every filtered codec: turns a
 * plane's primitive samples into filtered little-endian bytes and back.
 *
 * <p>Each filter is built from three steps, each written once per sample width and each a simple
 * loop the JIT compiles well: differencing along rows (in a scratch array, never in the caller's
 * plane; its inverse runs in place on the decoded plane), the byte shuffle (byte {@code k} of sample
 * {@code i} of {@code n} goes to {@code k * n + i}), and plain little-endian serialisation (bulk
 * copies through {@link ByteBuffer} views). Float samples are handled as their raw IEEE bit
 * patterns ({@link Float#floatToRawIntBits}), so every value, NaN payloads included, survives, and
 * their differences are XORs.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: not thread-safe (holds scratch arrays); one per encoder or decoder.
 */
public final class SampleFilter {
    private final PlaneFilter filter;
    private final PlaneSpec spec;
    private final int rows;
    private final int rowLength;
    private final int lag;
    private final int count;
    private Object scratch;
    private byte[] plain;

    /** A filter for planes of {@code spec}. */
    public SampleFilter(PlaneFilter filter, PlaneSpec spec) {
        this.filter = filter;
        this.spec = spec;
        this.rows = spec.height();
        this.rowLength = spec.width() * spec.channels().samplesPerPixel();
        this.lag = spec.channels().samplesPerPixel(); // the same channel of the previous pixel
        this.count = spec.sampleCount();
    }

    /** Bytes of a filtered plane: the raw plane's size. */
    int byteSize() {
        return (int) spec.byteSize();
    }

    private ByteBuffer littleEndian(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 0, byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes the filtered bytes of {@code plane} to {@code out[0, byteSize())}; the plane is only read. */
    void encode(PlaneBuffer plane, byte[] out) {
        if (filter == PlaneFilter.BITSHUFFLE) {
            byte[] plain = plainBytes();
            encode(PlaneFilter.NONE, plane, plain);
            bitshuffle(plain, out);
        } else {
            encode(filter, plane, out);
        }
    }

    private void encode(PlaneFilter filter, PlaneBuffer plane, byte[] out) {
        int off = plane.offset();
        boolean delta = filter == PlaneFilter.DELTA;
        switch (spec.dtype()) {
            case UINT8:
                if (delta) {
                    delta8(plane.bytes(), off, out);
                } else {
                    System.arraycopy(plane.bytes(), off, out, 0, count);
                }
                break;
            case UINT16:
            case INT16: {
                short[] source = plane.shorts();
                if (filter == PlaneFilter.NONE) {
                    littleEndian(out).asShortBuffer().put(source, off, count);
                    break;
                }
                if (delta) {
                    short[] d = (short[]) scratch(short[].class);
                    delta16(source, off, d);
                    source = d;
                    off = 0;
                }
                shuffle16(source, off, out);
                break;
            }
            case INT32: {
                int[] source = plane.ints();
                if (filter == PlaneFilter.NONE) {
                    littleEndian(out).asIntBuffer().put(source, off, count);
                    break;
                }
                if (delta) {
                    int[] d = (int[]) scratch(int[].class);
                    delta32(source, off, d, false);
                    source = d;
                    off = 0;
                }
                shuffle32(source, off, out);
                break;
            }
            case FLOAT32: {
                float[] source = plane.floats();
                if (filter == PlaneFilter.NONE) {
                    littleEndian(out).asIntBuffer().put(floatBits(source, off));
                    break;
                }
                int[] bits = floatBits(source, off);
                if (delta) {
                    delta32(bits, 0, bits, true);
                }
                shuffle32(bits, 0, out);
                break;
            }
            case FLOAT64: {
                double[] source = plane.doubles();
                long[] bits = doubleBits(source, off);
                if (filter == PlaneFilter.NONE) {
                    littleEndian(out).asLongBuffer().put(bits);
                    break;
                }
                if (delta) {
                    delta64(bits, 0, bits, true);
                }
                shuffle64(bits, 0, out);
                break;
            }
            default:
                throw new IllegalArgumentException("dtype " + spec.dtype() + " is not supported");
        }
    }

    /**
     * Reads the filtered bytes {@code in[0, byteSize())} and writes the plane's samples to
     * {@code dest}, touching nothing outside the plane.
     */
    void decode(byte[] in, PlaneBuffer dest) {
        if (filter == PlaneFilter.BITSHUFFLE) {
            byte[] plain = plainBytes();
            unbitshuffle(in, plain);
            decode(PlaneFilter.NONE, plain, dest);
        } else {
            decode(filter, in, dest);
        }
    }

    private void decode(PlaneFilter filter, byte[] in, PlaneBuffer dest) {
        int off = dest.offset();
        boolean delta = filter == PlaneFilter.DELTA;
        switch (spec.dtype()) {
            case UINT8:
                System.arraycopy(in, 0, dest.bytes(), off, count);
                if (delta) {
                    undelta8(dest.bytes(), off);
                }
                break;
            case UINT16:
            case INT16:
                if (filter == PlaneFilter.NONE) {
                    littleEndian(in).asShortBuffer().get(dest.shorts(), off, count);
                } else {
                    unshuffle16(in, dest.shorts(), off);
                }
                if (delta) {
                    undelta16(dest.shorts(), off);
                }
                break;
            case INT32:
                if (filter == PlaneFilter.NONE) {
                    littleEndian(in).asIntBuffer().get(dest.ints(), off, count);
                } else {
                    unshuffle32(in, dest.ints(), off);
                }
                if (delta) {
                    undelta32(dest.ints(), off, false);
                }
                break;
            case FLOAT32: {
                int[] bits = (int[]) scratch(int[].class);
                if (filter == PlaneFilter.NONE) {
                    littleEndian(in).asIntBuffer().get(bits);
                } else {
                    unshuffle32(in, bits, 0);
                }
                if (delta) {
                    undelta32(bits, 0, true);
                }
                float[] d = dest.floats();
                for (int i = 0; i < count; i++) {
                    d[off + i] = Float.intBitsToFloat(bits[i]);
                }
                break;
            }
            case FLOAT64: {
                long[] bits = (long[]) scratch(long[].class);
                if (filter == PlaneFilter.NONE) {
                    littleEndian(in).asLongBuffer().get(bits);
                } else {
                    unshuffle64(in, bits, 0);
                }
                if (delta) {
                    undelta64(bits, 0, true);
                }
                double[] d = dest.doubles();
                for (int i = 0; i < count; i++) {
                    d[off + i] = Double.longBitsToDouble(bits[i]);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("dtype " + spec.dtype() + " is not supported");
        }
    }

    /** The plane's plain little-endian bytes, for bitshuffle; kept for the next call. */
    private byte[] plainBytes() {
        if (plain == null) {
            plain = new byte[byteSize()];
        }
        return plain;
    }

    /** A scratch array of {@code count} elements, kept for the next call. */
    private Object scratch(Class<?> type) {
        if (scratch == null || scratch.getClass() != type) {
            scratch = type == short[].class ? new short[count] : type == int[].class ? (Object) new int[count] : new long[count];
        }
        return scratch;
    }

    private int[] floatBits(float[] source, int off) {
        int[] bits = (int[]) scratch(int[].class);
        for (int i = 0; i < count; i++) {
            bits[i] = Float.floatToRawIntBits(source[off + i]);
        }
        return bits;
    }

    private long[] doubleBits(double[] source, int off) {
        long[] bits = (long[]) scratch(long[].class);
        for (int i = 0; i < count; i++) {
            bits[i] = Double.doubleToRawLongBits(source[off + i]);
        }
        return bits;
    }

    // ---- differencing: d[i] = s[i] - s[i - lag] along each row (XOR for float bits); the first
    // pixel of a row is kept. Each channel of a row is walked with its previous value in a local,
    // so source and target may be the same array and the loops carry no memory dependency. Fields
    // are copied to locals and the loops counted by pixel, which lets the JIT drop bounds checks
    // (strided loops over fields were much slower; figure in docs/PERFORMANCE.md).

    private void delta8(byte[] s, int so, byte[] d) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = r * rowLength + c;
                int previous = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    int v = s[so + i];
                    d[i] = (byte) (v - previous);
                    previous = v;
                }
            }
        }
    }

    private void undelta8(byte[] d, int off) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = off + r * rowLength + c;
                int sum = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    sum += d[i];
                    d[i] = (byte) sum;
                }
            }
        }
    }

    private void delta16(short[] s, int so, short[] d) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = r * rowLength + c;
                int previous = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    int v = s[so + i];
                    d[i] = (short) (v - previous);
                    previous = v;
                }
            }
        }
    }

    private void undelta16(short[] d, int off) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = off + r * rowLength + c;
                int sum = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    sum += d[i];
                    d[i] = (short) sum;
                }
            }
        }
    }

    private void delta32(int[] s, int so, int[] d, boolean xor) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = r * rowLength + c;
                int previous = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    int v = s[so + i];
                    d[i] = xor ? v ^ previous : v - previous;
                    previous = v;
                }
            }
        }
    }

    private void undelta32(int[] d, int off, boolean xor) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = off + r * rowLength + c;
                int sum = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    sum = xor ? sum ^ d[i] : sum + d[i];
                    d[i] = sum;
                }
            }
        }
    }

    private void delta64(long[] s, int so, long[] d, boolean xor) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = r * rowLength + c;
                long previous = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    long v = s[so + i];
                    d[i] = xor ? v ^ previous : v - previous;
                    previous = v;
                }
            }
        }
    }

    private void undelta64(long[] d, int off, boolean xor) {
        int rows = this.rows;
        int rowLength = this.rowLength;
        int lag = this.lag;
        int pixels = rowLength / lag;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < lag; c++) {
                int start = off + r * rowLength + c;
                long sum = 0;
                for (int k = 0; k < pixels; k++) {
                    int i = start + k * lag;
                    sum = xor ? sum ^ d[i] : sum + d[i];
                    d[i] = sum;
                }
            }
        }
    }

    // ---- byte shuffle: byte k of sample i goes to k * count + i.

    private void shuffle16(short[] s, int so, byte[] out) {
        int n = count;
        for (int i = 0; i < n; i++) {
            int v = s[so + i];
            out[i] = (byte) v;
            out[n + i] = (byte) (v >>> 8);
        }
    }

    private void unshuffle16(byte[] in, short[] d, int off) {
        int n = count;
        for (int i = 0; i < n; i++) {
            d[off + i] = (short) ((in[i] & 0xFF) | in[n + i] << 8);
        }
    }

    private void shuffle32(int[] s, int so, byte[] out) {
        int n = count;
        for (int i = 0; i < n; i++) {
            int v = s[so + i];
            out[i] = (byte) v;
            out[n + i] = (byte) (v >>> 8);
            out[2 * n + i] = (byte) (v >>> 16);
            out[3 * n + i] = (byte) (v >>> 24);
        }
    }

    private void unshuffle32(byte[] in, int[] d, int off) {
        int n = count;
        for (int i = 0; i < n; i++) {
            d[off + i] = (in[i] & 0xFF) | (in[n + i] & 0xFF) << 8 | (in[2 * n + i] & 0xFF) << 16 | in[3 * n + i] << 24;
        }
    }

    private void shuffle64(long[] s, int so, byte[] out) {
        int n = count;
        for (int k = 0; k < 8; k++) {
            int base = k * n;
            int shift = 8 * k;
            for (int i = 0; i < n; i++) {
                out[base + i] = (byte) (s[so + i] >>> shift);
            }
        }
    }

    private void unshuffle64(byte[] in, long[] d, int off) {
        int n = count;
        for (int i = 0; i < n; i++) {
            d[off + i] = (in[i] & 0xFFL) | (in[n + i] & 0xFFL) << 8 | (in[2 * n + i] & 0xFFL) << 16 | (in[3 * n + i] & 0xFFL) << 24
                    | (in[4 * n + i] & 0xFFL) << 32 | (in[5 * n + i] & 0xFFL) << 40 | (in[6 * n + i] & 0xFFL) << 48
                    | (long) in[7 * n + i] << 56;
        }
    }

    // ---- bitshuffle: bit b of byte k of sample 8g+j goes to bit j of byte (8k + b) * (n / 8) + g,
    // for the first n = count rounded down to a multiple of 8 samples; the rest are copied. Eight
    // samples' byte k are gathered into a long and transposed as an 8x8 bit matrix.

    private void bitshuffle(byte[] in, byte[] out) {
        int size = spec.dtype().byteSize();
        int groups = count >>> 3;
        for (int k = 0; k < size; k++) {
            int planes = 8 * k * groups;
            for (int g = 0; g < groups; g++) {
                int at = 8 * g * size + k;
                long x = 0;
                for (int j = 0; j < 8; j++) {
                    x |= (in[at + j * size] & 0xFFL) << (8 * j);
                }
                x = transpose8(x);
                for (int b = 0; b < 8; b++) {
                    out[planes + b * groups + g] = (byte) (x >>> (8 * b));
                }
            }
        }
        int done = 8 * groups * size;
        System.arraycopy(in, done, out, done, byteSize() - done);
    }

    private void unbitshuffle(byte[] in, byte[] out) {
        int size = spec.dtype().byteSize();
        int groups = count >>> 3;
        for (int k = 0; k < size; k++) {
            int planes = 8 * k * groups;
            for (int g = 0; g < groups; g++) {
                long x = 0;
                for (int b = 0; b < 8; b++) {
                    x |= (in[planes + b * groups + g] & 0xFFL) << (8 * b);
                }
                x = transpose8(x);
                int at = 8 * g * size + k;
                for (int j = 0; j < 8; j++) {
                    out[at + j * size] = (byte) (x >>> (8 * j));
                }
            }
        }
        int done = 8 * groups * size;
        System.arraycopy(in, done, out, done, byteSize() - done);
    }

    /** Transposes the 8x8 bit matrix whose row r is byte r of {@code x} (Hacker's Delight 7-3); its own inverse. */
    private static long transpose8(long x) {
        long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
        x = x ^ t ^ (t << 7);
        t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
        x = x ^ t ^ (t << 14);
        t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
        return x ^ t ^ (t << 28);
    }
}
