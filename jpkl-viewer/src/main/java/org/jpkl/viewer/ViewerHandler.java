package org.jpkl.viewer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.TileGrid;

/**
 * Answers every request of a {@link ViewerServer}: the page's static files and the read-only API.
 * Routing compares the raw path with a fixed table and splits it at {@code /} (no regular
 * expression, so no recursion however many segments a URL has); nothing in a URL is ever used as a
 * file name, so there is no path to traverse and no directory to list.
 *
 * <p>Every request gets an HTTP answer: a URL longer than {@link #MAX_URL_CHARS} is 414, a request
 * head above {@link #MAX_HEADER_BYTES} 431, and whatever fails inside (a {@code RuntimeException}, an
 * {@code OutOfMemoryError} from a hostile file, a {@code StackOverflowError}) is a 5xx answer with a
 * short body and one log line, never a dead connection or a dead worker thread.
 *
 * <p>Thread safety: thread-safe (immutable after construction).
 */
final class ViewerHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(ViewerHandler.class.getName());
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    /** The longest path plus query answered; longer is 414. A slice URL of 32 key axes needs under 400. */
    static final int MAX_URL_CHARS = 2048;
    /** The most bytes of header names and values answered (the JDK already refuses far larger heads); more is 431. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /**
     * The largest whole tiled plane the slice endpoint decodes and sends: 256 MiB. A larger tiled
     * plane (it may exceed any array) is refused (400) there and read through the tile endpoint, one
     * stored tile at a time. An untiled plane is one stored chunk, which fits one array: it is sent
     * whole, by either endpoint, as before.
     */
    static final long MAX_WHOLE_SLICE_BYTES = 256L << 20;
    private static final String FILES = "/api/files/";
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob: data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    /** The page's files: URL path to resource name and content type. */
    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/viewer.js", new String[] {"viewer.js", "text/javascript; charset=utf-8"},
            "/loader.js", new String[] {"loader.js", "text/javascript; charset=utf-8"},
            "/viewer.css", new String[] {"viewer.css", "text/css; charset=utf-8"});

    private final List<ServedFile> files;
    private final HostCheck hostCheck;
    private final GuardedExecutor guard;
    private final Semaphore decodeSlots;
    private final Map<String, byte[]> assetBytes = new LinkedHashMap<>();
    private final AtomicLong apiBodyBytes = new AtomicLong();

    /**
     * A handler serving {@code files}, answering the hosts {@code hostCheck} accepts, run by
     * {@code guard}'s threads, with at most {@code decodeThreads} requests reading slices at once.
     */
    ViewerHandler(List<ServedFile> files, HostCheck hostCheck, GuardedExecutor guard, int decodeThreads) {
        this.files = List.copyOf(files);
        this.hostCheck = hostCheck;
        this.guard = guard;
        this.decodeSlots = new Semaphore(decodeThreads, true);
        for (String[] asset : ASSETS.values()) {
            assetBytes.computeIfAbsent(asset[0], ViewerHandler::loadAsset);
        }
    }

    private static byte[] loadAsset(String name) {
        try (InputStream in = ViewerHandler.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the viewer's page file web/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!guard.requestRead()) {
            exchange.close(); // the request timeout struck: the connection is already closed
            return;
        }
        try (exchange) {
            Response response = answer(exchange);
            guard.responding();
            long sent = send(exchange, response);
            if (exchange.getRequestURI().getRawPath().startsWith("/api/")) {
                apiBodyBytes.addAndGet(sent);
            }
        }
    }

    /** Body bytes of every {@code /api/} answer sent so far (the page's own files not counted). */
    long apiBodyBytes() {
        return apiBodyBytes.get();
    }

    /** The answer to a request; never throws. */
    private Response answer(HttpExchange exchange) {
        try {
            decodeSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.error(503, "the viewer is stopping");
        }
        try {
            return route(exchange);
        } catch (HttpError e) {
            return Response.error(e.status(), e.getMessage());
        } catch (JpklFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "damaged slice: " + e.getMessage());
            return Response.error(500, "the slice cannot be read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            logOneLine(LOG, requestLine(exchange) + " failed", e);
            return Response.error(503, "the viewer ran out of memory answering this request");
        } catch (IOException | RuntimeException | Error e) {
            logOneLine(LOG, requestLine(exchange) + " failed", e);
            return Response.error(500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            decodeSlots.release();
        }
    }

    private static String requestLine(HttpExchange exchange) {
        String uri = exchange.getRequestURI().toString();
        return exchange.getRequestMethod() + " " + (uri.length() <= 100 ? uri : uri.substring(0, 100) + "...");
    }

    /**
     * Logs {@code what} and the throwable's class and message (cut short) on one line, without a
     * stack trace: hostile requests must not flood the log.
     */
    static void logOneLine(System.Logger log, String what, Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        log.log(System.Logger.Level.ERROR, "jpkl viewer: " + what + ": " + t.getClass().getName() + message);
    }

    private Response route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new HttpError(405, "method " + method + " is not allowed; the viewer is read-only (GET, HEAD)");
        }
        checkHead(exchange.getRequestHeaders());
        String path = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (path == null || !path.startsWith("/")) {
            throw new HttpError(400, "the request target must be a path starting with /");
        }
        if (path.length() + (rawQuery == null ? 0 : rawQuery.length()) > MAX_URL_CHARS) {
            throw new HttpError(414, "URL too long: " + path.length() + " characters of path and "
                    + (rawQuery == null ? 0 : rawQuery.length()) + " of query; at most " + MAX_URL_CHARS);
        }
        Map<String, String> query = parseQuery(rawQuery);
        String[] asset = ASSETS.get(path);
        if (asset != null) {
            requireNoQueryExcept(query);
            return new Response(200, asset[1], ByteBuffer.wrap(assetBytes.get(asset[0])))
                    .header("Cache-Control", "no-cache")
                    .header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        if (path.equals("/api/files")) {
            requireNoQueryExcept(query);
            List<Map<String, Object>> list = new ArrayList<>();
            for (ServedFile f : files) {
                list.add(f.summary());
            }
            return Response.json(GSON.toJson(list));
        }
        int slash = path.startsWith(FILES) ? path.indexOf('/', FILES.length()) : -1;
        if (slash > FILES.length()) {
            // /api/files/{i}/info or /api/files/{i}/slice followed by "" or /{k1}/{k2}...
            String index = path.substring(FILES.length(), slash);
            String rest = path.substring(slash);
            if (rest.equals("/info")) {
                requireNoQueryExcept(query);
                return Response.json(file(index).infoJson());
            }
            if (rest.equals("/slice") || rest.startsWith("/slice/")) {
                requireNoQueryExcept(query, "format");
                return slice(file(index), rest.substring("/slice".length()), query.getOrDefault("format", "auto"));
            }
            if (rest.startsWith("/tile/")) {
                requireNoQueryExcept(query, "format");
                return tile(file(index), rest.substring("/tile/".length()), query.getOrDefault("format", "auto"));
            }
        }
        throw new HttpError(404, "no such page or endpoint: " + path);
    }

    private Response slice(ServedFile file, String keyPath, String format) throws IOException {
        String[] parts = keyPath.isEmpty() ? new String[0] : keyPath.substring(1).split("/", -1);
        int[] key = key(file, parts, 0, "slice");
        long sliceNumber = sliceNumber(file, key);
        boolean jpeg = jpeg(format, file.storedJpegIsDisplayable(), file, "slices");
        if (!jpeg && file.isTiled() && file.planeBytes() > MAX_WHOLE_SLICE_BYTES) {
            int[] shape = file.planeShape();
            throw new HttpError(400, "the planes of file " + file.index() + " are " + shape[0] + " x " + shape[1] + " ("
                    + file.planeBytes() + " bytes), more than the slice endpoint sends (" + MAX_WHOLE_SLICE_BYTES
                    + "); fetch their tiles: /api/files/" + file.index() + "/tile/LEVEL/ROW/COLUMN/KEY...");
        }
        Response r = jpeg ? new Response(200, "image/jpeg", file.storedSlice(sliceNumber))
                : new Response(200, "application/octet-stream", file.rawSlice(key));
        return sampleHeaders(r, file, jpeg, file.planeShape()).header("X-Jpkl-Slice", Long.toString(sliceNumber));
    }

    /**
     * {@code LEVEL/ROW/COLUMN/K1/K2...}: one tile of one level of the plane at a key, as stored JPEG
     * or raw little-endian samples (as the slice endpoint). An untiled level is one tile.
     */
    private Response tile(ServedFile file, String tilePath, String format) throws IOException {
        String[] parts = tilePath.split("/", -1);
        if (parts.length != 3 + file.keyAxisCount()) {
            throw new HttpError(400, "the tile URL of file " + file.index() + " is /tile/LEVEL/ROW/COLUMN followed by "
                    + file.keyAxisCount() + " key positions; it gives " + parts.length + " numbers, expected "
                    + (3 + file.keyAxisCount()));
        }
        int level = nonNegativeInt(parts[0], "level");
        int row = nonNegativeInt(parts[1], "tile row");
        int column = nonNegativeInt(parts[2], "tile column");
        int[] key = key(file, parts, 3, "tile");
        if (level >= file.levelCount()) {
            throw new HttpError(404, "no level " + level + " in file " + file.index() + "; levels are 0 to " + (file.levelCount() - 1));
        }
        TileGrid grid = file.tileGrid(level);
        if (row >= grid.rows() || column >= grid.columns()) {
            throw new HttpError(404, "no tile (" + row + ", " + column + ") at level " + level + " of file " + file.index()
                    + "; its " + grid + " has rows 0 to " + (grid.rows() - 1) + " and columns 0 to " + (grid.columns() - 1));
        }
        long sliceNumber = sliceNumber(file, key);
        boolean jpeg = jpeg(format, file.storedTileJpegIsDisplayable(), file, "tiles");
        Response r = jpeg ? new Response(200, "image/jpeg", file.storedTile(level, sliceNumber, row, column))
                : new Response(200, "application/octet-stream", file.rawTile(level, key, row, column));
        return sampleHeaders(r, file, jpeg, file.tileShape(level, row, column))
                .header("X-Jpkl-Slice", Long.toString(sliceNumber))
                .header("X-Jpkl-Level", Integer.toString(level))
                .header("X-Jpkl-Origin", grid.y0(row) + "," + grid.x0(column));
    }

    /** The key positions {@code parts[from...]}: one per key axis, each a non-negative integer (400 otherwise). */
    private static int[] key(ServedFile file, String[] parts, int from, String what) {
        int count = parts.length - from;
        if (count != file.keyAxisCount()) {
            throw new HttpError(400, "file " + file.index() + " has " + file.keyAxisCount() + " key axes; the " + what + " URL gives "
                    + count + " positions");
        }
        int[] key = new int[count];
        for (int k = 0; k < count; k++) {
            key[k] = nonNegativeInt(parts[from + k], "key position " + k);
        }
        return key;
    }

    private static long sliceNumber(ServedFile file, int[] key) {
        try {
            return file.sliceNumber(key);
        } catch (IndexOutOfBoundsException e) {
            throw new HttpError(404, "no such slice in file " + file.index() + ": " + e.getMessage());
        }
    }

    /** Whether {@code format} (auto, jpeg, raw) asks for stored JPEG, which is offered when {@code storedJpeg}. */
    private static boolean jpeg(String format, boolean storedJpeg, ServedFile file, String what) {
        switch (format) {
            case "auto":
                return storedJpeg;
            case "jpeg":
                if (!storedJpeg) {
                    throw new HttpError(400, "format=jpeg is offered only for uint8 " + what + " of the jpeg codec"
                            + (file.storedTileJpegIsDisplayable() ? " stored whole; file " + file.index()
                                    + " is tiled (its tiles are offered as jpeg)" : "; file " + file.index() + " holds "
                                    + file.dtypeName() + " " + what) + "; use format=raw");
                }
                return true;
            case "raw":
                return false;
            default:
                throw new HttpError(400, "format (" + format + ") must be one of auto, jpeg, raw");
        }
    }

    private static Response sampleHeaders(Response r, ServedFile file, boolean jpeg, int[] shape) {
        StringBuilder shapeText = new StringBuilder();
        for (int s : shape) {
            shapeText.append(shapeText.length() == 0 ? "" : ",").append(s);
        }
        return r.header("Cache-Control", "no-store")
                .header("X-Jpkl-Format", jpeg ? "jpeg" : "raw")
                .header("X-Jpkl-Dtype", jpeg ? "uint8" : file.dtypeName())
                .header("X-Jpkl-Shape", shapeText.toString())
                .header("X-Jpkl-Byte-Order", "little-endian");
    }

    private ServedFile file(String indexText) {
        if (!DIGITS.matcher(indexText).matches()) {
            throw new HttpError(400, "file index (" + truncate(indexText) + ") must be a non-negative integer");
        }
        long i = Long.parseLong(indexText);
        if (i >= files.size()) {
            throw new HttpError(404, "no file " + i + "; files are numbered 0 to " + (files.size() - 1));
        }
        return files.get(Math.toIntExact(i));
    }

    private static int nonNegativeInt(String text, String what) {
        if (!DIGITS.matcher(text).matches() || Long.parseLong(text) > Integer.MAX_VALUE) {
            throw new HttpError(400, what + " (" + truncate(text) + ") must be a non-negative integer");
        }
        return Integer.parseInt(text);
    }

    /** Refuses an oversized request head (431) and a missing, repeated or foreign Host header (DNS rebinding). */
    private void checkHead(Headers headers) {
        long bytes = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                bytes += header.getKey().length() + (value == null ? 0 : value.length()) + 4;
            }
        }
        if (bytes > MAX_HEADER_BYTES) {
            throw new HttpError(431, "request headers too large: " + bytes + " bytes; at most " + MAX_HEADER_BYTES);
        }
        HostCheck.Refusal refusal = hostCheck.refusal(headers.get("Host"));
        if (refusal != null) {
            throw new HttpError(refusal.status(), refusal.message());
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            if (out.put(k, v) != null) {
                throw new HttpError(400, "query parameter " + truncate(k) + " is given twice");
            }
        }
        return out;
    }

    private static void requireNoQueryExcept(Map<String, String> query, String... allowed) {
        List<String> allowedList = List.of(allowed);
        for (String k : query.keySet()) {
            if (!allowedList.contains(k)) {
                throw new HttpError(400, "unknown query parameter " + truncate(k) + "; allowed: "
                        + (allowedList.isEmpty() ? "none" : String.join(", ", allowedList)));
            }
        }
    }

    /** Echoed input is cut short, so an error message never grows with a hostile URL. */
    static String truncate(String s) {
        return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "...'";
    }

    /** Sends the answer; returns the body bytes sent (0 for HEAD). */
    private static long send(HttpExchange exchange, Response r) throws IOException {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", r.contentType);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        r.headers.forEach(h::set);
        if (r.status == 405) {
            h.set("Allow", "GET, HEAD");
        }
        int length = r.body.remaining();
        if (exchange.getRequestMethod().equals("HEAD")) {
            h.set("Content-Length", Integer.toString(length));
            exchange.sendResponseHeaders(r.status, -1);
            return 0;
        }
        exchange.sendResponseHeaders(r.status, length == 0 ? -1 : length);
        if (length > 0) {
            OutputStream out = exchange.getResponseBody();
            ByteBuffer body = r.body;
            if (body.hasArray()) {
                out.write(body.array(), body.arrayOffset() + body.position(), length);
            } else {
                byte[] copy = new byte[length];
                body.get(copy);
                out.write(copy);
            }
        }
        return length;
    }

    /** A status, content type, extra headers and body. */
    private static final class Response {
        final int status;
        final String contentType;
        final ByteBuffer body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Response(int status, String contentType, ByteBuffer body) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }

        static Response json(String json) {
            return new Response(200, "application/json; charset=utf-8", ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                    .header("Cache-Control", "no-store");
        }

        static Response error(int status, String message) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", status);
            fields.put("error", message);
            String json = GSON.toJson(fields);
            return new Response(status, "application/json; charset=utf-8", ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                    .header("Cache-Control", "no-store");
        }

        Response header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    /** A request that cannot be answered, with its HTTP status. */
    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HttpError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
