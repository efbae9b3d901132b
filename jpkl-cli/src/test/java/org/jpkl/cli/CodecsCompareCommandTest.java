package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.cli.testing.UnavailableCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl codecs} and {@code jpkl compare} through the real command line. */
class CodecsCompareCommandTest {
    @TempDir
    Path dir;

    private static JsonObject codec(JsonArray codecs, String id) {
        for (JsonElement e : codecs) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("codec " + id + " not listed in " + codecs);
    }

    @Test
    void codecsListsParametersAndAvailability() {
        String out = ok(Cli.run("codecs")).outText();
        assertTrue(out.contains("test-level") && out.contains("--param level=5  (integer in [0, 9]) effort"), out);
        assertTrue(out.contains("test-uint8") && out.contains("dtypes uint8; channels grey, rgb"), out);
        assertTrue(out.contains("test-unavailable") && out.contains("NOT AVAILABLE here: " + UnavailableCodec.REASON), out);
        assertTrue(out.contains("Serializers (") && out.contains("jpkl") && out.contains(".jpkl"), out);
        assertTrue(out.indexOf("test-identity") < out.indexOf("test-level"), "sorted by id");
    }

    @Test
    void codecsJson() {
        JsonObject j = JsonParser.parseString(ok(Cli.run("codecs", "--json")).outText()).getAsJsonObject();
        assertEquals(1, j.get("version").getAsInt());
        JsonObject level = codec(j.getAsJsonArray("codecs"), "test-level");
        assertTrue(level.get("lossless").getAsBoolean());
        assertEquals(6, level.getAsJsonArray("dtypes").size());
        assertEquals("[\"grey\",\"rgb\"]", level.getAsJsonArray("channels").toString());
        JsonObject param = level.getAsJsonArray("params").get(0).getAsJsonObject();
        assertEquals("level", param.get("name").getAsString());
        assertEquals("5", param.get("default").getAsString());
        assertEquals("integer in [0, 9]", param.get("allowed").getAsString());
        assertEquals("{\"kind\":\"integer\",\"min\":0,\"max\":9}", param.get("type").toString());
        assertTrue(param.get("changesBytes").getAsBoolean());
        assertTrue(level.get("available").getAsBoolean());
        assertTrue(level.get("unavailableReason").isJsonNull());
        JsonObject gone = codec(j.getAsJsonArray("codecs"), "test-unavailable");
        assertFalse(gone.get("available").getAsBoolean());
        assertEquals(UnavailableCodec.REASON, gone.get("unavailableReason").getAsString());
        JsonObject serializer = j.getAsJsonArray("serializers").get(0).getAsJsonObject();
        assertEquals("jpkl", serializer.get("id").getAsString());
        assertEquals(j.get("serializers"), j.get("formats"), "the version 1 key stays beside the new one");
        assertEquals(0, j.getAsJsonArray("problems").size());
    }

    @Test
    void compareOnANpyFile() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 12, 20, 24);
        Path npy = TestFiles.npy(dir.resolve("a.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Cli.Result r = ok(Cli.run("compare", npy.toString(), "--axes", "z,y,x", "--codec", "test-level:level=2", "--codec", "test-identity",
                "--codec", "test-uint8", "--slices", "4", "--repeats", "1", "--warmups", "0", "--slice-reads", "2"));
        String table = r.outText();
        assertTrue(table.contains("input: uint16 (4, 20, 24)"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("test-level") && l.contains("level=2") && l.matches(".*yes +yes.*")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("test-identity") && l.contains("defaults")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("test-uint8") && l.contains("skipped: cannot encode uint16")), table);
        assertTrue(r.err().contains("comparing 3 codec(s) on 4 of 12 planes"), r.err());

        JsonObject j = JsonParser.parseString(ok(Cli.run("compare", npy.toString(), "--axes", "z,y,x", "--codec", "test-identity",
                "--slices", "0", "--repeats", "1", "--warmups", "0", "--slice-reads", "0", "--json")).outText()).getAsJsonObject();
        assertEquals("[12,20,24]", j.getAsJsonObject("input").get("shape").toString());
        JsonObject row = j.getAsJsonArray("rows").get(0).getAsJsonObject();
        assertEquals("measured", row.get("status").getAsString());
        assertTrue(row.get("exact").getAsBoolean());
    }

    @Test
    void compareOnAContainerAndErrors() throws IOException {
        Path file = dir.resolve("s.jpkl");
        Jpkl.create().save(TestFiles.ramp(DType.UINT8, 16, 16, 5), file, WriteOptions.builder().codec("test-level").build());
        Cli.Result r = ok(Cli.run("compare", file.toString(), "--codec", "test-level:level=9", "--repeats", "1", "--warmups", "0",
                "--slice-reads", "1", "--slices", "3"));
        assertTrue(r.outText().contains("input: uint8 (3, 16, 16)"), r.outText());
        assertTrue(r.err().contains("3 of 5 planes") && r.err().contains("codec test-level {level=5}"), r.err());
        fails(Cli.run("compare", file.toString(), "--codec", "nope"), 2, "codec spec 'nope'", "No SliceCodec with id 'nope'");
        fails(Cli.run("compare", file.toString(), "--codec", "test-level:level=10"), 2, "level (10)");
        fails(Cli.run("compare", file.toString(), "--codec", "test-level:level"), 2, "not KEY=VALUE");
        fails(Cli.run("compare", file.toString(), "--slices", "-1"), 2, "--slices -1");
        fails(Cli.run("compare", dir.resolve("none.npy").toString()), 1, "none.npy: no such file");
    }
}
