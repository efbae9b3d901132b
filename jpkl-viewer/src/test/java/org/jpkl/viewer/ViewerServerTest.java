package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.JpklFormatException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's HTTP contract: content, content types, status codes for bad input, methods, concurrency. */
class ViewerServerTest {
    @TempDir
    static Path dir;

    private static final Jpkl JPKL = Jpkl.create();
    private static Path stack16;
    private static Path stack8;
    private static Path zyx32;
    private static Path rgb;
    private static Path jpeg16;
    private static Path single;
    private static ViewerServer server;
    private static URI base;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        stack16 = TestStacks.uint16Stack(JPKL, dir, 4, 2);
        stack8 = TestStacks.uint8JpegStack(JPKL, dir, 3, 2);
        zyx32 = TestStacks.float32ZYX(JPKL, dir);
        rgb = TestStacks.rgbJpeg(JPKL, dir);
        jpeg16 = TestStacks.uint16Jpeg(JPKL, dir);
        single = dir.resolve("single.jpkl");
        JPKL.save(org.jpkl.api.NdArray.generate(org.jpkl.api.DType.UINT16, new int[] {5, 7}, i -> i * 1000),
                single, org.jpkl.WriteOptions.builder().codec("png").build());
        server = ViewerServer.builder(JPKL).files(List.of(stack16, stack8, zyx32, rgb, jpeg16, single)).build();
        base = server.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return TestHttp.get(base, path);
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static String header(HttpResponse<?> r, String name) {
        return TestHttp.header(r, name);
    }

    private static byte[] bytes(ByteBuffer b) {
        return TestHttp.bytes(b);
    }

    @Test
    void listensOnLoopbackByDefault() {
        assertEquals("127.0.0.1", base.getHost());
        assertTrue(base.getPort() > 0);
        assertEquals("/", base.getPath());
    }

