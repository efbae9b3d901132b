package org.jpkl.pickle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a pickle larger than the heap: a child JVM with {@value #CHILD_HEAP_MB} MB of heap opens
 * a {@code jpkl.pickle.heapTestMegabytes} MB pickle (default 64; run with 1024 for the 1 GB figure)
 * and reads a plane, which it can only do if slices stay in the file. The peak heap of that child,
 * and of one running Pyrolite's stock unpickler on the same file, are printed.
 */
class PickleHeapTest {
    static final int CHILD_HEAP_MB = 32;

    @TempDir
    Path dir;

    @Test
    void aPickleLargerThanTheHeapOpensAndReads() throws Exception {
        int megabytes = Integer.getInteger("jpkl.pickle.heapTestMegabytes", 64);
        Path file = dir.resolve("big.pkl");
        long slices = writeBigPickle(file, megabytes * (1L << 20));
        System.out.println("wrote a " + Files.size(file) / (1 << 20) + " MB pickle of " + slices + " 512x512 JPEG slices");

        String ours = child("jpkl", file);
        System.out.println("jpkl-pickle, -Xmx" + CHILD_HEAP_MB + "m: " + ours);
        assertTrue(ours.startsWith("exit 0"), ours);
        String pyrolite = child("pyrolite", file);
        System.out.println("Pyrolite's stock Unpickler, -Xmx" + CHILD_HEAP_MB + "m: " + pyrolite);
    }

    /** Writes {@code bytes} of pickle: the same noisy 512x512 JPEG as every slice. Returns the slice count. */
    private static long writeBigPickle(Path file, long bytes) throws IOException {
        SliceCodec jpeg = SliceCodecs.load().require("jpeg");
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 512, 512, ChannelLayout.GREY);
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        new Random(1).nextBytes(plane.bytes());
        byte[] encoded;
        try (var encoder = jpeg.newEncoder(jpeg.params(Map.of("quality", "95")), spec)) {
            encoded = encoder.encode(plane);
        }
        int count = (int) Math.max(2, bytes / encoded.length);
        ContainerHeader header = new ContainerHeader(new int[] {512, 512, count}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
                "jpeg", Map.of("quality", "95"), Map.of());
        try (ContainerWriter writer = new PickleSerializer().openWriter(file, header)) {
            for (int n = 0; n < count; n++) {
                writer.writeSlice(n, ByteBuffer.wrap(encoded));
            }
            writer.commit();
        }
        return count;
    }

    private static String child(String mode, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ChildJvm.command(List.of("-Xmx" + CHILD_HEAP_MB + "m", "-XX:+UseSerialGC"), OpenPickleProbe.class,
                mode, file.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child finished");
        String last = out.lines().filter(l -> l.startsWith("peakHeapBytes=") || l.contains("OutOfMemoryError"))
                .findFirst().orElse(out.length() > 400 ? out.substring(0, 400) : out);
        return "exit " + p.exitValue() + ": " + last;
    }
}
