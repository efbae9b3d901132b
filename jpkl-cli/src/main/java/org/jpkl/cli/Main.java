package org.jpkl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/**
 * The {@code jpkl} program: {@code java -jar jpkl-cli-VERSION-all.jar COMMAND ...}, or
 * {@code bin/jpkl COMMAND ...}. See {@link JpklCommand} and docs/CLI.md.
 *
 * <p>Stateless; {@link #run} may be called repeatedly (tests drive it in-process).
 */
public final class Main {
    private Main() {
    }

    /** Runs the command line and exits with its code (0 ok, 1 data error, 2 usage error). */
    public static void main(String[] args) {
        int code = run(CliIo.system(), args);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs one command line with the given streams and environment.
     *
     * @return the exit code: 0 ok, 1 bad or damaged data, 2 bad usage
     */
    public static int run(CliIo io, String... args) {
        JpklCommand root = new JpklCommand(io);
        Errors errors = new Errors(root);
        CommandLine cl = null;
        try {
            cl = new CommandLine(root);
            Charset charset = Charset.defaultCharset();
            cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(io.out(), charset), true));
            cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(io.err(), charset), true));
            cl.setExecutionExceptionHandler(errors);
            cl.setParameterExceptionHandler(errors);
            // Index expressions may start with '-' ("-1, :"); in 'get' such words are expressions, not options.
            cl.getSubcommands().get("get").setUnmatchedOptionsArePositionalParams(true);
            return cl.execute(args);
        } catch (OutOfMemoryError | RuntimeException e) {
            // picocli hands only Exceptions to the handler; an Error such as OutOfMemoryError lands here.
            return errors.report(e, commandName(cl), root.verbose());
        } finally {
            io.out().flush();
            try {
                root.close();
            } catch (IOException e) {
                io.err().println("jpkl: closing plugin jars failed: " + e.getMessage());
            }
        }
    }

    /** The qualified name of the command being run ({@code "jpkl info"}), or {@code "jpkl"} before one is known. */
    static String commandName(CommandLine cl) {
        CommandLine.ParseResult result = cl == null ? null : cl.getParseResult();
        if (result == null) {
            return "jpkl";
        }
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec().qualifiedName();
    }
}
