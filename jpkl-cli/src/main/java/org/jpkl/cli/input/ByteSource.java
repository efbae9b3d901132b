package org.jpkl.cli.input;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jpkl.api.JpklFormatException;

/**
 * Bytes of an input: a file read with positional reads (any order), or a stream (standard input)
 * read strictly forward. Not thread-safe.
 */
abstract class ByteSource implements Closeable {
    private final String name;

    ByteSource(String name) {
        this.name = name;
    }

    /** A file, read with positional reads. */
    static ByteSource file(Path file) throws IOException {
        return new FileBytes(file);
    }

    /** A stream read forward only; it is not closed by {@link #close()}. */
    static ByteSource stream(String name, InputStream in) {
        return new StreamBytes(name, in);
    }

    /** The file or stream name. */
    final String name() {
        return name;
    }

    /** Whether reads may go backwards. */
    abstract boolean seekable();

    /** The total size, or -1 if unknown (streams). */
    abstract long size() throws IOException;

    /**
     * Fills {@code dst[off, off + len)} with the bytes at {@code position}.
     *
     * @throws JpklFormatException if the input ends first
     */
    abstract void read(long position, byte[] dst, int off, int len) throws IOException;

    private static final class FileBytes extends ByteSource {
        private final FileChannel channel;

        FileBytes(Path file) throws IOException {
            super(file.toString());
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        }

        @Override
        boolean seekable() {
            return true;
        }

        @Override
        long size() throws IOException {
            return channel.size();
        }

        @Override
        void read(long position, byte[] dst, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
            long p = position;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, p);
                if (n < 0) {
                    throw new JpklFormatException(name(), "data", "the file ends at byte " + p + "; expected "
                            + (position + len) + " bytes (is the shape or dtype right?)");
                }
                p += n;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class StreamBytes extends ByteSource {
        private final InputStream in;
        private long position;

        StreamBytes(String name, InputStream in) {
            super(name);
            this.in = in;
        }

        @Override
        boolean seekable() {
            return false;
        }

        @Override
        long size() {
            return -1;
        }

        @Override
        void read(long at, byte[] dst, int off, int len) throws IOException {
            if (at < position) {
                throw new IllegalStateException("stream " + name() + " cannot go back from byte " + position + " to " + at);
            }
            long skip = at - position;
            while (skip > 0) {
                long n = in.skip(skip);
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw ended(position);
                    }
                    n = 1;
                }
                skip -= n;
                position += n;
            }
            int done = 0;
            while (done < len) {
                int n = in.read(dst, off + done, len - done);
                if (n < 0) {
                    throw ended(position + done);
                }
                done += n;
            }
            position += len;
        }

        private JpklFormatException ended(long at) {
            return new JpklFormatException(name(), "data", "the stream ended after " + at + " bytes; the shape and dtype need more");
        }

        @Override
        public void close() {
        }
    }
}
