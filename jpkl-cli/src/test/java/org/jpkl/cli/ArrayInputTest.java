package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .npy} and raw input through the real command line: NumPy's axis order by default, raw
 * sizes and {@code --offset}, NumPy dtype spellings, FIFOs and devices.
 */
class ArrayInputTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    private JpklArray open(Path file) throws IOException {
        return jpkl.open(file);
    }

    private NdArray read(Path file) throws IOException {
        try (JpklArray a = jpkl.open(file)) {
            return a.get("...");
        }
    }

    private Path npy(String name, NdArray a) throws IOException {
        return TestFiles.npy(dir.resolve(name), a, false, ByteOrder.LITTLE_ENDIAN);
    }

    // ---- issue 13 point 2: NumPy's axis order by default

    @Test
    void rgbAxisWithoutAxesIsRefusedForArraysInsteadOfIgnored() throws IOException {
        Path out = dir.resolve("rgb.jpkl");
        NdArray rgb = TestFiles.ramp(DType.UINT8, 2, 10, 12, 3);
        Path in = npy("rgb.npy", rgb);
        fails(Cli.run("encode", in.toString(), "-o", out.toString(), "--codec", "test-identity", "--rgb-axis", "c"), 2,
                "jpkl encode: --rgb-axis c: names the colour axis among --axes, and without --axes the planes of .npy and raw input"
                        + " are grey; give --axes too, e.g. --axes z,y,x,c");
        assertFalse(Files.exists(out));
        ok(Cli.run("encode", in.toString(), "-o", out.toString(), "--codec", "test-identity", "--rgb-axis", "c", "--axes", "z,y,x,c"));
        try (JpklArray back = open(out)) {
            assertEquals(PlaneLayout.of(1, 2, 3), back.layout());
            assertEquals(rgb, back.get("..."));
        }
    }

    @Test
    void npyAndRawWithoutAxesTakeNumpysOrderWithMeaningfulNames() throws IOException {
        Path out = dir.resolve("o.jpkl");
        NdArray tzyx = TestFiles.ramp(DType.UINT16, 2, 3, 16, 20);
        Cli.Result r = ok(Cli.run("encode", npy("tzyx.npy", tzyx).toString(), "-o", out.toString(), "--codec", "test-identity"));
        assertFalse(r.err().contains("warning"), r.err());
        try (JpklArray back = open(out)) {
            assertArrayEquals(new int[] {2, 3, 16, 20}, back.shape());
            assertEquals(PlaneLayout.of(2, 3), back.layout());
            assertEquals(List.of("t", "z", "y", "x"), back.axisNames());
            assertEquals(6, back.sliceCount());
            assertEquals(tzyx, back.get("..."));
        }
        NdArray zyx = TestFiles.ramp(DType.UINT8, 4, 10, 12);
        ok(Cli.run("encode", npy("zyx.npy", zyx).toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = open(out)) {
            assertEquals(PlaneLayout.of(1, 2), back.layout());
            assertEquals(List.of("z", "y", "x"), back.axisNames());
        }
        NdArray yx = TestFiles.ramp(DType.UINT8, 10, 12);
        ok(Cli.run("encode", npy("yx.npy", yx).toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = open(out)) {
            assertEquals(List.of("y", "x"), back.axisNames());
        }
        NdArray five = TestFiles.ramp(DType.UINT8, 2, 1, 2, 9, 8);
        ok(Cli.run("encode", npy("five.npy", five).toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = open(out)) {
            assertEquals(PlaneLayout.of(3, 4), back.layout());
            assertEquals(List.of("axis0", "axis1", "axis2", "y", "x"), back.axisNames());
            assertEquals(five, back.get("..."));
        }
        Path raw = Files.write(dir.resolve("zyx.raw"), TestFiles.elements(zyx, false, ByteOrder.LITTLE_ENDIAN));
        ok(Cli.run("encode", raw.toString(), "--shape", "4,10,12", "--dtype", "uint8", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = open(out)) {
            assertEquals(PlaneLayout.of(1, 2), back.layout());
            assertEquals(List.of("z", "y", "x"), back.axisNames());
            assertEquals(zyx, back.get("..."));
        }
    }

    @Test
    void layoutJpklKeepsTheFirstTwoAxesAsThePlane() throws IOException {
        NdArray yxz = TestFiles.ramp(DType.UINT8, 10, 12, 4);
        Path out = dir.resolve("o.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy("yxz.npy", yxz).toString(), "--layout", "jpkl", "-o", out.toString(), "--codec",
                "test-identity"));
        assertFalse(r.err().contains("warning"), r.err());
        try (JpklArray back = open(out)) {
            assertEquals(PlaneLayout.jpkl(false), back.layout());
            assertEquals(List.of("y", "x", "axis2"), back.axisNames());
            assertEquals(yxz, back.get("..."));
        }
        Path npy = dir.resolve("yxz.npy");
        fails(Cli.run("encode", npy.toString(), "--layout", "jpkl", "--axes", "y,x,z", "-o", out.toString()), 2,
                "--layout jpkl and --axes y,x,z: give one");
        fails(Cli.run("encode", npy.toString(), "--layout", "fortran", "-o", out.toString()), 2,
                "--layout fortran: use numpy (plane = the last two axes) or jpkl (the first two)");
        fails(Cli.run("encode", "sample:8,8,2", "--layout", "numpy", "-o", out.toString()), 2,
                "sample:8,8,2: --layout numpy does not apply; a sample stack is generated in JPkl's layout (H, W first)");
        Path png = dir.resolve("a.png");
        TestFiles.png(png, TestFiles.ramp(DType.UINT8, 8, 8));
        fails(Cli.run("encode", png.toString(), "--layout", "jpkl", "-o", out.toString()), 2,
                "--layout applies to .npy and raw input, not to images");
    }

    @Test
    void implausibleDefaultPlaneIsWarnedWithHowToChooseTheAxes() throws IOException {
        Path out = dir.resolve("o.jpkl");
        Path rgb = npy("rgb.npy", TestFiles.ramp(DType.UINT8, 4, 10, 12, 3));
        Cli.Result r = ok(Cli.run("encode", rgb.toString(), "-o", out.toString(), "--codec", "test-identity"));
        assertEquals("warning: " + rgb + ": without --axes the last two axes are the image plane (NumPy's order): shape (4, 10, 12, 3)"
                + " with axes t, z, y, x gives 40 plane(s) of 12 x 3, a side below 8 pixels; if that is not the image, choose the axes"
                + " with --layout jpkl (the first two axes are the plane) or --axes NAMES in stored order (e.g. --axes y,x,z,t);"
                + " for RGB images (..., y, x, 3) give --axes z,y,x,rgb", r.err().lines().findFirst().orElseThrow(), r.err());
        Path thin = npy("thin.npy", TestFiles.ramp(DType.UINT8, 100, 8, 9));
        r = ok(Cli.run("encode", thin.toString(), "-o", out.toString(), "--codec", "test-identity"));
        assertTrue(r.err().contains("gives 100 plane(s) of 8 x 9, fewer pixels per plane than planes;"), r.err());
        r = ok(Cli.run("compare", thin.toString(), "--codec", "test-identity", "--slices", "1", "--repeats", "1", "--warmups", "0",
                "--slice-reads", "0"));
        assertTrue(r.err().contains("warning: " + thin + ": without --axes"), r.err());
        // Chosen axes are not second-guessed; -q silences warnings; a failing run prints only its error.
        r = ok(Cli.run("encode", rgb.toString(), "--axes", "z,y,x,rgb", "-o", out.toString(), "--codec", "test-identity"));
        assertFalse(r.err().contains("warning"), r.err());
        r = ok(Cli.run("encode", rgb.toString(), "-q", "-o", out.toString(), "--codec", "test-identity"));
        assertEquals("", r.err());
        fails(Cli.run("encode", rgb.toString(), "-o", out.toString(), "--codec", "test-level", "--param", "level=12"), 2,
                "level (12)");
    }

    // ---- issue 13 point 6: raw sizes, --offset, NumPy dtype spellings

    @Test
    void rawLargerThanItsShapeIsRefusedUnlessOffsetSaysWhereTheDataStarts() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 10, 12);
        byte[] data = TestFiles.elements(a, false, ByteOrder.LITTLE_ENDIAN);
        byte[] header = new byte[100];
        Arrays.fill(header, (byte) 0x55);
        byte[] withHeader = concat(header, data);
        Path raw = Files.write(dir.resolve("cam.raw"), withHeader);
        Path out = dir.resolve("o.jpkl");
        fails(Cli.run("encode", raw.toString(), "--shape", "2,10,12", "--dtype", "uint16", "-o", out.toString(), "--codec",
                "test-identity"), 1, raw + ": has 580 bytes; shape (2, 10, 12) of uint16 needs 480; if the data starts after a 100-byte"
                + " header give --offset 100, else check --shape and --dtype");
        assertFalse(Files.exists(out));
        Cli.Result r = ok(Cli.run("encode", raw.toString(), "--shape", "2,10,12", "--dtype", "uint16", "--offset", "100", "-o",
                out.toString(), "--codec", "test-identity"));
        assertFalse(r.err().contains("warning"), r.toString());
        assertEquals(a, read(out));

        Path footed = Files.write(dir.resolve("footed.raw"), concat(withHeader, new byte[7]));
        r = ok(Cli.run("encode", footed.toString(), "--shape", "2,10,12", "--dtype", "uint16", "--offset", "100", "-o",
                out.toString(), "--codec", "test-identity"));
        assertTrue(r.err().contains("warning: " + footed + ": the 7 bytes after the data (which ends at byte 580 of 587) are ignored"),
                r.err());
        assertEquals(a, read(out));
        fails(Cli.run("encode", raw.toString(), "--shape", "2,10,12", "--dtype", "uint16", "--offset", "101", "-o", out.toString(),
                "--codec", "test-identity"), 1, "jpkl encode: " + raw + ": data: has 580 bytes; shape (2, 10, 12) of uint16 needs 581 (480 after"
                + " the first 101); check the shape, dtype, offset and file");

        // Standard input: the same rules, checked when the stream goes on after the data.
        Path stdinOut = dir.resolve("stdin.jpkl");
        fails(Cli.run(withHeader, Map.of(), "encode", "-", "--shape", "2,10,12", "--dtype", "uint16", "-o", stdinOut.toString(),
                "--codec", "test-identity"), 1, "standard input: goes on after the 480 bytes that shape (2, 10, 12) of uint16 needs;"
                + " if the data starts after a header give --offset BYTES");
        assertFalse(Files.exists(stdinOut));
        ok(Cli.run(withHeader, Map.of(), "encode", "-", "--shape", "2,10,12", "--dtype", "uint16", "--offset", "100", "-o",
                out.toString(), "--codec", "test-identity"));
        assertEquals(a, read(out));

        Path npy = npy("a.npy", a);
        fails(Cli.run("encode", npy.toString(), "--offset", "10", "-o", out.toString()), 2,
                "--byte-order, --order and --offset apply to raw input and need --shape and --dtype");
        fails(Cli.run("encode", raw.toString(), "--shape", "2,10,12", "--dtype", "uint16", "--offset", "-1", "-o", out.toString()), 2,
                "--offset -1: must be 0 or more");
        fails(Cli.run("encode", raw.toString(), "--shape", "2,10,12", "--dtype", "uint16", "--offset", "1K", "-o", out.toString()), 2,
                "--offset 1K: not a number of bytes");
        fails(Cli.run("encode", dir.toString(), "--shape", "2,10,12", "--dtype", "uint16", "-o", out.toString()), 1,
                dir + ": is a folder; raw input with --shape must be one file, FIFO or device, or -");
        fails(Cli.run("encode", dir.resolve("none.raw").toString(), "--shape", "2,10,12", "--dtype", "uint16", "-o", out.toString()), 1,
                dir.resolve("none.raw") + ": no such file");
    }

    @Test
    void npyWithBytesAfterTheArrayWarnsAsNumpyIgnoresThem() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 2, 10, 12);
        Path npy = npy("a.npy", a);
        long size = Files.size(npy);
        Files.write(npy, new byte[5], java.nio.file.StandardOpenOption.APPEND);
        Path out = dir.resolve("o.jpkl");
        Cli.Result r = ok(Cli.run("encode", npy.toString(), "-o", out.toString(), "--codec", "test-identity"));
        assertTrue(r.err().contains("warning: " + npy + ": the 5 bytes after the data (which ends at byte " + size + " of "
                + (size + 5) + ") are ignored"), r.err());
        assertEquals(a, read(out));
    }

    @Test
    void truncatedNpyIsRefusedNamingTheBytesItHasAndNeeds() throws IOException {
        Path npy = npy("cut.npy", TestFiles.ramp(DType.UINT16, 2, 3, 4));
        byte[] whole = Files.readAllBytes(npy);
        Files.write(npy, Arrays.copyOf(whole, whole.length - 10));
        Path out = dir.resolve("o.jpkl");
        fails(Cli.run("encode", npy.toString(), "-o", out.toString(), "--codec", "test-identity"), 1,
                "jpkl encode: " + npy + ": data: has 166 bytes; shape (2, 3, 4) of uint16 needs 176 (48 after the 128-byte header); the"
                        + " file is truncated");
        assertFalse(Files.exists(out));
        Files.write(npy, Arrays.copyOf(whole, 100));
        fails(Cli.run("encode", npy.toString(), "-o", out.toString(), "--codec", "test-identity"), 1,
                "jpkl encode: " + npy + ": npy header: states a header of 128 bytes; the file has 100");
    }

    @Test
    void dtypeTakesNumpysSpellingsAndItsByteOrder() throws IOException {
        NdArray a = TestFiles.ramp(DType.INT16, 2, 10, 12);
        Path little = Files.write(dir.resolve("le.raw"), TestFiles.elements(a, false, ByteOrder.LITTLE_ENDIAN));
        Path big = Files.write(dir.resolve("be.raw"), TestFiles.elements(a, false, ByteOrder.BIG_ENDIAN));
        Path out = dir.resolve("o.jpkl");
        for (String spelling : List.of("int16", "INT16", "i2", "<i2", "|i2", "h", "<h")) {
            ok(Cli.run("encode", little.toString(), "--shape", "2,10,12", "--dtype", spelling, "-o", out.toString(), "--codec",
                    "test-identity"));
            assertEquals(a, read(out), spelling);
        }
        for (String spelling : List.of(">i2", ">h")) {
            ok(Cli.run("encode", big.toString(), "--shape", "2,10,12", "--dtype", spelling, "-o", out.toString(), "--codec",
                    "test-identity"));
            assertEquals(a, read(out), spelling);
        }
        ok(Cli.run("encode", big.toString(), "--shape", "2,10,12", "--dtype", ">i2", "--byte-order", "big", "-o", out.toString(),
                "--codec", "test-identity"));
        assertEquals(a, read(out));
        fails(Cli.run("encode", big.toString(), "--shape", "2,10,12", "--dtype", ">i2", "--byte-order", "little", "-o", out.toString()),
                2, "--dtype >i2 is big-endian but --byte-order little says little; give one byte order (e.g. --dtype int16"
                + " --byte-order little)");
        NdArray bytes = TestFiles.ramp(DType.UINT8, 2, 10, 12);
        Path u1 = Files.write(dir.resolve("u1.raw"), TestFiles.elements(bytes, false, ByteOrder.LITTLE_ENDIAN));
        for (String spelling : List.of("|u1", "<u1", ">u1", "B", "uint8")) {
            ok(Cli.run("encode", u1.toString(), "--shape", "2,10,12", "--dtype", spelling, "--byte-order", "big", "-o", out.toString(),
                    "--codec", "test-identity"));
            assertEquals(bytes, read(out), spelling);
        }
        fails(Cli.run("encode", u1.toString(), "--shape", "2,10,12", "--dtype", "i8", "-o", out.toString()), 2,
                "--dtype i8: dtype 'i8' is not supported; allowed: [uint8, uint16, int16, int32, float32, float64] or NumPy type"
                + " strings such as u1, u2, i2, i4, f4, f8");
        fails(Cli.run("encode", u1.toString(), "--shape", "2,10,12", "--dtype", "U2", "-o", out.toString()), 2, "dtype 'U2'");
        ok(Cli.run("encode", "sample:16,16,2:<u2", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = open(out)) {
            assertEquals(DType.UINT16, back.dtype());
        }
    }

    // ---- issue 19 point 12: FIFOs and devices

    @Test
    void fifoCarryingNpyOrRawIsReadAsAStream() throws Exception {
        NdArray a = TestFiles.ramp(DType.UINT16, 3, 10, 12);
        byte[] npy = Files.readAllBytes(npy("a.npy", a));
        Path out = dir.resolve("o.jpkl");

        Path fifo = fifo("npy.fifo");
        CompletableFuture<Void> writer = feed(fifo, npy);
        Cli.Result r = ok(Cli.run("encode", fifo.toString(), "-o", out.toString(), "--codec", "test-identity", "-v"));
        writer.get(30, TimeUnit.SECONDS);
        assertTrue(r.err().contains("input: " + fifo + " (NumPy 1.0, '<u2', C order)"), r.err());
        assertEquals(a, read(out));

        Path rawFifo = fifo("raw.fifo");
        writer = feed(rawFifo, TestFiles.elements(a, false, ByteOrder.BIG_ENDIAN));
        ok(Cli.run("encode", rawFifo.toString(), "--shape", "3,10,12", "--dtype", ">u2", "-o", out.toString(), "--codec",
                "test-identity"));
        writer.get(30, TimeUnit.SECONDS);
        assertEquals(a, read(out));

        Path junk = fifo("junk.fifo");
        writer = feed(junk, "hello, not an array".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        fails(Cli.run("encode", junk.toString(), "-o", out.toString()), 1, junk + ": a FIFO (named pipe) that does not start with"
                + " .npy bytes; a pipe or device is read as .npy, or as raw bytes with --shape and --dtype");
        writer.handle((v, e) -> null).get(30, TimeUnit.SECONDS);

        Path other = fifo("other.fifo");
        fails(Cli.run("encode", dir.resolve("a.npy").toString(), other.toString(), "-o", out.toString()), 2,
                other + ": a FIFO (named pipe); a pipe or device is read only as the single input");
    }

    @Test
    void characterDeviceIsReadAsAStream() throws IOException {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero) && (((Integer) Files.getAttribute(zero, "unix:mode")) & 0170000) == 0020000,
                "needs /dev/zero, a character device");
        Path out = dir.resolve("o.jpkl");
        ok(Cli.run("encode", zero.toString(), "--shape", "2,16,16", "--dtype", "uint8", "--offset", "0", "-o", out.toString(),
                "--codec", "test-identity"));
        assertEquals(NdArray.generate(DType.UINT8, new int[] {2, 16, 16}, i -> 0), read(out));
        fails(Cli.run("encode", zero.toString(), "--shape", "2,16,16", "--dtype", "uint8", "-o", out.toString(), "--codec",
                "test-identity"), 1, "/dev/zero: goes on after the 512 bytes that shape (2, 16, 16) of uint8 needs");
        fails(Cli.run("encode", "/dev/null", "--shape", "2,16,16", "--dtype", "uint8", "-o", out.toString(), "--codec",
                "test-identity"), 1, "/dev/null", "the stream ended after 0 bytes");
        fails(Cli.run("encode", "/dev/null", "-o", out.toString()), 1,
                "/dev/null: a character device that does not start with .npy bytes");
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path p = dir.resolve(name);
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available: " + e.getMessage());
            throw e;
        }
        assumeTrue(mk.waitFor() == 0 && Files.exists(p), "mkfifo failed");
        return p;
    }

    /** Writes {@code bytes} into the FIFO from another thread (opening blocks until a reader opens it). */
    private static CompletableFuture<Void> feed(Path fifo, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
