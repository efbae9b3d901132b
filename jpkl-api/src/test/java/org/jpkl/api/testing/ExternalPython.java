package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Cross-implementation tests against Python ({@code /usr/bin/python3} and its Debian modules, e.g.
 * python3-numpy, python3-tifffile): {@link #require} skips the calling test with a message when
 * they are missing, except under CI ({@code CI=true}), where that fails, so CI cannot pass without
 * running them.
 *
 * <p>Thread safety: stateless.
 */
public final class ExternalPython {
    /** The interpreter used: the system's, whose modules come from Debian packages. */
    public static final String PYTHON = "/usr/bin/python3";

    private ExternalPython() {
    }

    /**
     * Checks that {@link #PYTHON} imports {@code modules}; otherwise aborts the test (skip) with a
     * message on stderr naming what is missing and the Debian packages, or fails under CI.
     *
     * @param test the test's name, for the message
     * @param debianPackages what to install, for the message
     */
    public static void require(String test, String debianPackages, String... modules) throws IOException, InterruptedException {
        String problem = null;
        if (!Files.isExecutable(Path.of(PYTHON))) {
            problem = PYTHON + " is not installed";
        } else {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + String.join(", ", modules)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                problem = PYTHON + " cannot import " + String.join(", ", modules) + ": " + out.trim();
            }
        }
        if (problem != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, and " + test + " cannot run: " + problem);
            }
            System.err.println("SKIPPED " + test + ": " + problem + " (install with: apt-get install " + debianPackages + ")");
            Assumptions.abort(problem);
        }
    }

    /**
     * Runs a Python script file with arguments and returns its output (stdout and stderr).
     *
     * @throws AssertionError if it fails or takes more than two minutes, with its output
     */
    public static String run(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("python " + command + " failed:\n" + out);
        }
        return out;
    }
}