    @Test
    void listsTheFilesByNameOnly() throws Exception {
        HttpResponse<byte[]> r = get("/api/files");
        assertEquals(200, r.statusCode());
        assertEquals("application/json; charset=utf-8", header(r, "Content-Type"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        JsonArray list = JsonParser.parseString(body).getAsJsonArray();
        assertEquals(6, list.size());
        assertEquals("stack16.jpkl", list.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals("uint8", list.get(1).getAsJsonObject().get("dtype").getAsString());
        assertFalse(body.contains(dir.toString()), "the listing must not reveal folders: " + body);
    }

    @Test
    void infoDescribesAxesLayoutCodecAndMetadata() throws Exception {
        JsonObject info = json(get("/api/files/0/info"));
        assertEquals("[512,512,4,2]", info.get("shape").toString());
        assertEquals("uint16", info.get("dtype").getAsString());
        assertEquals("[\"y\",\"x\",\"z\",\"c\"]", info.get("axes").toString());
        assertEquals("deflate", info.get("codec").getAsString());
        assertEquals("[\"raw\"]", info.get("formats").toString());
        assertEquals(1, info.get("channelKeyAxis").getAsInt());
        JsonArray keys = info.getAsJsonArray("keyAxes");
        JsonObject z = keys.get(0).getAsJsonObject();
        assertEquals("z", z.get("name").getAsString());
        assertEquals(4, z.get("size").getAsInt());
        assertEquals("µm", z.get("unit").getAsString());
        assertEquals(0.5, z.get("scale").getAsDouble());
        assertEquals("[\"DAPI\",\"GFP\"]", keys.get(1).getAsJsonObject().get("values").toString());
        assertEquals(512, info.getAsJsonObject("plane").get("width").getAsInt());

        JsonObject jpeg = json(get("/api/files/1/info"));
        assertEquals("[\"jpeg\",\"raw\"]", jpeg.get("formats").toString());
        assertEquals("jpeg", jpeg.get("defaultFormat").getAsString());
        assertEquals(-1, jpeg.get("channelKeyAxis").getAsInt());
        JsonObject mapped = json(get("/api/files/4/info"));
        assertEquals("[\"raw\"]", mapped.get("formats").toString(), "uint16 JPEG slices hold 8-bit levels, not the data");
    }

    @Test
    void rawSliceIsTheDecodedPlaneLittleEndian() throws Exception {
        HttpResponse<byte[]> r = get("/api/files/0/slice/2/1?format=raw");
        assertEquals(200, r.statusCode());
        assertEquals("application/octet-stream", header(r, "Content-Type"));
        assertEquals("uint16", header(r, "X-Jpkl-Dtype"));
        assertEquals("512,512", header(r, "X-Jpkl-Shape"));
        assertEquals("raw", header(r, "X-Jpkl-Format"));
        assertEquals("5", header(r, "X-Jpkl-Slice"));
        try (JpklArray a = JPKL.open(stack16)) {
            assertArrayEquals(bytes(a.get(":, :, 2, 1").toByteBuffer(ByteOrder.LITTLE_ENDIAN)), r.body());
        }
        HttpResponse<byte[]> auto = get("/api/files/0/slice/2/1");
        assertEquals("raw", header(auto, "X-Jpkl-Format"), "a deflate file has no displayable stored form");
        assertArrayEquals(r.body(), auto.body());
    }

    @Test
    void rawSliceOfPlaneAxesLastIsRowMajor() throws Exception {
        HttpResponse<byte[]> r = get("/api/files/2/slice/3");
        assertEquals(200, r.statusCode());
        assertEquals("float32", header(r, "X-Jpkl-Dtype"));
        assertEquals("30,40", header(r, "X-Jpkl-Shape"));
        try (JpklArray a = JPKL.open(zyx32)) {
            assertArrayEquals(bytes(a.get("3, :, :").toByteBuffer(ByteOrder.LITTLE_ENDIAN)), r.body());
        }
    }

    @Test
    void aSinglePlaneHasNoKeyPositions() throws Exception {
        JsonObject info = json(get("/api/files/5/info"));
        assertEquals("[]", info.get("keyAxes").toString());
        assertEquals(1, info.get("sliceCount").getAsInt());
        HttpResponse<byte[]> r = get("/api/files/5/slice");
        assertEquals(200, r.statusCode());
        assertEquals("5,7", header(r, "X-Jpkl-Shape"));
        try (JpklArray a = JPKL.open(single)) {
            assertArrayEquals(bytes(a.get("...").toByteBuffer(ByteOrder.LITTLE_ENDIAN)), r.body());
        }
        assertStatus(400, "/api/files/5/slice/0", "has 0 key axes; the slice URL gives 1 positions");
    }

    @Test
    void rgbSliceIsInterleaved() throws Exception {
        HttpResponse<byte[]> r = get("/api/files/3/slice/1?format=raw");
        assertEquals("24,32,3", header(r, "X-Jpkl-Shape"));
        try (JpklArray a = JPKL.open(rgb)) {
            assertArrayEquals(a.get(":, :, :, 1").toByteArray(), r.body());
        }
    }

    @Test
    void uint8JpegSliceIsSentAsStored() throws Exception {
        HttpResponse<byte[]> r = get("/api/files/1/slice/2/1");
        assertEquals(200, r.statusCode());
        assertEquals("image/jpeg", header(r, "Content-Type"));
        assertEquals("jpeg", header(r, "X-Jpkl-Format"));
        try (JpklArray a = JPKL.open(stack8)) {
            long n = a.header().keySpace().sliceNumber(2, 1);
            assertArrayEquals(bytes(a.readEncodedSlice(n)), r.body());
            assertEquals(0xFF, r.body()[0] & 0xFF);
            assertEquals(0xD8, r.body()[1] & 0xFF);
            HttpResponse<byte[]> raw = get("/api/files/1/slice/2/1?format=raw");
            assertEquals("application/octet-stream", header(raw, "Content-Type"));
            assertArrayEquals(a.get(":, :, 2, 1").toByteArray(), raw.body());
        }
        assertArrayEquals(r.body(), get("/api/files/1/slice/2/1?format=jpeg").body());
    }

    @Test
    void mappedJpegSlicesAreSentAsData() throws Exception {
        HttpResponse<byte[]> auto = get("/api/files/4/slice/1");
        assertEquals("raw", header(auto, "X-Jpkl-Format"));
        assertEquals("uint16", header(auto, "X-Jpkl-Dtype"));
        try (JpklArray a = JPKL.open(jpeg16)) {
            assertArrayEquals(bytes(a.get(":, :, 1").toByteBuffer(ByteOrder.LITTLE_ENDIAN)), auto.body());
        }
        HttpResponse<byte[]> jpeg = get("/api/files/4/slice/1?format=jpeg");
        assertEquals(400, jpeg.statusCode());
        assertTrue(json(jpeg).get("error").getAsString().contains("format=jpeg is offered only for uint8"), json(jpeg).toString());
    }

    @Test
    void rangeAndSyntaxErrors() throws Exception {
        assertStatus(404, "/api/files/0/slice/4/0", "no such slice");
        assertStatus(404, "/api/files/0/slice/0/2", "out of bounds for axis 3 with size 2");
        assertStatus(404, "/api/files/6/info", "no file 6; files are numbered 0 to 5");
        assertStatus(404, "/api/files/9999999999/info", "no file 9999999999");
        assertStatus(400, "/api/files/99999999999/info", "non-negative integer");
        assertStatus(400, "/api/files/0/slice/3000000000/0", "key position 0 ('3000000000') must be a non-negative integer");
        assertStatus(400, "/api/files/x/info", "file index ('x') must be a non-negative integer");
        assertStatus(400, "/api/files/-1/info", "must be a non-negative integer");
        assertStatus(400, "/api/files/0/slice/1", "has 2 key axes; the slice URL gives 1 positions");
        assertStatus(400, "/api/files/0/slice/1/0/0", "gives 3 positions");
        assertStatus(400, "/api/files/0/slice/-1/0", "key position 0 ('-1') must be a non-negative integer");
        assertStatus(400, "/api/files/0/slice/1.5/0", "must be a non-negative integer");
        assertStatus(400, "/api/files/0/slice/1/", "key position 1 ('')");
        assertStatus(400, "/api/files/0/slice/0/0?format=bmp", "format (bmp) must be one of auto, jpeg, raw");
        assertStatus(400, "/api/files/0/slice/0/0?fmt=raw", "unknown query parameter 'fmt'");
        assertStatus(400, "/api/files?x=1", "unknown query parameter");
        assertStatus(400, "/api/files/0/slice/0/0?format=raw&format=jpeg", "given twice");
        assertStatus(404, "/api/files/0", "no such page");
        assertStatus(404, "/api", "no such page");
        assertStatus(404, "/nothing.html", "no such page");
    }

    @Test
    void unknownOrErroneousUrlsGetJsonErrors() throws Exception {
        HttpResponse<byte[]> r = get("/api/files/0/slice/9/9");
        assertEquals("application/json; charset=utf-8", header(r, "Content-Type"));
        assertEquals(404, json(r).get("status").getAsInt());
    }

    private static void assertStatus(int status, String path, String messagePart) throws Exception {
        TestHttp.assertStatus(base, status, path, messagePart);
    }

    @Test
    void noFileSystemPathsAndNoDirectoryListing() throws Exception {
        for (String path : new String[] {"/web/", "/web/viewer.js", "/org/jpkl/viewer/web/viewer.js", "/../pom.xml",
            "/api/files/0/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/viewer.js/", "/api/files/", "/" + dir.resolve("stack16.jpkl")}) {
            RawResponse r = raw("GET", path, "127.0.0.1:" + base.getPort());
            assertEquals(404, r.status, path + " -> " + r.body);
            assertFalse(r.body.contains("root:"), path);
        }
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"}) {
            RawResponse r = raw(method, "/api/files/0/slice/0/0", "127.0.0.1:" + base.getPort());
            assertEquals(405, r.status, method);
            assertEquals("GET, HEAD", r.headers.get("allow"), method);
        }
        HttpResponse<byte[]> post = client.send(HttpRequest.newBuilder(base.resolve("/api/files"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
    }

    @Test
    void headGivesTheHeadersWithoutBody() throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve("/api/files/0/slice/1/1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals(Integer.toString(512 * 512 * 2), header(r, "Content-Length"));
        assertEquals("uint16", header(r, "X-Jpkl-Dtype"));
    }

    @Test
    void foreignHostHeaderIsRefusedOnLoopback() throws Exception {
        assertEquals(403, raw("GET", "/api/files", "attacker.example").status);
        assertEquals(403, raw("GET", "/api/files", "attacker.example:" + base.getPort()).status);
        assertEquals(200, raw("GET", "/api/files", "localhost:" + base.getPort()).status);
        assertEquals(200, raw("GET", "/api/files", "127.0.0.1:" + base.getPort()).status);
        assertEquals(200, raw("GET", "/api/files", "[::1]:" + base.getPort()).status);
    }

    @Test
    void pageFilesHaveTheirContentTypesAndPolicy() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
        assertTrue(header(page, "Content-Security-Policy").contains("default-src 'self'"));
        assertEquals("nosniff", header(page, "X-Content-Type-Options"));
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script src=\"viewer.js\""), html);
        assertFalse(html.contains("http://") || html.contains("https://"), "the page must load nothing from elsewhere");
        assertEquals("text/javascript; charset=utf-8", header(get("/viewer.js"), "Content-Type"));
        assertEquals("text/css; charset=utf-8", header(get("/viewer.css"), "Content-Type"));
        assertArrayEquals(page.body(), get("/index.html").body());
        String js = new String(get("/viewer.js").body(), StandardCharsets.UTF_8);
        assertFalse(js.contains("http://") || js.contains("https://"), "the script must load nothing from elsewhere");
    }

    @Test
    void concurrentRequestsAllGetTheirOwnSlice() throws Exception {
        byte[][] expected = new byte[8][];
        try (JpklArray a = JPKL.open(stack16)) {
            for (int n = 0; n < 8; n++) {
                expected[n] = bytes(a.get(":, :, " + n / 2 + ", " + n % 2).toByteBuffer(ByteOrder.LITTLE_ENDIAN));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                int n = i % 8;
                int kind = i % 3;
                results.add(pool.submit(() -> {
                    if (kind == 0) {
                        HttpResponse<byte[]> r = get("/api/files/0/slice/" + n / 2 + "/" + n % 2);
                        assertEquals(200, r.statusCode());
                        assertArrayEquals(expected[n], r.body(), "slice " + n);
                    } else if (kind == 1) {
                        HttpResponse<byte[]> r = get("/api/files/1/slice/" + n % 3 + "/" + n % 2);
                        assertEquals(200, r.statusCode());
                        assertEquals("image/jpeg", header(r, "Content-Type"));
                    } else {
                        assertEquals(404, get("/api/files/0/slice/" + (4 + n) + "/0").statusCode());
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void startTwiceAndBadBuilderArgumentsAreRefused() throws IOException {
        assertThrows(IllegalStateException.class, () -> server.start());
        IllegalArgumentException noFiles = assertThrows(IllegalArgumentException.class, () -> ViewerServer.builder(JPKL).build());
        assertTrue(noFiles.getMessage().contains("at least one"));
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class, () -> ViewerServer.builder(JPKL).port(70000));
        assertEquals("port (70000) must be in [0, 65535]", port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ViewerServer.builder(JPKL).threads(0));
        assertThrows(IllegalArgumentException.class, () -> ViewerServer.builder(JPKL).cacheBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> ViewerServer.builder(JPKL).bindAddress("no.such.host.invalid"));
        try (ViewerServer unstarted = ViewerServer.builder(JPKL).file(stack16).build()) {
            assertThrows(IllegalStateException.class, unstarted::url);
        }
    }

    @Test
    void aFileThatIsNotAContainerFailsStart() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.jpkl"), "not a container");
        try (ViewerServer s = ViewerServer.builder(JPKL).file(stack16).file(bogus).build()) {
            JpklFormatException e = assertThrows(JpklFormatException.class, s::start);
            assertTrue(e.getMessage().contains("bogus.jpkl"), e.getMessage());
            assertThrows(IllegalStateException.class, s::url);
        }
    }

    /** A response read from a hand-written request (the JDK client refuses some methods and Host headers). */
    private static final class RawResponse {
        int status;
        final java.util.Map<String, String> headers = new java.util.HashMap<>();
        String body = "";
    }

    private static RawResponse raw(String method, String path, String host) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            RawResponse r = new RawResponse();
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end < 0 ? text.length() : end).split("\r\n");
            r.status = Integer.parseInt(lines[0].split(" ")[1]);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                r.headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            r.body = end < 0 ? "" : text.substring(end + 4);
            return r;
        }
    }
}
