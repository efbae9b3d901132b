package org.jpkl.npy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.Shapes;
import org.jpkl.api.io.AtomicFileOutput;

/**
 * Writes a {@code .npy} file whose elements arrive piece by piece in C order (e.g. plane after
 * plane of an array in NumPy's {@code ..., y, x} order, or ranges of the leading index), so an
 * array larger than memory can be written with one piece in memory at a time. The file is written
 * atomically ({@link AtomicFileOutput}): {@link #commit()} checks that exactly the shape's elements
 * arrived and renames the file into place; {@link #close()} without a commit leaves no file.
 *
 * <pre>{@code
 * try (NpyStreamWriter out = NpyStreamWriter.create(target, DType.UINT16, ByteOrder.LITTLE_ENDIAN, 100, 512, 512)) {
 *     for (int z = 0; z < 100; z++) {
 *         out.append(planeAt(z));        // an NdArray of 512 x 512 elements
 *     }
 *     out.commit();
 * }
 * }</pre>
 *
 * <p>Thread safety: not thread-safe.
 */
public final class NpyStreamWriter implements AutoCloseable {
    private final AtomicFileOutput file;
    private final OutputStream out;
    private final DType dtype;
    private final ByteOrder order;
    private final int[] shape;
    private final long expected;
    private long written;

    private NpyStreamWriter(AtomicFileOutput file, DType dtype, ByteOrder order, int[] shape) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(file.outputStream(), 1 << 16);
        this.dtype = dtype;
        this.order = order;
        this.shape = shape.clone();
        this.expected = Shapes.product(shape);
        out.write(NpyHeader.of(dtype, order, false, shape).toBytes());
    }

    /**
     * Starts a C-order .npy file of {@code shape} at {@code target} (a temporary file until
     * {@link #commit()}).
     *
     * @throws IllegalArgumentException for a negative axis length or more than {@value Shapes#MAX_NDIM} axes
     * @throws java.nio.file.FileSystemException naming the target if it cannot be written
     */
    public static NpyStreamWriter create(Path target, DType dtype, ByteOrder order, int... shape) throws IOException {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(order, "order");
        if (shape.length > Shapes.MAX_NDIM) {
            throw new IllegalArgumentException("shape has " + shape.length + " axes; at most " + Shapes.MAX_NDIM + " are allowed");
        }
        NpyHeader.of(dtype, order, false, shape);
        AtomicFileOutput file = AtomicFileOutput.create(target);
        try {
            return new NpyStreamWriter(file, dtype, order, shape);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Elements appended so far. */
    public long elementsWritten() {
        return written;
    }

    /**
     * Appends the elements of {@code piece} in C order (its shape does not matter, only its element count).
     *
     * @throws IllegalArgumentException if its dtype differs, or it would pass the shape's element count
     */
    public void append(NdArray piece) throws IOException {
        check(piece.dtype(), piece.size());
        NpyWriter.writeRaw(piece, order, out);
        written += piece.size();
    }

    /** Appends a plane's samples (row-major, samples interleaved). */
    public void append(PlaneBuffer plane) throws IOException {
        append(plane.toNdArray());
    }

    private void check(DType d, long count) {
        if (d != dtype) {
            throw new IllegalArgumentException("a " + d + " piece cannot go into a " + dtype + " array");
        }
        if (count > expected - written) {
            throw new IllegalArgumentException(count + " more elements would pass the " + expected + " of shape "
                    + Shapes.format(shape) + " (" + written + " written)");
        }
    }

    /**
     * Completes the file and renames it onto the target.
     *
     * @throws IllegalStateException if fewer elements than the shape's arrived (the file is then not written)
     */
    public void commit() throws IOException {
        if (written != expected) {
            throw new IllegalStateException(file.target() + ": shape " + Shapes.format(shape) + " needs " + expected + " elements; "
                    + written + " were appended");
        }
        out.flush();
        file.commit();
    }

    /** Without a commit: discards the temporary file. Idempotent. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
