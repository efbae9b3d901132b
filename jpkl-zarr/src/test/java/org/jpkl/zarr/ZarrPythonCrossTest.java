package org.jpkl.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpkl's OME-Zarr against zarr-python 2.13 and dask (Debian's python3-zarr, python3-dask,
 * python3-numcodecs): zarr-python and dask open our exports (every dtype, every compressor, levels,
 * tiles, an RGB container, jpkl's plane-first layout) with the shapes, axes, scales and every value
 * of every level; zarr-python and dask write datasets (default Blosc lz4, zlib in F order and big
 * endian, zstd with a NaN fill value and missing chunks, gzip nested, Blosc zstd/zlib/lz4hc, an OME
 * multiscale of 3 levels, dask's to_zarr) that jpkl imports exactly. Skipped with a message without
 * {@code /usr/bin/python3} and these modules, except under CI ({@code CI=true}), where that fails.
 */
class ZarrPythonCrossTest {
    private static final Gson GSON = new Gson();

    @TempDir
    static Path dir;

    private static Path script;
    private final Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());

    @BeforeAll
    static void requirePython() throws IOException {
        OptionalPieces.python("numpy", "zarr", "numcodecs", "dask");
        script = dir.resolve("zarr_py.py");
        try (InputStream in = ZarrPythonCrossTest.class.getResourceAsStream("zarr_py.py")) {
            Files.copy(in, script);
        }
    }

    private static WriteOptions.Builder identity() {
        return WriteOptions.builder().codec(IdentityCodec.ID);
    }

    @Test
    void zarrPythonAndDaskReadEveryValueOfEveryLevelOfOurExports() throws IOException, InterruptedException {
        Object[][] cases = {
            {NdArray.generate(DType.UINT16, new int[] {2, 3, 70, 83}, i -> (i * 7919) % 65536),
                identity().layout(PlaneLayout.of(2, 3)).tiles(32, 16).levels(3).axisNames("t", "z", "y", "x")
                    .metadata("spacing", Map.of("z", 2.5)).metadata("pixel_size_um", 0.325).metadata("time_unit", "s"),
                ZarrExportOptions.Compressor.ZSTD},
            {NdArray.generate(DType.FLOAT32, new int[] {45, 37, 2}, i -> i * 0.37 - 7),
                identity().noTiles().levels(2), ZarrExportOptions.Compressor.ZLIB},
            {NdArray.generate(DType.UINT8, new int[] {33, 17}, i -> (i * 131) % 256), identity().noTiles(),
                ZarrExportOptions.Compressor.NONE},
            {NdArray.generate(DType.INT16, new int[] {3, 50, 61}, i -> (i * 7919) % 60000 - 30000),
                identity().layout(PlaneLayout.of(1, 2)).tiles(16, 32).levels(1), ZarrExportOptions.Compressor.BLOSC_LZ4},
            {NdArray.generate(DType.UINT8, new int[] {2, 40, 35, 3}, i -> (i * 17) % 256),
                identity().layout(PlaneLayout.of(1, 2, 3)).tiles(16, 16).levels(1).axisNames("z", "y", "x", "c"),
                ZarrExportOptions.Compressor.BLOSC_LZ4},
            {NdArray.generate(DType.INT32, new int[] {2, 20, 21}, i -> i * 104729 - 1_000_000),
                identity().layout(PlaneLayout.of(1, 2)).noTiles(), ZarrExportOptions.Compressor.ZSTD},
            {NdArray.generate(DType.FLOAT64, new int[] {3, 19, 23}, i -> Math.sin(i) * 1e300),
                identity().layout(PlaneLayout.of(1, 2)).noTiles().levels(2), ZarrExportOptions.Compressor.ZLIB}};
        int n = 0;
        for (Object[] c : cases) {
            Path file = dir.resolve("e" + n + ".jpkl");
            jpkl.save((NdArray) c[0], file, ((WriteOptions.Builder) c[1]).build());
            Path zarr = dir.resolve("e" + n + ".zarr");
            ZarrExportOptions.Compressor compressor = (ZarrExportOptions.Compressor) c[2];
            try (JpklArray a = jpkl.open(file)) {
                OmeZarr.exportArray(a, zarr, ZarrExportOptions.defaults().compressor(compressor));
                JsonObject manifest = new JsonObject();
                int[] order = OmeZarr.omeOrder(a.header());
                manifest.add("order", GSON.toJsonTree(order));
                manifest.addProperty("dtype", ZarrArrayMeta.dtypeString(a.dtype()));
                manifest.add("compressor", compressor == ZarrExportOptions.Compressor.NONE ? null
                        : compressor.codec(compressor.defaultLevel()).toJson());
                JsonObject attrs = JsonParser.parseString(Files.readString(zarr.resolve(".zattrs"))).getAsJsonObject();
                JsonObject ms = attrs.getAsJsonArray("multiscales").get(0).getAsJsonObject();
                manifest.add("axes", ms.get("axes"));
                JsonArray levels = new JsonArray();
                for (int k = 0; k < a.levelCount(); k++) {
                    JpklArray level = a.level(k);
                    Path raw = dir.resolve("e" + n + "-" + k + ".bin");
                    Files.write(raw, level.get("...").toByteBuffer(ByteOrder.LITTLE_ENDIAN).array());
                    JsonObject l = new JsonObject();
                    l.addProperty("file", raw.toString());
                    l.add("container_shape", GSON.toJsonTree(level.shape()));
                    int[] chunks = new int[a.ndim()];
                    java.util.Arrays.fill(chunks, 1);
                    int[] shape = level.shape();
                    chunks[a.layout().yAxis()] = level.tiling().map(t -> Math.min(t.tileHeight(), shape[a.layout().yAxis()]))
                            .orElse(shape[a.layout().yAxis()]);
                    chunks[a.layout().xAxis()] = level.tiling().map(t -> Math.min(t.tileWidth(), shape[a.layout().xAxis()]))
                            .orElse(shape[a.layout().xAxis()]);
                    a.layout().channelAxis().ifPresent(ch -> chunks[ch] = shape[ch]);
                    l.add("chunks", GSON.toJsonTree(OmeZarr.permute(chunks, order)));
                    l.add("scale", ms.getAsJsonArray("datasets").get(k).getAsJsonObject().getAsJsonArray("coordinateTransformations")
                            .get(0).getAsJsonObject().get("scale"));
                    levels.add(l);
                }
                manifest.add("levels", levels);
                Path m = dir.resolve("e" + n + ".json");
                Files.writeString(m, manifest.toString());
                String out = OptionalPieces.run(script, "check", zarr.toString(), m.toString());
                assertTrue(out.startsWith("ok "), out);
            }
            n++;
        }
        JsonObject first = JsonParser.parseString(Files.readString(dir.resolve("e0.zarr/.zattrs"))).getAsJsonObject()
                .getAsJsonArray("multiscales").get(0).getAsJsonObject();
        // pixel_size_um alone gives the spatial axes micrometres.
        assertEquals("[{\"name\":\"t\",\"type\":\"time\",\"unit\":\"second\"},{\"name\":\"z\",\"type\":\"space\",\"unit\":"
                + "\"micrometer\"},{\"name\":\"y\",\"type\":\"space\",\"unit\":\"micrometer\"},{\"name\":\"x\",\"type\":\"space\","
                + "\"unit\":\"micrometer\"}]", first.get("axes").toString());
        assertEquals("[1.0,2.5,0.325,0.325]", first.getAsJsonArray("datasets").get(0).getAsJsonObject()
                .getAsJsonArray("coordinateTransformations").get(0).getAsJsonObject().get("scale").toString());
    }

    @Test
    void datasetsWrittenByZarrPythonAndDaskImportExactly() throws IOException, InterruptedException {
        Path out = Files.createDirectories(dir.resolve("py"));
        OptionalPieces.run(script, "write", out.toString());
        JsonArray manifest = JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonArray();
        assertEquals(10, manifest.size());
        List<String> names = new ArrayList<>();
        for (JsonElement e : manifest) {
            JsonObject entry = e.getAsJsonObject();
            String name = entry.get("name").getAsString();
            names.add(name);
            Path target = dir.resolve("py-" + name + ".jpkl");
            ZarrImport result = OmeZarr.importZarr(jpkl, Path.of(entry.get("path").getAsString()), target,
                    ZarrImportOptions.defaults().writeOptions(identity().build()));
            JsonArray levels = entry.getAsJsonArray("levels");
            assertEquals(List.of(), result.notes(), name);
            assertEquals(levels.size(), result.levelsImported(), name);
            DType dtype = ZarrArrayMeta.parse(JsonParser.parseString("{\"zarr_format\": 2, \"shape\": [1, 1], \"chunks\": [1, 1],"
                    + " \"dtype\": \"" + entry.get("dtype").getAsString() + "\", \"order\": \"C\", \"compressor\": null}")
                    .getAsJsonObject(), name, 1 << 20).dtype;
            try (JpklArray a = jpkl.open(target)) {
                assertEquals(dtype, a.dtype(), name);
                if (entry.has("axes")) {
                    assertEquals(GSON.fromJson(entry.get("axes"), List.class), a.axisNames(), name);
                }
                if (entry.has("metadata")) {
                    Map<?, ?> expected = GSON.fromJson(entry.get("metadata"), Map.class);
                    for (Map.Entry<?, ?> m : expected.entrySet()) {
                        assertEquals(m.getValue(), a.metadata().get((String) m.getKey()), name + " metadata " + m.getKey());
                    }
                }
                for (int k = 0; k < levels.size(); k++) {
                    JsonObject level = levels.get(k).getAsJsonObject();
                    int[] shape = GSON.fromJson(level.get("shape"), int[].class);
                    assertArrayEquals(shape, a.levelShape(k), name + " level " + k);
                    byte[] expected = Files.readAllBytes(Path.of(level.get("file").getAsString()));
                    ByteBuffer got = a.level(k).get("...").toByteBuffer(ByteOrder.LITTLE_ENDIAN);
                    assertEquals(ByteBuffer.wrap(expected), got, name + " level " + k + " differs");
                }
            }
        }
        assertEquals(List.of("default", "zlib-f", "zstd-fill", "gzip-nested", "blosc-zstd", "blosc-zlib", "blosc-lz4hc", "ome", "dask",
                "dask-ms"), names);
    }
}
