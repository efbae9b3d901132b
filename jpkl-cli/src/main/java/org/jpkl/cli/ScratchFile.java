package org.jpkl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hidden scratch file beside an output ({@code .NAME.RANDOM.scratch}), on the same file system so
 * that its size counts against the same free space, deleted by {@link #close()} (and, guarded by
 * {@link AbortOnExit}, when the JVM is stopped). Used for the lossless container an output is
 * converted from (e.g. {@code encode -o x.tif}).
 *
 * <p>Thread safety: {@link #close()} may be called from a shutdown hook; otherwise one thread.
 */
final class ScratchFile implements AutoCloseable {
    private final Path path;

    private ScratchFile(Path path) {
        this.path = path;
    }

    /** Creates the empty scratch file in {@code output}'s folder. */
    static ScratchFile beside(Path output) throws IOException {
        Path absolute = output.toAbsolutePath();
        return new ScratchFile(Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".scratch"));
    }

    /** The scratch file. */
    Path path() {
        return path;
    }

    /** Deletes the scratch file. Idempotent. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
