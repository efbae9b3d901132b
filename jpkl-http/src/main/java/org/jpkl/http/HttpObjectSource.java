package org.jpkl.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.jpkl.api.spi.support.RemoteSettings;

/**
 * One HTTP(S) resource read by ranged GETs ({@code Range: bytes=a-b}). Every answer is checked
 * strictly: a 206 must carry {@code Content-Range: bytes a-b/total} for exactly the range asked
 * (trimmed at the end of the object) and as many body bytes; a 200 to a ranged request (a server
 * ignoring {@code Range}) is refused unless it is the first request and the whole object fits in it,
 * so a large object is never downloaded whole.
 *
 * <p>Version: the strong ETag of the first response, sent as {@code If-Match} afterwards; without a
 * strong ETag, its {@code Last-Modified} date, sent as {@code If-Unmodified-Since} (a replacement within
 * the same second with the same size would not be seen); without either, only the size is checked.
 *
 * <p>Thread safety: concurrent reads allowed (the client is thread-safe).
 */
final class HttpObjectSource extends RemoteObjectSource {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18})");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d{1,18})");
    private static final String LAST_MODIFIED = "Last-Modified: ";
    private static final int COPY_BYTES = 64 << 10;

    private final HttpClient client;
    private final Duration timeout;

    HttpObjectSource(URI uri, RemoteSettings settings, HttpClient client, Duration timeout) throws IOException {
        super(uri, settings);
        this.client = client;
        this.timeout = timeout;
        connect();
    }

    @Override
    protected ObjectInfo fetch(long position, ByteBuffer dst, ObjectInfo pinned) throws IOException {
        long last = position + dst.remaining() - 1;
        String range = "bytes=" + position + "-" + last;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri()).GET().timeout(timeout).header("Range", range);
        if (pinned != null && pinned.version() != null) {
            if (pinned.version().startsWith(LAST_MODIFIED)) {
                request.header("If-Unmodified-Since", pinned.version().substring(LAST_MODIFIED.length()));
            } else {
                request.header("If-Match", pinned.version());
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new RetriableException(name() + ": no answer to GET " + range + " within " + timeout.toMillis()
                    + " ms (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException(name() + ": interrupted during GET " + range);
            io.initCause(e);
            throw io;
        } catch (IOException e) {
            String what = e instanceof java.net.ConnectException ? "cannot connect to " + uri().getHost() + ":"
                    + (uri().getPort() >= 0 ? uri().getPort() : "https".equalsIgnoreCase(uri().getScheme()) ? 443 : 80)
                    + " (" + describe(e) + ")" : describe(e);
            throw new RetriableException(name() + ": GET " + range + " failed: " + what, e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            String what = "HTTP " + status + " to GET " + range;
            switch (status) {
                case 206:
                    return partial(response, body, position, dst, what);
                case 200:
                    return whole(response, body, position, dst, what, pinned == null);
                case 416:
                    return unsatisfiable(response, position, what);
                case 404:
                case 410:
                    throw notFound(name(), "HTTP " + status);
                case 401:
                case 403:
                    throw forbidden(name(), "HTTP " + status);
                case 412:
                    throw changed(name(), "HTTP 412 Precondition Failed: "
                            + (pinned != null && pinned.version() != null && pinned.version().startsWith(LAST_MODIFIED)
                            ? "modified since " + pinned.version().substring(LAST_MODIFIED.length())
                            : "its ETag is no longer " + (pinned == null ? null : pinned.version())));
                case 408:
                case 425:
                case 429:
                case 500:
                case 502:
                case 503:
                case 504:
                    throw new RetriableException(name() + ": " + what);
                default:
                    throw new IOException(name() + ": unexpected " + what + (status >= 300 && status < 400
                            ? " (redirect not followed: " + response.headers().firstValue("Location").orElse("no Location") + ")" : ""));
            }
        }
    }

    private ObjectInfo partial(HttpResponse<?> response, InputStream body, long position, ByteBuffer dst, String what)
            throws IOException {
        String header = response.headers().firstValue("Content-Range").orElseThrow(() -> new IOException(name()
                + ": " + what + " has no Content-Range header"));
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw new IOException(name() + ": " + what + " has Content-Range '" + header
                    + "', expected 'bytes FIRST-LAST/TOTAL' with a known total");
        }
        long first = Long.parseLong(m.group(1));
        long lastByte = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        long expectedLast = Math.min(position + dst.remaining(), total) - 1;
        if (first != position || lastByte != expectedLast || lastByte < first) {
            throw new IOException(name() + ": " + what + " answered Content-Range '" + header + "', not bytes "
                    + position + "-" + expectedLast + "/" + total);
        }
        long length = lastByte - first + 1;
        checkContentLength(response, length, what);
        read(body, dst, Math.toIntExact(length), what); // at most dst.remaining(): lastByte was checked against the request
        return new ObjectInfo(total, version(response));
    }

    /** A 200 to a ranged request: the server ignores {@code Range}. Only a first request that receives the whole object may use it. */
    private ObjectInfo whole(HttpResponse<?> response, InputStream body, long position, ByteBuffer dst, String what,
                            boolean first) throws IOException {
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (position == 0 && total >= 0 && total <= dst.remaining() && first) {
            read(body, dst, (int) total, what);
            return new ObjectInfo(total, version(response));
        }
        throw new IOException(name() + ": the server ignores Range requests: it answered HTTP 200 with the whole object ("
                + (total >= 0 ? total + " bytes" : "length unknown") + ") to GET " + "bytes=" + position + "-"
                + (position + dst.remaining() - 1) + "; remote containers are read by ranges, so serve it from a server that supports them");
    }

    /** A 416: the range starts at or after the end, which the first request of an empty object does. */
    private ObjectInfo unsatisfiable(HttpResponse<?> response, long position, String what) throws IOException {
        String header = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = UNSATISFIED_RANGE.matcher(header.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) > position) {
            throw new IOException(name() + ": " + what + " (Range Not Satisfiable) with Content-Range '" + header + "'");
        }
        return new ObjectInfo(Long.parseLong(m.group(1)), version(response));
    }

    private void checkContentLength(HttpResponse<?> response, long length, String what) throws IOException {
        Optional<String> declared = response.headers().firstValue("Content-Length");
        if (declared.isPresent() && !declared.get().trim().equals(Long.toString(length))) {
            throw new IOException(name() + ": " + what + " declares Content-Length " + declared.get() + " for a range of "
                    + length + " bytes");
        }
    }

    /** Reads exactly {@code length} body bytes into {@code dst}; an early end is retriable (a dropped connection). */
    private void read(InputStream body, ByteBuffer dst, int length, String what) throws IOException {
        int done = 0;
        try {
            if (dst.hasArray()) {
                while (done < length) {
                    int n = body.read(dst.array(), dst.arrayOffset() + dst.position(), length - done);
                    if (n < 0) {
                        break;
                    }
                    dst.position(dst.position() + n);
                    done += n;
                }
            } else {
                byte[] chunk = new byte[Math.min(length, COPY_BYTES)];
                while (done < length) {
                    int n = body.read(chunk, 0, Math.min(chunk.length, length - done));
                    if (n < 0) {
                        break;
                    }
                    dst.put(chunk, 0, n);
                    done += n;
                }
            }
        } catch (EOFException e) {
            throw new RetriableException(name() + ": " + what + " ended after " + done + " of " + length + " bytes", e);
        } catch (IOException e) {
            throw new RetriableException(name() + ": " + what + " failed after " + done + " of " + length + " bytes: " + e, e);
        }
        if (done < length) {
            throw new RetriableException(name() + ": " + what + " ended after " + done + " of " + length + " bytes");
        }
    }

    /** A transport failure in words: its type and the first message in its chain (the client's own often has none). */
    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return e.getClass().getSimpleName() + (c == e ? "" : " (" + c.getClass().getSimpleName() + ")") + ": " + c.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The strong ETag, else {@code Last-Modified: date}, else null. */
    private static String version(HttpResponse<?> response) {
        Optional<String> etag = response.headers().firstValue("ETag").map(String::trim);
        if (etag.isPresent() && etag.get().startsWith("\"")) {
            return etag.get();
        }
        return response.headers().firstValue("Last-Modified").map(d -> LAST_MODIFIED + d.trim()).orElse(null);
    }
}
