package org.jpkl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar in its own JVM where the process matters: standard output redirected to
 * {@code /dev/full}, and SIGTERM in the middle of {@code compare} and {@code encode}.
 */
class ProcessOutputIT {
    @TempDir
    Path dir;

    private static Path jar;

    @BeforeAll
    static void locateJar() {
        jar = Path.of(System.getProperty("jpkl.cli.jar", "target/jpkl-cli-0.1.0-SNAPSHOT-all.jar"));
        assertTrue(Files.isRegularFile(jar), "the runnable jar is built in 'package': " + jar.toAbsolutePath());
    }

    private ProcessBuilder jpkl(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir, "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JPKL_PLUGINS");
        return pb;
    }

    private static String finish(Process p) throws IOException, InterruptedException {
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
        return err;
    }

    @Test
    void standardOutputOnDevFullFailsEveryCommand() throws IOException, InterruptedException {
        File devFull = new File("/dev/full");
        if (!devFull.exists()) {
            return;
        }
        Path file = dir.resolve("a.jpkl");
        Process e = jpkl("encode", "sample:32,32,4", "-o", file.toString(), "--codec", "deflate", "-q").start();
        assertEquals("", finish(e));
        assertEquals(0, e.exitValue());
        List<List<String>> commands = List.of(List.of("info", file.toString(), "--json"), List.of("verify", file.toString()),
                List.of("codecs"), List.of("get", file.toString(), "...", "-o", "-"));
        for (List<String> command : commands) {
            Process p = jpkl(command.toArray(new String[0])).redirectOutput(devFull).start();
            String err = finish(p);
            assertEquals(1, p.exitValue(), command + ": " + err);
            assertEquals("jpkl " + command.get(0) + ": standard output: No space left on device", err.strip(), command.toString());
        }
    }

    @Test
    void sigtermDuringCompareRemovesItsWorkFolder() throws IOException, InterruptedException {
        // Process.destroy() closes the pipes: stderr goes to a file.
        Path errFile = dir.resolve("compare.err");
        Process p = jpkl("compare", "sample:256,256,64", "--all", "--repeats", "50").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile()).start();
        Path work = waitFor(p, f -> f.getFileName().toString().startsWith("jpkl-compare") && nonEmpty(f));
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not stop");
        String err = Files.readString(errFile);
        assertEquals(143, p.exitValue(), err);
        assertFalse(Files.exists(work), "work folder left behind: " + work);
        assertFalse(err.contains("internal error"), err);
    }

    @Test
    void sigtermDuringEncodeExitsQuietly() throws IOException, InterruptedException {
        Path out = dir.resolve("big.jpkl");
        Path errFile = dir.resolve("encode.err");
        // Raw planes through a named pipe this test holds open, of which only a third arrive: the encode is certainly
        // still running when the signal comes, however fast the machine. (Not standard input: Process.destroy()
        // closes it right after the signal, and the end of the data could then win the race against the signal.)
        Path fifo = dir.resolve("planes.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertEquals(0, mkfifo.waitFor(), new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Process p = jpkl("encode", fifo.toString(), "--shape", "300,64,64", "--dtype", "uint8", "-o", out.toString(),
                "--codec", "png").redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errFile.toFile()).start();
        try (OutputStream planes = Files.newOutputStream(fifo)) { // opens once the encode opens its end
            byte[] plane = new byte[64 * 64];
            for (int k = 0; k < 100; k++) {
                Arrays.fill(plane, (byte) k);
                planes.write(plane);
            }
            planes.flush();
            waitFor(p, f -> f.getFileName().toString().endsWith(".partial"));
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not stop");
        } catch (IOException e) {
            // Only the broken pipe of a writer whose reader has gone is expected here.
            assertTrue(!p.isAlive(), "writing the planes failed while the encode still ran: " + e);
        }
        String err = Files.readString(errFile);
        assertEquals(143, p.exitValue(), err);
        assertEquals("", err.strip(), "an interrupted encode says nothing more");
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".partial")).toList(),
                    "temporary file left behind");
        }
    }

    private static boolean nonEmpty(Path folder) {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            return false;
        }
    }

    private Path waitFor(Process p, Predicate<Path> wanted) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> found = s.filter(wanted).toList();
                if (!found.isEmpty()) {
                    return found.get(0);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the command should be under way; alive " + p.isAlive());
    }
}
