package org.jpkl.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.spi.ContainerSerializer;
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
     * Checks the container an {@code encode} or {@code convert} writes, before any work and any
     * request: a local file as {@link #check(String, Path, Collection)}; a URI must have a storage
     * provider that writes its scheme ({@link org.jpkl.api.spi.StorageProviders#checkWritable}),
     * the serializer must stream ({@link ContainerSerializer#writesSequentially()}), and it must not be
     * one of the inputs (the same URI). An existing object is replaced when the new one is complete,
     * as a writable file is, so {@code --force} changes nothing for URIs: an object store has no
     * read-only objects, only permissions, which the store checks when writing (exit 1).
     *
     * @param serializerId the serializer that will write the container, or null when not known yet (then the caller
     *     calls {@link #requireStreaming} once it is)
     * @param inputs the command's inputs as given (paths or URIs)
     * @throws CliException (usage) saying what is wrong with the target
     */
    void check(Jpkl jpkl, String option, ContainerLocation target, String serializerId, Collection<String> inputs)
            throws IOException {
        if (!target.isRemote()) {
            check(option, target.path(), inputs);
            return;
        }
        try {
            jpkl.storage().checkWritable(target.uri());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + " " + target + ": " + e.getMessage(), e);
        }
        if (serializerId != null) {
            requireStreaming(jpkl, option, target, serializerId);
        }
        for (String input : inputs) {
            if (ContainerLocation.looksRemote(input)) {
                ContainerLocation in = ContainerLocation.parse(input);
                if (in.uri().normalize().equals(target.uri().normalize())) {
                    throw CliException.usage(option + " " + target + ": is the input " + input + " (the same object); write to another"
                            + " object");
                }
            }
        }
    }

    /**
     * For a URI: refuses a serializer that cannot stream its format to an object store (it needs a
     * local file), naming it; nothing for a local file.
     *
     * @throws CliException (usage) for such a serializer
     */
    static void requireStreaming(Jpkl jpkl, String option, ContainerLocation target, String serializerId) {
        ContainerSerializer serializer = jpkl.serializers().require(serializerId);
        if (target.isRemote() && !serializer.writesSequentially()) {
            throw CliException.usage(option + " " + target + ": " + ContainerSerializer.notSequential(serializer, target.toString()));
        }
    }

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
