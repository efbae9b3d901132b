package org.jpkl.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python baselines ({@code jpkl_peer.py}: the JPkl peer with Pillow and NumPy, and Pillow's
 * JPEG decode) as a subprocess, one command at a time while the JVM is idle, so that both sides
 * have the machine to themselves. Available only when the interpreter imports NumPy and Pillow.
 *
 * <p>Thread safety: not thread-safe.
 */
final class PythonPeer {
    private static final String SCRIPT = "jpkl_peer.py";
    private static final Gson GSON = new Gson();

    private final String python;
    private final Path script;
    private final JsonObject versions;
    private final String unavailableReason;

    private PythonPeer(String python, Path script, JsonObject versions, String unavailableReason) {
        this.python = python;
        this.script = script;
        this.versions = versions;
        this.unavailableReason = unavailableReason;
    }

    /**
     * Finds the interpreter and checks that it imports NumPy and Pillow.
     *
     * @param python the interpreter to use, or null for {@code /usr/bin/python3} when it exists
     *     (Debian's, where python3-numpy and python3-pil install), else {@code python3} on the PATH
     * @param workDir where the script is unpacked
     */
    static PythonPeer probe(String python, Path workDir) throws IOException {
        String exe = python != null ? python : Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path script = workDir.resolve(SCRIPT);
        try (InputStream in = PythonPeer.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT + " is missing from the jpkl-bench jar");
            }
            Files.copy(in, script);
        }
        PythonPeer unprobed = new PythonPeer(exe, script, null, null);
        try {
            return new PythonPeer(exe, script, unprobed.run("versions", null), null);
        } catch (IOException e) {
            return new PythonPeer(exe, script, null, exe + " cannot run the peer (needs python3-numpy and python3-pil): "
                    + e.getMessage());
        }
    }

    /** A peer that never runs (--no-python): every Python baseline prints n/a. */
    static PythonPeer disabled() {
        return new PythonPeer("none", null, null, "disabled with --no-python");
    }

    boolean available() {
        return unavailableReason == null;
    }

    /** Why the Python baselines are n/a; empty when available. */
    Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    /** Interpreter, Pillow, NumPy and libjpeg-turbo versions (empty when unavailable). */
    JsonObject versions() {
        return versions == null ? new JsonObject() : versions;
    }

    String interpreter() {
        return python;
    }

    /** Runs {@code jpkl_peer.py COMMAND SPEC} and returns its JSON answer. */
    JsonObject run(String command, Map<String, Object> spec) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), command));
        Path specFile = null;
        if (spec != null) {
            specFile = Files.createTempFile(script.getParent(), command, ".json");
            Files.writeString(specFile, GSON.toJson(spec));
            cmd.add(specFile.toString());
        }
        Path out = Files.createTempFile(script.getParent(), command, ".out");
        Path err = Files.createTempFile(script.getParent(), command, ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within 20 minutes");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                String stderr = Files.readString(err, StandardCharsets.UTF_8).trim();
                String[] lines = stderr.split("\n");
                throw new IOException("exit " + p.exitValue() + ": " + (lines.length == 0 ? "" : lines[lines.length - 1]));
            }
            String[] lines = stdout.split("\n");
            return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd, e);
        } catch (RuntimeException e) {
            throw new IOException("unexpected answer from " + cmd + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (specFile != null) {
                Files.deleteIfExists(specFile);
            }
        }
    }
}
