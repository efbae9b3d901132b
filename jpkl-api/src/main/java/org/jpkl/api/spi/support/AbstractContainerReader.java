package org.jpkl.api.spi.support;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;

/**
 * The scaffolding every container reader shares, so each format only says how it finds and reads
 * one slice: the closed state ({@code "container NAME is closed"}), the slice-number range check,
 * the choice between checked and unchecked reads, idempotent {@link #close()}, and the usual
 * message parts (region names, checksum mismatches, reads past the end).
 *
 * <p>Thread safety: the base class is safe for concurrent use; subclasses must make
 * {@link #readChecked} and {@link #storedLength} safe for concurrent calls too.
 */
public abstract class AbstractContainerReader implements ContainerReader {
    /** The most bytes {@link #readFully} reads at once: the largest Java array. */
    public static final int MAX_READ_BYTES = Integer.MAX_VALUE - 8;

    private final RandomAccessSource source;
    private final String name;
    private final ContainerHeader header;
    private final long byteSize;
    private final long sliceCount;
    private final boolean verifyChecksums;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param source the bytes read; owned by this reader from now on and closed by {@link #close()}
     * @param header the validated header; its chunk count (the slice count when untiled) bounds every
     *     slice number, which is a chunk number for a tiled header
     * @param byteSize the container's total size in bytes, for {@link #byteSize()}
     * @param verifyChecksums whether {@link #readSlice} checks stored checksums
     */
    protected AbstractContainerReader(RandomAccessSource source, ContainerHeader header, long byteSize,
                                      boolean verifyChecksums) {
        this.source = source;
        this.name = source.name();
        this.header = header;
        this.byteSize = byteSize;
        this.sliceCount = header.chunkCount();
        this.verifyChecksums = verifyChecksums;
    }

    /** A step that opens a reader over a source. */
    @FunctionalInterface
    public interface Opener<R> {
        /** Reads and validates what the reader needs; may throw anything. */
        R open() throws IOException;
    }

    /**
     * Runs {@code opener}; if it fails in any way, closes {@code source} (adding a failure to close
     * as suppressed) and rethrows, so a reader that could not be opened leaks nothing.
     */
    public static <R> R openOrClose(RandomAccessSource source, Opener<R> opener) throws IOException {
        try {
            return opener.open();
        } catch (IOException | RuntimeException | Error e) {
            try {
                source.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The source this reader reads (for subclasses' positional reads). */
    protected final RandomAccessSource source() {
        return source;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ContainerHeader header() {
        return header;
    }

    @Override
    public final long byteSize() {
        return byteSize;
    }

    /** Checks the reader is open and the slice number in range, then reads with the reader's checksum option. */
    @Override
    public final ByteBuffer readSlice(long sliceNumber) throws IOException {
        return readChecked(checkedSlice(sliceNumber), verifyChecksums, ByteBuffer::allocate);
    }

    /** Checks the reader is open and the slice number in range, then reads and verifies the checksum. */
    @Override
    public final ByteBuffer readVerifiedSlice(long sliceNumber) throws IOException {
        return readChecked(checkedSlice(sliceNumber), true, ByteBuffer::allocate);
    }

    /** Checks the reader is open and the slice number in range, then reads into a supplied buffer. */
    @Override
    public final ByteBuffer readSlice(long sliceNumber, boolean verify, IntFunction<ByteBuffer> buffers) throws IOException {
        return readChecked(checkedSlice(sliceNumber), verify || verifyChecksums, buffers);
    }

    /** Checks the reader is open and the slice number in range, then asks the index. */
    @Override
    public final long sliceLength(long sliceNumber) throws IOException {
        return storedLength(checkedSlice(sliceNumber));
    }

    /**
     * Reads one slice after the base class checked that the reader is open and {@code sliceNumber}
     * is in {@code [0, sliceCount)}. Slice numbers are {@code long} all the way down: a format that
     * keeps per-slice tables in Java arrays refuses more slices than an array holds at open and
     * converts with {@link Math#toIntExact}, never with a cast.
     *
     * @param verify whether to check the stored checksum (formats without one ignore it)
     * @param buffers where to read the bytes: pass it to {@link #readSliceFully}; a format whose slice
     *     is not one range of the source may ignore it and return a buffer of its own
     * @return a buffer (position 0, limit = encoded length) owned by the caller
     */
    protected abstract ByteBuffer readChecked(long sliceNumber, boolean verify, IntFunction<ByteBuffer> buffers) throws IOException;

    /** The encoded length of a slice whose number the base class checked. */
    protected abstract long storedLength(long sliceNumber) throws IOException;

    /**
     * Passes on to the source ({@link RandomAccessSource#willRead}) the byte ranges that reading these
     * slices will read, as {@link #plannedRead} tells them; slices out of range, and those whose range
     * is not known without reading, are left out.
     */
    @Override
    public void willRead(long[] sliceNumbers) throws IOException {
        ensureOpen();
        long[] positions = new long[sliceNumbers.length];
        long[] lengths = new long[sliceNumbers.length];
        int n = 0;
        for (long slice : sliceNumbers) {
            long[] range = slice >= 0 && slice < sliceCount ? plannedRead(slice) : null;
            if (range != null) {
                positions[n] = range[0];
                lengths[n++] = range[1];
            }
        }
        if (n > 0) {
            source.willRead(Arrays.copyOf(positions, n), Arrays.copyOf(lengths, n));
        }
    }

    /**
     * The one source read that {@link #readChecked} will make for this slice, as {@code {position,
     * length}}, when it can be told without reading anything (for {@link #willRead}: a remote source
     * then fetches neighbouring slices together); null when it cannot, e.g. when the index entry would
     * have to be read first. The range must be exactly the read's, so that the source can tell when
     * every announced range was read. Null by default (nothing is announced).
     *
     * @param sliceNumber a slice number the base class checked
     */
    protected long[] plannedRead(long sliceNumber) throws IOException {
        return null;
    }

    /** Releases what the reader holds; called once, by the first {@link #close()}. Closes the source by default. */
    protected void closeResources() throws IOException {
        source.close();
    }

    private long checkedSlice(long sliceNumber) {
        ensureOpen();
        if (sliceNumber < 0 || sliceNumber >= sliceCount) {
            throw new IndexOutOfBoundsException("slice number " + sliceNumber + " is out of range [0, " + sliceCount + ")");
        }
        return sliceNumber;
    }

    /**
     * Throws if the reader is closed.
     *
     * @throws IllegalStateException {@code "container NAME is closed"}
     */
    protected final void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("container " + name + " is closed");
        }
    }

    /** Idempotent: the first call releases the resources, later calls do nothing. */
    @Override
    public final void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            closeResources();
        }
    }

    /** The region name of a slice (chunk) in messages: {@code "slice (k, ...)"}, {@code "slice (k, ...) tile (r, c)"} when tiled. */
    protected final String sliceRegion(long sliceNumber) {
        return "slice " + header.describeChunk(sliceNumber);
    }

    /**
     * Reads {@code length} bytes at {@code offset} into a new buffer (position 0, limit = length).
     *
     * @param region the region named if the source ends first
     * @param container what the source is, in the message {@code "ends past the end of the CONTAINER"}
     * @param length the byte count as stored (a {@code long}: it is checked here, never cast)
     * @throws JpklFormatException if {@code length} is negative or more than one buffer holds
     *     ({@value #MAX_READ_BYTES} bytes), or if the source ends before {@code length} bytes
     */
    protected final ByteBuffer readFully(long offset, long length, String region, String container) throws IOException {
        return readFully(offset, length, () -> region, container, ByteBuffer::allocate);
    }

    /**
     * {@link #readFully(long, long, String, String)} for one slice, named {@link #sliceRegion} only
     * in a message: the name is not built for every read (it formats the slice's key).
     *
     * @param buffers gives the buffer to read into (see {@link ContainerReader#readSlice(long, boolean, IntFunction)})
     */
    protected final ByteBuffer readSliceFully(long offset, long length, long sliceNumber, String container,
            IntFunction<ByteBuffer> buffers) throws IOException {
        return readFully(offset, length, () -> sliceRegion(sliceNumber), container, buffers);
    }

    private ByteBuffer readFully(long offset, long length, java.util.function.Supplier<String> region, String container,
            IntFunction<ByteBuffer> buffers) throws IOException {
        if (length < 0 || length > MAX_READ_BYTES) {
            throw new JpklFormatException(name, region.get(), "length " + length + " at offset " + offset + " is not possible:"
                    + " one read holds 0 to " + MAX_READ_BYTES + " bytes");
        }
        ByteBuffer bytes = ContainerReader.suppliedBuffer(buffers, Math.toIntExact(length));
        try {
            source.readFully(offset, bytes);
        } catch (EOFException e) {
            throw new JpklFormatException(name, region.get(), "ends past the end of the " + container, e);
        }
        bytes.flip();
        return bytes;
    }

    /**
     * The stored and computed values of a 32-bit checksum for messages: {@code "(stored 0x..., computed 0x...)"}
     * (only the low 32 bits of each argument are shown, as eight hex digits).
     */
    public static String storedComputed(long stored, long computed) {
        return "(stored " + hex32(stored) + ", computed " + hex32(computed) + ")";
    }

    /** The low 32 bits of {@code value} as {@code 0x} and eight hex digits. */
    public static String hex32(long value) {
        return String.format("0x%08x", value & 0xFFFFFFFFL);
    }
}
