package org.jpkl.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * The streams and environment a command runs with: the process's own for {@link Main#main}, or
 * captured ones for tests that drive the real command line in-process.
 *
 * <p>Thread safety: immutable (the streams themselves are shared).
 */
public final class CliIo {
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private final boolean terminal;

    /**
     * @param out where results go (text, JSON, or .npy bytes for {@code -o -})
     * @param err where progress, notes and errors go
     * @param in standard input ({@code -} as an input)
     * @param env environment variables (e.g. {@code JPKL_PLUGINS})
     * @param terminal whether a person watches stderr (progress is shown only then)
     */
    public CliIo(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, boolean terminal) {
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.in = Objects.requireNonNull(in, "in");
        this.env = Map.copyOf(env);
        this.terminal = terminal;
    }

    /**
     * The process's streams and environment. Java 17 cannot ask whether stderr alone is a terminal;
     * an attached console (interactive stdin and stdout) stands for it.
     */
    public static CliIo system() {
        return new CliIo(System.out, System.err, System.in, System.getenv(), System.console() != null);
    }

    /** Standard output. */
    public PrintStream out() {
        return out;
    }

    /** Standard error. */
    public PrintStream err() {
        return err;
    }

    /** Standard input. */
    public InputStream in() {
        return in;
    }

    /** Environment variables. */
    public Map<String, String> env() {
        return env;
    }

    /** Whether stderr is (taken to be) a terminal. */
    public boolean terminal() {
        return terminal;
    }
}
