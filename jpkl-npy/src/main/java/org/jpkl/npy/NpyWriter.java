package org.jpkl.npy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.AtomicFileOutput;

/**
 * Writes arrays as NumPy {@code .npy} files readable by {@code numpy.load} (format 1.0, or 2.0 when
 * the header needs it): little-endian C order by default, or any byte order and C or Fortran order;
 * and as raw element bytes. To a {@link Path} the file is written atomically through
 * {@link AtomicFileOutput} (a reader never sees half a file). For arrays larger than memory, write
 * them piece by piece with {@link NpyStreamWriter}.
 *
 * <p>Memory: one copy of the array's bytes while writing. Stateless.
 */
public final class NpyWriter {
    private static final int CHUNK = 1 << 20;

    private NpyWriter() {
    }

    /** Writes {@code array} as a complete little-endian C-order .npy file to {@code out} (which is not closed). */
    public static void write(NdArray array, OutputStream out) throws IOException {
        write(array, ByteOrder.LITTLE_ENDIAN, false, out);
    }

    /**
     * Writes {@code array} as a complete .npy file with its elements in {@code order} and in Fortran
     * (column-major) order if {@code fortranOrder}, to {@code out} (which is not closed).
     */
    public static void write(NdArray array, ByteOrder order, boolean fortranOrder, OutputStream out) throws IOException {
        out.write(NpyHeader.of(array.dtype(), order, fortranOrder, array.shape()).toBytes());
        if (fortranOrder && array.ndim() > 1) {
            writeFortran(array, order, out);
        } else {
            writeRaw(array, order, out);
        }
    }

    /**
     * Writes {@code array} as a little-endian C-order .npy file at {@code target}, atomically: to a
     * temporary file renamed onto the target when complete (see {@link AtomicFileOutput} for pipes and
     * devices).
     *
     * @throws java.nio.file.FileSystemException naming the target if it cannot be written
     */
    public static void write(NdArray array, Path target) throws IOException {
        write(array, ByteOrder.LITTLE_ENDIAN, false, target);
    }

    /** As {@link #write(NdArray, Path)}, in the given byte and element order. */
    public static void write(NdArray array, ByteOrder order, boolean fortranOrder, Path target) throws IOException {
        try (AtomicFileOutput file = AtomicFileOutput.create(target)) {
            try (OutputStream out = new BufferedOutputStream(file.outputStream(), 1 << 16)) {
                write(array, order, fortranOrder, out);
            }
            file.commit();
        }
    }

    /** Writes the elements of {@code array} in C order and the given byte order, without a header. */
    public static void writeRaw(NdArray array, ByteOrder order, OutputStream out) throws IOException {
        ByteBuffer bytes = array.toByteBuffer(order);
        byte[] data = bytes.array();
        int offset = bytes.arrayOffset();
        int length = bytes.remaining();
        for (int done = 0; done < length; done += CHUNK) {
            out.write(data, offset + done, Math.min(CHUNK, length - done));
        }
    }

    /** The elements in Fortran order: the first index varies fastest. */
    private static void writeFortran(NdArray array, ByteOrder order, OutputStream out) throws IOException {
        byte[] c = array.toByteBuffer(order).array();
        int item = array.dtype().byteSize();
        int[] shape = array.shape();
        int n = shape.length;
        long[] cStride = new long[n];
        long s = item;
        for (int a = n - 1; a >= 0; a--) {
            cStride[a] = s;
            s *= shape[a];
        }
        long elements = array.size();
        byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(1, elements * item))];
        int filled = 0;
        int[] index = new int[n];
        long src = 0;
        for (long e = 0; e < elements; e++) {
            System.arraycopy(c, (int) src, buffer, filled, item);
            filled += item;
            if (filled + item > buffer.length) {
                out.write(buffer, 0, filled);
                filled = 0;
            }
            for (int a = 0; a < n; a++) {
                src += cStride[a];
                if (++index[a] < shape[a]) {
                    break;
                }
                src -= cStride[a] * shape[a];
                index[a] = 0;
            }
        }
        out.write(buffer, 0, filled);
    }
}
