package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jpkl.api.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming memory proof: a forked JVM with a 256 MiB heap writes a generated 2 GiB (raw)
 * uint16 stack through {@code Jpkl.newWriter}, eight times its heap, then reads it back and checks
 * seven planes exactly. If the writer or reader held the stack (or any growing fraction of it),
 * the child would die with an OutOfMemoryError and a non-zero exit code.
 */
class StreamingMemoryProofTest {
    private static final String HEAP = "256m";
    private static final long HEAP_BYTES = 256L << 20;
    /** 1024 x 1024 uint16 planes: 2 MiB each, 2 GiB in all. */
    private static final int PLANES = 1000;

    @TempDir
    Path dir;

    @Test
    void streamsAStackEightTimesTheHeapThroughASmallHeapJvm() throws Exception {
        Path target = dir.resolve("streamed.jpkl");
        List<String> command = ChildJvm.command(List.of("-Xmx" + HEAP), StreamingProofMain.class, target.toString(), Integer.toString(PLANES));
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
        System.out.println("streaming proof child (-Xmx" + HEAP + "):\n  " + String.join("\n  ", out));
        assertTrue(finished, "the child JVM did not finish within 10 minutes");
        assertEquals(0, child.exitValue(), "child exit code; output:\n" + String.join("\n", out));

        long raw = value(out, "RAW_BYTES");
        long maxHeap = value(out, "MAX_HEAP");
        assertEquals(2L * 1024 * 1024 * PLANES, raw);
        assertTrue(maxHeap <= HEAP_BYTES, "child max heap " + maxHeap);
        assertTrue(raw >= 4 * maxHeap, "the stack (" + raw + " bytes) must be several times the heap (" + maxHeap + ")");
        List<String> spots = out.stream().filter(l -> l.startsWith("SPOTCHECK ")).collect(Collectors.toList());
        assertEquals(7, spots.size(), "spot checks: " + spots);
        assertTrue(spots.stream().allMatch(l -> l.endsWith(" OK")), "spot checks: " + spots);
        assertTrue(out.contains("RESULT ok"));
        assertFalse(Files.exists(target), "the child deletes the stack file");
    }

    private static long value(List<String> lines, String key) throws IOException {
        for (String l : lines) {
            if (l.startsWith(key + " ")) {
                return Long.parseLong(l.substring(key.length() + 1).trim());
            }
        }
        throw new IOException("child printed no " + key + " line");
    }
}
