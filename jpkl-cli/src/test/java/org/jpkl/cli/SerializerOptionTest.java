package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --serializer ID} on encode, convert and compare, and its older spelling {@code --format ID},
 * which stays for scripts but is no longer shown in the help.
 */
class SerializerOptionTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    @Test
    void helpShowsSerializerAndHidesTheOlderSpelling() {
        for (String command : new String[] {"encode", "convert", "compare"}) {
            String help = ok(Cli.run(command, "--help")).outText();
            assertTrue(help.contains("--serializer=ID"), command + ":\n" + help);
            assertFalse(help.contains("--format"), command + ":\n" + help);
        }
    }

    @Test
    void encodeGivesTheSameContainerWithEitherSpelling() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 3, 8, 10);
        Path npy = TestFiles.npy(dir.resolve("in.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path viaSerializer = dir.resolve("new.dat");
        Path viaFormat = dir.resolve("old.dat");
        Cli.Result n = ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", viaSerializer.toString(), "--serializer", "zip"));
        Cli.Result o = ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", viaFormat.toString(), "--format", "zip"));
        assertArrayEquals(n.out(), o.out());
        assertSameContainer(viaSerializer, viaFormat, "zip", a);
    }

    @Test
    void convertGivesTheSameContainerWithEitherSpelling() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 2, 6, 7);
        Path source = dir.resolve("s.jpkl");
        jpkl.save(a, source, org.jpkl.WriteOptions.defaults());
        Path viaSerializer = dir.resolve("new.dat");
        Path viaFormat = dir.resolve("old.dat");
        ok(Cli.run("convert", source.toString(), viaSerializer.toString(), "--serializer", "jpkl-pickle"));
        ok(Cli.run("convert", source.toString(), viaFormat.toString(), "--format", "jpkl-pickle"));
        assertArrayEquals(Files.readAllBytes(viaSerializer), Files.readAllBytes(viaFormat));
        try (JpklArray back = jpkl.open(viaFormat)) {
            assertEquals("jpkl-pickle", back.serializerId());
        }
    }

    @Test
    void compareUsesTheSerializerGivenWithEitherSpelling() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 4, 8, 8);
        Path npy = TestFiles.npy(dir.resolve("in.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        for (String option : new String[] {"--serializer", "--format"}) {
            Cli.Result r = ok(Cli.run("compare", npy.toString(), "--axes", "z,y,x", "--codec", "deflate", "--slices", "2",
                    "--repeats", "1", "--warmups", "0", "--slice-reads", "1", "--json", option, "zip"));
            JsonObject report = JsonParser.parseString(r.outText()).getAsJsonObject();
            assertTrue(report.toString().contains("\"zip\""), option + ": " + report);
        }
    }

    @Test
    void badUsageNamesTheSpellingGiven() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 4, 4);
        Path npy = TestFiles.npy(dir.resolve("in.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        String out = dir.resolve("o.dat").toString();
        fails(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out, "--serializer", "tarball"), 2,
                "jpkl encode: --serializer tarball: unknown serializer; available: [jpkl, jpkl-pickle, zip]");
        fails(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out, "--format", "tarball"), 2,
                "jpkl encode: --format tarball: unknown serializer; available: [jpkl, jpkl-pickle, zip]");
        fails(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out, "--serializer", "zip", "--format", "jpkl"), 2,
                "jpkl encode: --serializer zip and --format jpkl: --format is the older name of --serializer; give one of them");
        fails(Cli.run("compare", npy.toString(), "--axes", "z,y,x", "--format", "tarball"), 2,
                "jpkl compare: --format tarball: unknown serializer");
        assertFalse(Files.exists(Path.of(out)));
    }

    private void assertSameContainer(Path a, Path b, String serializer, NdArray data) throws IOException {
        JsonObject infoA = JsonParser.parseString(ok(Cli.run("info", a.toString(), "--json")).outText()).getAsJsonObject();
        JsonObject infoB = JsonParser.parseString(ok(Cli.run("info", b.toString(), "--json")).outText()).getAsJsonObject();
        assertEquals(serializer, infoA.get("serializer").getAsString());
        assertEquals(serializer, infoA.get("format").getAsString());
        infoA.remove("file");
        infoB.remove("file");
        assertEquals(infoA, infoB);
        try (JpklArray x = jpkl.open(a); JpklArray y = jpkl.open(b)) {
            assertEquals(data, x.get("..."));
            assertEquals(data, y.get("..."));
        }
    }
}
