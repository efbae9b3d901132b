package org.jpkl.npy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;

/**
 * The bytes an {@link NpyReader} reads its elements from: a {@link RandomAccessSource} (positional
 * reads, any order) or a stream read strictly forward (standard input, a pipe, a device).
 * Positions are absolute: from the start of the file or stream, header included.
 *
 * <p>Thread safety: not thread-safe.
 */
abstract class DataBytes {
    private final String name;
    /** What the data needs, for messages: e.g. {@code shape (2, 3) of uint16 needs 140}. */
    private final String needs;

    DataBytes(String name, String needs) {
        this.name = name;
        this.needs = needs;
    }

    /** Positional reads from {@code source}; the source is not closed here. */
    static DataBytes positional(RandomAccessSource source, String needs) {
        return new Positional(source, needs);
    }

    /** Forward reads from {@code in}, whose next byte is at {@code position}; the stream is not closed here. */
    static DataBytes forward(InputStream in, String name, long position, String needs) {
        return new Forward(in, name, position, needs);
    }

    final String name() {
        return name;
    }

    final String needs() {
        return needs;
    }

    /** Whether reads may go backwards. */
    abstract boolean seekable();

    /** The total size, or -1 if unknown (streams). */
    abstract long size() throws IOException;

    /**
     * Fills {@code dst[off, off + len)} with the bytes at {@code position}.
     *
     * @throws JpklFormatException naming the file, the bytes it has and the bytes needed, if it ends first
     * @throws IllegalStateException if a stream would have to go back
     */
    abstract void read(long position, byte[] dst, int off, int len) throws IOException;

    /**
     * Whether the input ends at {@code position}: no byte follows it. A stream must not have been
     * read past {@code position}; it reads up to it and one byte more.
     */
    abstract boolean endsAt(long position) throws IOException;

    private static final class Positional extends DataBytes {
        private final RandomAccessSource source;

        Positional(RandomAccessSource source, String needs) {
            super(source.name(), needs);
            this.source = source;
        }

        @Override
        boolean seekable() {
            return true;
        }

        @Override
        long size() throws IOException {
            return source.size();
        }

        @Override
        void read(long position, byte[] dst, int off, int len) throws IOException {
            try {
                source.readFully(position, ByteBuffer.wrap(dst, off, len));
            } catch (EOFException e) {
                // The size was checked when the reader was opened: the file shrank since.
                throw new JpklFormatException(name(), "data", "now has " + source.size() + " bytes (it changed while being read); "
                        + needs(), e);
            }
        }

        @Override
        boolean endsAt(long position) throws IOException {
            return source.size() == position;
        }
    }

    private static final class Forward extends DataBytes {
        private final InputStream in;
        private long position;

        Forward(InputStream in, String name, long position, String needs) {
            super(name, needs);
            this.in = in;
            this.position = position;
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
                throw new IllegalStateException(name() + ": a stream cannot go back from byte " + position + " to " + at);
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
            return new JpklFormatException(name(), "data", "the stream ended after " + at + " bytes; " + needs());
        }
    }
}
