package org.jpkl.jpeg;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.stream.ImageOutputStreamImpl;

/**
 * An in-memory {@link javax.imageio.stream.ImageOutputStream} over a growable byte array that is
 * reused for every slice an encoder writes ({@link #rewind}), so that ImageIO neither creates cache
 * files nor copies through intermediate streams.
 *
 * <p>Ownership: {@link #buffer()} is the internal array, valid until the next write or rewind.
 *
 * <p>Thread safety: not thread-safe; owned by one encoder.
 */
final class GrowableImageOutputStream extends ImageOutputStreamImpl {
    private byte[] buffer;
    private int length;

    /** A stream with room for {@code initialCapacity} bytes before it grows. */
    GrowableImageOutputStream(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** Empties the stream (keeping its array) and moves to position 0. */
    void rewind() {
        length = 0;
        streamPos = 0;
        flushedPos = 0;
        bitOffset = 0;
    }

    /** The internal array; bytes 0 to {@link #size()} are the stream's contents. */
    byte[] buffer() {
        return buffer;
    }

    /** Bytes written so far (the highest position written). */
    int size() {
        return length;
    }

    private void ensureCapacity(long end) throws IOException {
        if (end > Integer.MAX_VALUE - 16) {
            throw new IOException("encoded slice exceeds " + (Integer.MAX_VALUE - 16) + " bytes");
        }
        if (end > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(end, 2L * buffer.length)));
        }
        if (streamPos > length) { // a seek past the end: the gap reads as zeros, not as an older slice's bytes
            Arrays.fill(buffer, length, (int) streamPos, (byte) 0);
        }
    }

    @Override
    public void write(int b) throws IOException {
        flushBits();
        ensureCapacity(streamPos + 1);
        buffer[(int) streamPos++] = (byte) b;
        length = (int) Math.max(length, streamPos);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        flushBits();
        ensureCapacity(streamPos + len);
        System.arraycopy(b, off, buffer, (int) streamPos, len);
        streamPos += len;
        length = (int) Math.max(length, streamPos);
    }

    @Override
    public int read() {
        bitOffset = 0;
        if (streamPos >= length) {
            return -1;
        }
        return buffer[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        bitOffset = 0;
        long remaining = length - streamPos;
        if (remaining <= 0) {
            return -1;
        }
        int count = (int) Math.min(len, remaining);
        System.arraycopy(buffer, (int) streamPos, b, off, count);
        streamPos += count;
        return count;
    }

    @Override
    public long length() {
        return length;
    }

    /** Leaves the stream open: its owner reuses it for the next slice. */
    @Override
    public void close() {
        // Nothing to release: the array belongs to the encoder and is reused.
    }
}
