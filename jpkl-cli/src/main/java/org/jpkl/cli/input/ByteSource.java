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
 * Bytes of an input: a file read with positional reads (any order), or a stream (standard input, a
 * FIFO, a character device) read strictly forward. Not thread-safe.
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

    /** A stream read forward only; it is not closed by {@link #close()} (standard input). */
    static ByteSource stream(String name, InputStream in) {
        return new StreamBytes(name, in, false);
    }

    /** A stream read forward only and closed by {@link #close()} (a FIFO or device this source opened). */
    static ByteSource ownedStream(String name, InputStream in) {
        return new StreamBytes(name, in, true);
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

    /**
     * Whether the input ends at {@code position}: no byte follows it. A stream must not have been
     * read past {@code position}; it reads up to it and one byte more.
     */
    abstract boolean endsAt(long position) throws IOException;

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
        boolean endsAt(long position) throws IOException {
            return channel.size() == position;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class StreamBytes extends ByteSource {
        private final InputStream in;
        private final boolean owned;
        private long position;

        StreamBytes(String name, InputStream in, boolean owned) {
            super(name);
            this.in = in;
            this.owned = owned;
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
            skipTo(at);
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

        @Override
        boolean endsAt(long at) throws IOException {
            skipTo(at);
            if (in.read() < 0) {
                return true;
            }
            position++;
            return false;
        }

        private void skipTo(long at) throws IOException {
            if (at < position) {
                throw new IllegalStateException("stream " + name() + " cannot go back from byte " + position + " to " + at);
            }
            // Read and drop: InputStream.skip seeks on pipes and devices (FileInputStream, channel streams) and fails there.
            byte[] scratch = new byte[(int) Math.min(at - position, 1 << 16)];
            while (position < at) {
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, at - position));
                if (n < 0) {
                    throw ended(position);
                }
                position += n;
            }
        }

        private JpklFormatException ended(long at) {
            return new JpklFormatException(name(), "data", "the stream ended after " + at + " bytes; the shape and dtype need more");
        }

        @Override
        public void close() throws IOException {
            if (owned) {
                in.close();
            }
        }
    }
}
