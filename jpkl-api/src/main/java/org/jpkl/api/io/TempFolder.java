package org.jpkl.api.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A temporary folder (in {@code java.io.tmpdir}) deleted with its contents by {@link #close()}, or
 * by the same shutdown hook as {@link AtomicFileOutput}'s temporary files if the JVM is stopped
 * first (Ctrl-C, SIGTERM), so that an interrupted program leaves no work folder behind.
 *
 * <p>Thread safety: {@link #close()} is idempotent and may race with the shutdown hook; otherwise
 * immutable.
 */
public final class TempFolder implements AutoCloseable {
    private final Path path;

    private TempFolder(Path path) {
        this.path = path;
    }

    /**
     * Creates the folder, named {@code prefix} followed by random characters.
     *
     * @param prefix the start of the folder's name, e.g. {@code "jpkl-compare"}
     */
    public static TempFolder create(String prefix) throws IOException {
        Objects.requireNonNull(prefix, "prefix");
        Path dir = Files.createTempDirectory(prefix);
        LiveTempFiles.add(dir);
        return new TempFolder(dir);
    }

    /** The folder. */
    public Path path() {
        return path;
    }

    /** Deletes the folder and everything in it. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            LiveTempFiles.deleteTree(path);
        } finally {
            LiveTempFiles.remove(path);
        }
    }

    @Override
    public String toString() {
        return "TempFolder[" + path + "]";
    }
}
