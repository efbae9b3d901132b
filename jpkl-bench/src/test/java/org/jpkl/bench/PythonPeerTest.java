package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python baselines' script on tiny inputs; skipped where python3 with NumPy and Pillow is missing. */
class PythonPeerTest {
    @TempDir
    Path dir;

    private PythonPeer peer() throws IOException {
        PythonPeer peer = PythonPeer.probe(null, dir);
        assumeTrue(peer.available(), () -> "Python baselines unavailable: " + peer.unavailableReason().orElse(""));
        return peer;
    }

    @Test
    void peerTimesEachOperationAsOftenAsAsked() throws IOException {
        PythonPeer peer = peer();
        assertTrue(peer.versions().get("pillow").getAsString().length() > 0);
        int[] shape = {16, 16, 2, 3};
        Path raw = dir.resolve("stack.u8");
        Files.write(raw, SyntheticPlanes.jpklStack(1, 6.0, 16, 16, 6));
        Path pickle = dir.resolve("peer.pkl");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("raw", raw.toString());
        spec.put("shape", shape);
        spec.put("quality", 90);
        spec.put("pickle", pickle.toString());
        spec.put("encode_reps", 2);
        spec.put("decode_reps", 3);
        spec.put("single_keys", List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {1, 0}, new int[] {0, 0}));
        spec.put("multi_keys", List.of(new int[] {0}, new int[] {1}));
        JsonObject o = peer.run("peer", spec);
        assertEquals(2, o.getAsJsonArray("encode_s").size());
        assertEquals(4, o.getAsJsonArray("single_s").size());
        assertEquals(2, o.getAsJsonArray("multi_s").size());
        assertEquals(3, o.getAsJsonArray("full_decode_s").size());
        assertTrue(positive(o.getAsJsonArray("full_decode_s")));
        assertTrue(o.get("file_bytes").getAsLong() > 6 * 100, "6 JPEGs in the pickle");
        assertFalse(Files.exists(pickle), "the peer removes its pickle");
    }

    @Test
    void peerAlsoTimesThePythonJpklReaderOnTheSameSlices() throws IOException {
        PythonPeer peer = peer();
        int[] shape = {16, 16, 2, 3};
        byte[] stack = SyntheticPlanes.jpklStack(1, 6.0, 16, 16, 6);
        Path raw = Files.write(dir.resolve("stack.u8"), stack);
        Path file = dir.resolve("stack.jpkl");
        Jpkl.create().save(NdArray.wrapUint8(stack, shape), file, WriteOptions.builder().codec("jpeg").build());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("raw", raw.toString());
        spec.put("shape", shape);
        spec.put("quality", 90);
        spec.put("pickle", dir.resolve("peer.pkl").toString());
        spec.put("encode_reps", 1);
        spec.put("decode_reps", 1);
        spec.put("single_keys", List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {1, 0}));
        spec.put("multi_keys", List.of(new int[] {0}));
        spec.put("jpkl_python", Path.of("..", "python").toAbsolutePath().normalize().toString());
        spec.put("jpkl_file", file.toString());
        JsonObject o = peer.run("peer", spec);
        assertFalse(o.has("jpkl_error"), o.toString());
        assertEquals(3, o.getAsJsonArray("jpkl_single_s").size());
        assertTrue(positive(o.getAsJsonArray("jpkl_single_s")));

        Files.write(file, new byte[] {1, 2, 3});
        o = peer.run("peer", spec);
        assertEquals(3, o.getAsJsonArray("single_s").size(), "the peer's own figures stand");
        assertEquals("JpklError: " + file + ": preamble: file is 3 bytes, too short to be a jpkl file (at least 52)",
                o.get("jpkl_error").getAsString());
    }

    @Test
    void pillowDecodesTheJpegBytesItIsGiven() throws IOException {
        PythonPeer peer = peer();
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 32, 32, ChannelLayout.GREY);
        SliceCodec jpeg = Jpkl.create().codecs().require("jpeg");
        byte[] a;
        byte[] b;
        try (SliceEncoder e = jpeg.newEncoder(jpeg.params(Map.of()), spec)) {
            a = e.encode(PlaneBuffer.wrap(spec, SyntheticPlanes.plane(1, 6.0, 32, 32, 0), 0));
            b = e.encode(PlaneBuffer.wrap(spec, SyntheticPlanes.plane(1, 6.0, 32, 32, 1), 0));
        }
        Path data = dir.resolve("jpegs.bin");
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Files.write(data, both);
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("offsets", new long[] {0, a.length});
        set.put("lengths", new int[] {a.length, b.length});
        set.put("raw_bytes_each", spec.byteSize());
        Map<String, Object> spec2 = new LinkedHashMap<>();
        spec2.put("data", data.toString());
        spec2.put("sets", Map.of("grey", set));
        spec2.put("reps", 2);
        spec2.put("warmup_reps", 1);
        spec2.put("min_seconds", 0.01);
        JsonObject grey = peer.run("jpeg", spec2).getAsJsonObject("grey");
        assertEquals(2, grey.getAsJsonArray("to_array_mb_s").size());
        assertTrue(positive(grey.getAsJsonArray("to_array_mb_s")));
        assertTrue(positive(grey.getAsJsonArray("load_only_mb_s")));

        Files.write(data, new byte[] {1, 2, 3});
        set.put("offsets", new long[] {0});
        set.put("lengths", new int[] {3});
        IOException e = assertThrows(IOException.class, () -> peer.run("jpeg", spec2));
        assertTrue(e.getMessage().startsWith("exit 1: "), e.getMessage());
    }

    private static boolean positive(JsonArray a) {
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i).getAsDouble() > 0)) {
                return false;
            }
        }
        return true;
    }
}
