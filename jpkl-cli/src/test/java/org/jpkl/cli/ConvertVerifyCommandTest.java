package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl convert} and {@code jpkl verify} through the real command line. */
class ConvertVerifyCommandTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    private NdArray stack;
    private Path file;

    @BeforeEach
    void writeStack() throws IOException {
        stack = TestFiles.ramp(DType.UINT8, 3, 4, 10, 12);
        file = dir.resolve("stack.jpkl");
        jpkl.save(stack, file, WriteOptions.builder().codec("test-level").param("level", 3).layout(PlaneLayout.of(2, 3))
                .axisNames("t", "z", "y", "x").metadata("source", "unit test").build());
    }

    private static void assertSameSlices(JpklArray a, JpklArray b) throws IOException {
        assertEquals(a.sliceCount(), b.sliceCount());
        for (long n = 0; n < a.sliceCount(); n++) {
            assertEquals(a.readEncodedSlice(n), b.readEncodedSlice(n), "slice " + n);
        }
    }

    @Test
    void sameCodecAndParametersCopiesEncodedSlices() throws IOException {
        Path out = dir.resolve("copy.jpkl");
        Cli.Result r = ok(Cli.run("convert", file.toString(), out.toString()));
        assertTrue(r.err().contains("copied unchanged"), r.err());
        Path explicit = dir.resolve("explicit.jpkl");
        r = ok(Cli.run("convert", file.toString(), explicit.toString(), "--codec", "test-level", "--param", "level=3", "--progress"));
        assertTrue(r.err().contains("copied unchanged") && r.err().contains("convert: 12/12 slices"), r.err());
        try (JpklArray a = jpkl.open(file); JpklArray b = jpkl.open(out); JpklArray c = jpkl.open(explicit)) {
            assertSameSlices(a, b);
            assertSameSlices(a, c);
            assertEquals(a.header(), b.header());
        }
    }

    /** The codec decides what counts: JPEG's window and transfer cannot change uint8 bytes, its quality can. */
    @Test
    void parametersThatCannotChangeTheBytesStillCopy() throws IOException {
        Path jpeg = dir.resolve("u8.jpkl");
        jpkl.save(stack, jpeg, WriteOptions.builder().codec("jpeg").param("quality", 80).layout(PlaneLayout.of(2, 3)).build());
        Path window = dir.resolve("u8-window.jpkl");
        Cli.Result r = ok(Cli.run("convert", jpeg.toString(), window.toString(), "--param", "window=0:100", "--param", "transfer=sqrt"));
        assertTrue(r.err().contains("copied unchanged"), r.err());
        Path q81 = dir.resolve("u8-q81.jpkl");
        r = ok(Cli.run("convert", jpeg.toString(), q81.toString(), "--param", "quality=81"));
        assertTrue(r.err().contains("re-encoded"), r.err());
        try (JpklArray a = jpkl.open(jpeg); JpklArray b = jpkl.open(window)) {
            assertSameSlices(a, b);
            assertEquals("0:100", b.codecParams().get("window"));
            assertEquals("sqrt", b.codecParams().get("transfer"));
        }
    }

    @Test
    void otherParametersOrCodecReEncode() throws IOException {
        Path level7 = dir.resolve("level7.jpkl");
        Cli.Result r = ok(Cli.run("convert", file.toString(), level7.toString(), "--param", "level=7", "--meta", "converted=true"));
        assertTrue(r.err().contains("re-encoded"), r.err());
        try (JpklArray b = jpkl.open(level7)) {
            assertEquals(Map.of("level", "7"), b.codecParams());
            assertEquals(stack, b.get("..."));
            assertEquals(List.of("t", "z", "y", "x"), b.axisNames());
            assertEquals("unit test", b.metadata().get("source"));
            assertEquals(true, b.metadata().get("converted"));
        }
        Path identity = dir.resolve("identity.jpkl");
        ok(Cli.run("convert", file.toString(), identity.toString(), "--codec", "test-identity"));
        try (JpklArray b = jpkl.open(identity)) {
            assertEquals("test-identity", b.codecId());
            assertEquals(stack, b.get("..."));
            assertEquals(PlaneLayout.of(2, 3), b.layout());
        }
    }

    @Test
    void convertErrors() throws IOException {
        NdArray wide = TestFiles.ramp(DType.UINT16, 5, 6, 2);
        Path u16 = dir.resolve("u16.jpkl");
        jpkl.save(wide, u16, WriteOptions.builder().codec("test-identity").build());
        String out = dir.resolve("o.jpkl").toString();
        fails(Cli.run("convert", u16.toString(), out, "--codec", "test-uint8"), 2, "u16.jpkl holds uint16", "cannot encode uint16");
        fails(Cli.run("convert", file.toString(), out, "--codec", "nope"), 2, "--codec nope: unknown codec");
        fails(Cli.run("convert", file.toString(), out, "--param", "level=-1"), 2, "level (-1)");
        fails(Cli.run("convert", file.toString(), out, "--format", "tarball"), 2, "--format tarball: unknown serializer; available: [jpkl");
        fails(Cli.run("convert", dir.resolve("none.jpkl").toString(), out), 1, "none.jpkl: no such file");
        fails(Cli.run("convert", file.toString()), 2, "Missing required parameter");
        assertFalse(Files.exists(Path.of(out)));
    }

    @Test
    void verifyIntactAndDamaged() throws IOException {
        Cli.Result r = ok(Cli.run("verify", file.toString()));
        assertTrue(r.outText().contains("12 slices checked, all intact"), r.outText());
        Path damaged = Damage.oneSlice(file, dir.resolve("damaged.jpkl"), stack.get("2, 1"));
        r = fails(Cli.run("verify", damaged.toString()), 1, "damaged.jpkl is damaged", "1 of 12 slices fail: (2, 1)");
        assertTrue(r.outText().contains("damaged slice (2, 1) (slice number 9)"), r.outText());
        assertEquals(1, r.outText().lines().count(), r.outText());
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut.jpkl"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        fails(Cli.run("verify", cut.toString()), 1, "cut.jpkl");
        fails(Cli.run("verify", dir.resolve("none.jpkl").toString()), 1, "no such file");
        assertEquals("", ok(Cli.run("verify", file.toString(), "--quiet")).outText());
    }
}
