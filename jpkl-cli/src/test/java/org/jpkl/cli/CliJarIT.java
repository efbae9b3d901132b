package org.jpkl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.cli.testing.LevelCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built runnable jar ({@code target/jpkl-cli-VERSION-all.jar}) in its own JVM, as users run it:
 * codecs from a plugin folder, exit codes and stderr of real processes, .npy on standard output,
 * the bin/jpkl launcher, and an interrupted encode that must leave nothing behind.
 */
class CliJarIT {
    @TempDir
    static Path dir;

    private static Path jar;
    private static Path plugins;

    /** The outcome of a process. */
    record Run(int code, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + (out.length > 4000 ? out.length + " bytes" : outText()) + "\n--- stderr:\n" + err;
        }
    }

    @BeforeAll
    static void locateJarAndBuildPlugins() throws IOException, URISyntaxException {
        jar = Path.of(System.getProperty("jpkl.cli.jar", "target/jpkl-cli-0.1.0-SNAPSHOT-all.jar"));
        assertTrue(Files.isRegularFile(jar), "the runnable jar is built in 'package': " + jar.toAbsolutePath());
        plugins = Files.createDirectories(dir.resolve("plugins"));
        // The test codecs as a third-party plugin: the api test-jar (IdentityCodec, RestrictedCodec) and
        // this module's test codec classes, with a services file naming two of them.
        Path apiTests = Path.of(IdentityCodec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(apiTests)) {
            Files.copy(apiTests, plugins.resolve("jpkl-api-tests.jar"));
        }
        Path testClasses = Path.of(LevelCodec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (OutputStream file = Files.newOutputStream(plugins.resolve("cli-test-codecs.jar")); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/org.jpkl.api.spi.SliceCodec"));
            out.write((IdentityCodec.class.getName() + "\n" + LevelCodec.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            List<Path> roots = new ArrayList<>(List.of(testClasses.resolve("org/jpkl/cli/testing")));
            if (Files.isDirectory(apiTests)) {
                roots.add(apiTests.resolve("org/jpkl/api/testing"));
            }
            for (Path root : roots) {
                Path base = root.getParent().getParent().getParent().getParent();
                try (Stream<Path> classes = Files.walk(root)) {
                    for (Path c : (Iterable<Path>) classes.filter(p -> p.toString().endsWith(".class"))::iterator) {
                        out.putNextEntry(new JarEntry(base.relativize(c).toString().replace('\\', '/')));
                        out.write(Files.readAllBytes(c));
                        out.closeEntry();
                    }
                }
            }
        }
    }

    private static Process start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JPKL_PLUGINS");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        return finish(start(command, Map.of("JPKL_PLUGINS", plugins.toString())));
    }

    private static Run finish(Process p) throws IOException, InterruptedException {
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void versionCodecsAndPluginsThroughTheJar() throws IOException, InterruptedException {
        Run v = java("--version");
        assertEquals(0, v.code(), v.toString());
        assertTrue(v.outText().startsWith("jpkl 0.1.0-SNAPSHOT"), v.outText());
        Run codecs = java("codecs", "--json");
        assertEquals(0, codecs.code(), codecs.toString());
        JsonObject j = JsonParser.parseString(codecs.outText()).getAsJsonObject();
        String ids = j.getAsJsonArray("codecs").toString();
        assertTrue(ids.contains("\"test-identity\"") && ids.contains("\"test-level\""), ids);
        assertTrue(j.getAsJsonArray("formats").toString().contains("\"jpkl\""), j.toString());
        assertEquals(0, j.getAsJsonArray("problems").size(), j.toString());
    }

    @Test
    void encodeInfoGetThroughTheJar() throws IOException, InterruptedException {
        NdArray a = TestFiles.ramp(DType.UINT16, 3, 20, 30);
        Path npy = TestFiles.npy(dir.resolve("a.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path file = dir.resolve("a.jpkl");
        Run e = java("encode", npy.toString(), "--axes", "z,y,x", "-o", file.toString(), "--codec", "test-level", "--param", "level=4");
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.err().contains("wrote " + file), e.err());
        Run info = java("info", file.toString(), "--json");
        assertEquals(0, info.code(), info.toString());
        JsonObject j = JsonParser.parseString(info.outText()).getAsJsonObject();
        assertEquals("[3,20,30]", j.get("shape").toString());
        assertEquals("{\"level\":\"4\"}", j.getAsJsonObject("codec").get("params").toString());
        Run get = java("get", file.toString(), "1, ::2, -5:", "-o", "-");
        assertEquals(0, get.code(), get.toString());
        NdArray back = InfoGetCommandTest.readNpy(get.out());
        assertArrayEquals(new int[] {10, 5}, back.shape());
        assertEquals(a.get("1, ::2, -5:"), back);
        Run verify = java("verify", file.toString());
        assertEquals(0, verify.code(), verify.toString());
    }

    @Test
    void exitCodesAndOneLineErrorsThroughTheJar() throws IOException, InterruptedException {
        Run missing = java("info", dir.resolve("missing.jpkl").toString());
        assertEquals(1, missing.code(), missing.toString());
        assertEquals(1, missing.err().strip().lines().count(), missing.toString());
        assertTrue(missing.err().startsWith("jpkl info: ") && missing.err().contains("no such file"), missing.err());
        Run usage = java("encode", "sample:8,8,2", "-o", dir.resolve("x.jpkl").toString(), "--codec", "no-such-codec");
        assertEquals(2, usage.code(), usage.toString());
        assertEquals(1, usage.err().strip().lines().count(), usage.toString());
        assertTrue(usage.err().contains("unknown codec") && usage.err().contains("test-identity"), usage.err());
        Run option = java("get", "--frobnicate");
        assertEquals(2, option.code(), option.toString());
    }

    @Test
    void launcherScriptRunsTheJar() throws IOException, InterruptedException {
        Path launcher = jar.toAbsolutePath().getParent().getParent().getParent().resolve("bin/jpkl");
        if (!Files.isRegularFile(launcher) || !Files.isExecutable(Path.of("/bin/bash"))) {
            return;
        }
        Run r = finish(start(List.of("/bin/bash", launcher.toString(), "--version"), Map.of()));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.outText().startsWith("jpkl "), r.toString());
    }

    @Test
    void interruptedEncodeLeavesNothingBehind() throws IOException, InterruptedException {
        Path out = Files.createDirectories(dir.resolve("interrupt")).resolve("big.jpkl");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "encode", "-", "--shape", "1000,64,64", "--dtype", "uint8", "--axes", "z,y,x", "-o", out.toString(), "--codec",
                "test-identity");
        Process p = start(command, Map.of("JPKL_PLUGINS", plugins.toString()));
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(new byte[64 * 64 * 10]);
            stdin.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partialFiles(out.getParent()).isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(partialFiles(out.getParent()).isEmpty(), "the encode should be under way, writing a temporary file");
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not stop");
        }
        assertNotEquals(0, p.exitValue());
        assertFalse(Files.exists(out), "no output under the final name");
        assertEquals(List.of(), partialFiles(out.getParent()), "temporary file removed");
    }

    private static List<Path> partialFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
        }
    }
}
