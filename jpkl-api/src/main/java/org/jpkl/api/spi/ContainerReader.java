package org.jpkl.api.spi;

import org.jpkl.api.ContainerHeader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

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
