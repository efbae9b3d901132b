package org.jpkl.api.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/** A source over a buffer in memory; each read works on its own duplicate, so reads may run concurrently. */
final class MemorySource implements RandomAccessSource {
    private final String name;
    private final ByteBuffer bytes;
    private volatile boolean closed;

    MemorySource(String name, ByteBuffer bytes) {
        this.name = name;
        this.bytes = bytes.asReadOnlyBuffer();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return bytes.capacity();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position < 0) {
            throw new IllegalArgumentException("position (" + position + ") must be >= 0");
        }
        if (position + dst.remaining() > bytes.capacity()) {
            throw new EOFException(name + ": reading " + dst.remaining() + " bytes at offset " + position
                    + " passes the end (" + bytes.capacity() + " bytes)");
        }
        ByteBuffer view = bytes.duplicate();
        view.position((int) position).limit((int) position + dst.remaining());
        dst.put(view);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "MemorySource[" + name + ", " + bytes.capacity() + " bytes]";
    }
}
