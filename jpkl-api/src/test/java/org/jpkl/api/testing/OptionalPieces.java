package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * One rule for tests that need an optional system piece (Python with NumPy/Pillow/tifffile,
 * libturbojpeg, a browser): where the piece is missing the test is skipped with the reason and the
 * Debian packages that bring it; under CI ({@code CI=true}, where {@code .ci/run} installs them) a
 * missing piece fails the test instead, so CI can never pass by skipping.
 *
 * <p>Thread safety: stateless; safe from any thread.
 */
public final class OptionalPieces {
    /** Debian's interpreter, where {@code python3-numpy}, {@code python3-pil} and {@code python3-tifffile} install. */
    public static final String PYTHON = "/usr/bin/python3";

    private OptionalPieces() {
    }

    /** Whether this run must not skip: the environment variable {@code CI} is {@code true}. */
    public static boolean strict() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips the calling test, or fails it under CI, when {@code problem} is present.
     *
     * @param what what the test needs, e.g. {@code "TurboJPEG"}
     * @param problem why it cannot run here, or empty when it can
     * @param packages the Debian packages that bring the piece, e.g. {@code "libturbojpeg0"}
     */
    public static void require(String what, Optional<String> problem, String packages) {
        require(what, problem, packages, strict());
    }

    /**
     * As {@link #require(String, Optional, String)}, failing instead of skipping when {@code strict}
     * (tests of a skip rule use it to check both outcomes in one run).
     */
    public static void require(String what, Optional<String> problem, String packages, boolean strict) {
        if (problem.isEmpty()) {
            return;
        }
        String message = what + " is not available here: " + problem.get() + " (apt-get install " + packages + ")";
        if (strict) {
            fail("CI=true, so this test must run, but " + message);
        }
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    /**
     * {@link #PYTHON} when it runs and imports every module named, else skips (or fails under CI).
     *
     * @param modules Python modules to import, e.g. {@code "numpy", "tifffile"}
     * @return the interpreter's path
     */
    public static String python(String... modules) {
        require("Python with " + String.join(", ", modules), pythonProblem(modules), debianPackages(modules));
        return PYTHON;
    }

    /** Why {@link #PYTHON} cannot import {@code modules}, or empty when it can. */
    public static Optional<String> pythonProblem(String... modules) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return Optional.of(PYTHON + " is not installed");
        }
        String script = modules.length == 0 ? "pass" : "import " + String.join(", ", modules);
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of(PYTHON + " -c '" + script + "' did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                String last = out.isEmpty() ? "exit " + p.exitValue() : out.substring(out.lastIndexOf('\n') + 1);
                return Optional.of(PYTHON + " cannot " + script + ": " + last);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(PYTHON + " cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + PYTHON);
        }
    }

    /**
     * Runs a Python script file with {@link #PYTHON}; fails the test, with the script's output, on a
     * non-zero exit or after two minutes.
     *
     * @return what the script printed (stdout and stderr)
     */
    public static String run(Path script, String... args) throws IOException, InterruptedException {
        return run(120, script, args);
    }

    /** As {@link #run(Path, String...)}, failing after {@code timeoutSeconds} instead of two minutes. */
    public static String run(long timeoutSeconds, Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python " + command + " timed out:\n" + out);
        }
        if (p.exitValue() != 0) {
            fail("python " + command + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }

    /** As {@link #run(Path, String...)}, for {@code code} written to {@code dir/NAME.py} first. */
    public static String runCode(Path dir, String name, String code, String... args) throws IOException, InterruptedException {
        Path script = dir.resolve(name + ".py");
        Files.writeString(script, code);
        return run(script, args);
    }

    private static String debianPackages(String... modules) {
        StringBuilder packages = new StringBuilder();
        for (String m : modules) {
            String pkg = m.equals("PIL") ? "python3-pil" : "python3-" + m.toLowerCase(java.util.Locale.ROOT);
            packages.append(packages.length() == 0 ? "" : " ").append(pkg);
        }
        return packages.length() == 0 ? "python3" : packages.toString();
    }
}
