package org.jpkl.cli;

/**
 * A failure the command line reports as one line on stderr, with its exit code: {@link #USAGE} (2)
 * for a bad command line (unknown codec, bad parameter, bad expression, wrong input options) and
 * {@link #DATA} (1) for bad, missing or damaged data.
 *
 * <p>Thread safety: immutable.
 */
public final class CliException extends RuntimeException {
    /** Exit code for bad or damaged data, a missing file, a failed write. */
    public static final int DATA = 1;
    /** Exit code for bad usage: options, arguments, ids, parameters, expressions. */
    public static final int USAGE = 2;

    /** Stopped by a signal (Ctrl-C, SIGTERM): the JVM itself exits with 128 + the signal's number; 130 stands for it in-process. */
    public static final int INTERRUPTED = 130;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A usage error (exit 2): the message says what is wrong and what to do. */
    public static CliException usage(String message) {
        return new CliException(USAGE, message, null);
    }

    /** A usage error (exit 2) caused by {@code cause}. */
    public static CliException usage(String message, Throwable cause) {
        return new CliException(USAGE, message, cause);
    }

    /** A data error (exit 1). */
    public static CliException data(String message) {
        return new CliException(DATA, message, null);
    }

    /** A data error (exit 1) caused by {@code cause}. */
    public static CliException data(String message, Throwable cause) {
        return new CliException(DATA, message, cause);
    }

    /** 1 (data) or 2 (usage). */
    public int exitCode() {
        return exitCode;
    }
}
