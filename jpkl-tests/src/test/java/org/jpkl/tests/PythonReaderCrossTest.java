package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PythonIndexCases;
import org.jpkl.api.testing.ContainerFuzzer;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.npy.NpyWriter;
import org.jpkl.testing.LibraryMutantCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python reader ({@code python/jpkl}) against this library: Java writes files with every codec,
 * dtype and channel layout (filters, JPEG windows, transfers and tables, tiles, levels, empty key axes), its
 * own decode of each as {@code .npy}, the 4,000 random index expressions of the index conformance
 * test with this library's answers, and the container fuzzer's mutants of three files with this
 * library's outcome for each; then {@code python/run_tests.py} runs the Python package's
 * {@code unittest} suite over them ({@code python/tests/test_cross.py}): lossless files must decode
 * identically, JPEG files within the tolerance in the manifest (0: Pillow and TurboJPEG run the same
 * libjpeg-turbo), every expression must give the same shape and values or the matching error, and
 * every mutant the original data or a JpklError naming the file. {@code -Djpkl.python.crossDir=DIR}
 * keeps the files in DIR, to rerun the Python side by hand ({@code python3 python/run_tests.py DIR}).
 */
class PythonReaderCrossTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();
    private final List<Map<String, Object>> files = new ArrayList<>();

    @Test
    void pythonReadsWhatJavaWrites() throws Exception {
        OptionalPieces.python("numpy", "PIL", "zstandard", "dask");
        String keep = System.getProperty("jpkl.python.crossDir");
        if (keep != null) { // to rerun the Python side by hand: python3 python/run_tests.py DIR
            dir = Files.createDirectories(Path.of(keep));
        }
        writeCodecMatrix();
        writeTiledAndLevels();
        writeJpegTables();
        writeShapeOnly();
        int cases = PythonIndexCases.write(dir.resolve("index_cases.jsonl"));
        List<Map<String, Object>> mutants = new ArrayList<>();
        mutants.addAll(mutants("jpeg-uint16-fuzz.jpkl", 100, 31));
        mutants.addAll(mutants("zstd-uint16-tiled.jpkl", 100, 32));
        mutants.addAll(mutants("deflate-float32-levels.jpkl", 100, 33));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("files", files);
        manifest.put("index_cases", "index_cases.jsonl");
        manifest.put("mutants", mutants);
        Files.writeString(dir.resolve("manifest.json"), new GsonBuilder().setPrettyPrinting().create().toJson(manifest),
                StandardCharsets.UTF_8);
        // about 10 s of CPU; the limit leaves room for a loaded machine
        String out = OptionalPieces.run(600, Path.of("..", "python", "run_tests.py").toAbsolutePath().normalize(),
                dir.toString());
        System.out.println(out);
        assertTrue(out.contains("cross: " + files.size() + " files"), out);
        assertTrue(out.contains("cross: " + cases + " index expressions"), out);
        assertTrue(out.contains("cross: " + mutants.size() + " mutants"), out);
    }

    private static NdArray source(DType dtype, int[] shape, long seed) {
        Random r = new Random(seed);
        return NdArray.generate(dtype, shape, i -> {
            double smooth = 40 + (i % 97) * 1.5 + (i / 97 % 13) * 3 + r.nextInt(12);
            switch (dtype) {
                case UINT8:
                    return (long) smooth & 0xFF;
                case UINT16:
                    return smooth * 37 % 65536;
                case INT16:
                    return smooth * 41 - 20000;
                case INT32:
                    return smooth * 100_003 - 70_000_000;
                case FLOAT32:
                    return smooth / 7.0 - 3.25;
                default:
                    return smooth * 1e-3 - 0.125 + r.nextDouble() * 1e-9;
            }
        });
    }

    private void writeCodecMatrix() throws IOException {
        DType[] all = DType.values();
        for (String codec : new String[] {"jpeg", "png", "deflate", "zstd"}) {
            for (DType dtype : all) {
                if (codec.equals("png") && dtype != DType.UINT8 && dtype != DType.UINT16) {
                    continue;
                }
                for (boolean rgb : new boolean[] {false, true}) {
                    int[] shape = {37, 45, 3, 2}; // grey: two key axes; RGB: the channel axis and one key axis
                    WriteOptions.Builder b = WriteOptions.builder().codec(codec).layout(PlaneLayout.jpkl(rgb))
                            .axisNames(rgb ? new String[] {"y", "x", "c", "t"} : new String[] {"y", "x", "z", "t"})
                            .metadata("spacing", Map.of("x", 0.5, "y", 0.25)).metadata("unit", "micron");
                    String name = codec + "-" + dtype + "-" + (rgb ? "rgb" : "grey");
                    save(name, source(dtype, shape, name.hashCode()), b, 0);
                }
            }
        }
        // every filter of the byte codecs and of PNG, every JPEG window, transfer and subsampling
        for (String codec : new String[] {"deflate", "zstd"}) {
            for (String filter : new String[] {"none", "shuffle", "delta"}) {
                for (DType dtype : new DType[] {DType.UINT8, DType.INT16, DType.INT32, DType.FLOAT32, DType.FLOAT64}) {
                    String name = codec + "-" + filter + "-" + dtype + "-rgb";
                    save(name, source(dtype, new int[] {19, 23, 3, 2}, name.hashCode()), WriteOptions.builder().codec(codec)
                            .param("filter", filter).layout(PlaneLayout.jpkl(true)), 0);
                }
            }
        }
        for (String window : new String[] {"slice", "global", "100:3000"}) {
            for (String transfer : new String[] {"linear", "sqrt"}) {
                for (DType dtype : new DType[] {DType.UINT16, DType.INT16, DType.INT32, DType.FLOAT32, DType.FLOAT64}) {
                    String name = "jpeg-" + window.replace(':', '_') + "-" + transfer + "-" + dtype;
                    save(name, source(dtype, new int[] {40, 33, 3}, name.hashCode()), WriteOptions.builder().codec("jpeg")
                            .param("window", window).param("transfer", transfer).param("quality", "85"), 0);
                }
            }
        }
        for (String sub : new String[] {"420", "444"}) {
            String name = "jpeg-" + sub + "-uint8-rgb";
            save(name, source(DType.UINT8, new int[] {33, 47, 3, 2}, 5), WriteOptions.builder().codec("jpeg")
                    .param("subsampling", sub).layout(PlaneLayout.jpkl(true)), 0);
        }
        for (String filter : new String[] {"none", "sub", "up", "average", "paeth", "adaptive"}) {
            for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
                String name = "png-" + filter + "-" + dtype + "-rgb";
                save(name, source(dtype, new int[] {21, 26, 3, 2}, name.hashCode()), WriteOptions.builder().codec("png")
                        .param("filter", filter).layout(PlaneLayout.jpkl(true)), 0);
            }
        }
        save("jpeg-uint16-fuzz", source(DType.UINT16, new int[] {24, 20, 3, 2}, 3), WriteOptions.builder().codec("jpeg"), 0);
    }

    private void writeTiledAndLevels() throws IOException {
        NdArray grey16 = source(DType.UINT16, new int[] {70, 90, 3}, 11);
        save("zstd-uint16-tiled", grey16, WriteOptions.builder().codec("zstd").tiles(16, 32), 0);
        save("png-uint16-tiled", grey16, WriteOptions.builder().codec("png").tiles(32, 16), 0);
        save("jpeg-uint16-tiled", grey16, WriteOptions.builder().codec("jpeg").param("window", "0:65535").tiles(32, 32), 0);
        save("jpeg-uint8-rgb-tiled", source(DType.UINT8, new int[] {50, 70, 3, 2}, 12),
                WriteOptions.builder().codec("jpeg").layout(PlaneLayout.jpkl(true)).tiles(16, 48), 0);
        save("deflate-float32-levels", source(DType.FLOAT32, new int[] {41, 30, 2}, 13),
                WriteOptions.builder().codec("deflate").levels(3), 3);
        save("zstd-uint8-rgb-tiled-levels", source(DType.UINT8, new int[] {67, 81, 3, 2}, 14),
                WriteOptions.builder().codec("zstd").layout(PlaneLayout.jpkl(true)).tiles(16, 16).levels(2), 2);
    }

    /**
     * JPEG with {@code tables} inline, shared (abbreviated streams) and header (scan data only), the latter
     * also with {@code huffman=optimized} (the container's own Huffman tables) and with {@code coding=arithmetic}
     * (SOF9 headers, which Pillow's libjpeg-turbo decodes): grey and RGB, uint8 and
     * uint16 (8-bit mapping), 64 x 73 planes at quality 90 4:2:0 and 200 x 209 at 75 4:4:4, tiled files with
     * edge tiles, and the two {@code tables=shared} files frozen in jpkl-jpeg's tests.
     */
    private void writeJpegTables() throws IOException {
        for (String tables : new String[] {"inline", "shared", "header", "optimized", "arithmetic"}) {
            for (int size : new int[] {64, 200}) {
                for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
                    for (boolean rgb : new boolean[] {false, true}) {
                        String name = "jpeg-tables-" + tables + "-" + size + "-" + dtype + "-" + (rgb ? "rgb" : "grey");
                        int[] shape = rgb ? new int[] {size, size + 9, 3, 2} : new int[] {size, size + 9, 2};
                        boolean optimized = tables.equals("optimized");
                        boolean arithmetic = tables.equals("arithmetic");
                        save(name, source(dtype, shape, name.hashCode()), WriteOptions.builder().codec("jpeg")
                                .param("tables", optimized || arithmetic ? "header" : tables)
                                .param("huffman", optimized ? "optimized" : "standard").param("coding", arithmetic ? "arithmetic" : "huffman")
                                .param("quality", size == 64 ? "90" : "75").param("subsampling", size == 64 ? "420" : "444")
                                .layout(PlaneLayout.jpkl(rgb)), 0);
                    }
                }
            }
        }
        save("jpeg-tables-header-uint16-rgb-tiled", source(DType.UINT16, new int[] {50, 70, 3, 2}, 18),
                WriteOptions.builder().codec("jpeg").param("tables", "header").layout(PlaneLayout.jpkl(true)).tiles(16, 48), 0);
        save("jpeg-tables-optimized-uint8-grey-tiled", source(DType.UINT8, new int[] {50, 70, 3}, 19),
                WriteOptions.builder().codec("jpeg").param("tables", "header").param("huffman", "optimized").tiles(16, 48), 0);
        for (String frozen : new String[] {"shared-v1-grey-uint8", "shared-v1-rgb-uint16"}) {
            Path file = dir.resolve("jpeg-tables-" + frozen + ".jpkl");
            Files.copy(Path.of("..", "jpkl-jpeg", "src", "test", "resources", "org", "jpkl", "jpeg", frozen + ".jpkl"), file);
            addEntry("jpeg-tables-" + frozen, file, 0);
        }
    }

    private void writeShapeOnly() throws IOException {
        save("shape-empty-key-axis", NdArray.zeros(DType.UINT16, 8, 9, 0, 2), WriteOptions.builder().codec("zstd"), 0);
        save("shape-one-pixel", source(DType.INT32, new int[] {1, 1, 4}, 15), WriteOptions.builder().codec("deflate"), 0);
        save("shape-plane-only", source(DType.UINT8, new int[] {5, 3}, 16), WriteOptions.builder().codec("png"), 0);
    }

    /** Saves {@code array}, writes Java's decode of it and of each level as .npy, and adds a manifest entry. */
    private void save(String name, NdArray array, WriteOptions.Builder options, int levels) throws IOException {
        Path file = dir.resolve(name + ".jpkl");
        jpkl.save(array, file, options.build());
        addEntry(name, file, levels);
    }

    /** Writes Java's decode of {@code file} and of each level as .npy, and adds a manifest entry. */
    private void addEntry(String name, Path file, int levels) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", file.getFileName().toString());
        try (JpklArray a = jpkl.open(file)) {
            assertEquals(levels + 1, a.levelCount());
            List<String> expected = new ArrayList<>();
            for (int k = 0; k <= levels; k++) {
                String npy = name + "-level" + k + ".npy";
                NpyWriter.write(a.level(k).get("..."), dir.resolve(npy)); // a level shares (and closes with) its file
                expected.add(npy);
            }
            entry.put("expected", expected);
            entry.put("shape", a.shape());
            entry.put("dtype", a.dtype().toString());
            entry.put("axis_names", a.axisNames());
            entry.put("codec", a.codecId());
            entry.put("params", a.codecParams());
            entry.put("metadata", a.metadata());
            entry.put("tiled", a.tiling().isPresent());
        }
        entry.put("lossless", !name.startsWith("jpeg"));
        files.add(entry);
    }

    /** Mutants of one of the files written, with this library's outcome for each (checksums on). */
    private List<Map<String, Object>> mutants(String file, int count, long seed) throws IOException {
        byte[] valid = Files.readAllBytes(dir.resolve(file));
        NdArray expected;
        try (JpklArray a = jpkl.open(dir.resolve(file))) {
            expected = a.get("...");
        }
        Path mutantDir = Files.createDirectories(dir.resolve("mutants"));
        String stem = file.replace(".jpkl", "");
        NpyWriter.write(expected, mutantDir.resolve(stem + ".npy"));
        LibraryMutantCheck java = new LibraryMutantCheck(jpkl, expected, true);
        List<Map<String, Object>> out = new ArrayList<>();
        ContainerFuzzer.Result result = LibraryMutantCheck.fuzzer(jpkl, valid, 10_000).run((name, mutant) -> {
            String outcome = java.check(name, mutant);
            String mutantFile = stem + "-" + name + ".jpkl";
            Files.write(mutantDir.resolve(mutantFile), mutant);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", "mutants/" + mutantFile);
            m.put("expected", "mutants/" + stem + ".npy");
            m.put("java", outcome);
            out.add(m);
            return outcome;
        }, count, seed);
        assertEquals(List.of(), result.failures, result.toString());
        return out;
    }
}
