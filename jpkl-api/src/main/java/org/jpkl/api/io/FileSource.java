package org.jpkl.api.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file read with positional {@link FileChannel} reads; safe for concurrent readers. */
final class FileSource implements RandomAccessSource {
    private final Path path;
    private final FileChannel channel;

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
        return channel.size();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position (" + position + ") must be >= 0");
        }
        long p = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, p);
            if (n < 0) {
                throw new EOFException(path + ": end of file at byte " + p + " while reading " + dst.remaining()
                        + " more bytes from offset " + position);
            }
            p += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "FileSource[" + path + "]";
    }
}
