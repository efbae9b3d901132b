package org.jpkl.api.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A buffered stream over a {@link RandomAccessSource} that knows its absolute position, so a parser
 * (e.g. an unpickler) can record where a large payload lies instead of reading it, and can skip
 * over it without touching its bytes (a skip is a change of position, not a read). Made by
 * {@link RandomAccessSource#openStream(long)}.
 *
 * <p>Closing the stream does not close the source. Thread safety: not thread-safe; one parse at a
 * time (the source itself may be shared).
 */
public final class SourceInputStream extends InputStream {
    /** The largest refill, for long runs of small opcodes (metadata, many tiny slices). */
    private static final int BUFFER_BYTES = 1 << 16;
    /**
     * The refill after a skip: between two slices lie a key tuple and a few opcodes, so a small read
     * fetches them without reading into the next slice's payload; refills double from there.
     */
    private static final int FIRST_FILL_BYTES = 256;

    private final RandomAccessSource source;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    /** Absolute position of buffer index 0. */
    private long bufferStart;
    private long position;
    private int nextFill = FIRST_FILL_BYTES;

    SourceInputStream(RandomAccessSource source, long position) throws IOException {
        this.source = source;
        this.size = source.size();
        if (position < 0 || position > size) {
            throw new IllegalArgumentException("position (" + position + ") must be in [0, " + size + "] for " + source.name());
        }
        this.position = position;
        this.bufferStart = position;
        buffer.limit(0);
    }

    /** The absolute position in the source of the next byte read. */
    public long position() {
        return position;
    }

    /** Bytes between the position and the end of the source. */
    public long remaining() {
        return size - position;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        position++;
        return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        position += n;
        return n;
    }

    /**
     * Moves past exactly {@code n} bytes without reading those beyond the buffer.
     *
     * @throws EOFException if {@code n} is negative or more than {@link #remaining()}
     */
    public void skipFully(long n) throws IOException {
        if (n < 0 || n > remaining()) {
            throw new EOFException(source.name() + ": cannot skip " + n + " bytes at offset " + position + "; "
                    + remaining() + " remain");
        }
        long target = position + n;
        if (target <= bufferStart + buffer.limit()) {
            buffer.position((int) (target - bufferStart));
        } else {
            buffer.limit(0);
            bufferStart = target;
            nextFill = FIRST_FILL_BYTES;
        }
        position = target;
    }

    @Override
    public long skip(long n) throws IOException {
        long k = Math.max(0, Math.min(n, remaining()));
        skipFully(k);
        return k;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    /** Refills the buffer from the current position if it is empty; false at the end. */
    private boolean fill() throws IOException {
        if (buffer.hasRemaining()) {
            return true;
        }
        if (position >= size) {
            return false;
        }
        buffer.clear();
        buffer.limit((int) Math.min(nextFill, size - position));
        nextFill = Math.min(BUFFER_BYTES, nextFill * 2);
        source.readFully(position, buffer);
        buffer.flip();
        bufferStart = position;
        return true;
    }

    /** Does not close the source (its owner closes it). */
    @Override
    public void close() {
    }
}
