package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl encode} through the real command line: every input kind, layouts, errors. */
class EncodeCommandTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    private NdArray read(Path file) throws IOException {
        try (JpklArray a = jpkl.open(file)) {
            return a.get("...");
        }
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> partial = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial")).toList();
            assertEquals(List.of(), partial, "temporary files left behind");
        }
    }

    @Test
    void npyInCOrderWithPlaneAxesLastIsReadPlaneByPlane() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 3, 4, 5, 6);
        Path npy = TestFiles.npy(dir.resolve("tzyx.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("tzyx.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "--axes", "t,z,y,x", "-o", out.toString(), "--codec", "test-identity", "-v"));
        assertTrue(r.err().contains("plane by plane, one sequential pass"), r.err());
        assertTrue(r.err().contains("wrote " + out), r.err());
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {3, 4, 5, 6}, back.shape());
            assertEquals(List.of("t", "z", "y", "x"), back.axisNames());
            assertEquals(PlaneLayout.of(2, 3), back.layout());
            assertEquals(DType.UINT16, back.dtype());
            assertEquals(a, back.get("..."));
            assertEquals("tzyx.npy", back.metadata().get("source"));
        }
        assertNoLeftovers();
    }

    @Test
    void jpklLayoutLargerThanTheBufferIsReadInSeveralPassesWithTheSameResult() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 64, 48, 40);
        Path npy = TestFiles.npy(dir.resolve("yxz.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path small = dir.resolve("small.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "--layout", "jpkl", "-o", small.toString(), "--codec", "test-identity",
                "--buffer", "64K", "-v"));
        assertTrue(r.err().contains("pass(es)"), r.err());
        assertEquals(a, read(small));
        Path large = dir.resolve("large.jpkl");
        r = ok(Cli.run("encode", npy.toString(), "--layout", "jpkl", "-o", large.toString(), "--codec", "test-identity", "-v"));
        assertTrue(r.err().contains("block(s)") && r.err().contains("one pass"), r.err());
        assertEquals(a, read(large));
        try (JpklArray back = jpkl.open(large)) {
            assertEquals(PlaneLayout.jpkl(false), back.layout());
            assertEquals(List.of("y", "x", "axis2"), back.axisNames());
        }
    }

    @Test
    void everyAxisPlacementOrderAndBufferGivesTheSameArray() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 3, 40, 50, 12);
        for (String axes : List.of("rgb,y,x,z", "z,y,x,rgb", "y,rgb,z,x", "x,z,rgb,y")) {
            String[] names = axes.split(",");
            int[] shape = new int[4];
            for (int i = 0; i < 4; i++) {
                shape[i] = names[i].equals("rgb") ? 3 : names[i].equals("y") ? 40 : names[i].equals("x") ? 50 : 12;
            }
            NdArray input = NdArray.wrapUint16(a.toShortArray(), shape);
            for (boolean fortran : new boolean[] {false, true}) {
                Path npy = TestFiles.npy(dir.resolve("in.npy"), input, fortran, ByteOrder.LITTLE_ENDIAN);
                for (String buffer : List.of("64K", "256M")) {
                    Path out = dir.resolve("out.jpkl");
                    ok(Cli.run("encode", npy.toString(), "--axes", axes, "-o", out.toString(), "--codec", "test-identity", "--buffer", buffer));
                    assertEquals(input, read(out), axes + (fortran ? " Fortran" : " C") + " buffer " + buffer);
                }
            }
        }
    }

    @Test
    void fortranOrderBigEndianFloats() throws IOException {
        NdArray a = TestFiles.ramp(DType.FLOAT32, 5, 6, 7);
        Path npy = TestFiles.npy(dir.resolve("f.npy"), a, true, ByteOrder.BIG_ENDIAN);
        Path out = dir.resolve("f.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "test-identity"));
        assertEquals(a, read(out));
        Path small = dir.resolve("f-small.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "y,x,z", "-o", small.toString(), "--codec", "test-identity", "--buffer", "64K"));
        assertEquals(a, read(small));
    }

    @Test
    void rgbColourAxisFromAxesNames() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 2, 8, 9, 3);
        Path npy = TestFiles.npy(dir.resolve("rgb.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path out = dir.resolve("rgb.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x,rgb", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(PlaneLayout.of(1, 2, 3), back.layout());
            assertEquals(a, back.get("..."));
        }
        Path named = dir.resolve("c.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x,c", "--rgb-axis", "c", "-o", named.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(named)) {
            assertEquals(PlaneLayout.of(1, 2, 3), back.layout());
        }
        fails(Cli.run("encode", npy.toString(), "--axes", "rgb,y,x,c", "-o", named.toString(), "--codec", "test-identity"), 2,
                "colour axis 'rgb' must have length 3", "it has 2");
    }

    @Test
    void rawFileWithShapeDtypeAndByteOrder() throws IOException {
        NdArray a = TestFiles.ramp(DType.INT16, 4, 5, 6);
        Path raw = dir.resolve("cam.raw");
        Files.write(raw, TestFiles.elements(a, false, ByteOrder.BIG_ENDIAN));
        Path out = dir.resolve("cam.jpkl");
        ok(Cli.run("encode", raw.toString(), "--shape", "4,5,6", "--dtype", "int16", "--byte-order", "big", "--axes", "z,y,x",
                "-o", out.toString(), "--codec", "test-identity"));
        assertEquals(a, read(out));
        Path fortran = dir.resolve("f.raw");
        Files.write(fortran, TestFiles.elements(a, true, ByteOrder.LITTLE_ENDIAN));
        ok(Cli.run("encode", fortran.toString(), "--shape", "4x5x6", "--dtype", "int16", "--order", "F", "--axes", "z,y,x",
                "-o", out.toString(), "--codec", "test-identity"));
        assertEquals(a, read(out));
        fails(Cli.run("encode", raw.toString(), "--shape", "4,5,7", "--dtype", "int16", "-o", out.toString(), "--codec", "test-identity"),
                1, "has 240 bytes", "needs 280");
    }

    @Test
    void rawAndNpyFromStandardInput() throws IOException {
        NdArray a = TestFiles.ramp(DType.INT32, 3, 4, 5);
        Path out = dir.resolve("stdin.jpkl");
        ok(Cli.run(TestFiles.elements(a, false, ByteOrder.LITTLE_ENDIAN), Map.of(), "encode", "-", "--shape", "3,4,5", "--dtype", "int32",
                "--axes", "z,y,x", "-o", out.toString(), "--codec", "test-identity"));
        assertEquals(a, read(out));
        byte[] npy = Files.readAllBytes(TestFiles.npy(dir.resolve("s.npy"), a, false, ByteOrder.LITTLE_ENDIAN));
        ok(Cli.run(npy, Map.of(), "encode", "-", "--axes", "z,y,x", "-o", out.toString(), "--codec", "test-identity"));
        assertEquals(a, read(out));
        fails(Cli.run(java.util.Arrays.copyOf(npy, npy.length - 10), Map.of(), "encode", "-", "--axes", "z,y,x", "-o",
                dir.resolve("cut.jpkl").toString(), "--codec", "test-identity"), 1, "standard input", "ended");
        assertFalse(Files.exists(dir.resolve("cut.jpkl")));
        byte[] big = Files.readAllBytes(TestFiles.npy(dir.resolve("big.npy"), TestFiles.ramp(DType.UINT8, 100, 100, 10), false,
                ByteOrder.LITTLE_ENDIAN));
        fails(Cli.run(big, Map.of(), "encode", "-", "--layout", "jpkl", "--buffer", "64K", "-o", out.toString(), "--codec",
                "test-identity"), 2,
                "jpkl encode: reading standard input needs blocks of 100.0 kB in memory (the plane axes are not the innermost in the file)"
                + " and a stream cannot be re-read; read from a file, or allow more than 133.3 kB of buffer (--buffer)");
        assertNoLeftovers();
    }

    @Test
    void folderOfPngsSortedNaturallyKeeps16Bits() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("scans"));
        int[] numbers = {10, 1, 2, 33, 3};
        for (int n : numbers) {
            short[] samples = new short[6 * 7];
            java.util.Arrays.fill(samples, (short) (1000 * n + 7));
            samples[0] = (short) 65000;
            TestFiles.png(folder.resolve("img_" + n + ".png"), NdArray.wrapUint16(samples, 6, 7));
        }
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        Path out = dir.resolve("scans.jpkl");
        ok(Cli.run("encode", folder.toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {5, 6, 7}, back.shape());
            assertEquals(List.of("z", "y", "x"), back.axisNames());
            assertEquals(DType.UINT16, back.dtype());
            NdArray corner = back.get(":, 1, 1");
            assertArrayEquals(new int[] {1007, 2007, 3007, 10007, 33007}, corner.toIntArray());
            assertEquals(65000, back.get("4, 0, 0").getInt());
        }
        Path zyx = dir.resolve("zyx.jpkl");
        ok(Cli.run("encode", folder.resolve("img_?.png").toString(), "--axes", "y,x,z", "-o", zyx.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(zyx)) {
            assertArrayEquals(new int[] {6, 7, 3}, back.shape());
            assertArrayEquals(new int[] {1007, 2007, 3007}, back.get("2, 3, :").toIntArray());
        }
        ok(Cli.run("encode", folder.resolve("img_10.png").toString(), folder.resolve("img_2.png").toString(), "-o", zyx.toString(),
                "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(zyx)) {
            assertArrayEquals(new int[] {2007, 10007}, back.get(":, 3, 3").toIntArray());
        }
    }

    @Test
    void rgbPngsGetAColourAxis() throws IOException {
        List<NdArray> planes = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int k = n;
            NdArray p = NdArray.generate(DType.UINT8, new int[] {5, 4, 3}, i -> (i * 11 + k * 50) % 256);
            planes.add(p);
            TestFiles.png(dir.resolve("c" + n + ".png"), p);
        }
        Path out = dir.resolve("rgb.jpkl");
        ok(Cli.run("encode", dir.resolve("c*.png").toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {3, 5, 4, 3}, back.shape());
            assertEquals(List.of("z", "y", "x", "rgb"), back.axisNames());
            assertEquals(PlaneLayout.of(1, 2, 3), back.layout());
            for (int n = 0; n < 3; n++) {
                assertEquals(planes.get(n), back.get(n + ", ..."));
            }
        }
        fails(Cli.run("encode", dir.resolve("c*.png").toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "test-identity"),
                2, "RGB images", "name the colour axis 'rgb' (e.g. --axes z,y,x,rgb)");
        ok(Cli.run("encode", dir.resolve("c*.png").toString(), "--axes", "y,x,rgb,z", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {5, 4, 3, 3}, back.shape());
            assertEquals(PlaneLayout.jpkl(true), back.layout());
            assertEquals(planes.get(2), back.get(":, :, :, 2"));
        }
    }

    @Test
    void multiPageTiffGetsAPageAxis() throws IOException {
        List<NdArray> pages = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            int k = n;
            pages.add(NdArray.generate(DType.UINT16, new int[] {9, 10}, i -> (i * 97 + k * 1000) % 65536));
        }
        Path tif = TestFiles.tiff(dir.resolve("stack.tif"), pages);
        Path out = dir.resolve("stack.jpkl");
        ok(Cli.run("encode", tif.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {4, 9, 10}, back.shape());
            for (int n = 0; n < 4; n++) {
                assertEquals(pages.get(n), back.get(n + ", ..."));
            }
        }
        TestFiles.tiff(dir.resolve("stack2.tif"), pages);
        ok(Cli.run("encode", tif.toString(), dir.resolve("stack2.tif").toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {2, 4, 9, 10}, back.shape());
            assertEquals(List.of("t", "z", "y", "x"), back.axisNames());
            assertEquals(pages.get(3), back.get("1, 3"));
        }
        TestFiles.tiff(dir.resolve("other.tif"), pages.subList(0, 2));
        fails(Cli.run("encode", tif.toString(), dir.resolve("other.tif").toString(), "-o", out.toString(), "--codec", "test-identity"),
                1, "other.tif", "2 page(s)", "same size and page count");
    }

    @Test
    void floatTiffKeepsNegativeAndLargeValues() throws IOException {
        List<NdArray> pages = List.of(TestFiles.ramp(DType.FLOAT32, 6, 5), NdArray.generate(DType.FLOAT32, new int[] {6, 5}, i -> -1e6 + i * 12345.5));
        Path tif = TestFiles.tiff(dir.resolve("float.tif"), pages);
        Path out = dir.resolve("float.jpkl");
        ok(Cli.run("encode", tif.toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(DType.FLOAT32, back.dtype());
            assertEquals(pages.get(0), back.get("0"));
            assertEquals(pages.get(1), back.get("1"));
        }
    }

    @Test
    void jpegColourOrderAndPaletteImages() throws IOException {
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(16, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                rgb.getRaster().setPixel(x, y, new int[] {200, 100, 30});
            }
        }
        javax.imageio.ImageIO.write(rgb, "jpg", dir.resolve("photo.jpg").toFile());
        Path out = dir.resolve("photo.jpkl");
        ok(Cli.run("encode", dir.resolve("photo.jpg").toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {8, 16, 3}, back.shape());
            int[] pixel = back.get("4, 8, :").toIntArray();
            assertEquals(200, pixel[0], 6);
            assertEquals(100, pixel[1], 6);
            assertEquals(30, pixel[2], 6);
        }
        java.awt.image.IndexColorModel palette = new java.awt.image.IndexColorModel(8, 3, new byte[] {0, (byte) 255, 10},
                new byte[] {0, 0, 20}, new byte[] {0, 0, 30});
        java.awt.image.BufferedImage indexed = new java.awt.image.BufferedImage(5, 4, java.awt.image.BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSample(1, 2, 0, 1);
        indexed.getRaster().setSample(3, 0, 0, 2);
        javax.imageio.ImageIO.write(indexed, "png", dir.resolve("palette.png").toFile());
        ok(Cli.run("encode", dir.resolve("palette.png").toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {4, 5, 3}, back.shape());
            assertArrayEquals(new int[] {255, 0, 0}, back.get("2, 1, :").toIntArray());
            assertArrayEquals(new int[] {10, 20, 30}, back.get("0, 3, :").toIntArray());
            assertArrayEquals(new int[] {0, 0, 0}, back.get("0, 0, :").toIntArray());
        }
    }

    @Test
    void mismatchedImagesAreRefusedNamingBoth() throws IOException {
        TestFiles.png(dir.resolve("a1.png"), NdArray.zeros(DType.UINT8, 4, 4));
        TestFiles.png(dir.resolve("a2.png"), NdArray.zeros(DType.UINT16, 4, 4));
        fails(Cli.run("encode", dir.resolve("a*.png").toString(), "-o", dir.resolve("x.jpkl").toString(), "--codec", "test-identity"),
                1, "a2.png", "uint16", "a1.png", "uint8");
        assertFalse(Files.exists(dir.resolve("x.jpkl")));
        assertNoLeftovers();
    }

    @Test
    void sampleStackAndMetadata() throws IOException {
        Path out = dir.resolve("sample.jpkl");
        Cli.Result r = ok(Cli.run("encode", "sample:32,24,3,2:uint16", "--axes", "y,x,z,t", "-o", out.toString(), "--codec", "test-level",
                "--param", "level=2", "--meta", "experiment=demo", "--meta", "exposure_ms=12.5", "--meta", "run=7",
                "--meta", "tags=[\"a\",\"b\"]", "--progress"));
        assertTrue(r.err().contains("encode: 6/6 slices (100%)") && r.err().contains("MB/s"), r.err());
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {32, 24, 3, 2}, back.shape());
            assertEquals(Map.of("level", "2"), back.codecParams());
            assertEquals("demo", back.metadata().get("experiment"));
            assertEquals(12.5, back.metadata().get("exposure_ms"));
            assertEquals(7L, back.metadata().get("run"));
            assertEquals(List.of("a", "b"), back.metadata().get("tags"));
            NdArray expected = org.jpkl.compare.SampleStacks.microscopy(DType.UINT16, 1, 32, 24, 3, 2);
            assertEquals(expected, back.get("..."));
        }
    }

    @Test
    void badUsageIsExit2WithOneLine() throws IOException {
        Path npy = TestFiles.npy(dir.resolve("u16.npy"), TestFiles.ramp(DType.UINT16, 2, 3, 4), false, ByteOrder.LITTLE_ENDIAN);
        String out = dir.resolve("o.jpkl").toString();
        fails(Cli.run("encode", npy.toString(), "-o", out, "--codec", "test-uint8"), 2,
                "codec 'test-uint8' cannot encode uint16", "test-identity (lossless)");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--codec", "jp2k"), 2, "--codec jp2k: unknown codec", "test-identity");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--codec", "test-level", "--param", "level=12"), 2,
                "codec 'test-level': level (12) must be an integer in [0, 9]");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--codec", "test-level", "--param", "speed=1"), 2, "speed", "level");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--codec", "test-level", "--param", "level"), 2, "KEY=VALUE");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--codec", "test-unavailable"), 2, "not available here", "libfoo.so.1");
        fails(Cli.run("encode", npy.toString(), "--axes", "z,y", "-o", out, "--codec", "test-identity"), 2, "names 2 axes", "has 3");
        fails(Cli.run("encode", npy.toString(), "--axes", "a,b,c", "-o", out, "--codec", "test-identity"), 2, "axes y and x");
        fails(Cli.run("encode", npy.toString(), "--axes", "z,y,y", "-o", out, "--codec", "test-identity"), 2, "appears twice");
        fails(Cli.run("encode", npy.toString(), "--dtype", "uint8", "-o", out, "--codec", "test-identity"), 2, "--dtype applies to raw input");
        fails(Cli.run("encode", npy.toString(), "--shape", "2,3,4", "--dtype", "uint9", "-o", out), 2, "uint9");
        fails(Cli.run("encode", npy.toString(), "--shape", "2,3,four", "--dtype", "uint8", "-o", out), 2, "not a shape");
        fails(Cli.run("encode", npy.toString(), "--buffer", "2T", "-o", out), 2, "--buffer 2T");
        fails(Cli.run("encode", npy.toString(), "-o", dir.resolve("no/such/dir/o.jpkl").toString(), "--codec", "test-identity"), 2,
                "folder", "does not exist");
        fails(Cli.run("encode", npy.toString()), 2, "Missing required option", "--output");
        fails(Cli.run("encode", npy.toString(), "-o", out, "--bogus"), 2, "Unknown option: '--bogus'");
        assertFalse(Files.exists(Path.of(out)));
        assertNoLeftovers();
    }

    @Test
    void badDataIsExit1WithOneLine() throws IOException {
        String out = dir.resolve("o.jpkl").toString();
        fails(Cli.run("encode", dir.resolve("missing.npy").toString(), "-o", out), 1, "missing.npy", "no such file");
        Path text = Files.writeString(dir.resolve("notes.dat"), "hello, not an array");
        fails(Cli.run("encode", text.toString(), "-o", out), 1, "notes.dat", "--shape and --dtype");
        byte[] header = org.jpkl.npy.NpyHeader.of(DType.UINT8, ByteOrder.LITTLE_ENDIAN, false, 2, 3).toBytes();
        String i8 = new String(header, java.nio.charset.StandardCharsets.ISO_8859_1).replace("|u1", "<i8");
        Path wide = dir.resolve("i8.npy");
        Files.write(wide, i8.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        fails(Cli.run("encode", wide.toString(), "-o", out), 1, "i8.npy", "'<i8' is not supported");
        Path cut = dir.resolve("cut.npy");
        byte[] whole = Files.readAllBytes(TestFiles.npy(dir.resolve("whole.npy"), TestFiles.ramp(DType.UINT8, 4, 5, 6), false,
                ByteOrder.LITTLE_ENDIAN));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 1));
        fails(Cli.run("encode", cut.toString(), "-o", out, "--codec", "test-identity"), 1, "cut.npy", "needs");
        Path oneD = TestFiles.npy(dir.resolve("line.npy"), TestFiles.ramp(DType.UINT8, 9), false, ByteOrder.LITTLE_ENDIAN);
        fails(Cli.run("encode", oneD.toString(), "-o", out, "--codec", "test-identity"), 1, "(9,)", "at least 2 axes");
        Files.createDirectory(dir.resolve("empty"));
        fails(Cli.run("encode", dir.resolve("empty").toString(), "-o", out), 1, "holds no");
        fails(Cli.run("encode", dir.resolve("nothing*.png").toString(), "-o", out), 1, "no file matches");
        assertFalse(Files.exists(Path.of(out)));
        assertNoLeftovers();
    }
}
