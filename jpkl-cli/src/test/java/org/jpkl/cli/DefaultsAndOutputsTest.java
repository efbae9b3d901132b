package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults a new user meets and the outputs' names (issue 13, points 3 and 4): the codec by
 * dtype, loud lossy codecs, {@code window=global} from the command line, and outputs that are what
 * their extension says (TIFF) or refused before anything is written.
 */
class DefaultsAndOutputsTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String lossless() {
        return jpkl.defaultLosslessCodec(DType.UINT16, ChannelLayout.GREY).id();
    }

    @Test
    void withoutCodecUint8IsJpegAndOtherDtypesAreLossless() throws IOException {
        for (DType dtype : List.of(DType.UINT16, DType.INT16, DType.INT32, DType.FLOAT32, DType.FLOAT64)) {
            NdArray a = TestFiles.ramp(dtype, 3, 20, 30);
            Path npy = TestFiles.npy(dir.resolve(dtype + ".npy"), a, false, ByteOrder.LITTLE_ENDIAN);
            Path out = dir.resolve(dtype + ".jpkl");
            Cli.Result r = ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString()));
            assertTrue(r.err().contains("codec " + lossless() + " "), r.err());
            assertTrue(r.err().contains(" (lossless), serializer jpkl"), r.err());
            assertFalse(r.err().contains("LOSSY"), r.err());
            try (JpklArray back = jpkl.open(out)) {
                assertEquals(lossless(), back.codecId(), dtype.toString());
                assertEquals(a, back.get("..."), dtype + " stored exactly by default");
            }
        }
        NdArray bytes = TestFiles.ramp(DType.UINT8, 3, 16, 16);
        Path npy = TestFiles.npy(dir.resolve("u1.npy"), bytes, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("u1.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString()));
        assertTrue(r.err().contains("codec jpeg {") && r.err().contains("(LOSSY)"), r.err());
        assertFalse(r.err().contains("warning"), "uint8 JPEG is the JPkl default, no warning: " + r.err());
        try (JpklArray back = jpkl.open(out)) {
            assertEquals("jpeg", back.codecId());
        }
        String info = ok(Cli.run("info", out.toString())).outText();
        assertTrue(info.contains("(LOSSY"), info);
    }

    @Test
    void aLossyCodecOnNon8BitDataIsWarnedAboutLoudly() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 16, 16);
        Path npy = TestFiles.npy(dir.resolve("u2.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("u2.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "jpeg"));
        assertTrue(r.err().startsWith("warning: codec jpeg is LOSSY: the uint16 values read back will differ from the input"
                + " ('jpkl compare' measures by how much on your data); for exact storage name a lossless codec, e.g. --codec "
                + lossless() + "\n"), r.err());
        assertTrue(r.err().contains("(LOSSY)"), r.err());
        String info = ok(Cli.run("info", out.toString())).outText();
        assertTrue(info.contains("(LOSSY: values read back differ from the original)"), info);
    }

    @Test
    void globalWindowFromTheCommandLineTakesAFirstPass() throws IOException {
        NdArray a = NdArray.generate(DType.UINT16, new int[] {3, 16, 16}, i -> 1000 + (i * 37) % 3000 + (i / 256) * 20000);
        Path npy = TestFiles.npy(dir.resolve("w.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("w.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "jpeg", "--param", "window=global"));
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < a.size(); i++) {
            min = Math.min(min, a.getDoubleFlat(i));
            max = Math.max(max, a.getDoubleFlat(i));
        }
        try (JpklArray back = jpkl.open(out)) {
            assertEquals((long) min + ":" + (long) max, back.codecParams().get("window"));
        }
        Path lossless = dir.resolve("w-lossless.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", lossless.toString()));
        Path converted = dir.resolve("w-converted.jpkl");
        Cli.Result c = ok(Cli.run("convert", lossless.toString(), converted.toString(), "--codec", "jpeg", "--param", "window=global"));
        assertTrue(c.err().startsWith("warning: codec jpeg is LOSSY: the uint16 values read back will differ from the source's"), c.err());
        assertTrue(c.err().contains("re-encoded, codec jpeg {") && c.err().contains("(LOSSY), serializer jpkl"), c.err());
        try (JpklArray back = jpkl.open(converted)) {
            assertEquals((long) min + ":" + (long) max, back.codecParams().get("window"), "convert binds from a first pass too");
        }
        byte[] stdin = Files.readAllBytes(npy);
        fails(Cli.run(stdin, Map.of(), "encode", "-", "--axes", "z,y,x", "-o", dir.resolve("s.jpkl").toString(), "--codec", "jpeg",
                "--param", "window=global"), 2, "needs the whole input's min and max before the first slice is encoded",
                "standard input cannot be read twice", "save the input to a file", "--param window=LO:HI", "window=slice");
        assertFalse(Files.exists(dir.resolve("s.jpkl")));
    }

    @Test
    void outputsThatWouldLieAreRefusedBeforeAnythingIsWritten() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 8, 8);
        Path npy = TestFiles.npy(dir.resolve("in.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path stack = dir.resolve("stack.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", stack.toString()));
        List<String> before = files();
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("x.npy").toString()), 2, "-o ", "x.npy: .npy is not a container or"
                + " TIFF extension; this command writes containers (", "or a multi-page TIFF (.tif, .tiff); 'jpkl get FILE ... -o x.npy'");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("x.png").toString()), 2, ".png is not a container or TIFF extension");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("x.dat").toString()), 2, ".dat is not a container or TIFF extension",
                "give --serializer ID");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("x.tif").toString(), "--serializer", "zip"), 2, "--serializer zip writes"
                + " a container, which a .tif name would misname; name it with the serializer's extension, or drop --serializer to write");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("x.tif").toString(), "--format", "zip"), 2, "--format zip writes a"
                + " container, which a .tif name would misname; name it with the serializer's extension, or drop --format to write");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("x.tif").toString(), "--codec", "png"), 2, "a TIFF output holds the"
                + " samples uncompressed and exactly; --codec and --param apply to containers");
        fails(Cli.run("convert", stack.toString(), dir.resolve("x.npy").toString()), 2, "x.npy: .npy is not a container");
        fails(Cli.run("convert", stack.toString(), dir.resolve("x.raw").toString()), 2, "x.raw: .raw is not a container");
        fails(Cli.run("convert", stack.toString(), dir.resolve("x.tif").toString(), "--codec", "png"), 2, "a TIFF output");
        NdArray ints = TestFiles.ramp(DType.INT16, 2, 8, 8);
        Path intNpy = TestFiles.npy(dir.resolve("i2.npy"), ints, false, ByteOrder.LITTLE_ENDIAN);
        fails(Cli.run("encode", intNpy.toString(), "--axes", "z,y,x", "-o", dir.resolve("i2.tif").toString()), 2, "i2.tif",
                "TIFF export writes uint8, uint16 (grey or RGB) and float32 (grey) pages; dtype int16 is not written");
        Path intStack = dir.resolve("i2.jpkl");
        ok(Cli.run("encode", intNpy.toString(), "--axes", "z,y,x", "-o", intStack.toString()));
        fails(Cli.run("convert", intStack.toString(), dir.resolve("i2.tif").toString()), 2, "holds int16 grey planes",
                "dtype int16 is not written");
        List<String> expected = new java.util.ArrayList<>(before);
        expected.addAll(List.of("i2.jpkl", "i2.npy"));
        expected.sort(null);
        assertEquals(expected, files(), "nothing written, no scratch or partial file left");
        // Another name with --serializer (or its older spelling --format) is fine: the serializer is named.
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", dir.resolve("x.dat").toString(), "--format", "jpkl"));
        try (JpklArray back = jpkl.open(dir.resolve("x.dat"))) {
            assertEquals(a, back.get("..."));
        }
    }

    @Test
    void tiffOutputsFromEncodeAndConvertAreHyperstacksTifffileReads() throws IOException, InterruptedException {
        NdArray a = NdArray.generate(DType.UINT16, new int[] {2, 3, 9, 11}, i -> (i * 131 + 7) % 65536);
        Path npy = TestFiles.npy(dir.resolve("tzyx.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path tif = dir.resolve("tzyx.tif");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "--axes", "t,z,y,x", "-o", tif.toString(), "--meta",
                "spacing={\"x\": 0.5, \"y\": 0.5, \"z\": 2}", "--meta", "unit=micron"));
        assertTrue(r.err().contains("wrote " + tif + ": (2, 3, 9, 11) uint16, 6 pages, multi-page TIFF"), r.err());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(tif), 4);
        assertTrue(java.util.Arrays.equals(new byte[] {'I', 'I', 42, 0}, head) || java.util.Arrays.equals(new byte[] {'M', 'M', 0, 42}, head),
                "a classic TIFF, not a container: " + java.util.Arrays.toString(head));
        assertEquals(List.of("tzyx.npy", "tzyx.tif"), files(), "the scratch container is gone");

        Path stack = dir.resolve("zyx.jpkl");
        NdArray f = NdArray.generate(DType.FLOAT32, new int[] {7, 5, 4}, i -> i * 0.25 - 2);
        jpkl.save(f, stack, WriteOptions.builder().codec("zstd".equals(lossless()) ? "zstd" : "deflate").layout(PlaneLayout.of(0, 1))
                .axisNames("y", "x", "z").build());
        Path converted = dir.resolve("zyx.tiff");
        ok(Cli.run("convert", stack.toString(), converted.toString()));

        OptionalPieces.python("numpy", "tifffile");
        Path script = dir.resolve("check.py");
        Files.writeString(script, String.join("\n",
                "import json, sys, numpy, tifffile",
                "with tifffile.TiffFile(sys.argv[1]) as t:",
                "    s = t.series[0]",
                "    d = s.asarray()",
                "    ij = {k: v for k, v in (t.imagej_metadata or {}).items() if isinstance(v, (int, float, str, bool))}",
                "    xres = list(t.pages[0].tags['XResolution'].value) if 'XResolution' in t.pages[0].tags else None",
                "    numpy.ascontiguousarray(d).astype(d.dtype.newbyteorder('<')).tofile(sys.argv[2])",
                "    print(json.dumps({'imagej': t.is_imagej, 'axes': s.axes, 'shape': list(d.shape), 'dtype': str(d.dtype),"
                        + " 'meta': ij, 'xres': xres}))",
                ""));
        Path values = dir.resolve("values.bin");
        JsonObject info = JsonParser.parseString(OptionalPieces.run(script, tif.toString(), values.toString()).strip()).getAsJsonObject();
        assertTrue(info.get("imagej").getAsBoolean(), info.toString());
        assertEquals("TZYX", info.get("axes").getAsString(), info.toString());
        assertEquals("[2,3,9,11]", info.get("shape").toString());
        assertEquals("uint16", info.get("dtype").getAsString());
        assertEquals(a, NdArray.copyOf(ByteBuffer.wrap(Files.readAllBytes(values)).order(ByteOrder.LITTLE_ENDIAN), DType.UINT16, 2, 3, 9, 11));
        assertEquals("micron", info.getAsJsonObject("meta").get("unit").getAsString());
        assertEquals(2.0, info.getAsJsonObject("meta").get("spacing").getAsDouble());
        assertEquals(2.0, info.getAsJsonArray("xres").get(0).getAsDouble() / info.getAsJsonArray("xres").get(1).getAsDouble(), 1e-9);

        info = JsonParser.parseString(OptionalPieces.run(script, converted.toString(), values.toString()).strip()).getAsJsonObject();
        assertEquals("ZYX", info.get("axes").getAsString(), info.toString());
        assertEquals("[4,7,5]", info.get("shape").toString());
        assertEquals("float32", info.get("dtype").getAsString());
        NdArray back = NdArray.copyOf(ByteBuffer.wrap(Files.readAllBytes(values)).order(ByteOrder.LITTLE_ENDIAN), DType.FLOAT32, 4, 7, 5);
        for (int z = 0; z < 4; z++) {
            assertEquals(f.get(":, :, " + z), back.get(Integer.toString(z)), "page " + z);
        }
    }

    @Test
    void compareReportsPsnrAgainstTheDataRangeWithTheDtypeFigureLabelled() throws IOException {
        // 12-bit data in uint16, as from a CT scanner: the dtype peak (65535) would flatter a lossy codec by 24 dB.
        NdArray a = NdArray.generate(DType.UINT16, new int[] {4, 32, 32}, i -> 1000 + (i * 37) % 4000);
        Path npy = TestFiles.npy(dir.resolve("ct.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        String json = ok(Cli.run("compare", npy.toString(), "--axes", "z,y,x", "--codec", "jpeg", "--repeats", "1", "--warmups", "0",
                "--slice-reads", "1", "--json")).outText();
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < a.size(); i++) {
            min = Math.min(min, a.getDoubleFlat(i));
            max = Math.max(max, a.getDoubleFlat(i));
        }
        assertEquals(max - min, root.get("psnr_peak").getAsDouble());
        assertEquals(65535, root.get("psnr_dtype_peak").getAsInt());
        JsonObject row = root.getAsJsonArray("rows").get(0).getAsJsonObject();
        double psnr = row.get("psnr_db").getAsDouble();
        double dtypePsnr = row.get("psnr_dtype_peak_db").getAsDouble();
        assertEquals(20 * Math.log10(65535 / (max - min)), dtypePsnr - psnr, 1e-9, row.toString());
        assertEquals(row.get("max_abs_error").getAsDouble() / root.get("data_std").getAsDouble(),
                row.get("max_abs_error_over_std").getAsDouble(), 1e-12);
        String table = ok(Cli.run("compare", npy.toString(), "--axes", "z,y,x", "--codec", "jpeg", "--repeats", "1", "--warmups", "0",
                "--slice-reads", "1")).outText();
        assertTrue(table.contains("PSNR: peak = the data's range " + (long) (max - min)) && table.contains("PSNR uint16 dB"), table);
    }
}
