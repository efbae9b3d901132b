package org.jpkl.api.spi;

import org.jpkl.api.ContainerHeader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * An open container: its header and random access to each slice's encoded bytes by slice number.
 * Opening reads only what is needed to find slices (header and index); slices are read on demand.
 *
 * <p>Thread safety: implementations must allow concurrent {@link #readSlice} calls. After
 * {@link #close()}, {@code readSlice} throws {@link IllegalStateException}.
 */
public interface ContainerReader extends Closeable {
    /** The file or stream name, for messages. */
    String name();

    /** The serializer id that reads this container. */
    String serializerId();

    /** Header facts. */
    ContainerHeader header();

    /**
     * The encoded bytes of one slice, checked against its stored checksum where the format has one.
     *
     * @param sliceNumber in {@code [0, header().chunkCount())}: a slice number, or for a tiled header a
     *     chunk number (one per tile, see {@link ContainerHeader})
     * @return a new buffer (position 0, limit = encoded length) owned by the caller
     * @throws org.jpkl.api.JpklFormatException naming the file and the slice's key if the index entry or
     *     the bytes are damaged
     * @throws IndexOutOfBoundsException if {@code sliceNumber} is out of range
     * @throws IllegalStateException if the reader is closed
     */
    ByteBuffer readSlice(long sliceNumber) throws IOException;

    /**
     * Reads one slice and checks it against its stored checksum whatever the reader's options
     * (for {@code verify}); formats without checksums only check that it can be read.
     *
     * @throws org.jpkl.api.JpklFormatException if the slice is damaged
     */
    default ByteBuffer readVerifiedSlice(long sliceNumber) throws IOException {
        return readSlice(sliceNumber);
    }

    /**
     * Reads one slice into a buffer that {@code buffers} supplies, so that a decoder can receive the
     * bytes where it reads them (for example native memory, {@link SliceDecoder#inputBuffer}) without a
     * copy. Checks as {@link #readSlice} does, or as {@link #readVerifiedSlice} does when
     * {@code verify} is true.
     *
     * <p>The default reads with {@code readSlice} or {@code readVerifiedSlice} and copies the bytes into
     * the supplied buffer; readers that read from a source override it to read into it directly.
     *
     * @param buffers called at most once, with the slice's encoded length, before any byte is read;
     *     returns a buffer whose position is 0 and whose remaining space is at least that length
     * @return the bytes, position 0 and limit the encoded length: in the supplied buffer, except from a
     *     reader whose slice is not one range of its source (it may return a buffer of its own)
     * @throws org.jpkl.api.JpklFormatException as {@code readSlice}
     * @throws IllegalArgumentException if the supplied buffer has less room than the slice's length
     */
    default ByteBuffer readSlice(long sliceNumber, boolean verify, IntFunction<ByteBuffer> buffers) throws IOException {
        ByteBuffer bytes = verify ? readVerifiedSlice(sliceNumber) : readSlice(sliceNumber);
        ByteBuffer into = suppliedBuffer(buffers, bytes.remaining());
        into.put(bytes).flip();
        return into;
    }

    /**
     * A buffer from {@code buffers} for {@code length} bytes, checked: writable, position 0 and room
     * for {@code length} bytes; its limit set to {@code length}. For readers implementing
     * {@link #readSlice(long, boolean, IntFunction)}.
     *
     * @throws IllegalArgumentException naming what the supplier gave otherwise
     */
    static ByteBuffer suppliedBuffer(IntFunction<ByteBuffer> buffers, int length) {
        ByteBuffer b = buffers.apply(length);
        if (b == null || b.position() != 0 || b.capacity() < length || b.isReadOnly()) {
            throw new IllegalArgumentException("the buffer supplier gave " + b + " for " + length + " bytes; it must give a writable"
                    + " buffer at position 0 with room for them");
        }
        return b.limit(length);
    }

    /**
     * Whether the format stores a checksum for each slice, so that {@link #readVerifiedSlice} can
     * detect damaged bytes; when false, {@code verify} can only check that each slice decodes. The
     * default is false: a format that checks slices says so.
     */
    default boolean hasSliceChecksums() {
        return false;
    }

    /** The encoded length of one slice in bytes, from the index (no slice data is read). */
    long sliceLength(long sliceNumber) throws IOException;

    /** The container's total size in bytes (e.g. the file size). */
    long byteSize() throws IOException;

    /**
     * A hint that these slices are about to be read, each about once and possibly on several threads,
     * so that a reader over a remote source can fetch neighbouring slices in one request (it passes
     * their byte ranges to {@link org.jpkl.api.io.RandomAccessSource#willRead}). Does nothing by
     * default; never needed for correctness, and slice numbers out of range are ignored.
     */
    default void willRead(long[] sliceNumbers) throws IOException {
    }

    /**
     * Checks, for a full verification, what opening left unchecked because it would have meant
     * reading much more than a header, such as the checksum of an index too large to read at open
     * (slices are checked by {@link #readVerifiedSlice}). The default checks nothing: formats that
     * check their whole structure at open need not override it.
     *
     * @throws org.jpkl.api.JpklFormatException naming the file and the damaged region
     * @throws IllegalStateException if the reader is closed
     */
    default void verifyStructure() throws IOException {
    }
}
