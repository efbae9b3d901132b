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
        int[] idx = new int[dims];
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
