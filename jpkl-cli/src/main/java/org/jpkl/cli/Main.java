package org.jpkl.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The {@code jpkl} program: {@code java -jar jpkl-cli-VERSION-all.jar COMMAND ...}, or
 * {@code bin/jpkl COMMAND ...}. See {@link JpklCommand} and docs/CLI.md.
 *
 * <p>Stateless; {@link #run} may be called repeatedly (tests drive it in-process).
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits with its code (0 ok, 1 data error, 2 usage error). When the
     * JVM is stopped by a signal the process ends with the JVM's code for it (130 for Ctrl-C, 143
     * for SIGTERM) and no message (the unfinished output is discarded).
     */
    public static void main(String[] args) {
        System.exit(run(CliIo.system(), args));
    }

    /**
     * Runs one command line with the given streams and environment. Standard output is flushed at
     * the end; if it could not be written (here or during the command), the run fails with exit 1
     * and one line saying so.
     *
     * @return the exit code: 0 ok, 1 bad or damaged data (or unwritable output), 2 bad usage
     */
    public static int run(CliIo io, String... args) {
        JpklCommand root = new JpklCommand(io);
        Errors errors = new Errors(root);
        CommandLine cl = null;
        int code;
        try {
            try {
                cl = new CommandLine(root);
                Charset charset = Charset.defaultCharset();
                // picocli prints help and version itself and reports an exception from the stream with a
                // stack trace; through this stream a failed write is only recorded, and reported below.
                cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(new Checked(io.out()), charset), true));
                cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(io.err(), charset), true));
                cl.setExecutionExceptionHandler(errors);
                cl.setParameterExceptionHandler(errors);
                // Index expressions may start with '-' ("-1, :"); in 'get' such words are expressions, not options.
                cl.getSubcommands().get("get").setUnmatchedOptionsArePositionalParams(true);
                code = cl.execute(args);
            } catch (OutOfMemoryError | RuntimeException e) {
                // picocli hands only Exceptions to the handler; an Error such as OutOfMemoryError lands here.
                code = errors.report(e, commandName(cl), root.verbose());
            }
            try {
                io.out().flush();
            } catch (UncheckedIOException e) {
                // Recorded as io.outFailure().
            }
            IOException failure = io.outFailure();
            if (failure != null && code == 0) {
                code = errors.report(failure, commandName(cl), root.verbose());
            }
        } finally {
            try {
                root.close();
            } catch (IOException e) {
                io.err().println("jpkl: closing plugin jars failed: " + e.getMessage());
            }
        }
        return code;
    }

    /** "jpkl SUBCOMMAND" as parsed, or "jpkl". */
    private static String commandName(CommandLine cl) {
        if (cl == null || cl.getParseResult() == null) {
            return "jpkl";
        }
        ParseResult r = cl.getParseResult();
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec().qualifiedName();
    }

    /** Turns the unchecked write errors of a {@link StrictPrintStream} back into IOExceptions, which PrintWriter keeps. */
    private static final class Checked extends FilterOutputStream {
        Checked(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
