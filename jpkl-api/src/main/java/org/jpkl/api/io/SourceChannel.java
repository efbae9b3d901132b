package org.jpkl.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only {@link SeekableByteChannel} over a {@link RandomAccessSource}, so libraries that read
 * channels (e.g. Commons Compress's {@code ZipFile}) can use positional reads of any source (file or
 * memory). Made by {@link RandomAccessSource#asChannel()}. Closing it does not close the source (its
 * owner closes it).
 *
 * <p>Thread safety: like any channel with a position, one user at a time; {@code ZipFile}
 * synchronises on the channel around each position-and-read.
 */
final class SourceChannel implements SeekableByteChannel {
    private final RandomAccessSource source;
    private final long size;
    private long position;
    private boolean open = true;

    SourceChannel(RandomAccessSource source) throws IOException {
        this.source = source;
        this.size = source.size();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + n);
        source.readFully(position, window);
        dst.position(dst.position() + n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("position (" + newPosition + ") must be >= 0");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
