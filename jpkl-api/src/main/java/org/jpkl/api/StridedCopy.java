package org.jpkl.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Copies an N-D block of elements between two primitive arrays of the same type, each addressed by
 * an offset and per-dimension element strides. The one copy kernel behind slicing, plane extraction
 * and plane scatter. Stateless.
 */
final class StridedCopy {

    private StridedCopy() {
    }

    /**
     * Copies {@code counts[0] x ... x counts[k-1]} elements from {@code src} to {@code dst}. Both
     * arrays must be of the same primitive type. Strides may be negative or zero.
     */
    static void copy(Object src, int srcOffset, int[] srcStrides, Object dst, int dstOffset, int[] dstStrides, int[] counts) {
        copy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, counts, new int[counts.length]);
    }

    /** As above with a caller's all-zero position array of {@code counts.length} ints, all zero again on return. */
    private static void copy(Object src, int srcOffset, int[] srcStrides, Object dst, int dstOffset, int[] dstStrides, int[] counts,
            int[] idx) {
        int dims = counts.length;
        for (int c : counts) {
            if (c == 0) {
                return;
            }
        }
        if (dims == 0) {
            run(src, srcOffset, 1, dst, dstOffset, 1, 1);
            return;
        }
        int inner = dims - 1;
        int innerCount = counts[inner];
        int innerSrc = srcStrides[inner];
        int innerDst = dstStrides[inner];
        int[] at = {srcOffset, dstOffset};
        do {
            run(src, at[0], innerSrc, dst, at[1], innerDst, innerCount);
        } while (nextRun(idx, counts, srcStrides, dstStrides, at));
    }

    /**
     * Moves {@code at} (an offset on each side) to the start of the next innermost run, odometer-wise
     * over the outer dimensions; returns false after the last run, with {@code idx} all zero again.
     */
    private static boolean nextRun(int[] idx, int[] counts, int[] strides0, int[] strides1, int[] at) {
        for (int k = counts.length - 2; k >= 0; k--) {
            idx[k]++;
            at[0] += strides0[k];
            at[1] += strides1[k];
            if (idx[k] < counts[k]) {
                return true;
            }
            at[0] -= strides0[k] * counts[k];
            at[1] -= strides1[k] * counts[k];
            idx[k] = 0;
        }
        return false;
    }

    /**
     * Copies {@code srcs.length} blocks of the same shape ({@code counts}, same strides), block
     * {@code j} from {@code srcs[j]} at {@code srcOffsets[j]} to {@code dsts[j]} at
     * {@code dstOffsets[j]}, band by band of the first dimension: band {@code b} of every block before
     * band {@code b + 1} of any. When the blocks are interleaved planes of one array (neighbouring
     * planes are neighbouring elements), one band of that array is then brought into cache once for
     * all the blocks instead of once per block. A band spans about {@value #BAND_BYTES} bytes of the
     * side with the longer first-dimension stride (at least one row).
     */
    static void copyBanded(Object[] srcs, int[] srcOffsets, int[] srcStrides, Object[] dsts, int[] dstOffsets, int[] dstStrides,
            int[] counts, int elementBytes) {
        if (counts.length == 0 || srcs.length == 1) {
            for (int j = 0; j < srcs.length; j++) {
                copy(srcs[j], srcOffsets[j], srcStrides, dsts[j], dstOffsets[j], dstStrides, counts);
            }
            return;
        }
        long rowBytes = Math.max(1L, Math.max(Math.abs((long) srcStrides[0]), Math.abs((long) dstStrides[0])) * elementBytes);
        int band = (int) Math.max(1L, Math.min(counts[0], BAND_BYTES / rowBytes));
        int[] packs = packs(srcs, srcOffsets, srcStrides, dsts, dstOffsets, dstStrides);
        int[] part = counts.clone();
        int[] idx = new int[counts.length];
        for (int y = 0; y < counts[0]; y += band) {
            part[0] = Math.min(band, counts[0] - y);
            for (int j = 0; j < srcs.length; j += Math.max(1, Math.abs(packs[j]))) {
                int s = y * srcStrides[0];
                int d = y * dstStrides[0];
                if (packs[j] == 0) {
                    copy(srcs[j], srcOffsets[j] + s, srcStrides, dsts[j], dstOffsets[j] + d, dstStrides, part, idx);
                } else {
                    copyPacked(srcs, srcOffsets, s, srcStrides, dsts, dstOffsets, d, dstStrides, part, j, packs[j], idx);
                }
            }
        }
    }

    /**
     * For each block {@code j} of {@link #copyBanded}, how many blocks from {@code j} on are copied
     * together as one packed run ({@link #copyPacked}): {@code k} (4 or 2) when blocks
     * {@code j .. j + k - 1} are neighbouring bytes of one byte array on the destination side and
     * fill its innermost run back to back (element step {@code k}: a scatter into exactly that many
     * interleaved planes, as the result of {@code x[:, :, k, m]}), reading consecutive elements of
     * each plane; {@code -k} for the same on the source side (a gather); 0 to copy block {@code j}
     * alone; entries inside a packed run are not read.
     */
    private static int[] packs(Object[] srcs, int[] srcOffsets, int[] srcStrides, Object[] dsts, int[] dstOffsets, int[] dstStrides) {
        int n = srcs.length;
        int[] packs = new int[n];
        if (!(srcs[0] instanceof byte[]) || srcStrides.length == 0) {
            return packs;
        }
        int inner = srcStrides.length - 1;
        for (int j = 0; j < n; ) {
            int k = 0;
            for (int size = 4; size >= 2 && k == 0; size /= 2) {
                if (neighbours(dsts, dstOffsets, j, size) && dstStrides[inner] == size && srcStrides[inner] == 1) {
                    k = size;
                } else if (neighbours(srcs, srcOffsets, j, size) && srcStrides[inner] == size && dstStrides[inner] == 1) {
                    k = -size;
                }
            }
            packs[j] = k;
            j += Math.max(1, Math.abs(k));
        }
        return packs;
    }

    /** Whether blocks {@code j .. j + size - 1} start at neighbouring elements {@code o, o + 1, ...} of one array. */
    private static boolean neighbours(Object[] arrays, int[] offsets, int j, int size) {
        if (j + size > arrays.length) {
            return false;
        }
        for (int t = 1; t < size; t++) {
            if (arrays[j + t] != arrays[j] || offsets[j + t] != offsets[j] + t) {
                return false;
            }
        }
        return true;
    }

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Copies byte blocks {@code j .. j + |k| - 1} (same shape and strides) together: where they are
     * neighbouring bytes of one array (the interleaved side), element by element as one 2- or
     * 4-byte word holding the {@code |k|} blocks' bytes in block order (8-byte words, for 8 planes
     * filling the pixels, were dropped: that layout is rare and the code twice as long); the other side is read or
     * written a byte per block. One word access replaces {@code |k|} byte accesses to the same
     * cache line. {@code s} and {@code d} are added to every block's offset.
     */
    private static void copyPacked(Object[] srcs, int[] srcOffsets, int s, int[] srcStrides, Object[] dsts, int[] dstOffsets, int d,
            int[] dstStrides, int[] counts, int j, int k, int[] idx) {
        for (int c : counts) {
            if (c == 0) {
                return;
            }
        }
        int size = Math.abs(k);
        byte[][] planes = new byte[size][];
        int[] planeOffsets = new int[size];
        for (int t = 0; t < size; t++) {
            planes[t] = (byte[]) (k > 0 ? srcs[j + t] : dsts[j + t]);
            planeOffsets[t] = k > 0 ? srcOffsets[j + t] + s : dstOffsets[j + t] + d;
        }
        byte[] packed = (byte[]) (k > 0 ? dsts[j] : srcs[j]);
        int p = k > 0 ? dstOffsets[j] + d : srcOffsets[j] + s;
        int[] planeStrides = k > 0 ? srcStrides : dstStrides;
        int[] packedStrides = k > 0 ? dstStrides : srcStrides;
        int inner = counts.length - 1;
        int[] at = {0, p};
        do {
            if (k > 0) {
                scatterRun(planes, planeOffsets, at[0], packed, at[1], counts[inner]);
            } else {
                gatherRun(packed, at[1], planes, planeOffsets, at[0], counts[inner]);
            }
        } while (nextRun(idx, counts, planeStrides, packedStrides, at));
    }

    /**
     * {@code n} consecutive elements of {@code planes.length} planes (from {@code offsets[t] + q})
     * into consecutive words from {@code p}. Four planes go 8 elements at a time: one {@code long}
     * read from each plane, the 4 x 8 bytes transposed in registers ({@link #transpose4x8}) and
     * written as 4 {@code long}s (2.5x faster than a word per element). The constant steps keep the
     * loops free of range checks; with a variable step of the words (planes spread wider apart than
     * the group, as in the full array) the packed loop measured slower than plane by plane, so
     * {@link #packs} does not pack those.
     */
    private static void scatterRun(byte[][] planes, int[] offsets, int q, byte[] packed, int p, int n) {
        if (planes.length == 4) {
            byte[] a0 = planes[0], a1 = planes[1], a2 = planes[2], a3 = planes[3];
            int o0 = offsets[0] + q, o1 = offsets[1] + q, o2 = offsets[2] + q, o3 = offsets[3] + q;
            long[] w = new long[4];
            int e = 0;
            for (; e <= n - 8; e += 8) {
                w[0] = (long) LONGS.get(a0, o0 + e);
                w[1] = (long) LONGS.get(a1, o1 + e);
                w[2] = (long) LONGS.get(a2, o2 + e);
                w[3] = (long) LONGS.get(a3, o3 + e);
                transpose4x8(w);
                int o = p + 4 * e;
                LONGS.set(packed, o, w[0]);
                LONGS.set(packed, o + 8, w[1]);
                LONGS.set(packed, o + 16, w[2]);
                LONGS.set(packed, o + 24, w[3]);
            }
            for (; e < n; e++) {
                INTS.set(packed, p + 4 * e, (a0[o0 + e] & 0xFF) | (a1[o1 + e] & 0xFF) << 8 | (a2[o2 + e] & 0xFF) << 16
                        | (a3[o3 + e] & 0xFF) << 24);
            }
        } else {
            byte[] a0 = planes[0], a1 = planes[1];
            int o0 = offsets[0] + q, o1 = offsets[1] + q;
            for (int e = 0; e < n; e++) {
                SHORTS.set(packed, p + 2 * e, (short) ((a0[o0 + e] & 0xFF) | (a1[o1 + e] & 0xFF) << 8));
            }
        }
    }

    /** The inverse of {@link #scatterRun}: consecutive words from {@code p} split into the planes. */
    private static void gatherRun(byte[] packed, int p, byte[][] planes, int[] offsets, int q, int n) {
        if (planes.length == 4) {
            byte[] a0 = planes[0], a1 = planes[1], a2 = planes[2], a3 = planes[3];
            int o0 = offsets[0] + q, o1 = offsets[1] + q, o2 = offsets[2] + q, o3 = offsets[3] + q;
            long[] w = new long[4];
            int e = 0;
            for (; e <= n - 8; e += 8) {
                int o = p + 4 * e;
                w[0] = (long) LONGS.get(packed, o);
                w[1] = (long) LONGS.get(packed, o + 8);
                w[2] = (long) LONGS.get(packed, o + 16);
                w[3] = (long) LONGS.get(packed, o + 24);
                untranspose4x8(w);
                LONGS.set(a0, o0 + e, w[0]);
                LONGS.set(a1, o1 + e, w[1]);
                LONGS.set(a2, o2 + e, w[2]);
                LONGS.set(a3, o3 + e, w[3]);
            }
            for (; e < n; e++) {
                int v = (int) INTS.get(packed, p + 4 * e);
                a0[o0 + e] = (byte) v;
                a1[o1 + e] = (byte) (v >>> 8);
                a2[o2 + e] = (byte) (v >>> 16);
                a3[o3 + e] = (byte) (v >>> 24);
            }
        } else {
            byte[] a0 = planes[0], a1 = planes[1];
            int o0 = offsets[0] + q, o1 = offsets[1] + q;
            for (int e = 0; e < n; e++) {
                short v = (short) SHORTS.get(packed, p + 2 * e);
                a0[o0 + e] = (byte) v;
                a1[o1 + e] = (byte) (v >>> 8);
            }
        }
    }

    /**
     * Transposes 4 x 8 bytes held in 4 little-endian {@code long}s, in place: in, {@code w[t]} holds
     * byte {@code i} of plane {@code t} at byte {@code i}; out, {@code w[0..3]} hold the 8 words of 4
     * bytes (word {@code i} = byte {@code i} of planes 0 to 3), two words per {@code long}, words in
     * order. Three rounds of delta swaps between two {@code long}s each: bytes, pairs of bytes, then
     * halves (6 x 6 operations for 32 bytes, where a word per element takes about 12 per element).
     * The local array does not escape, so the JIT keeps it in registers (measured as fast as the
     * swaps written out in the loop).
     */
    static void transpose4x8(long[] w) {
        deltaSwap(w, 0, 1, 8, BYTES);
        deltaSwap(w, 2, 3, 8, BYTES);
        deltaSwap(w, 0, 2, 16, PAIRS);
        deltaSwap(w, 1, 3, 16, PAIRS);
        deltaSwap(w, 0, 1, 32, HALVES);
        deltaSwap(w, 2, 3, 32, HALVES);
        swap(w, 1, 2);
    }

    /** The inverse of {@link #transpose4x8}: the same steps in the reverse order. */
    static void untranspose4x8(long[] w) {
        swap(w, 1, 2);
        deltaSwap(w, 0, 1, 32, HALVES);
        deltaSwap(w, 2, 3, 32, HALVES);
        deltaSwap(w, 0, 2, 16, PAIRS);
        deltaSwap(w, 1, 3, 16, PAIRS);
        deltaSwap(w, 0, 1, 8, BYTES);
        deltaSwap(w, 2, 3, 8, BYTES);
    }

    private static final long BYTES = 0x00FF00FF00FF00FFL;
    private static final long PAIRS = 0x0000FFFF0000FFFFL;
    private static final long HALVES = 0x00000000FFFFFFFFL;

    /** Swaps the {@code mask} bits of {@code w[j]} with the bits {@code shift} above them in {@code w[i]} (its own inverse). */
    private static void deltaSwap(long[] w, int i, int j, int shift, long mask) {
        long t = ((w[i] >>> shift) ^ w[j]) & mask;
        w[j] ^= t;
        w[i] ^= t << shift;
    }

    private static void swap(long[] w, int i, int j) {
        long t = w[i];
        w[i] = w[j];
        w[j] = t;
    }

    /** The bytes of the interleaved side that one band of {@link #copyBanded} spans (well inside L2). */
    static final int BAND_BYTES = 128 * 1024;

    /** One strided run; contiguous runs use System.arraycopy. */
    private static void run(Object src, int s, int ss, Object dst, int d, int ds, int n) {
        if (ss == 1 && ds == 1) {
            System.arraycopy(src, s, dst, d, n);
        } else if (src instanceof byte[]) {
            byte[] a = (byte[]) src;
            byte[] b = (byte[]) dst;
            if (ss == 1) {
                // unit steps on one side keep the loop free of range checks (plane scatter and gather)
                for (int i = 0; i < n; i++, d += ds) {
                    b[d] = a[s + i];
                }
                return;
            }
            if (ds == 1) {
                for (int i = 0; i < n; i++, s += ss) {
                    b[d + i] = a[s];
                }
                return;
            }
            for (int i = 0; i < n; i++, s += ss, d += ds) {
                b[d] = a[s];
            }
        } else if (src instanceof short[]) {
            short[] a = (short[]) src;
            short[] b = (short[]) dst;
            for (int i = 0; i < n; i++, s += ss, d += ds) {
                b[d] = a[s];
            }
        } else if (src instanceof int[]) {
            int[] a = (int[]) src;
            int[] b = (int[]) dst;
            for (int i = 0; i < n; i++, s += ss, d += ds) {
                b[d] = a[s];
            }
        } else if (src instanceof float[]) {
            float[] a = (float[]) src;
            float[] b = (float[]) dst;
            for (int i = 0; i < n; i++, s += ss, d += ds) {
                b[d] = a[s];
            }
        } else {
            double[] a = (double[]) src;
            double[] b = (double[]) dst;
            for (int i = 0; i < n; i++, s += ss, d += ds) {
                b[d] = a[s];
            }
        }
    }
}
