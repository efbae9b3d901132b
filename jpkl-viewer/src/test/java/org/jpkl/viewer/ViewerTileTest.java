package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.Index;
import org.jpkl.api.TileGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tile endpoint {@code /api/files/{i}/tile/LEVEL/ROW/COLUMN/KEY...}: every tile of every level
 * is exactly the region {@link JpklArray#level(int)} reads (raw) or the stored chunk (JPEG); untiled
 * planes are one tile; bad input gets 400 or 404 with a message; a plane larger than any array opens
 * and serves tiles while the whole-slice endpoint refuses it.
 */
class ViewerTileTest {
    @TempDir
    static Path dir;

    private static final Jpkl JPKL = Jpkl.create();
    private static Path tiled16;
    private static Path tiled8;
    private static Path rgbFirst;
    private static Path stack16;
    private static Path huge;
    private static Path untiledLevels;
    private static ViewerServer server;
    private static URI base;

    @BeforeAll
    static void start() throws IOException {
        tiled16 = TestStacks.tiledLevels16(JPKL, dir);
        tiled8 = TestStacks.tiledJpeg8(JPKL, dir);
        rgbFirst = TestStacks.tiledRgbFirst(JPKL, dir);
        stack16 = TestStacks.uint16Stack(JPKL, dir, 2, 2);
        huge = TestStacks.hugeConstantPlane(JPKL, dir, 77, 7);
        untiledLevels = dir.resolve("untiled-levels.jpkl");
        JPKL.save(org.jpkl.api.NdArray.generate(org.jpkl.api.DType.FLOAT32, new int[] {600, 800}, i -> (i % 977) * 0.5 - 3),
                untiledLevels, org.jpkl.WriteOptions.builder().codec("deflate").noTiles().levels(2).build());
        server = ViewerServer.builder(JPKL).files(List.of(tiled16, tiled8, rgbFirst, stack16, huge, untiledLevels)).build();
        base = server.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return TestHttp.get(base, path);
    }

    private static JsonObject info(int file) throws Exception {
        return JsonParser.parseString(new String(get("/api/files/" + file + "/info").body(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static String header(HttpResponse<?> r, String name) {
        return TestHttp.header(r, name);
    }

    private static byte[] bytes(ByteBuffer b) {
        return TestHttp.bytes(b);
    }

    /** The region of level k at a key read by jpkl, as little-endian bytes in the array's axis order. */
    private static byte[] region(JpklArray level, int y0, int h, int x0, int w, int... key) throws IOException {
        Index[] items = new Index[level.ndim()];
        int k = 0;
        for (int axis = 0; axis < level.ndim(); axis++) {
            if (axis == level.layout().yAxis()) {
                items[axis] = Index.range(y0, y0 + h);
            } else if (axis == level.layout().xAxis()) {
                items[axis] = Index.range(x0, x0 + w);
            } else if (level.layout().isPlaneAxis(axis)) {
                items[axis] = Index.all();
            } else {
                items[axis] = Index.at(key[k++]);
            }
        }
        return bytes(level.get(items).toByteBuffer(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void infoListsTheLevelsTheirTileGridsAndThePixelSize() throws Exception {
        JsonObject tiled = info(0);
        assertTrue(tiled.get("tiled").getAsBoolean());
        assertEquals(0.65, tiled.get("pixelSizeUm").getAsDouble());
        JsonArray levels = tiled.getAsJsonArray("levels");
        assertEquals(4, levels.size());
        int[][] expected = {{300, 500, 64, 96, 5, 6}, {150, 250, 64, 96, 3, 3}, {75, 125, 64, 96, 2, 2}, {38, 63, 64, 96, 1, 1}};
        for (int k = 0; k < 4; k++) {
            JsonObject l = levels.get(k).getAsJsonObject();
            int[] got = {l.get("height").getAsInt(), l.get("width").getAsInt(), l.get("tileHeight").getAsInt(), l.get("tileWidth").getAsInt(),
                l.get("rows").getAsInt(), l.get("columns").getAsInt()};
            assertArrayEquals(expected[k], got, "level " + k);
        }
        assertEquals("[\"raw\"]", tiled.get("tileFormats").toString());
        assertEquals("[\"jpeg\",\"raw\"]", info(1).get("tileFormats").toString());
        assertEquals("[\"raw\"]", info(1).get("formats").toString(), "whole tiled slices are not stored JPEG");

        JsonObject untiled = info(3);
        assertTrue(untiled.get("pixelSizeUm").isJsonNull(), "no pixel_size_um in the metadata");
        assertEquals("[{\"height\":512,\"width\":512,\"tileHeight\":512,\"tileWidth\":512,\"rows\":1,\"columns\":1}]",
                untiled.getAsJsonArray("levels").toString(), "an untiled plane without levels is one tile");
    }

    @Test
    void everyTileOfEveryLevelIsTheRegionJpklReads() throws Exception {
        try (JpklArray a = JPKL.open(tiled16)) {
            for (int k = 0; k < a.levelCount(); k++) {
                JpklArray level = a.level(k);
                TileGrid grid = level.tiling().orElseThrow();
                for (int z : new int[] {0, 2}) {
                    for (int r = 0; r < grid.rows(); r++) {
                        for (int c = 0; c < grid.columns(); c++) {
                            HttpResponse<byte[]> t = get("/api/files/0/tile/" + k + "/" + r + "/" + c + "/" + z);
                            String what = "level " + k + " tile (" + r + ", " + c + ") z " + z;
                            assertEquals(200, t.statusCode(), what + ": " + new String(t.body(), StandardCharsets.UTF_8));
                            assertArrayEquals(region(level, grid.y0(r), grid.heightOf(r), grid.x0(c), grid.widthOf(c), z), t.body(), what);
                            assertEquals("raw", header(t, "X-Jpkl-Format"));
                            assertEquals("uint16", header(t, "X-Jpkl-Dtype"));
                            assertEquals(grid.heightOf(r) + "," + grid.widthOf(c), header(t, "X-Jpkl-Shape"), what);
                            assertEquals(grid.y0(r) + "," + grid.x0(c), header(t, "X-Jpkl-Origin"), what);
                            assertEquals(Integer.toString(k), header(t, "X-Jpkl-Level"));
                            assertEquals(Integer.toString(z), header(t, "X-Jpkl-Slice"));
                        }
                    }
                }
            }
        }
    }

    @Test
    void jpegTilesAreSentAsStoredAndRawOnRequest() throws Exception {
        try (JpklArray a = JPKL.open(tiled8)) {
            for (int k = 0; k < a.levelCount(); k++) {
                JpklArray level = a.level(k);
                TileGrid grid = level.tiling().orElseThrow();
                int r = grid.rows() - 1;
                int c = grid.columns() - 1;
                HttpResponse<byte[]> stored = get("/api/files/1/tile/" + k + "/" + r + "/" + c + "/1");
                assertEquals(200, stored.statusCode());
                assertEquals("image/jpeg", header(stored, "Content-Type"));
                assertEquals("jpeg", header(stored, "X-Jpkl-Format"));
                long chunk = 1 * grid.tilesPerPlane() + (long) r * grid.columns() + c;
                assertArrayEquals(bytes(level.readEncodedSlice(chunk)), stored.body(), "level " + k + ": the stored tile, as stored");
                HttpResponse<byte[]> raw = get("/api/files/1/tile/" + k + "/" + r + "/" + c + "/1?format=raw");
                assertArrayEquals(region(level, grid.y0(r), grid.heightOf(r), grid.x0(c), grid.widthOf(c), 1), raw.body(), "level " + k);
            }
        }
    }

    @Test
    void rgbTilesWithTheColourAxisFirstAreInterleaved() throws Exception {
        try (JpklArray a = JPKL.open(rgbFirst)) {
            for (int k = 0; k < 2; k++) {
                JpklArray level = a.level(k);
                TileGrid grid = level.tiling().orElseThrow();
                int r = grid.rows() - 1;
                int c = 1;
                byte[] body = get("/api/files/2/tile/" + k + "/" + r + "/" + c).body();
                byte[] chw = region(level, grid.y0(r), grid.heightOf(r), grid.x0(c), grid.widthOf(c));
                int n = grid.heightOf(r) * grid.widthOf(c);
                assertEquals(3 * n, body.length);
                for (int i = 0; i < n; i++) {
                    for (int s = 0; s < 3; s++) {
                        assertEquals(chw[s * n + i], body[3 * i + s], "level " + k + " pixel " + i + " sample " + s);
                    }
                }
            }
        }
    }

    @Test
    void anUntiledPlaneIsOneTile() throws Exception {
        HttpResponse<byte[]> tile = get("/api/files/3/tile/0/0/0/1/1");
        HttpResponse<byte[]> slice = get("/api/files/3/slice/1/1?format=raw");
        assertEquals(200, tile.statusCode());
        assertArrayEquals(slice.body(), tile.body());
        assertEquals("512,512", header(tile, "X-Jpkl-Shape"));
    }

    @Test
    void eachUntiledLevelIsOneTile() throws Exception {
        assertEquals("[{\"height\":600,\"width\":800,\"tileHeight\":600,\"tileWidth\":800,\"rows\":1,\"columns\":1},"
                + "{\"height\":300,\"width\":400,\"tileHeight\":300,\"tileWidth\":400,\"rows\":1,\"columns\":1},"
                + "{\"height\":150,\"width\":200,\"tileHeight\":150,\"tileWidth\":200,\"rows\":1,\"columns\":1}]",
                info(5).getAsJsonArray("levels").toString());
        try (JpklArray a = JPKL.open(untiledLevels)) {
            for (int k = 0; k < 3; k++) {
                HttpResponse<byte[]> t = get("/api/files/5/tile/" + k + "/0/0");
                assertEquals("float32", header(t, "X-Jpkl-Dtype"));
                assertArrayEquals(bytes(a.level(k).get(":, :").toByteBuffer(ByteOrder.LITTLE_ENDIAN)), t.body(), "level " + k);
            }
        }
        assertStatus(404, "/api/files/5/tile/1/0/1", "no tile (0, 1) at level 1 of file 5");
    }

    @Test
    void badTileRequestsGetClearErrors() throws Exception {
        assertStatus(400, "/api/files/0/tile/x/0/0/0", "level ('x') must be a non-negative integer");
        assertStatus(400, "/api/files/0/tile/0/-1/0/0", "tile row ('-1') must be a non-negative integer");
        assertStatus(400, "/api/files/0/tile/0/0/99999999999/0", "tile column ('99999999999') must be a non-negative integer");
        assertStatus(400, "/api/files/0/tile/0/0/3000000000/0", "tile column ('3000000000') must be a non-negative integer");
        assertStatus(400, "/api/files/0/tile/0/0/0", "it gives 3 numbers, expected 4");
        assertStatus(400, "/api/files/0/tile/0/0/0/0/0", "it gives 5 numbers, expected 4");
        assertStatus(400, "/api/files/0/tile/0/0/0/", "key position 0 ('')");
        assertStatus(404, "/api/files/0/tile/4/0/0/0", "no level 4 in file 0; levels are 0 to 3");
        assertStatus(404, "/api/files/0/tile/0/5/0/0", "no tile (5, 0) at level 0 of file 0; its 64x96 tiles (5 x 6) of a 300x500 plane "
                + "has rows 0 to 4 and columns 0 to 5");
        assertStatus(404, "/api/files/0/tile/3/0/1/0", "no tile (0, 1) at level 3");
        assertStatus(404, "/api/files/0/tile/0/0/0/3", "no such slice in file 0");
        assertStatus(400, "/api/files/0/tile/0/0/0/0?format=jpeg", "format=jpeg is offered only for uint8 tiles of the jpeg codec; "
                + "file 0 holds uint16 tiles; use format=raw");
        assertStatus(400, "/api/files/0/tile/0/0/0/0?format=png", "format (png) must be one of auto, jpeg, raw");
        assertStatus(400, "/api/files/0/tile/0/0/0/0?level=1", "unknown query parameter 'level'; allowed: format");
        assertStatus(400, "/api/files/1/slice/0?format=jpeg", "format=jpeg is offered only for uint8 slices of the jpeg codec stored "
                + "whole; file 1 is tiled (its tiles are offered as jpeg); use format=raw");
    }

    @Test
    void aPlaneLargerThanAnyArrayOpensServesTilesAndRefusesWholeSlices() throws Exception {
        JsonObject i = info(4);
        assertEquals(131_072, i.getAsJsonObject("plane").get("width").getAsInt());
        assertEquals(8, i.getAsJsonArray("levels").size());
        JsonObject top = i.getAsJsonArray("levels").get(7).getAsJsonObject();
        assertEquals(1, top.get("rows").getAsInt(), "level 7 is one 1024 x 1024 tile");

        long before = server.apiBytesSent();
        HttpResponse<byte[]> corner = get("/api/files/4/tile/0/127/127");
        assertEquals(200, corner.statusCode());
        assertEquals(1024 * 1024, corner.body().length);
        for (byte b : corner.body()) {
            assertEquals(77, b);
        }
        assertEquals("130048,130048", header(corner, "X-Jpkl-Origin"));
        assertEquals(1024 * 1024, server.apiBytesSent() - before, "the counter counts the bodies of API answers");

        HttpResponse<byte[]> whole = get("/api/files/4/slice");
        String body = new String(whole.body(), StandardCharsets.UTF_8);
        assertEquals(400, whole.statusCode(), body);
        assertTrue(body.contains("the planes of file 4 are 131072 x 131072 (17179869184 bytes), more than the slice endpoint sends "
                + "(268435456); fetch their tiles: /api/files/4/tile/LEVEL/ROW/COLUMN/KEY..."), body);
    }

    @Test
    void thePixelSizeIsAPositiveNumberOrNothing() {
        assertEquals(0.65, ServedFile.pixelSizeUm(java.util.Map.of("pixel_size_um", 0.65)));
        assertEquals(2.0, ServedFile.pixelSizeUm(java.util.Map.of("pixel_size_um", 2L)));
        for (Object bad : new Object[] {"0.65", 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, List.of(0.5, 0.5), true}) {
            assertEquals(null, ServedFile.pixelSizeUm(java.util.Map.of("pixel_size_um", bad)), String.valueOf(bad));
        }
        assertEquals(null, ServedFile.pixelSizeUm(java.util.Map.of()));
    }

    private static void assertStatus(int status, String path, String messagePart) throws Exception {
        TestHttp.assertStatus(base, status, path, messagePart);
    }
}
