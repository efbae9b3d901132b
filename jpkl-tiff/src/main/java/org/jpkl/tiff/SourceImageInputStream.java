package org.jpkl.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;
import org.jpkl.api.io.RandomAccessSource;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over a {@link RandomAccessSource}, read with
 * positional reads (no buffering of its own: meant for sources in memory or on local disk). Its
 * length is the source's size, taken once.
 *
 * <p>Ownership: closing the stream does not close the source. Thread safety: not thread-safe.
 */
final class SourceImageInputStream extends ImageInputStreamImpl {
    private final RandomAccessSource source;
    private final long size;

    SourceImageInputStream(RandomAccessSource source) throws IOException {
        this.source = Objects.requireNonNull(source, "source");
        this.size = source.size();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        bitOffset = 0;
        long remaining = size - streamPos;
        if (remaining <= 0) {
            return -1;
        }
        int count = Math.toIntExact(Math.min(len, remaining));
        source.readFully(streamPos, ByteBuffer.wrap(b, off, count));
        streamPos += count;
        return count;
    }

    @Override
    public long length() {
        return size;
    }
}
