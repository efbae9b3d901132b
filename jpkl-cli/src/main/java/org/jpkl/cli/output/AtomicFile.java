package org.jpkl.cli.output;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written under a temporary name beside its target ({@code .NAME.RANDOM.partial}) and
 * renamed onto the target only by {@link #commit()}, so an interrupted or failed write never
 * leaves a partial file under the final name; {@link #close()} without a commit deletes the
 * temporary file. The same scheme as the library's container writers.
 *
 * <p>Thread safety: {@link #close()} may be called from a shutdown hook while another thread
 * writes; otherwise one thread.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private volatile boolean done;

    private AtomicFile(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Creates the empty temporary file.
     *
     * @throws java.nio.file.NoSuchFileException if the target's folder does not exist
     */
    public static AtomicFile create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + suffix + ".partial");
            try {
                Files.createFile(temp);
                return new AtomicFile(absolute, temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
    }

    /** The temporary file to write. */
    public Path temp() {
        return temp;
    }

    /** The final name. */
    public Path target() {
        return target;
    }

    /** Renames the temporary file onto the target (replacing it) in one step. */
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException(target + " is already committed or discarded");
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        done = true;
    }

    /** Deletes the temporary file unless committed. Idempotent. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            Files.deleteIfExists(temp);
        }
    }
}
