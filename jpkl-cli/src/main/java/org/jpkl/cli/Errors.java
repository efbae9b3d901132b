package org.jpkl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.jpkl.MissingProviderException;
import org.jpkl.api.JpklFormatException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr, {@code jpkl COMMAND: what went wrong (what to do)},
 * and an exit code: 2 for bad usage, 1 for bad, missing or damaged data. The stack trace follows
 * only with {@code --verbose}.
 *
 * <p>Classification: {@link CliException} carries its code; picocli's parse errors, and
 * {@link IllegalArgumentException} / {@link IndexOutOfBoundsException} (the library's answer to a
 * bad id, parameter, dtype or index) are usage errors; I/O errors, {@link JpklFormatException} and
 * {@link MissingProviderException} are data errors.
 *
 * <p>Thread safety: not thread-safe; used by one command line.
 */
final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final JpklCommand root;

    Errors(JpklCommand root) {
        this.root = root;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        root.io().err().println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
        if (verbose(args)) {
            ex.printStackTrace(root.io().err());
        }
        return CliException.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        return report(ex, cmd.getCommandSpec().qualifiedName(), root.verbose());
    }

    /** Prints the line (and with {@code verbose} the stack trace) for {@code t}; returns the exit code. */
    int report(Throwable t, String command, boolean verbose) {
        if (AbortOnExit.shuttingDown()) {
            // Ctrl-C or SIGTERM: the shutdown hooks closed the outputs under the command's feet, and
            // what it throws now is a consequence, not an error to report. The JVM exits with 128 +
            // the signal's number whatever is returned here.
            return CliException.INTERRUPTED;
        }
        Throwable e = t instanceof UncheckedIOException ? t.getCause() : t;
        int code;
        String message;
        if (e instanceof CliException) {
            code = ((CliException) e).exitCode();
            message = e.getMessage();
        } else if (e instanceof ParameterException) {
            code = CliException.USAGE;
            message = e.getMessage();
        } else if (e instanceof NoSuchFileException) {
            code = CliException.DATA;
            message = ((NoSuchFileException) e).getFile() + ": no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            code = CliException.DATA;
            message = ((AccessDeniedException) e).getFile() + ": permission denied";
        } else if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            code = CliException.DATA;
            message = f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        } else if (e instanceof JpklFormatException || e instanceof MissingProviderException) {
            code = CliException.DATA;
            message = e.getMessage();
        } else if (e instanceof IOException) {
            code = CliException.DATA;
            message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        } else if (e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException) {
            code = CliException.USAGE;
            message = e.getMessage();
        } else if (e instanceof OutOfMemoryError) {
            code = CliException.DATA;
            message = "out of memory (Java heap of at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB). A damaged or"
                    + " crafted input can ask for far more memory than its size justifies: do not raise the heap for a file from"
                    + " an untrusted source (report it); for a genuine large array, give Java more (JPKL_JAVA_OPTS=-Xmx8g"
                    + " bin/jpkl ...) or lower --buffer";
        } else {
            code = CliException.DATA;
            message = "internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace and report it)");
        }
        root.io().err().println(command + ": " + oneLine(message));
        if (verbose) {
            t.printStackTrace(root.io().err());
        }
        return code;
    }

    private boolean verbose(String[] args) {
        return root.verbose() || Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
