package org.jpkl.npy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Selection;
import org.jpkl.api.Shapes;
import org.jpkl.api.io.RandomAccessSource;

/**
 * Reads the array of a NumPy {@code .npy} file, or a headerless ("raw") array at a known offset,
 * in C or Fortran order and either byte order, for every dtype jpkl stores:
 * <ul>
 *   <li>{@link #readAll()}: the whole array as an {@link NdArray}, when it fits in one;</li>
 *   <li>{@link #read(long, int)}: a range of the leading index ({@code a[first:first+count]}), so a
 *       program can walk an array larger than memory;</li>
 *   <li>{@link #planes(PlaneLayout, long)}: every plane (or one) of a plane layout, with at most a
 *       given number of bytes of input in memory, whatever the order of the axes in the file.</li>
 * </ul>
 * Results are C-order {@link NdArray}s in the machine's representation; the file's byte order and
 * element order only affect how it is read.
 *
 * <p>Sources: a file ({@link #open(Path)}), any {@link RandomAccessSource}, or a stream read
 * strictly forward ({@link #open(InputStream, String)}: standard input, a pipe); a stream reader
 * reads each byte at most once, so its reads must go forward: C-order ranges in increasing order,
 * one range of a Fortran-order array (each spans every column), planes whose layout needs no
 * second pass.
 *
 * <p>Checks before anything is allocated: the header length against the file size and a limit;
 * the shape (at most {@value Shapes#MAX_NDIM} axes, each at most 2^31-1, the data's byte count a
 * {@code long}); a source shorter than the header says is refused when opened, naming the file, the
 * bytes it has and the bytes the header needs. A stream that ends early fails the read that
 * reaches its end, naming the same. What follows the data is not read (as {@code numpy.load}
 * does); {@link #trailingBytes()} says how much there is.
 *
 * <p>Thread safety: not thread-safe; one reader thread. {@link #close()} closes what this reader
 * opened (the file of {@link #open(Path)}), never a source or stream it was given.
 */
public final class NpyReader implements Closeable {
    /** The largest chunk read at once by {@link #readAll()} and {@link #read(long, int)}. */
    private static final int CHUNK_BYTES = 8 << 20;

    /** The largest chunk of this reader; smaller in tests, to exercise the chunking. */
    private int chunkBytes = CHUNK_BYTES;

    private final DataBytes bytes;
    private final NpyHeader header;
    private final boolean raw;
    private final Closeable owned;
    private final DType dtype;
    private final ByteOrder byteOrder;
    private final boolean fortranOrder;
    private final int[] shape;
    private final long dataOffset;
    private final long dataBytes;

    private NpyReader(Source source, NpyHeader header, boolean raw, long dataOffset) throws IOException {
        this.header = header;
        this.raw = raw;
        this.owned = source.owned;
        this.dtype = header.dtype();
        this.byteOrder = header.byteOrder();
        this.fortranOrder = header.fortranOrder();
        this.shape = header.shape();
        this.dataOffset = dataOffset;
        String name = source.name();
        if (dataOffset < 0) {
            throw new IllegalArgumentException(name + ": data offset " + dataOffset + " is negative");
        }
        if (shape.length > Shapes.MAX_NDIM) {
            throw new JpklFormatException(name, "shape", "shape has " + shape.length + " axes; at most " + Shapes.MAX_NDIM
                    + " are supported");
        }
        long elements;
        try {
            elements = Shapes.product(shape);
            this.dataBytes = Math.multiplyExact(elements, dtype.byteSize());
            Math.addExact(dataOffset, dataBytes);
        } catch (ArithmeticException e) {
            throw new JpklFormatException(name, "shape", "shape " + Shapes.format(shape) + " of " + dtype + " has more bytes than a"
                    + " file can hold", e);
        }
        long end = dataOffset + dataBytes;
        String needs = "shape " + Shapes.format(shape) + " of " + dtype + " needs " + end
                + (dataOffset == 0 ? "" : " (" + dataBytes + (!raw ? " after the " + dataOffset + "-byte header)"
                : " after the first " + dataOffset + ")"));
        this.bytes = source.bytes(needs);
        if (bytes.seekable()) {
            long size = bytes.size();
            if (size < end) {
                throw new JpklFormatException(name, "data", "has " + size + " bytes; " + needs
                        + (!raw ? "; the file is truncated" : "; check the shape, dtype, offset and file"));
            }
        }
    }

