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
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --param tables=header --param huffman=optimized} in {@code jpkl encode} and {@code jpkl convert}
 * (issue 17): the tables are built from the sample planes the codec names, read in a first pass, so
 * the file is byte for byte the one {@code Jpkl.save} writes for the same array and parameters.
 */
class OptimizedHuffmanCommandTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    /** What the library writes for {@code array} with the header the command wrote (axes, layout, metadata) and {@code params}. */
    private byte[] librarySave(NdArray array, PlaneLayout layout, Path written, Map<String, String> params) throws IOException {
        WriteOptions.Builder b = WriteOptions.builder().codec("jpeg").params(params).layout(layout);
        try (JpklArray a = jpkl.open(written)) {
            b.axisNames(a.header().axisNames()).metadata(a.header().metadata());
        }
        Path file = dir.resolve("library-" + written.getFileName());
        jpkl.save(array, file, b.build());
        return Files.readAllBytes(file);
    }

    private static final Map<String, String> OPTIMIZED = Map.of("tables", "header", "huffman", "optimized", "quality", "80");

    private static String[] params(Map<String, String> params) {
        return params.entrySet().stream().flatMap(e -> java.util.stream.Stream.of("--param", e.getKey() + "=" + e.getValue()))
                .toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void encodeFromNpyEqualsTheLibrarysFileByteForByte() throws IOException {
        // 40 slices: the 16 sample planes are 0, 2, 5, ..., 39, not all of them; uint16 also binds window=global.
        for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
            NdArray a = NdArray.generate(dtype, new int[] {40, 24, 40}, i -> (i * 37 + (i / 960) * 11 + (i % 7) * (i / 960)) % 250);
            Path npy = TestFiles.npy(dir.resolve(dtype + ".npy"), a, false, ByteOrder.LITTLE_ENDIAN);
            Path out = dir.resolve(dtype + ".jpkl");
            Cli.Result r = ok(Cli.run(concat(new String[] {"encode", npy.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec",
                "jpeg", "-v"}, params(dtype == DType.UINT8 ? OPTIMIZED : withGlobalWindow()))));
            assertTrue(r.err().contains(" 16 sample planes ("), r.err());
            try (JpklArray back = jpkl.open(out)) {
                String huffman = back.codecParams().get("huffman");
                assertFalse(huffman.equals("optimized") || huffman.equals("standard"), huffman);
            }
            assertArrayEquals(librarySave(a, PlaneLayout.of(1, 2), out, dtype == DType.UINT8 ? OPTIMIZED : withGlobalWindow()),
                    Files.readAllBytes(out), dtype.toString());
            ok(Cli.run("verify", out.toString()));
        }
    }

    private static Map<String, String> withGlobalWindow() {
        Map<String, String> p = new java.util.LinkedHashMap<>(OPTIMIZED);
        p.put("window", "global");
        return p;
    }

    @Test
    void encodeFromAnImageFolderEqualsTheLibrarysFileByteForByte() throws IOException {
        for (boolean rgb : new boolean[] {false, true}) {
            int n = 7;
            int[] shape = rgb ? new int[] {n, 20, 33, 3} : new int[] {n, 20, 33};
            NdArray a = NdArray.generate(DType.UINT8, shape, i -> (i * 13 + (i / 660) * 40 + (i % 11) * 5) % 256);
            Path folder = Files.createDirectories(dir.resolve(rgb ? "rgb" : "grey"));
            for (int k = 0; k < n; k++) {
                TestFiles.png(folder.resolve("img_" + k + ".png"), a.get(k + ", ..."));
            }
            Path out = dir.resolve((rgb ? "rgb" : "grey") + ".jpkl");
            ok(Cli.run(concat(new String[] {"encode", folder.toString(), "-o", out.toString(), "--codec", "jpeg"}, params(OPTIMIZED))));
            assertArrayEquals(librarySave(a, rgb ? PlaneLayout.of(1, 2, 3) : PlaneLayout.of(1, 2), out, OPTIMIZED),
                    Files.readAllBytes(out), rgb ? "rgb" : "grey");
        }
    }

    @Test
    void convertEqualsTheLibrarysFileByteForByte() throws IOException {
        NdArray a = NdArray.generate(DType.UINT16, new int[] {30, 18, 26}, i -> (i * 53 + (i / 468) * 301) % 4000);
        Path lossless = dir.resolve("lossless.jpkl");
        jpkl.save(a, lossless, WriteOptions.builder().codec("deflate").layout(PlaneLayout.of(1, 2)).axisNames("z", "y", "x").build());
        Path out = dir.resolve("optimized.jpkl");
        Cli.Result r = ok(Cli.run(concat(new String[] {"convert", lossless.toString(), out.toString(), "--codec", "jpeg", "-v"},
                params(withGlobalWindow()))));
        assertTrue(r.err().contains("sample planes [0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29] read to bind the"
                + " parameters"), r.err());
        assertArrayEquals(librarySave(a, PlaneLayout.of(1, 2), out, withGlobalWindow()), Files.readAllBytes(out));
        // Converting the result again with its own (bound) parameters copies the slices.
        Path copy = dir.resolve("copy.jpkl");
        assertTrue(ok(Cli.run("convert", out.toString(), copy.toString())).err().contains("copied unchanged"));
    }

    @Test
    void standardInputCannotGiveTheSamplePlanes() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT8, 3, 16, 16);
        byte[] stdin = Files.readAllBytes(TestFiles.npy(dir.resolve("s.npy"), a, false, ByteOrder.LITTLE_ENDIAN));
        Path out = dir.resolve("s.jpkl");
        fails(Cli.run(stdin, Map.of(), concat(new String[] {"encode", "-", "--axes", "z,y,x", "-o", out.toString(), "--codec", "jpeg"},
                params(OPTIMIZED))), 2, "jpkl encode: --param {", "for codec 'jpeg' needs 3 sample planes of the input before the first"
                + " slice is encoded, and standard input cannot be read twice for that first pass: save the input to a file and"
                + " encode the file, or give the parameter's value yourself (e.g. huffman=TABLES, taken from another container's"
                + " 'jpkl info'), or use --param huffman=standard");
        assertFalse(Files.exists(out));
        assertEquals(0, Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".partial")).count());
    }
}
