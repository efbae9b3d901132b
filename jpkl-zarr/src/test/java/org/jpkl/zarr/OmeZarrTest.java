package org.jpkl.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import in Java alone: every level round-trips exactly through each compressor; the
 * metadata written is OME-Zarr 0.4's; hand-written arrays (F order, big-endian, missing chunks,
 * chunks spanning planes, levels that do not halve) import exactly; hostile {@code .zarray},
 * {@code .zattrs} and chunks are refused with messages naming the file and the value; the export
 * never replaces what it must not.
 */
class OmeZarrTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());

    private WriteOptions.Builder identity() {
        return WriteOptions.builder().codec(IdentityCodec.ID);
    }

    private Path container(String name, NdArray data, WriteOptions options) throws IOException {
        Path file = dir.resolve(name);
        jpkl.save(data, file, options);
        return file;
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void everyLevelRoundTripsExactlyThroughEveryCompressor() throws IOException {
        NdArray grey = NdArray.generate(DType.UINT16, new int[] {3, 70, 83}, i -> (i * 7919) % 65536);
        NdArray floats = NdArray.generate(DType.FLOAT32, new int[] {2, 45, 37}, i -> i * 0.37 - 7);
        NdArray bytes = NdArray.generate(DType.UINT8, new int[] {33, 17}, i -> (i * 131) % 256);
        NdArray rgb = NdArray.generate(DType.UINT8, new int[] {2, 40, 35, 3}, i -> (i * 17) % 256);
        Object[][] cases = {
            {grey, identity().layout(PlaneLayout.of(1, 2)).tiles(32, 16).levels(2).axisNames("z", "y", "x").build(),
                ZarrExportOptions.Compressor.ZSTD},
            // jpkl's own layout (plane axes first): exported with the plane axes last.
            {floats, identity().noTiles().levels(1).build(), ZarrExportOptions.Compressor.ZLIB},
            {bytes, identity().noTiles().build(), ZarrExportOptions.Compressor.NONE},
            {rgb, identity().layout(PlaneLayout.of(1, 2, 3)).tiles(16, 16).levels(1).build(), ZarrExportOptions.Compressor.BLOSC_LZ4}};
        int n = 0;
        for (Object[] c : cases) {
            Path file = container("a" + n + ".jpkl", (NdArray) c[0], (WriteOptions) c[1]);
            Path zarr = dir.resolve("a" + n + ".zarr");
            Path back = dir.resolve("a" + n + "-back.jpkl");
            n++;
            try (JpklArray a = jpkl.open(file)) {
                OmeZarr.exportArray(a, zarr, ZarrExportOptions.defaults().compressor((ZarrExportOptions.Compressor) c[2]));
                ZarrImport result = OmeZarr.importZarr(jpkl, zarr, back, ZarrImportOptions.defaults().writeOptions(identity().build()));
                assertEquals(List.of(), result.notes());
                try (JpklArray b = jpkl.open(back)) {
                    // Axes in OME-Zarr's order: key axes, the colour axis (imported as a key axis), y, x.
                    int[] order = OmeZarr.omeOrder(a.header());
                    assertArrayEquals(OmeZarr.permute(a.shape(), order), b.shape());
                    assertEquals(a.levelCount(), b.levelCount());
                    for (int z = 0; z < order.length; z++) {
                        assertEquals(a.axisNames().get(order[z]), b.axisNames().get(z));
                    }
                    for (int k = 0; k < a.levelCount(); k++) {
                        assertTransposed(a.level(k).get("..."), order, b.level(k).get("..."), "level " + k + " of case " + n);
                    }
                }
            }
        }
    }

    /** Asserts {@code b[i_order[0], ...] == a[i_0, ...]} for every element, bit for bit. */
    static void assertTransposed(NdArray a, int[] order, NdArray b, String what) {
        assertArrayEquals(OmeZarr.permute(a.shape(), order), b.shape(), what);
        int[] index = new int[a.ndim()];
        int[] zIndex = new int[a.ndim()];
        for (long i = 0; i < a.size(); i++) {
            long rest = i;
            for (int d = a.ndim() - 1; d >= 0; d--) {
                index[d] = (int) (rest % a.shape(d));
                rest /= a.shape(d);
            }
            for (int z = 0; z < order.length; z++) {
                zIndex[z] = index[order[z]];
            }
            assertEquals(Double.doubleToRawLongBits(a.getDouble(index)), Double.doubleToRawLongBits(b.getDouble(zIndex)),
                    what + " at " + java.util.Arrays.toString(index));
        }
    }

    @Test
    void metadataIsOmeZarr04WithAxesUnitsAndScalesPerLevel() throws IOException {
        NdArray data = NdArray.generate(DType.UINT16, new int[] {2, 3, 40, 50}, i -> i % 4000);
        Path file = container("m.jpkl", data, identity().layout(PlaneLayout.of(2, 3)).tiles(16, 32).levels(2).axisNames("t", "z", "y", "x")
                .metadata("spacing", Map.of("z", 2.0, "t", 30.0)).metadata("unit", "micron").metadata("time_unit", "sec")
                .metadata("pixel_size_um", 0.5).build());
        Path zarr = dir.resolve("m.zarr");
        try (JpklArray a = jpkl.open(file)) {
            assertEquals(2 * 3 * (3 * 2 + 2 * 1 + 1 * 1), OmeZarr.exportArray(a, zarr, ZarrExportOptions.defaults()));
        }
        assertEquals("{\"zarr_format\":2}", json(zarr.resolve(".zgroup")).toString());
        assertEquals("{\"zarr_format\":2,\"shape\":[2,3,20,25],\"chunks\":[1,1,16,25],\"dtype\":\"<u2\",\"compressor\":{\"id\":\"zstd\","
                + "\"level\":5},\"fill_value\":0,\"order\":\"C\",\"filters\":null,\"dimension_separator\":\"/\"}",
                json(zarr.resolve("1/.zarray")).toString());
        JsonObject ms = json(zarr.resolve(".zattrs")).getAsJsonArray("multiscales").get(0).getAsJsonObject();
        assertEquals("0.4", ms.get("version").getAsString());
        assertEquals("[{\"name\":\"t\",\"type\":\"time\",\"unit\":\"second\"},{\"name\":\"z\",\"type\":\"space\",\"unit\":\"micrometer\"},"
                + "{\"name\":\"y\",\"type\":\"space\",\"unit\":\"micrometer\"},{\"name\":\"x\",\"type\":\"space\",\"unit\":\"micrometer\"}]",
                ms.get("axes").toString());
        assertEquals("[{\"path\":\"0\",\"coordinateTransformations\":[{\"type\":\"scale\",\"scale\":[30.0,2.0,0.5,0.5]}]},"
                + "{\"path\":\"1\",\"coordinateTransformations\":[{\"type\":\"scale\",\"scale\":[30.0,2.0,1.0,1.0]}]},"
                + "{\"path\":\"2\",\"coordinateTransformations\":[{\"type\":\"scale\",\"scale\":[30.0,2.0,2.0,2.0]}]}]",
                ms.get("datasets").toString());
        assertTrue(Files.isRegularFile(zarr.resolve("2/1/2/0/0")));
        ZarrImport result = OmeZarr.importZarr(jpkl, zarr, dir.resolve("m2.jpkl"), ZarrImportOptions.defaults()
                .writeOptions(identity().build()));
        Map<String, Object> meta = result.header().metadata();
        assertEquals(Map.of("t", 30.0, "z", 2.0, "y", 0.5, "x", 0.5), meta.get("spacing"));
        assertEquals("micrometer", meta.get("unit"));
        assertEquals("second", meta.get("time_unit"));
        assertEquals(0.5, meta.get("pixel_size_um"));
        assertEquals(3, result.levelsImported());
    }

    @Test
    void keyAxesAreExportedInOmeOrderTimeChannelSpaceWithEveryValueInPlace() throws IOException {
        // jpkl's default layout (y, x first), key axes z, c, t in an order OME-Zarr 0.4 forbids.
        NdArray data = NdArray.generate(DType.UINT16, new int[] {6, 5, 3, 2, 4}, i -> (i * 31) % 65536);
        Path file = container("o.jpkl", data, identity().noTiles().axisNames("y", "x", "z", "c", "t").build());
        Path zarr = dir.resolve("o.zarr");
        try (JpklArray a = jpkl.open(file)) {
            assertArrayEquals(new int[] {4, 3, 2, 0, 1}, OmeZarr.omeOrder(a.header()));
            assertEquals(List.of(), OmeZarr.omeProblems(a.header()));
            OmeZarr.exportArray(a, zarr, ZarrExportOptions.defaults());
            JsonObject ms = json(zarr.resolve(".zattrs")).getAsJsonArray("multiscales").get(0).getAsJsonObject();
            assertEquals("[{\"name\":\"t\",\"type\":\"time\"},{\"name\":\"c\",\"type\":\"channel\"},{\"name\":\"z\",\"type\":\"space\"},"
                    + "{\"name\":\"y\",\"type\":\"space\"},{\"name\":\"x\",\"type\":\"space\"}]", ms.get("axes").toString());
            assertEquals("[4,2,3,6,5]", json(zarr.resolve("0/.zarray")).get("shape").toString());
            ZarrImport result = OmeZarr.importZarr(jpkl, zarr, dir.resolve("o2.jpkl"), ZarrImportOptions.defaults()
                    .writeOptions(identity().build()));
            assertEquals(List.of(), result.notes());
            try (JpklArray b = jpkl.open(dir.resolve("o2.jpkl"))) {
                assertEquals(List.of("t", "c", "z", "y", "x"), b.axisNames());
                assertTransposed(a.get("..."), OmeZarr.omeOrder(a.header()), b.get("..."), "t, c, z order");
            }
        }
        // The colour axis of an RGB container is a channel axis: before z.
        NdArray rgb = NdArray.generate(DType.UINT8, new int[] {2, 8, 7, 3}, i -> (i * 13) % 256);
        try (JpklArray a = jpkl.open(container("rgb.jpkl", rgb, identity().layout(PlaneLayout.of(1, 2, 3)).axisNames("z", "y", "x", "rgb")
                .noTiles().build()))) {
            assertArrayEquals(new int[] {3, 0, 1, 2}, OmeZarr.omeOrder(a.header()));
        }
    }

    @Test
    void axesNoOmeImageCanHoldAreNamedAsProblems() throws IOException {
        NdArray data = NdArray.generate(DType.UINT8, new int[] {4, 4, 2, 2, 2, 2}, i -> i % 256);
        try (JpklArray a = jpkl.open(container("p.jpkl", data, identity().noTiles().axisNames("y", "x", "t", "time", "angle", "view")
                .build()))) {
            assertEquals(List.of("6 axes, more than the 5 of an OME-Zarr 0.4 image", "more than one time axis [t, time]",
                    "more than one channel or untyped axis [angle, view] (axes named other than x, y, z, t, time, c, ch, channel have no"
                            + " OME type)"), OmeZarr.omeProblems(a.header()));
        }
        NdArray spaces = NdArray.generate(DType.UINT8, new int[] {4, 4, 2, 2}, i -> i % 256);
        try (JpklArray a = jpkl.open(container("s.jpkl", spaces, identity().noTiles().axisNames("y", "x", "z", "Z").build()))) {
            assertEquals(List.of("more than 3 spatial axes ([z, Z] besides y and x)"), OmeZarr.omeProblems(a.header()));
        }
    }

    /** Writes a hand-made Zarr v2 array: {@code .zarray} text and chunk files. */
    private static void array(Path at, String zarray, Map<String, byte[]> chunks) throws IOException {
        Files.createDirectories(at);
        Files.writeString(at.resolve(".zarray"), zarray);
        for (Map.Entry<String, byte[]> c : chunks.entrySet()) {
            Path f = at.resolve(c.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, c.getValue());
        }
    }

    private static String zarray(String shape, String chunks, String dtype, String order, String fill, String compressor, String sep) {
        return "{\"zarr_format\": 2, \"shape\": " + shape + ", \"chunks\": " + chunks + ", \"dtype\": \"" + dtype + "\", \"order\": \""
                + order + "\", \"fill_value\": " + fill + ", \"compressor\": " + compressor + ", \"filters\": null"
                + (sep == null ? "" : ", \"dimension_separator\": \"" + sep + "\"") + "}";
    }

    private static byte[] shorts(ByteOrder order, int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(order);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    @Test
    void fortranOrderBigEndianMissingChunksAndChunksAcrossPlanesImportExactly() throws IOException {
        // shape (3, 2, 3): chunks (2, 2, 2); F order: within a chunk, axis 0 varies fastest.
        // Value at (k, y, x) = 100 k + 10 y + x; chunk (1, 0, 1) is missing: fill value 7.
        Path zarr = dir.resolve("f.zarr");
        Map<String, byte[]> chunks = new java.util.LinkedHashMap<>();
        for (int c0 = 0; c0 < 2; c0++) {
            for (int c2 = 0; c2 < 2; c2++) {
                if (c0 == 1 && c2 == 1) {
                    continue;
                }
                int[] v = new int[8];
                for (int x = 0; x < 2; x++) {
                    for (int y = 0; y < 2; y++) {
                        for (int k = 0; k < 2; k++) {
                            v[k + 2 * y + 4 * x] = 100 * (2 * c0 + k) + 10 * y + (2 * c2 + x);
                        }
                    }
                }
                chunks.put(c0 + "." + 0 + "." + c2, shorts(ByteOrder.BIG_ENDIAN, v));
            }
        }
        array(zarr, zarray("[3, 2, 3]", "[2, 2, 2]", ">i2", "F", "7", "null", null), chunks);
        ZarrImport result = OmeZarr.importZarr(jpkl, zarr, dir.resolve("f.jpkl"), ZarrImportOptions.defaults()
                .writeOptions(identity().build()));
        assertEquals(1, result.levelsImported());
        try (JpklArray a = jpkl.open(dir.resolve("f.jpkl"))) {
            assertEquals(DType.INT16, a.dtype());
            NdArray expected = NdArray.generate(DType.INT16, new int[] {3, 2, 3}, i -> {
                int k = (int) (i / 6);
                int y = (int) (i / 3 % 2);
                int x = (int) (i % 3);
                return k == 2 && x == 2 ? 7 : 100 * k + 10 * y + x;
            });
            assertEquals(expected, a.get("..."));
        }
    }

    @Test
    void planesTooLargeForOneArrayAreImportedByTileRowsWithoutTheirLevels() throws IOException {
        // The limit lowered to 1000 samples: a 70 x 83 plane then goes the way a 70,000 x 70,000 one does.
        NdArray data = NdArray.generate(DType.UINT16, new int[] {2, 70, 83}, i -> (i * 7919) % 65536);
        Path file = container("big.jpkl", data, identity().layout(PlaneLayout.of(1, 2)).tiles(16, 32).levels(2).build());
        Path zarr = dir.resolve("big.zarr");
        try (JpklArray a = jpkl.open(file)) {
            OmeZarr.exportArray(a, zarr, ZarrExportOptions.defaults().compressor(ZarrExportOptions.Compressor.ZLIB));
        }
        // Zarr chunks of 16 x 32 do not line up with the import's tile rows of 48: bands cross chunk rows.
        ZarrImport result = OmeZarr.importZarr(jpkl, zarr, dir.resolve("big2.jpkl"), ZarrImportOptions.defaults()
                .writeOptions(identity().tiles(48, 48).build()), w -> { }, 1000);
        assertEquals(List.of("levels 1 to 2 not imported: a 70x83 plane is imported by tile rows; build levels with jpkl pyramid"),
                result.notes());
        try (JpklArray b = jpkl.open(dir.resolve("big2.jpkl"))) {
            assertEquals(1, b.levelCount());
            assertEquals(data, b.get("..."));
        }
    }

    @Test
    void levelsThatDoNotHalveAreLeftOutAndSaidSo() throws IOException {
        Path zarr = dir.resolve("l.zarr");
        array(zarr.resolve("0"), zarray("[5, 5]", "[5, 5]", "|u1", "C", "0", "null", "/"), Map.of("0/0", new byte[25]));
        array(zarr.resolve("1"), zarray("[3, 3]", "[3, 3]", "|u1", "C", "0", "null", "/"), Map.of("0/0", new byte[9]));
        array(zarr.resolve("2"), zarray("[1, 1]", "[1, 1]", "|u1", "C", "0", "null", "/"), Map.of("0/0", new byte[1]));
        Files.writeString(zarr.resolve(".zattrs"), "{\"multiscales\": [{\"version\": \"0.4\", \"axes\": [{\"name\": \"y\", \"type\":"
                + " \"space\"}, {\"name\": \"x\", \"type\": \"space\"}], \"datasets\": [{\"path\": \"0\"}, {\"path\": \"1\"}, {\"path\": \"2\"}]}]}");
        ZarrImport result = OmeZarr.importZarr(jpkl, zarr, dir.resolve("l.jpkl"), ZarrImportOptions.defaults()
                .writeOptions(identity().build()));
        assertEquals(2, result.levelsImported());
        assertEquals(List.of("levels 2 to 2 not imported: dataset '2' has shape (1, 1); a jpkl level of (3, 3) is (2, 2) (y and x halved,"
                + " rounding up)"), result.notes());
    }

    private String refusal(String zarray) throws IOException {
        Path zarr = Files.createTempDirectory(dir, "h");
        array(zarr, zarray, Map.of());
        return assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("h.jpkl"),
                ZarrImportOptions.defaults().writeOptions(identity().build()))).getMessage().replace(zarr + "/", "");
    }

    @Test
    void hostileZarrayIsRefusedNamingKeyAndValue() throws IOException {
        assertEquals(".zarray: shape: [-1,4]: entry 0 (-1) is not an integer >= 0",
                refusal(zarray("[-1, 4]", "[1, 4]", "<u2", "C", "0", "null", null)));
        assertEquals(".zarray: shape: [2147483648, 4]: side 0 is 2147483648, above the 2147483647 a jpkl axis holds",
                refusal(zarray("[2147483648, 4]", "[1, 4]", "<u2", "C", "0", "null", null)));
        assertEquals(".zarray: chunks: [65536, 65536] of uint16: one chunk is larger than the limit of 536870912 bytes",
                refusal(zarray("[4, 4]", "[65536, 65536]", "<u2", "C", "0", "null", null)));
        assertEquals(".zarray: chunks: [0,4]: entry 0 (0) is not an integer >= 1",
                refusal(zarray("[4, 4]", "[0, 4]", "<u2", "C", "0", "null", null)));
        assertEquals(".zarray: chunks: [1.5,4]: entry 0 (1.5) is not an integer >= 1",
                refusal(zarray("[4, 4]", "[1.5, 4]", "<u2", "C", "0", "null", null)));
        assertEquals(".zarray: dtype: '<u8' is not a dtype jpkl holds (|u1, <u2, >u2, <i2, >i2, <i4, >i4, <f4, >f4, <f8, >f8)",
                refusal(zarray("[4, 4]", "[4, 4]", "<u8", "C", "0", "null", null)));
        assertEquals(".zarray: order: X is not \"C\" or \"F\"",
                refusal(zarray("[4, 4]", "[4, 4]", "<u2", "X", "0", "null", null)));
        assertEquals(".zarray: fill_value: 70000 is not a uint16 value",
                refusal(zarray("[4, 4]", "[4, 4]", "<u2", "C", "70000", "null", null)));
        assertEquals(".zarray: compressor: 'lzma' is not a compressor jpkl reads (null, zlib, gzip, zstd, blosc)",
                refusal(zarray("[4, 4]", "[4, 4]", "<u2", "C", "0", "{\"id\": \"lzma\"}", null)));
        assertEquals(".zarray: compressor: blosc with cname 'snappy' is not read by jpkl (blosc with lz4, lz4hc, zstd or zlib is)",
                refusal(zarray("[4, 4]", "[4, 4]", "<u2", "C", "0", "{\"id\": \"blosc\", \"cname\": \"snappy\", \"shuffle\": 1}", null)));
        assertEquals(".zarray: compressor: blosc with the bit shuffle (shuffle 2) is not read by jpkl (no shuffle, 0, and the byte"
                + " shuffle, 1, are)",
                refusal(zarray("[4, 4]", "[4, 4]", "<u2", "C", "0", "{\"id\": \"blosc\", \"cname\": \"lz4\", \"shuffle\": 2}", null)));
        assertEquals(".zarray: dimension_separator: '-' is not \".\" or \"/\"",
                refusal(zarray("[4, 4]", "[4, 4]", "<u2", "C", "0", "null", "-")));
        assertEquals(".zarray: shape: [4] has 1 axes; jpkl holds 2 to 32",
                refusal(zarray("[4]", "[4]", "<u2", "C", "0", "null", null)));
        assertEquals(".zarray: zarr_format: 3 is not 2; jpkl reads Zarr v2 arrays",
                refusal("{\"zarr_format\": 3, \"shape\": [4, 4]}"));
        assertEquals(".zarray: filters: [{\"id\":\"delta\",\"dtype\":\"<u2\"}]: jpkl reads arrays without filters (null)",
                refusal("{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [4, 4], \"dtype\": \"<u2\", \"order\": \"C\", \"fill_value\": 0,"
                        + " \"compressor\": null, \"filters\": [{\"id\": \"delta\", \"dtype\": \"<u2\"}]}"));
        assertEquals(".zarray: metadata: is not valid JSON: java.io.EOFException: End of input at line 1 column 34 path $.shape[2]",
                refusal("{\"zarr_format\": 2, \"shape\": [4, 4"));
    }

    @Test
    void hostileZattrsAndChunksAreRefused() throws IOException {
        Path zarr = dir.resolve("z.zarr");
        array(zarr.resolve("0"), zarray("[4, 4]", "[2, 2]", "<u2", "C", "0", "{\"id\": \"zlib\", \"level\": 1}", null),
                Map.of("0.0", new byte[] {1, 2, 3}, "0.1", new byte[100000]));
        Files.writeString(zarr.resolve(".zattrs"), "{\"multiscales\": [{\"datasets\": [{\"path\": \"../../etc\"}]}]}");
        ZarrImportOptions options = ZarrImportOptions.defaults().writeOptions(identity().build());
        assertEquals(zarr.resolve(".zattrs") + ": multiscales datasets: path \"../../etc\" is not a relative path of names (letters,"
                + " digits, '.', '_', '-'; no '..')",
                assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options)).getMessage());
        Files.writeString(zarr.resolve(".zattrs"), "{\"multiscales\": [{\"axes\": [\"y\", \"y\"], \"datasets\": [{\"path\": \"0\"}]}]}");
        assertEquals(zarr.resolve(".zattrs") + ": multiscales axes: axis name 'y' appears twice",
                assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options)).getMessage());
        Files.writeString(zarr.resolve(".zattrs"), "{\"multiscales\": [{\"axes\": [\"y\", \"x\"], \"datasets\": [{\"path\": \"0\","
                + " \"coordinateTransformations\": [{\"type\": \"scale\", \"scale\": [1, -2]}]}]}]}");
        assertEquals(zarr.resolve(".zattrs") + ": datasets[0] coordinateTransformations: scale [1,-2]: entry 1 (-2) is not a positive"
                + " number",
                assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options)).getMessage());
        Files.writeString(zarr.resolve(".zattrs"), "{\"multiscales\": [{\"axes\": [\"y\", \"x\"], \"datasets\": [{\"path\": \"0\"}]}]}");
        assertEquals(zarr.resolve("0/0.0") + ": chunk: zlib stream is damaged: incorrect header check",
                assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options)).getMessage());
        Files.write(zarr.resolve("0/0.0"), zlib(new byte[9]));
        assertEquals(zarr.resolve("0/0.0") + ": chunk: zlib chunk decodes to more than the 8 bytes expected",
                assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options)).getMessage());
        Files.write(zarr.resolve("0/0.0"), zlib(new byte[7]));
        assertEquals(zarr.resolve("0/0.0") + ": chunk: zlib chunk decodes to 7 bytes; expected 8",
                assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options)).getMessage());
        Files.write(zarr.resolve("0/0.0"), zlib(new byte[8]));
        assertEquals(zarr.resolve("0/0.1") + ": chunk: is 100000 bytes; a chunk of 8 bytes is stored in at most 4105",
                assertThrows(JpklFormatException.class, () -> OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options)).getMessage());
        assertFalse(Files.exists(dir.resolve("z.jpkl")));
        Files.delete(zarr.resolve("0/0.1"));
        OmeZarr.importZarr(jpkl, zarr, dir.resolve("z.jpkl"), options);
        try (JpklArray a = jpkl.open(dir.resolve("z.jpkl"))) {
            assertEquals(List.of("y", "x"), a.axisNames());
            assertEquals(NdArray.zeros(DType.UINT16, 4, 4), a.get("..."));
        }
    }

    private static byte[] zlib(byte[] raw) {
        return ChunkCodec.zlib(6).encode(raw, 1);
    }

    @Test
    void exportNeverReplacesAFileOrAForeignDirectoryAndLeavesNothingBehind() throws IOException {
        Path file = container("e.jpkl", NdArray.generate(DType.UINT8, new int[] {4, 4}, i -> i), identity().build());
        try (JpklArray a = jpkl.open(file)) {
            Path existingFile = dir.resolve("file.zarr");
            Files.writeString(existingFile, "keep");
            assertEquals(existingFile + ": exists and is not a directory; an OME-Zarr export never replaces a file",
                    assertThrows(FileAlreadyExistsException.class, () -> OmeZarr.exportArray(a, existingFile,
                            ZarrExportOptions.defaults().overwrite(true))).getMessage());
            assertEquals("keep", Files.readString(existingFile));
            Path foreign = dir.resolve("foreign");
            Files.createDirectory(foreign);
            Files.writeString(foreign.resolve("notes.txt"), "keep");
            assertEquals(foreign + ": is a non-empty directory; give overwrite (--overwrite) to replace it",
                    assertThrows(DirectoryNotEmptyException.class, () -> OmeZarr.exportArray(a, foreign,
                            ZarrExportOptions.defaults())).getMessage());
            assertEquals(foreign + ": is a non-empty directory without .zgroup or .zarray, not a Zarr store; an export replaces only a"
                    + " Zarr store",
                    assertThrows(DirectoryNotEmptyException.class, () -> OmeZarr.exportArray(a, foreign,
                            ZarrExportOptions.defaults().overwrite(true))).getMessage());
            Path zarr = dir.resolve("ok.zarr");
            OmeZarr.exportArray(a, zarr, ZarrExportOptions.defaults());
            OmeZarr.exportArray(a, zarr, ZarrExportOptions.defaults().overwrite(true).compressor(ZarrExportOptions.Compressor.NONE));
            assertEquals(NdArray.generate(DType.UINT8, new int[] {4, 4}, i -> i).toByteBuffer(ByteOrder.LITTLE_ENDIAN),
                    ByteBuffer.wrap(Files.readAllBytes(zarr.resolve("0/0/0"))));
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "temporary directories left");
            }
        }
    }

    @Test
    void optionsRefuseOutOfRangeValues() {
        assertEquals("level 23 is out of range [1, 22] for compressor zstd",
                assertThrows(IllegalArgumentException.class, () -> ZarrExportOptions.defaults().level(23)).getMessage());
        assertEquals("compressor 'lz4' is not one of zstd, zlib, blosc-lz4, none",
                assertThrows(IllegalArgumentException.class, () -> ZarrExportOptions.Compressor.parse("lz4")).getMessage());
        assertEquals("maxChunkBytes 0 is out of range [1, 2147483639]",
                assertThrows(IllegalArgumentException.class, () -> ZarrImportOptions.defaults().maxChunkBytes(0)).getMessage());
    }
}
