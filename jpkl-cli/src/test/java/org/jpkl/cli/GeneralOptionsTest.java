package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.jpkl.cli.testing.PluginOnlyCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, exit codes, --verbose, --quiet and plugin loading. */
class GeneralOptionsTest {
    private static final List<String> COMMANDS = List.of("codecs", "encode", "info", "get", "convert", "pyramid", "compare", "verify");

    @TempDir
    Path dir;

    /** A jar holding only a services entry for {@link PluginOnlyCodec} (whose class the parent loader has). */
    static Path pluginJar(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path jar = folder.resolve("test-plugin.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/org.jpkl.api.spi.SliceCodec"));
            out.write((PluginOnlyCodec.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String c : COMMANDS) {
            Cli.Result r = ok(Cli.run(c, "--help"));
            assertTrue(r.outText().startsWith("Usage: jpkl " + c), c + ":\n" + r);
            assertTrue(r.outText().contains("Examples:") && r.outText().contains("  jpkl " + c + " "), c + ":\n" + r);
        }
        Cli.Result top = ok(Cli.run("--help"));
        for (String c : COMMANDS) {
            assertTrue(top.outText().contains("\n  " + c + " "), top.outText());
        }
    }

    @Test
    void version() {
        Cli.Result r = ok(Cli.run("--version"));
        assertTrue(r.outText().startsWith("jpkl "), r.outText());
        assertTrue(r.outText().contains("Java " + System.getProperty("java.version")), r.outText());
        assertEquals(r.outText(), ok(Cli.run("info", "--version")).outText());
    }

    @Test
    void withoutACommandUsageIsExit2() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("Usage: jpkl"), r.err());
        fails(Cli.run("frobnicate"), 2, "Unmatched argument", "frobnicate");
    }

    @Test
    void stackTraceOnlyWithVerbose() {
        String missing = dir.resolve("missing.jpkl").toString();
        fails(Cli.run("info", missing), 1, "jpkl info: " + missing + ": no such file or folder");
        Cli.Result verbose = Cli.run("info", missing, "--verbose");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().lines().count() > 3 && verbose.err().contains("\tat "), verbose.err());
        Cli.Result before = Cli.run("-v", "info", missing);
        assertTrue(before.err().contains("\tat "), "verbose given before the command:\n" + before.err());
        Cli.Result usage = Cli.run("info", "--bogus", "-v");
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("\tat "), usage.err());
    }

    @Test
    void quietPrintsNothingOnSuccess() {
        Path out = dir.resolve("q.jpkl");
        Cli.Result r = ok(Cli.run("encode", "sample:8,8,2", "-o", out.toString(), "--codec", "test-identity", "-q"));
        assertEquals("", r.err());
        assertTrue(Files.exists(out));
    }

    @Test
    void pluginJarsFromOptionAndEnvironment() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        Path plugins = dir.resolve("plugins");
        pluginJar(plugins);
        assertFalse(ok(Cli.run("codecs")).outText().contains(PluginOnlyCodec.ID));
        assertTrue(ok(Cli.run("codecs", "--plugins", plugins.toString())).outText().contains(PluginOnlyCodec.ID));
        assertTrue(ok(Cli.run("--plugins", plugins.toString(), "codecs")).outText().contains(PluginOnlyCodec.ID));
        Path jar = plugins.resolve("test-plugin.jar");
        Cli.Result env = ok(Cli.run(new byte[0], Map.of("JPKL_PLUGINS", dir.resolve("empty") + File.pathSeparator + jar), "codecs"));
        assertTrue(env.outText().contains(PluginOnlyCodec.ID), env.outText());

        Path out = dir.resolve("p.jpkl");
        ok(Cli.run("encode", "sample:8,8,2", "-o", out.toString(), "--codec", PluginOnlyCodec.ID, "--plugins", plugins.toString()));
        fails(Cli.run("get", out.toString(), "...", "-o", dir.resolve("p.npy").toString()), 1, "needs codec 'test-plugin'");
        ok(Cli.run(new byte[0], Map.of("JPKL_PLUGINS", plugins.toString()), "get", out.toString(), "...", "-o", dir.resolve("p.npy").toString()));
        assertTrue(Files.exists(dir.resolve("p.npy")));
    }

    @Test
    void missingPluginFoldersAreUsageErrors() {
        fails(Cli.run("codecs", "--plugins", dir.resolve("nope").toString()), 2, "--plugins", "nope", "no such folder or .jar file");
        fails(Cli.run(new byte[0], Map.of("JPKL_PLUGINS", dir.resolve("gone").toString()), "codecs"), 2, "JPKL_PLUGINS entry", "gone");
        fails(Cli.run("codecs", "--threads", "-2"), 2, "--threads -2");
    }
}
