package org.jpkl.api;

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
        int s = srcOffset;
        int d = dstOffset;
        while (true) {
            run(src, s, innerSrc, dst, d, innerDst, innerCount);
            int k = inner - 1;
            while (k >= 0) {
                idx[k]++;
                s += srcStrides[k];
                d += dstStrides[k];
                if (idx[k] < counts[k]) {
                    break;
                }
                s -= srcStrides[k] * counts[k];
                d -= dstStrides[k] * counts[k];
                idx[k] = 0;
                k--;
            }
            if (k < 0) {
                return;
            }
        }
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
        int[] part = counts.clone();
        int[] idx = new int[counts.length];
        for (int y = 0; y < counts[0]; y += band) {
            part[0] = Math.min(band, counts[0] - y);
            for (int j = 0; j < srcs.length; j++) {
                copy(srcs[j], srcOffsets[j] + y * srcStrides[0], srcStrides, dsts[j], dstOffsets[j] + y * dstStrides[0], dstStrides,
                        part, idx);
            }
        }
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
