package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-alone entry point's arguments and exit statuses. */
class ViewerMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ViewerMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    @Test
    void servesTheFilesAndPrintsTheUrl() throws IOException {
        Path file = TestStacks.float32ZYX(Jpkl.create(), dir);
        assertEquals(0, run(file.toString(), "--port", "0", "--allow-host", "viewer.example", "--allow-host", "tunnel.example:9000"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("(?s)Serving 1 file at http://127\\.0\\.0\\.1:\\d+/\\R.*"), printed);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() throws IOException {
        Path file = TestStacks.float32ZYX(Jpkl.create(), dir);
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give at least one jpkl file"));
        assertEquals(2, run(file.toString(), "--port", "http"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port (http) must be an integer in [0, 65535]"));
        assertEquals(2, run(file.toString(), "--port"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port needs a value"));
        assertEquals(2, run(file.toString(), "--verbose"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --verbose"));
        assertEquals(2, run(dir.resolve("missing.jpkl").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing.jpkl does not exist"));
        assertEquals(2, run(file.toString(), "--allow-host", "evil/x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("allowed host (evil/x) must be a host name"));
        assertEquals(2, run(file.toString(), "--allow-host"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--allow-host needs a value"));
        assertEquals(2, run(file.toString(), "--bind", "no.such.host.invalid"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("bind address (no.such.host.invalid)"));
    }

    @Test
    void aFileThatIsNotAContainerExitsWithOne() throws IOException {
        Path bogus = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertEquals(1, run(bogus.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("notes.txt"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: ViewerMain FILE..."));
    }
}
