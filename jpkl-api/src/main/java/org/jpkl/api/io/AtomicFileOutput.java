package org.jpkl.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers never see it half-written: bytes go to a temporary file in the
 * target's folder, and {@link #commit()} forces them to disk and renames the temporary file onto the
 * target in one atomic step. {@link #close()} without a commit deletes the temporary file and leaves
 * any existing target untouched. Every serializer writes through this class.
 *
 * <p>If the JVM is stopped (Ctrl-C, SIGTERM) while a temporary file exists, a shutdown hook
 * (installed once, on first use) deletes it, so an interrupted program leaves nothing behind; the
 * set of live temporary files shrinks again on every commit and close, so nothing accumulates.
 *
 * <p>Thread safety: not thread-safe; one writer thread at a time.
 */
public final class AtomicFileOutput implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private long position;
    private boolean done;

    private AtomicFileOutput(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /**
     * Creates the temporary file beside {@code target}.
     *
     * @throws java.nio.file.NoSuchFileException if the target's folder does not exist
     */
    public static AtomicFileOutput create(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // Not Files.createTempFile: that makes the file owner-only (0600), and the committed file
        // should get the usual permissions, like any other file the user writes.
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = dir.resolve("." + absolute.getFileName() + "." + suffix + ".partial");
            try {
                LiveTempFiles.add(temp);
                return new AtomicFileOutput(absolute, temp,
                        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                LiveTempFiles.remove(temp);
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    /** The temporary file being written (deleted on close without commit, renamed on commit). */
    public Path tempFile() {
        return temp;
    }

    /** Bytes written so far (the position of the next write). */
    public long position() {
        return position;
    }

    /** Appends all remaining bytes of {@code src}. */
    public void write(ByteBuffer src) throws IOException {
        ensureOpen();
        while (src.hasRemaining()) {
            position += channel.write(src);
        }
    }

    /** Forces the data to disk and atomically moves the temporary file onto the target (replacing it). */
    public void commit() throws IOException {
        ensureOpen();
        try {
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            LiveTempFiles.remove(temp);
        } finally {
            if (!done) {
                close();
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (done) {
            throw new IllegalStateException("output to " + target + " is already committed or closed");
        }
    }

    /** Without a prior commit: discards the temporary file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
            LiveTempFiles.remove(temp);
        }
    }

    @Override
    public String toString() {
        return "AtomicFileOutput[" + target + " via " + temp.getFileName() + "]";
    }
}
