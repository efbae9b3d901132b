package org.jpkl.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.DType;

/** Element conversions between file bytes and the typed storage of {@link org.jpkl.api.NdArray}. Stateless. */
final class Elements {
    private Elements() {
    }

    /** A new array of {@code n} elements of {@code dtype}'s storage type. */
    static Object newStorage(DType dtype, int n) {
        return java.lang.reflect.Array.newInstance(dtype.primitiveType(), n);
    }

    /**
     * Decodes {@code n} elements from {@code src[srcOff...]} in {@code order} into the typed array
     * {@code dst} (the storage type of {@code dtype}) from index {@code dstOff}.
     */
    static void decode(byte[] src, int srcOff, int n, ByteOrder order, DType dtype, Object dst, int dstOff) {
        ByteBuffer buf = ByteBuffer.wrap(src, srcOff, n * dtype.byteSize()).slice().order(order);
        switch (dtype) {
            case UINT8:
                System.arraycopy(src, srcOff, dst, dstOff, n);
                break;
            case UINT16:
            case INT16:
                buf.asShortBuffer().get((short[]) dst, dstOff, n);
                break;
            case INT32:
                buf.asIntBuffer().get((int[]) dst, dstOff, n);
                break;
            case FLOAT32:
                buf.asFloatBuffer().get((float[]) dst, dstOff, n);
                break;
            default:
                buf.asDoubleBuffer().get((double[]) dst, dstOff, n);
                break;
        }
    }

    /** {@code dst[dstStart + i * stride] = src[i]} for {@code i < n}; both arrays of the same primitive type. */
    static void scatter(Object src, int n, Object dst, int dstStart, int stride) {
        if (src instanceof byte[]) {
            byte[] s = (byte[]) src;
            byte[] d = (byte[]) dst;
            for (int i = 0, j = dstStart; i < n; i++, j += stride) {
                d[j] = s[i];
            }
        } else if (src instanceof short[]) {
            short[] s = (short[]) src;
            short[] d = (short[]) dst;
            for (int i = 0, j = dstStart; i < n; i++, j += stride) {
                d[j] = s[i];
            }
        } else if (src instanceof int[]) {
            int[] s = (int[]) src;
            int[] d = (int[]) dst;
            for (int i = 0, j = dstStart; i < n; i++, j += stride) {
                d[j] = s[i];
            }
        } else if (src instanceof float[]) {
            float[] s = (float[]) src;
            float[] d = (float[]) dst;
            for (int i = 0, j = dstStart; i < n; i++, j += stride) {
                d[j] = s[i];
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int i = 0, j = dstStart; i < n; i++, j += stride) {
                d[j] = s[i];
            }
        }
    }
}
