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
 * Runs {@code /usr/bin/python3} for cross-implementation tests (NumPy, Pillow, tifffile as the
 * other implementation). Where python3 or a module is missing the test is skipped with a message
 * saying what to install, except when the environment variable {@code CI} is {@code true} (CI
 * installs them, so a missing piece there is a failure).
 *
 * <p>Thread safety: stateless.
 */
public final class PythonScripts {
    /** The interpreter: the system's, where the Debian packages install their modules. */
    public static final String PYTHON = "/usr/bin/python3";

    private PythonScripts() {
    }

    /**
     * Skips the calling test (fails it under {@code CI=true}) unless {@link #PYTHON} imports every module.
     *
     * @param test the test's name, for the message
     * @param debianPackages what to install, e.g. {@code "python3-numpy python3-tifffile"}
     * @param modules the modules to import, e.g. {@code "numpy", "tifffile"}
     */
    public static void require(String test, String debianPackages, String... modules) {
        String problem = null;
        if (!Files.isExecutable(Path.of(PYTHON))) {
            problem = PYTHON + " is not installed";
        } else {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import " + String.join(", ", modules)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    problem = PYTHON + " cannot import " + String.join(", ", modules) + ": " + out.strip();
                }
            } catch (IOException e) {
                problem = PYTHON + " does not start: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted while starting " + PYTHON;
            }
        }
        if (problem != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, and " + test + " cannot run: " + problem + " (install: apt-get install " + debianPackages + ")");
            }
            System.err.println("SKIPPED " + test + ": " + problem + " (install with: apt-get install " + debianPackages + ")");
            Assumptions.abort(problem);
        }
    }

    /**
     * Runs Python code (written to {@code dir/name.py}) with arguments; fails the test, with the
     * output, on a non-zero exit or after two minutes.
     *
     * @return what the script printed (stdout and stderr)
     */
    public static String run(Path dir, String name, String code, String... args) throws IOException, InterruptedException {
        Path script = dir.resolve(name + ".py");
        Files.writeString(script, code);
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python " + command + " timed out:\n" + out);
        }
        if (p.exitValue() != 0) {
            fail("python " + command + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }
}
