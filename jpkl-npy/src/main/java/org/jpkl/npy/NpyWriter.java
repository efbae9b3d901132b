package org.jpkl.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.NdArray;

/**
 * Writes arrays as NumPy {@code .npy} files (C order, little-endian, format 1.0, or 2.0 when the
 * header needs it), readable by {@code numpy.load}, and as raw element bytes.
 *
 * <p>Memory: one copy of the array's bytes while writing. Stateless.
 */
public final class NpyWriter {
    private static final int CHUNK = 1 << 20;

    private NpyWriter() {
    }

    /** Writes {@code array} as a complete .npy file to {@code out} (which is not closed). */
    public static void write(NdArray array, OutputStream out) throws IOException {
        out.write(NpyHeader.of(array.dtype(), ByteOrder.LITTLE_ENDIAN, false, array.shape()).toBytes());
        writeRaw(array, ByteOrder.LITTLE_ENDIAN, out);
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
}
