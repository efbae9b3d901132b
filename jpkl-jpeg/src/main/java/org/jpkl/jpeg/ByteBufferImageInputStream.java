package org.jpkl.jpeg;

import java.nio.ByteBuffer;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over the bytes of a {@link ByteBuffer} (heap,
 * direct or read-only), read with absolute gets: no copy of the encoded slice is made. One instance
 * is reused for every slice a decoder reads ({@link #reset}).
 *
 * <p>Ownership: the stream reads the buffer given to {@link #reset} until {@link #release}; it never
 * changes the buffer's position, limit or contents.
 *
 * <p>Thread safety: not thread-safe; owned by one decoder.
 */
final class ByteBufferImageInputStream extends ImageInputStreamImpl {
    private final ByteBuffer empty = ByteBuffer.allocate(0);
    private ByteBuffer data = empty;

    /** Makes the stream read {@code bytes} from index 0 to its limit, from the start. */
    void reset(ByteBuffer bytes) {
        data = Objects.requireNonNull(bytes, "bytes");
        streamPos = 0;
        flushedPos = 0;
        bitOffset = 0;
    }

    /** Drops the reference to the last buffer. */
    void release() {
        reset(empty);
    }

    @Override
    public int read() {
        bitOffset = 0;
        if (streamPos >= data.limit()) {
            return -1;
        }
        return data.get((int) streamPos++) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        bitOffset = 0;
        long remaining = data.limit() - streamPos;
        if (remaining <= 0) {
            return -1;
        }
        int count = (int) Math.min(len, remaining);
        data.get((int) streamPos, b, off, count);
        streamPos += count;
        return count;
    }

    @Override
    public long length() {
        return data.limit();
    }

    /** Releases the buffer but leaves the stream open: its owner reuses it for the next slice. */
    @Override
    public void close() {
        release();
    }
}
