package org.jpkl.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.jpkl.api.io.RandomAccessSource;

/**
 * A buffered stream over a {@link RandomAccessSource} that knows its absolute position, so the
 * unpickler can record where each {@code bytes} object lies instead of reading it, and can skip
 * over it without touching its bytes (a skip is a change of position, not a read).
 *
 * <p>Thread safety: not thread-safe; one parse at a time.
 */
final class SourceInputStream extends InputStream {
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

    SourceInputStream(RandomAccessSource source) throws IOException {
        this.source = source;
        this.size = source.size();
        buffer.limit(0);
    }

    /** The absolute position of the next byte read. */
    long position() {
        return position;
    }

    /** Bytes between the position and the end of the source. */
    long remaining() {
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

    /** Moves past {@code n} bytes without reading those beyond the buffer. */
    void skipFully(long n) throws IOException {
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

    /** Does not close the source (the reader owns it). */
    @Override
    public void close() {
    }
}
