package org.jpkl.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/**
 * A {@link PrintStream} that does not swallow write errors: every write and flush that fails
 * throws an {@link UncheckedIOException} whose cause names the stream ("standard output: No space
 * left on device"), so a command stops at the first failed write instead of finishing with exit 0
 * and a truncated result. Over another {@code PrintStream} (which keeps its errors to itself), a
 * write fails when that stream's {@link PrintStream#checkError()} turns true.
 *
 * <p>Thread safety: as {@link PrintStream} (writes are synchronized).
 */
final class StrictPrintStream extends PrintStream {
    private final String name;
    private volatile IOException failure;

    /**
     * @param out where the bytes go
     * @param name what the stream is, for messages ("standard output")
     */
    StrictPrintStream(OutputStream out, String name, Charset charset) {
        super(new Checked(out, name), false, charset);
        this.name = name;
    }

    /** The stream's name, for messages. */
    String name() {
        return name;
    }

    /**
     * The first write or flush that failed, or null: also those whose exception a caller swallowed
     * (a {@code PrintWriter} over this stream keeps its errors to itself).
     */
    IOException failure() {
        return failure;
    }

    private UncheckedIOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        setError();
        return new UncheckedIOException(e);
    }

    @Override
    public void write(int b) {
        synchronized (this) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        synchronized (this) {
            try {
                out.write(buf, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    @Override
    public void flush() {
        synchronized (this) {
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    /** Turns the target's failures, or its {@code checkError()} for a PrintStream, into named IOExceptions. */
    private static final class Checked extends FilterOutputStream {
        private final String name;

        Checked(OutputStream out, String name) {
            super(out);
            this.name = name;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw named(e);
            }
            check();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
            check();
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw named(e);
            }
            check();
        }

        private void check() throws IOException {
            if (out instanceof PrintStream && ((PrintStream) out).checkError()) {
                throw new IOException(name + ": write failed");
            }
        }

        private IOException named(IOException e) {
            return new IOException(name + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }
}