    /** Where the bytes come from, before the data's needs are known. */
    private static final class Source {
        final String name;
        final RandomAccessSource random;
        final InputStream stream;
        final long streamPosition;
        final Closeable owned;

        Source(RandomAccessSource random, Closeable owned) {
            this.name = random.name();
            this.random = random;
            this.stream = null;
            this.streamPosition = 0;
            this.owned = owned;
        }

        Source(InputStream stream, String name, long position) {
            this.name = name;
            this.random = null;
            this.stream = stream;
            this.streamPosition = position;
            this.owned = null;
        }

        String name() {
            return name;
        }

        DataBytes bytes(String needs) {
            return random != null ? DataBytes.positional(random, needs) : DataBytes.forward(stream, name, streamPosition, needs);
        }
    }

    /**
     * Opens a {@code .npy} file and reads its header; {@link #close()} closes the file.
     *
     * @throws JpklFormatException if it is not a .npy file, its dtype is not one jpkl stores, or it is
     *     shorter than its header says
     */
    public static NpyReader open(Path file) throws IOException {
        RandomAccessSource source = RandomAccessSource.open(file);
        try {
            NpyHeader h = NpyHeader.read(source);
            return new NpyReader(new Source(source, source), h, false, h.dataOffset());
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * Reads the header of the {@code .npy} bytes in {@code source}; the caller closes the source, after
     * this reader.
     *
     * @throws JpklFormatException as {@link #open(Path)}
     */
    public static NpyReader open(RandomAccessSource source) throws IOException {
        NpyHeader h = NpyHeader.read(source);
        return new NpyReader(new Source(source, null), h, false, h.dataOffset());
    }

    /**
     * Reads the header of the {@code .npy} bytes on {@code in}, read forward only from now on; the
     * caller closes the stream. Do not read from the stream otherwise while this reader is in use.
     *
     * @param name the stream's name, for messages (e.g. {@code standard input})
     * @throws JpklFormatException as {@link #open(Path)}; a short stream fails the read that reaches its end
     */
    public static NpyReader open(InputStream in, String name) throws IOException {
        NpyHeader h = NpyHeader.read(in, name);
        return new NpyReader(new Source(in, name, h.dataOffset()), h, false, h.dataOffset());
    }

    /**
     * A headerless array: the elements of {@code shape} start at byte {@code dataOffset} of
     * {@code source}; the caller closes the source, after this reader.
     *
     * @throws JpklFormatException if the source is shorter than {@code dataOffset} plus the data
     * @throws IllegalArgumentException for a negative offset or axis length
     */
    public static NpyReader raw(RandomAccessSource source, long dataOffset, DType dtype, ByteOrder byteOrder, boolean fortranOrder,
                                int... shape) throws IOException {
        return new NpyReader(new Source(source, null), NpyHeader.of(dtype, byteOrder, fortranOrder, shape), true,
                dataOffset);
    }

    /**
     * A headerless array on a stream read forward only, whose elements start {@code dataOffset} bytes
     * from now (the bytes before are read and dropped); the caller closes the stream.
     */
    public static NpyReader raw(InputStream in, String name, long dataOffset, DType dtype, ByteOrder byteOrder, boolean fortranOrder,
                                int... shape) throws IOException {
        return new NpyReader(new Source(in, name, 0), NpyHeader.of(dtype, byteOrder, fortranOrder, shape), true, dataOffset);
    }

    /** The file or stream name, for messages. */
    public String name() {
        return bytes.name();
    }

    /**
     * The array's facts: dtype, byte order, element order, shape. For a raw array, the header a
     * {@code .npy} file of it would have, which the source does not hold (its
     * {@link NpyHeader#dataOffset()} is then not where the data starts: {@link #dataOffset()} is).
     */
    public NpyHeader header() {
        return header;
    }

    /** Whether this is a headerless array ({@link #raw}) rather than a {@code .npy} file. */
    public boolean isRaw() {
        return raw;
    }

    /** Where the elements start, in bytes from the start of the file or stream. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Where the elements end: {@link #dataOffset()} plus the data's bytes ({@link NpyHeader#dataBytes()}). */
    public long dataEnd() {
        return dataOffset + dataBytes;
    }

    /** Whether reads may go back (a file or source), as opposed to a stream. */
    public boolean seekable() {
        return bytes.seekable();
    }

    /** The size of the file or source; -1 for a stream. */
    public long size() throws IOException {
        return bytes.size();
    }

    /** Bytes after the data, which are not read; -1 for a stream (unknown). */
    public long trailingBytes() throws IOException {
        return bytes.seekable() ? bytes.size() - dataEnd() : -1;
    }

    /**
     * Whether nothing follows the data. For a stream, call this after reading every element; it
     * reads up to the end of the data and one byte more.
     */
    public boolean endsAfterData() throws IOException {
        return bytes.endsAt(dataEnd());
    }

    /**
     * The whole array.
     *
     * @throws IllegalStateException if it has more elements than an {@link NdArray} holds (read it
     *     in ranges or planes instead)
     * @throws JpklFormatException if a stream ends early or the file shrank
     */
    public NdArray readAll() throws IOException {
        if (shape.length == 0) {
            byte[] one = new byte[dtype.byteSize()];
            bytes.read(dataOffset, one, 0, one.length);
            return NdArray.copyOf(ByteBuffer.wrap(one).order(byteOrder), dtype);
        }
        return read(0, shape[0]);
    }

    /**
     * Elements {@code first} to {@code first + count - 1} of the leading index: {@code a[first:first +
     * count]}, of shape {@code (count, shape[1], ...)}. Memory: the result plus a chunk of at most
     * 8 MiB. In Fortran order the range is gathered from every column of the file.
     *
     * @throws IndexOutOfBoundsException if the range is not within the leading axis
     * @throws IllegalStateException for a 0-dimensional array, or a result larger than an {@link NdArray} holds
     * @throws JpklFormatException if a stream ends early or the file shrank
     */
    public NdArray read(long first, int count) throws IOException {
        if (shape.length == 0) {
            throw new IllegalStateException(name() + ": a 0-dimensional array has no leading index; use readAll()");
        }
        if (first < 0 || count < 0 || first + count > shape[0]) {
            throw new IndexOutOfBoundsException(name() + ": range [" + first + ", " + (first + count) + ") is outside the leading"
                    + " axis of length " + shape[0]);
        }
        int[] outShape = shape.clone();
        outShape[0] = count;
        long rest = Shapes.product(Arrays.copyOfRange(shape, 1, shape.length));
        long elements = rest == 0 ? 0 : count > Selection.MAX_RESULT_ELEMENTS / rest ? Long.MAX_VALUE : count * rest;
        if (elements > Selection.MAX_RESULT_ELEMENTS) {
            throw new IllegalStateException(name() + ": shape " + Shapes.format(outShape) + " has more elements than an NdArray holds ("
                    + Selection.MAX_RESULT_ELEMENTS + "); read fewer leading indices at a time, or planes");
        }
        int n = (int) elements;
        Object out = Elements.newStorage(dtype, n);
        int item = dtype.byteSize();
        if (n == 0) {
            return NdArray.wrap(out, dtype, outShape);
        }
        if (!fortranOrder || shape.length == 1) {
            long start = dataOffset + first * rest * item;
            int perChunk = chunkBytes / item;
            byte[] chunk = new byte[(int) Math.min(n, perChunk) * item];
            for (int done = 0; done < n; done += perChunk) {
                int k = Math.min(perChunk, n - done);
                bytes.read(start + (long) done * item, chunk, 0, k * item);
                Elements.decode(chunk, 0, k, byteOrder, dtype, out, done);
            }
            return NdArray.wrap(out, dtype, outShape);
        }
        // Fortran order: the leading index varies fastest; each "column" (one index of the other axes)
        // holds shape[0] contiguous elements, of which [first, first + count) are wanted.
        int columns = (int) rest;
        long columnBytes = (long) shape[0] * item;
        int[] restShape = Arrays.copyOfRange(shape, 1, shape.length);
        int[] restIndex = new int[restShape.length];
        int[] cStride = new int[restShape.length];
        int s = 1;
        for (int a = restShape.length - 1; a >= 0; a--) {
            cStride[a] = s;
            s *= restShape[a];
        }
        long wanted = (long) count * item;
        // Several whole columns per read when each column's unwanted part is small; else each
        // column's wanted part in pieces of at most chunkBytes.
        boolean spans = wanted <= chunkBytes && columnBytes - wanted <= Math.max(wanted, 1 << 16);
        int perRead = spans ? (int) Math.min(columns, (chunkBytes - wanted) / columnBytes + 1) : 1;
        int piece = spans ? count : Math.min(count, chunkBytes / item);
        byte[] chunk = new byte[(int) (spans ? (perRead - 1) * columnBytes + wanted : (long) piece * item)];
        Object part = Elements.newStorage(dtype, piece);
        for (int c0 = 0; c0 < columns; c0 += perRead) {
            int k = Math.min(perRead, columns - c0);
            long start = dataOffset + (c0 * (long) shape[0] + first) * item;
            if (spans) {
                bytes.read(start, chunk, 0, (int) ((k - 1) * columnBytes + wanted));
            }
            for (int j = 0; j < k; j++) {
                int cpos = 0;
                for (int a = 0; a < restShape.length; a++) {
                    cpos += restIndex[a] * cStride[a];
                }
                if (spans) {
                    Elements.decode(chunk, (int) (j * columnBytes), count, byteOrder, dtype, part, 0);
                    Elements.scatter(part, count, out, cpos, columns);
                } else {
                    for (int i0 = 0; i0 < count; i0 += piece) {
                        int m = Math.min(piece, count - i0);
                        bytes.read(start + (long) i0 * item, chunk, 0, m * item);
                        Elements.decode(chunk, 0, m, byteOrder, dtype, part, 0);
                        Elements.scatter(part, m, out, cpos + i0 * columns, columns);
                    }
                }
                for (int a = 0; a < restShape.length && ++restIndex[a] == restShape[a]; a++) {
                    restIndex[a] = 0;
                }
            }
        }
        return NdArray.wrap(out, dtype, outShape);
    }

    /**
     * How to read the planes of {@code layout} (which axes of {@link #shape()} form a plane) with at
     * most about {@code budgetBytes} of input in memory (capped at 1 GiB); see {@link NpyPlanes}.
     *
     * @throws IllegalArgumentException if the layout does not fit the shape, a plane is larger than 2
     *     GB, or this is a stream and the layout needs positional reads within the budget (the
     *     message says which budget would do)
     */
    public NpyPlanes planes(PlaneLayout layout, long budgetBytes) {
        return new NpyPlanes(this, bytes, layout, budgetBytes);
    }

    /** Sets the largest chunk read at once (tests); returns this reader. */
    NpyReader chunkBytes(int bytes) {
        this.chunkBytes = bytes;
        return this;
    }

    /** Closes the file this reader opened, if any; a source or stream it was given stays open. */
    @Override
    public void close() throws IOException {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "NpyReader[" + name() + ", " + (raw ? "raw " : "") + "'" + header.descr() + "'"
                + ", " + (fortranOrder ? "Fortran" : "C") + " order, shape " + Shapes.format(shape) + "]";
    }
}
