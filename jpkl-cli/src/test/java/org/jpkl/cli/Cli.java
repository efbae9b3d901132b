package org.jpkl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the real command line in-process with captured streams. */
final class Cli {
    private Cli() {
    }

    /** What a run printed and returned. */
    record Result(int code, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + (out.length > 4000 ? out.length + " bytes" : outText()) + "\n--- stderr:\n" + err;
        }
    }

    static Result run(String... args) {
        return run(new byte[0], Map.of(), args);
    }

    static Result run(byte[] stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(new CliIo(outStream, errStream, new ByteArrayInputStream(stdin), env, false), args);
        outStream.flush();
        errStream.flush();
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts exit 0. */
    static Result ok(Result r) {
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    /**
     * Asserts the exit code, that stderr is exactly one line (no stack trace), and that it contains
     * every fragment.
     */
    static Result fails(Result r, int code, String... fragments) {
        assertEquals(code, r.code(), r.toString());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one error line expected:\n" + r);
        for (String f : fragments) {
            assertTrue(err.contains(f), "stderr lacks '" + f + "':\n" + r);
        }
        return r;
    }
}
