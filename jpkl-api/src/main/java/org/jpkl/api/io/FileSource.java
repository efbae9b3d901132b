package org.jpkl.api.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read with positional {@link FileChannel} reads; safe for concurrent readers.
 *
 * <p>A {@code FileChannel} closes itself for every thread when one reading thread is interrupted
 * (e.g. a viewer cancelling a prefetch). This source then reopens the file, so only the interrupted
 * read fails ({@link ClosedByInterruptException}) and other readers carry on. After {@link #close()}
 * every read throws {@link ClosedChannelException}.
 */
final class FileSource implements RandomAccessSource {
    private final Path path;
    private final Object reopenLock = new Object();
    private volatile FileChannel channel;
    private volatile boolean closed;

    FileSource(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() throws IOException {
        return open().size();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position (" + position + ") must be >= 0");
        }
        int start = dst.position();
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = open();
            try {
                readFully(ch, position, dst);
                return;
            } catch (ClosedByInterruptException e) {
                reopenAfter(ch);
                throw e;
            } catch (ClosedChannelException e) {
                if (closed || attempt >= 3) {
                    throw e;
                }
                reopenAfter(ch);
                dst.position(start);
            }
        }
    }

    private void readFully(FileChannel ch, long position, ByteBuffer dst) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) {
                throw new EOFException(path + ": end of file at byte " + p + " while reading " + dst.remaining()
                        + " more bytes from offset " + position);
            }
            p += n;
        }
    }

    private FileChannel open() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        return channel;
    }

    /** Replaces a channel closed by another thread's interrupt (not by us) with a fresh one. */
    private void reopenAfter(FileChannel broken) throws IOException {
        synchronized (reopenLock) {
            if (closed || channel != broken || broken.isOpen()) {
                return;
            }
            boolean interrupted = Thread.interrupted();
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (reopenLock) {
            closed = true;
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "FileSource[" + path + "]";
    }
}
