package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.RestrictedCodec;
import org.jpkl.npy.NpyHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl info} and {@code jpkl get} through the real command line. */
class InfoGetCommandTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    private NdArray stack;
    private Path file;

    @BeforeEach
    void writeStack() throws IOException {
        stack = TestFiles.ramp(DType.UINT16, 4, 3, 20, 30);
        file = dir.resolve("stack.jpkl");
        jpkl.save(stack, file, WriteOptions.builder().codec("test-level").param("level", 3).layout(PlaneLayout.of(2, 3))
                .axisNames("t", "z", "y", "x").metadata("source", "unit test").metadata("pixel_um", 0.65).build());
    }

    /** Reads a whole .npy into an array (C order, any byte order jpkl writes). */
    static NdArray readNpy(byte[] bytes) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        NpyHeader h = NpyHeader.read(in, "test");
        assertFalse(h.fortranOrder());
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) h.dataOffset(), bytes.length - (int) h.dataOffset()).order(h.byteOrder());
        assertEquals(h.dataBytes(), data.remaining(), "data length after the header");
        return NdArray.copyOf(data, h.dtype(), h.shape());
    }

    @Test
    void infoText() {
        String out = ok(Cli.run("info", file.toString())).outText();
        assertTrue(out.contains("shape      (4, 3, 20, 30)"), out);
        assertTrue(out.contains("dtype      uint16"), out);
        assertTrue(out.contains("axes       t, z, y, x  (plane: y, x; key axes: t, z)"), out);
        assertTrue(out.contains("slices     12 planes of 20 x 30 grey"), out);
        assertTrue(out.contains("codec      test-level {level=3} (lossless)"), out);
        assertTrue(out.contains("raw size   14,400 bytes"), out);
        assertTrue(out.contains("serializer jpkl"), out);
        assertTrue(out.contains("\"pixel_um\":0.65"), out);
    }

    @Test
    void infoJsonIsTheDocumentedLayout() throws IOException {
        JsonObject j = JsonParser.parseString(ok(Cli.run("info", file.toString(), "--json")).outText()).getAsJsonObject();
        assertEquals(1, j.get("version").getAsInt());
        assertEquals(file.toString(), j.get("file").getAsString());
        assertEquals("jpkl", j.get("format").getAsString());
        assertEquals("jpkl", j.get("serializer").getAsString());
        assertEquals("[4,3,20,30]", j.get("shape").toString());
        assertEquals("uint16", j.get("dtype").getAsString());
        assertEquals("[\"t\",\"z\",\"y\",\"x\"]", j.get("axes").toString());
        JsonObject plane = j.getAsJsonObject("plane");
        assertEquals(2, plane.get("yAxis").getAsInt());
        assertEquals(3, plane.get("xAxis").getAsInt());
        assertTrue(plane.get("channelAxis").isJsonNull());
        assertEquals(20, plane.get("height").getAsInt());
        assertEquals(30, plane.get("width").getAsInt());
        assertEquals("grey", plane.get("channels").getAsString());
        assertEquals("[0,1]", j.get("keyAxes").toString());
        assertEquals(12, j.get("slices").getAsLong());
        assertTrue(j.get("tileShape").isJsonNull(), "whole planes");
        assertEquals("[]", j.get("levels").toString(), "no reduced levels");
        assertEquals(12, j.get("chunks").getAsLong());
        JsonObject codec = j.getAsJsonObject("codec");
        assertEquals("test-level", codec.get("id").getAsString());
        assertEquals("{\"level\":\"3\"}", codec.get("params").toString());
        assertTrue(codec.get("lossless").getAsBoolean());
        assertTrue(codec.get("available").getAsBoolean());
        assertTrue(codec.get("unavailableReason").isJsonNull());
        long size = Files.size(file);
        assertEquals(size, j.get("fileSize").getAsLong());
        assertEquals(14_400, j.get("rawSize").getAsLong());
        assertEquals(14_400.0 / size, j.get("compressionRatio").getAsDouble(), 0.001);
        assertEquals("unit test", j.getAsJsonObject("metadata").get("source").getAsString());
        assertEquals(List.of("version", "file", "format", "serializer", "shape", "dtype", "axes", "plane", "keyAxes", "slices", "tileShape", "levels", "chunks", "codec",
                "fileSize",
                "rawSize", "compressionRatio", "metadata"), List.copyOf(j.keySet()));
    }

    @Test
    void infoWorksWithoutTheCodecAndGetSaysWhatIsMissing() throws IOException {
        Jpkl other = Jpkl.of(SliceCodecs.of(new RestrictedCodec("test-gone", -1, DType.UINT8)), ContainerSerializers.load());
        Path gone = dir.resolve("gone.jpkl");
        other.save(NdArray.zeros(DType.UINT8, 4, 5, 2), gone, WriteOptions.builder().codec("test-gone").build());
        JsonObject j = JsonParser.parseString(ok(Cli.run("info", gone.toString(), "--json")).outText()).getAsJsonObject();
        JsonObject codec = j.getAsJsonObject("codec");
        assertEquals("test-gone", codec.get("id").getAsString());
        assertTrue(codec.get("lossless").isJsonNull());
        assertFalse(codec.get("available").getAsBoolean());
        assertTrue(codec.get("unavailableReason").getAsString().contains("not installed"));
        assertTrue(ok(Cli.run("info", gone.toString())).outText().contains("test-gone {} (not installed here)"));
        fails(Cli.run("get", gone.toString(), "...", "-o", dir.resolve("g.npy").toString()), 1, "needs codec 'test-gone'",
                "not available");
    }

    @Test
    void infoOnSomethingElseIsADataError() throws IOException {
        Path npy = TestFiles.npy(dir.resolve("a.npy"), stack, false, ByteOrder.LITTLE_ENDIAN);
        fails(Cli.run("info", npy.toString()), 1, "a.npy", "not a container", "jpkl encode");
        fails(Cli.run("info", dir.resolve("missing.jpkl").toString()), 1, "missing.jpkl: no such file");
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.jpkl");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        fails(Cli.run("info", cut.toString()), 1, "cut.jpkl");
    }

    @Test
    void getSeveralSelectionsInOneCall() throws IOException {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Path c = dir.resolve("c.raw");
        Path d = dir.resolve("d.npy");
        ok(Cli.run("get", file.toString(), "1, :, 5:15:3, ::-7", "-o", a.toString(), "-1, ..., None", "-o", b.toString(),
                "..., 0, 0", "-o", c.toString(), "2, 1, 3, 4", "-o", d.toString()));
        NdArray ea = stack.get("1, :, 5:15:3, ::-7");
        NdArray readA = readNpy(Files.readAllBytes(a));
        assertArrayEquals(new int[] {3, 4, 5}, readA.shape());
        assertEquals(ea, readA);
        assertEquals(stack.get("-1, ..., None"), readNpy(Files.readAllBytes(b)));
        NdArray ec = stack.get("..., 0, 0");
        assertEquals(ec, NdArray.copyOf(ByteBuffer.wrap(Files.readAllBytes(c)).order(ByteOrder.LITTLE_ENDIAN), DType.UINT16, 4, 3));
        assertEquals(ec.byteSize(), Files.size(c));
        NdArray scalar = readNpy(Files.readAllBytes(d));
        assertEquals(0, scalar.ndim());
        assertEquals(stack.getInt(2, 1, 3, 4), scalar.getInt());
    }

    @Test
    void npyBytesFollowNumpysLayout() throws IOException {
        Path a = dir.resolve("plane.npy");
        ok(Cli.run("get", file.toString(), "0, 0", "-o", a.toString()));
        byte[] bytes = Files.readAllBytes(a);
        String head = new String(bytes, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("\u0093NUMPY\u0001\u0000v\u0000{'descr': '<u2', 'fortran_order': False, 'shape': (20, 30), } "), head);
        assertEquals('\n', head.charAt(127));
        assertEquals(128 + 20 * 30 * 2, bytes.length);
        assertEquals(stack.get("0, 0, 0, 0").getInt(), (bytes[128] & 0xFF) | (bytes[129] & 0xFF) << 8, "little-endian data");
    }

    @Test
    void getToStandardOutput() throws IOException {
        Cli.Result r = ok(Cli.run("get", file.toString(), "3, 2, :4, :5", "-o", "-"));
        assertEquals(stack.get("3, 2, :4, :5"), readNpy(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void png16BitAndTiffKeepSamples() throws IOException {
        Path png = dir.resolve("p.png");
        Path tif = dir.resolve("p.tif");
        ok(Cli.run("get", file.toString(), "2, 1", "-o", png.toString(), "2, 1, ::2", "-o", tif.toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(DataBuffer.TYPE_USHORT, image.getRaster().getDataBuffer().getDataType());
        assertEquals(1, image.getRaster().getNumBands());
        NdArray plane = stack.get("2, 1");
        int[] samples = image.getRaster().getSamples(0, 0, 30, 20, 0, (int[]) null);
        assertArrayEquals(plane.toIntArray(), samples);
        BufferedImage t = ImageIO.read(tif.toFile());
        assertEquals(DataBuffer.TYPE_USHORT, t.getRaster().getDataBuffer().getDataType());
        assertArrayEquals(stack.get("2, 1, ::2").toIntArray(), t.getRaster().getSamples(0, 0, 30, 10, 0, (int[]) null));
    }

    @Test
    void rgbAndFloatImages() throws IOException {
        NdArray rgb = TestFiles.ramp(DType.UINT8, 6, 7, 3, 2);
        Path rgbFile = dir.resolve("rgb.jpkl");
        jpkl.save(rgb, rgbFile, WriteOptions.builder().codec("test-identity").layout(PlaneLayout.jpkl(true)).build());
        Path png = dir.resolve("rgb.png");
        ok(Cli.run("get", rgbFile.toString(), "..., 1", "-o", png.toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(3, image.getRaster().getNumBands());
        int[] pixels = image.getRaster().getPixels(0, 0, 7, 6, (int[]) null);
        assertArrayEquals(rgb.get("..., 1").toIntArray(), pixels);

        NdArray floats = TestFiles.ramp(DType.FLOAT32, 5, 8, 2);
        Path floatFile = dir.resolve("f.jpkl");
        jpkl.save(floats, floatFile, WriteOptions.builder().codec("test-identity").build());
        Path tif = dir.resolve("f.tiff");
        ok(Cli.run("get", floatFile.toString(), ":, :, 1", "-o", tif.toString()));
        java.awt.image.Raster t = readTiffRaster(tif);
        assertEquals(DataBuffer.TYPE_FLOAT, t.getDataBuffer().getDataType());
        float[] back = t.getSamples(0, 0, 8, 5, 0, (float[]) null);
        assertArrayEquals(floats.get(":, :, 1").toFloatArray(), back);
        fails(Cli.run("get", floatFile.toString(), ":, :, 1", "-o", dir.resolve("f.png").toString()), 2,
                "PNG holds uint8 or uint16", "float32", ".tif");
    }

    @Test
    void rgbStoredColourFirstIsWrittenAsAnImage() throws IOException {
        NdArray cyx = TestFiles.ramp(DType.UINT8, 2, 3, 6, 7);
        Path cyxFile = dir.resolve("cyx.jpkl");
        jpkl.save(cyx, cyxFile, WriteOptions.builder().codec("test-identity").layout(PlaneLayout.of(2, 3, 1))
                .axisNames("z", "c", "y", "x").build());
        Path png = dir.resolve("cyx.png");
        Path tif = dir.resolve("cyx.tif");
        ok(Cli.run("get", cyxFile.toString(), "1", "-o", png.toString(), "1", "-o", tif.toString()));
        int[] expected = new int[6 * 7 * 3];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 7; x++) {
                for (int c = 0; c < 3; c++) {
                    expected[(y * 7 + x) * 3 + c] = (int) cyx.getDouble(1, c, y, x);
                }
            }
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(3, image.getRaster().getNumBands());
        assertArrayEquals(expected, image.getRaster().getPixels(0, 0, 7, 6, (int[]) null));
        assertArrayEquals(expected, readTiffRaster(tif).getPixels(0, 0, 7, 6, (int[]) null));
        // One colour sample of the three: a grey image; two of them: not an image.
        ok(Cli.run("get", cyxFile.toString(), "1, 2", "-o", png.toString()));
        assertArrayEquals(cyx.get("1, 2").toIntArray(), ImageIO.read(png.toFile()).getRaster().getPixels(0, 0, 7, 6, (int[]) null));
        fails(Cli.run("get", cyxFile.toString(), "1, 0:2", "-o", png.toString()), 2, "shape (2, 6, 7)", ".npy");
        // A .npy keeps the stored order.
        ok(Cli.run("get", cyxFile.toString(), "1", "-o", dir.resolve("cyx.npy").toString()));
        assertEquals(cyx.get("1"), readNpy(Files.readAllBytes(dir.resolve("cyx.npy"))));
    }

    @Test
    void getHelpEndsWithTheOutputTypes() {
        String help = ok(Cli.run("get", "--help")).outText();
        String description = help.substring(help.indexOf("Read NumPy-style"), help.indexOf("      FILE")).replaceAll("\\s+", " ");
        assertFalse(description.contains("extension: Give") || description.strip().endsWith(":"), description);
        assertTrue(description.contains("extension names: .npy any shape (numpy.load reads it); .raw the elements in C order;"
                + " .png / .tif one grey or RGB image"), description);
    }

    /** The samples of a TIFF's first page as stored (readRaster: no colour conversion or clipping). */
    static java.awt.image.Raster readTiffRaster(Path tif) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(tif.toFile())) {
            javax.imageio.ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            try {
                return reader.readRaster(0, null);
            } finally {
                reader.dispose();
            }
        }
    }

    @Test
    void getErrors() throws IOException {
        String out = dir.resolve("x.npy").toString();
        fails(Cli.run("get", file.toString(), "0, 0, 99", "-o", out), 2, "expression '0, 0, 99'", "out of bounds", "size 20");
        fails(Cli.run("get", file.toString(), "0, 0:1:0", "-o", out), 2, "step", "zero");
        fails(Cli.run("get", file.toString(), "0, zero", "-o", out), 2, "expression '0, zero'");
        fails(Cli.run("get", file.toString(), "0, 0, 0, 0, 0", "-o", out), 2, "expression '0, 0, 0, 0, 0'");
        fails(Cli.run("get", file.toString(), "0", "-o", out, "1"), 2, "one -o OUT after each EXPR", "2 expression(s) and 1 output(s)");
        fails(Cli.run("get", file.toString(), "0", "-o", dir.resolve("x.jpg").toString()), 2, "x.jpg", "unknown output type");
        fails(Cli.run("get", file.toString(), "0", "-o", dir.resolve("x.png").toString()), 2, "shape (3, 20, 30)", ".npy");
        fails(Cli.run("get", dir.resolve("none.jpkl").toString(), "0", "-o", out), 1, "none.jpkl: no such file");
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void damagedSliceFailsGetButNotOtherSlices() throws IOException {
        Path damaged = Damage.oneSlice(file, dir.resolve("damaged.jpkl"), stack.get("1, 2"));
        ok(Cli.run("get", damaged.toString(), "0", "-o", dir.resolve("fine.npy").toString()));
        fails(Cli.run("get", damaged.toString(), "1", "-o", dir.resolve("bad.npy").toString()), 1, "damaged.jpkl", "(1, 2)");
        assertFalse(Files.exists(dir.resolve("bad.npy")));
    }
}
