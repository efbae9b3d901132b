package org.jpkl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19.5: an OutOfMemoryError (which picocli does not hand to the exception handler) is reported
 * under the command's name, on one line, without advising more memory for a hostile file.
 */
class OutOfMemoryMessageTest {
    @Test
    void outOfMemoryKeepsTheCommandNameAndDoesNotSimplyAdviseMoreMemory() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream exhausted = new OutputStream() {
            private boolean thrown;

            @Override
            public void write(int b) {
                if (!thrown) {
                    thrown = true;
                    throw new OutOfMemoryError("Java heap space");
                }
            }
        };
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(new CliIo(new PrintStream(exhausted, true, StandardCharsets.UTF_8), errStream,
                new ByteArrayInputStream(new byte[0]), Map.of(), false), "codecs");
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, code, line);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("jpkl codecs: out of memory (Java heap of at most "), line);
        assertTrue(line.contains("MiB). A damaged or crafted input can ask for far more memory than its size justifies: do not"
                + " raise the heap for a file from an untrusted source (report it); for a genuine large array, give Java more"), line);
    }
}
