package org.jpkl.api.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * Bytes that can be read at any position, concurrently: a file (positional {@code FileChannel}
 * reads, no shared file pointer) or memory. Containers read their header, index and slices through
 * it, so only the bytes a request needs are read.
 *
 * <p>Thread safety: implementations must allow concurrent {@link #readFully} calls; after
 * {@link #close()} every read throws {@link java.nio.channels.ClosedChannelException}.
 */
public interface RandomAccessSource extends Closeable {
    /** A name for messages (usually the file path). */
    String name();

    /** Total length in bytes. */
    long size() throws IOException;

    /**
     * Reads exactly {@code dst.remaining()} bytes starting at {@code position} into {@code dst}.
     *
     * @throws java.io.EOFException if the source ends before {@code dst} is full
     * @throws IllegalArgumentException if {@code position} is negative
     */
    void readFully(long position, ByteBuffer dst) throws IOException;

    /**
     * A hint that the ranges {@code [positions[i], positions[i] + lengths[i])} are about to be read,
     * each about once and possibly on several threads: a remote source may then fetch nearby ranges
     * in one request. Ranges outside the source are ignored (the read itself reports them). Does
     * nothing by default; never needed for correctness.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    default void willRead(long[] positions, long[] lengths) {
        if (positions.length != lengths.length) {
            throw new IllegalArgumentException(positions.length + " positions for " + lengths.length + " lengths");
        }
    }

    /**
     * A new buffered stream reading this source from {@code position} on, which reports its absolute
     * position and can skip without reading. Closing the stream does not close the source.
     *
     * @param position the first byte read, in {@code [0, size()]}
     * @throws IllegalArgumentException if {@code position} is outside {@code [0, size()]}
     */
    default SourceInputStream openStream(long position) throws IOException {
        return new SourceInputStream(this, position);
    }

    /**
     * A new read-only {@link SeekableByteChannel} view of this source (position 0; writes and
     * truncation throw {@link java.nio.channels.NonWritableChannelException}). The size is taken
     * once, now. Closing the channel does not close the source.
     */
    default SeekableByteChannel asChannel() throws IOException {
        return new SourceChannel(this);
    }

    /** Opens a file for positional reads. */
    static RandomAccessSource open(Path file) throws IOException {
        return new FileSource(file);
    }

    /** A source over bytes in memory (not copied; the caller must not change them while in use). */
    static RandomAccessSource of(String name, byte[] bytes) {
        return new MemorySource(name, ByteBuffer.wrap(bytes));
    }

    /** A source over a buffer's remaining bytes (not copied; position and limit of the argument are not changed). */
    static RandomAccessSource of(String name, ByteBuffer bytes) {
        return new MemorySource(name, bytes.slice());
    }
}
