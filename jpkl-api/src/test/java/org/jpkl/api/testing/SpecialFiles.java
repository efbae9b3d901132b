package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Device nodes, named pipes and immutable files for tests of what writers do with targets that are
 * not plain files. Each maker skips the test (JUnit assumption) where the system cannot make it:
 * {@code mknod} and {@code chattr} need root (and {@code chattr +i} a file system that has it).
 *
 * <p>Stateless.
 */
public final class SpecialFiles {
    /** File type bits of a character device, as {@link #type} returns them. */
    public static final String CHARACTER_DEVICE = "20000";
    /** File type bits of a named pipe. */
    public static final String FIFO = "10000";

    private SpecialFiles() {
    }

    /** Runs a command; whether it exited 0 within 30 s. */
    public static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** A copy of {@code /dev/null} at {@code file}. */
    public static Path devNull(Path file) throws IOException, InterruptedException {
        return device(file, 3);
    }

    /** A copy of {@code /dev/full} at {@code file}: every write fails with "No space left on device". */
    public static Path devFull(Path file) throws IOException, InterruptedException {
        return device(file, 7);
    }

    private static Path device(Path file, int minor) throws IOException, InterruptedException {
        assumeTrue(run("mknod", file.toString(), "c", "1", Integer.toString(minor)), "mknod needs root; skipped");
        return file;
    }

    /** A named pipe at {@code file}. */
    public static Path fifo(Path file) throws IOException, InterruptedException {
        assumeTrue(run("mkfifo", file.toString()), "mkfifo is missing; skipped");
        return file;
    }

    /** Makes {@code file} immutable ({@code chattr +i}); undo with {@link #mutable}. */
    public static Path immutable(Path file) throws IOException, InterruptedException {
        assumeTrue(run("chattr", "+i", file.toString()), "chattr +i is not supported here (needs root and ext4/xfs/btrfs); skipped");
        return file;
    }

    /** Undoes {@link #immutable} ({@code chattr -i}), so that the temporary folder can be deleted. */
    public static void mutable(Path file) throws IOException, InterruptedException {
        run("chattr", "-i", file.toString());
    }

    /** The file type bits of {@code p} (following links), in octal: {@link #CHARACTER_DEVICE}, {@link #FIFO}, "100000" for a regular file. */
    public static String type(Path p) throws IOException {
        return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode") & 0170000);
    }
}
