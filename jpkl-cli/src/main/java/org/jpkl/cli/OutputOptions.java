package org.jpkl.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jpkl.api.io.AtomicFileOutput;
import picocli.CommandLine.Option;

/**
 * The {@code --force} option of the commands that write files, and the check of each output before
 * any work: the rules of {@link AtomicFileOutput#checkTarget} (folder exists, not a folder or block
 * device, not immutable, not read-only without {@code --force}, not one of the inputs), each
 * refused as bad usage (exit 2) naming the option and the target.
 *
 * <p>Thread safety: not thread-safe; one command line.
 */
final class OutputOptions {
    @Option(names = "--force", description = "Replace an existing output file even if it is read-only.")
    boolean force;

    /**
     * Checks {@code target} before any work.
     *
     * @param option how the target was given ({@code -o}, {@code OUT})
     * @param inputs the command's inputs as given; those that are not existing files are ignored
     * @throws CliException (usage) saying what is wrong with the target
     */
    void check(String option, Path target, Collection<String> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String input : inputs) {
            try {
                files.add(Path.of(input));
            } catch (java.nio.file.InvalidPathException e) {
                // Not a file name (a glob or sample:...): it cannot be the target.
            }
        }
        try {
            AtomicFileOutput.checkTarget(target, force, files);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            boolean readOnly = e instanceof AccessDeniedException && reason.startsWith("is read-only");
            throw CliException.usage(option + " " + target + ": " + reason + (readOnly ? "; give --force to replace it" : ""), e);
        }
    }
}
