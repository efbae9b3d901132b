package org.jpkl.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Where a container writer puts its bytes, front to back, to be published all at once: a local file
 * ({@link AtomicFileOutput}: a temporary file renamed onto the target) or an object in a store (for
 * example an S3 multipart upload, completed on commit). Nothing appears under the target's name
 * before {@link #commit()} succeeds; {@link #close()} without a commit discards everything written
 * and leaves an existing target untouched.
 *
 * <p>A writer that needs to seek back (to patch a length, say) cannot write to a sequential output;
 * its serializer says so ({@link org.jpkl.api.spi.ContainerSerializer#writesSequentially()}).
 *
 * <p>Thread safety: one writer thread at a time; {@link #close()} may also be called from another
 * thread (e.g. a shutdown hook) to discard the output.
 */
public interface SequentialOutput extends AutoCloseable {
    /** The target's name for messages: a path or a URI. */
    String name();

    /** Bytes written so far (the position of the next write). */
    long position();

    /**
     * Appends all remaining bytes of {@code src}.
     *
     * @throws IllegalStateException if the output is committed or closed
     * @throws IOException naming the target if the bytes cannot be stored
     */
    void write(ByteBuffer src) throws IOException;

    /**
     * An output stream appending through {@link #write}; closing it does not close this output.
     * Not buffered.
     */
    default OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                SequentialOutput.this.write(ByteBuffer.wrap(new byte[] {(byte) b}));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                SequentialOutput.this.write(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /**
     * Stores what was written durably and publishes it under the target's name in one step. On
     * failure the output is discarded as by {@link #close()}.
     *
     * @throws IllegalStateException if the output is already committed or closed
     * @throws IOException naming the target if publishing fails
     */
    void commit() throws IOException;

    /** Without a prior commit: discards everything written, leaving no trace under the target's name. Idempotent. */
    @Override
    void close() throws IOException;
}
