package org.jpkl.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Objects;

/**
 * The streams and environment a command runs with: the process's own for {@link Main#main}, or
 * captured ones for tests that drive the real command line in-process. Standard output is always
 * written through a stream that reports write errors (a full disk, {@code /dev/full}, a closed
 * pipe) as exceptions naming it, so that no command exits 0 with a truncated result.
 *
 * <p>Thread safety: immutable (the streams themselves are shared).
 */
public final class CliIo {
    private final StrictPrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private final boolean terminal;

    /**
     * @param out where results go (text, JSON, or .npy bytes for {@code -o -}); wrapped so that its
     *     write errors ({@link PrintStream#checkError()}) fail the command
     * @param err where progress, notes and errors go
     * @param in standard input ({@code -} as an input)
     * @param env environment variables (e.g. {@code JPKL_PLUGINS})
     * @param terminal whether a person watches stderr (progress is shown only then)
     */
    public CliIo(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, boolean terminal) {
        Objects.requireNonNull(out, "out");
        this.out = out instanceof StrictPrintStream ? (StrictPrintStream) out
                : new StrictPrintStream(out, "standard output", Charset.defaultCharset());
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
        // Not System.out: it swallows write errors. Buffered; Main flushes before exiting.
        PrintStream out = new StrictPrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                "standard output", Charset.defaultCharset());
        return new CliIo(out, System.err, System.in, System.getenv(), System.console() != null);
    }

    /** Standard output. */
    public PrintStream out() {
        return out;
    }

    /** The first failed write to standard output (even one whose exception was swallowed), or null. */
    java.io.IOException outFailure() {
        return out.failure();
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
