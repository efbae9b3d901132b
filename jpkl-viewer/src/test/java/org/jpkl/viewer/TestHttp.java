package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP/1.1 requests to a running viewer and the checks the viewer's endpoint tests share. */
final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestHttp() {
    }

    /** GET {@code path} relative to the server's URL {@code base}. */
    static HttpResponse<byte[]> get(URI base, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The first value of a response header, or null. */
    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** The remaining bytes of {@code b} (its position unchanged). */
    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Asserts that GET {@code path} answers {@code status} with a body containing {@code messagePart}. */
    static void assertStatus(URI base, int status, String path, String messagePart) throws Exception {
        HttpResponse<byte[]> r = get(base, path);
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), path + " -> " + body);
        assertTrue(body.contains(messagePart), path + ": '" + messagePart + "' not in " + body);
    }
}
