package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile requests against a running viewer (issue 19, points 6, 9 and 10): DNS-rebinding Host
 * headers, connections that never finish their request head, huge URLs. Each must get an HTTP
 * answer (or, for a stalled head, a closed connection) and must not stop the viewer answering others.
 */
class ViewerAttackTest {
    @TempDir
    static Path dir;

    private static final Jpkl JPKL = Jpkl.create();
    private static ViewerServer server;
    private static URI base;
    private static String port;

    @BeforeAll
    static void start() throws IOException {
        Path stack = TestStacks.uint16Stack(JPKL, dir, 4, 2);
        Path big = dir.resolve("big.jpkl");
        JPKL.save(NdArray.generate(DType.UINT16, new int[] {2048, 2048}, i -> i % 7), big, WriteOptions.builder().codec("deflate").build());
        server = ViewerServer.builder(JPKL).file(stack).file(big).requestTimeout(Duration.ofSeconds(1))
                .responseTimeout(Duration.ofSeconds(1)).build();
        base = server.start();
        port = Integer.toString(base.getPort());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void rebindingHostsThatStartLikeLoopbackAreRefused() throws IOException {
        for (String host : new String[] {"127.attacker.example:" + port, "127.0.0.1.nip.io:" + port, "127.0.0.1.nip.io",
            "127.0.0.1:" + port + ".attacker.example", "localhost.attacker.example:" + port, "127.0.0.1:" + port + "@evil",
            "127.0.0.256:" + port, "127.0.0.01:" + port, "127.1:" + port, "0x7f.0.0.1:" + port, "[::1].evil:" + port,
            "[::ffff:127.0.0.1]:" + port, "localhost.:" + port, "127.0.0.1:0" + port,
            "attacker.example:" + port, "127.0.0.1:1" + port, "localhost:" + (base.getPort() == 65535 ? 1 : base.getPort() + 1)}) {
            RawResponse r = raw("GET /api/files/0/slice/0/0 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertEquals(403, r.status, host + " -> " + r.body);
            assertTrue(r.body.contains("is not allowed"), host + " -> " + r.body);
            assertTrue(r.body.length() < 400, "a short body: " + r.body);
        }
    }

    @Test
    void exactLoopbackHostsAreServed() throws IOException {
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "[::1]:" + port,
            "127.0.0.2:" + port, "127.255.255.254:" + port}) {
            RawResponse r = raw("GET /api/files HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, r.status, host + " -> " + r.body);
        }
    }

    @Test
    void aServerOnAnotherAddressAnswersThatAddressAndAllowedHostsOnly() throws IOException {
        java.net.InetAddress address = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(address != null, "this machine has no IPv4 address other than loopback");
        try (ViewerServer other = ViewerServer.builder(JPKL).file(dir.resolve("stack16.jpkl")).bindAddress(address)
                .allowHost("viewer.example").build()) {
            URI url = other.start();
            String p = ":" + url.getPort();
            String literal = address.getHostAddress();
            for (String host : new String[] {literal + p, "viewer.example" + p, "localhost" + p}) {
                assertEquals(200, raw(url, "GET /api/files HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status, host);
            }
            for (String host : new String[] {"attacker.example" + p, literal + ".nip.io" + p, "viewer.example.evil" + p}) {
                assertEquals(403, raw(url, "GET /api/files HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status, host);
            }
        }
    }

    @Test
    void aMissingOrRepeatedHostIsABadRequest() throws IOException {
        RawResponse none = raw("GET /api/files HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertEquals(400, none.status, none.body);
        assertTrue(none.body.contains("Host header"), none.body);
        RawResponse two = raw("GET /api/files HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
        assertEquals(400, two.status, two.body);
        assertTrue(two.body.contains("Host header"), two.body);
    }

    @Test
    void stalledRequestHeadsDoNotBlockOtherRequests() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < GuardedExecutor.CONNECTION_THREADS + 8; i++) {
                Socket s = new Socket(base.getHost(), base.getPort());
                s.getOutputStream().write("GET /api/files HTTP/1.1\r\nHost: 127.".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                RawResponse r = raw("GET /api/files/0/info HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
                assertEquals(200, r.status, r.body);
                for (Socket s : stalled) {
                    s.setSoTimeout(20_000);
                    assertEquals(-1, s.getInputStream().read(), "a stalled request head is dropped after the request timeout");
                }
            });
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatDoesNotTakeItsAnswerIsDropped() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
                s.getOutputStream().write(("GET /api/files/1/slice HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(4000); // past the response timeout (1 s) without reading
                s.setSoTimeout(20_000);
                int received = readAll(s.getInputStream()).length;
                assertTrue(received < 2048 * 2048 * 2, "the 8 MiB answer was cut off when not taken in time: " + received + " bytes");
            }
            RawResponse r = raw("GET /api/files/1/slice HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, r.status, "the viewer still answers");
        });
    }

    @Test
    void aRequestHeadThatNeverEndsIsRefusedOrDropped() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /api/files HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Big: ").getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'a');
                try {
                    for (int i = 0; i < 16 * 16; i++) { // up to 16 MiB of one header line
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the server closed the connection: what is wanted
                }
                byte[] answer = readAll(s.getInputStream());
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 4"), text);
            } catch (java.net.SocketException e) {
                // reset by the server: dropped
            }
            RawResponse r = raw("GET /api/files HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, r.status, "the viewer still answers");
        });
    }

    @Test
    void tenThousandPathSegmentsGetAnAnswer() throws IOException {
        StringBuilder path = new StringBuilder("/api/files/0/slice");
        for (int i = 0; i < 10_000; i++) {
            path.append("/0");
        }
        RawResponse r = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
        assertEquals(414, r.status, r.body);
        assertTrue(r.body.contains("URL too long"), r.body);
        assertTrue(r.body.length() < 400, "a short body: " + r.body);
        StringBuilder query = new StringBuilder("/api/files?");
        for (int i = 0; i < 10_000; i++) {
            query.append("a").append(i).append("=&");
        }
        assertEquals(414, raw("GET " + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n").status);
        // Many empty segments below the limit are parsed without recursion: a plain 400.
        StringBuilder slashes = new StringBuilder("/api/files/0/slice");
        slashes.append("/".repeat(ViewerHandler.MAX_URL_CHARS - slashes.length()));
        RawResponse many = raw("GET " + slashes + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
        assertEquals(400, many.status, many.body);
        assertTrue(many.body.contains("has 2 key axes"), many.body);
    }

    @Test
    void headersAboveTheViewersLimitAre431() throws IOException {
        StringBuilder head = new StringBuilder("GET /api/files HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        String value = "v".repeat(8 * 1024);
        for (int i = 0; i * value.length() <= ViewerHandler.MAX_HEADER_BYTES; i++) {
            head.append("X-Filler-").append(i).append(": ").append(value).append("\r\n");
        }
        RawResponse r = raw(head + "Connection: close\r\n\r\n");
        assertEquals(431, r.status, r.body);
        assertTrue(r.body.contains("request headers too large"), r.body);
        RawResponse small = raw("GET /api/files HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Filler: " + value
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, small.status, "8 KiB of headers are fine");
    }

    @Test
    void theViewerKeepsAnsweringAfterTheAttacks() throws Exception {
        tenThousandPathSegmentsGetAnAnswer();
        for (int i = 0; i < GuardedExecutor.CONNECTION_THREADS + 4; i++) {
            RawResponse r = raw("GET /api/files/0/slice/0/0 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, r.status);
        }
    }

    private static final class RawResponse {
        int status;
        String body = "";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer: keep what was read
        }
        return all.toByteArray();
    }

    /** Sends {@code request} as is and reads the answer until the server closes the connection. */
    private static RawResponse raw(String request) throws IOException {
        return raw(base, request);
    }

    private static RawResponse raw(URI server, String request) throws IOException {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String text = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
            RawResponse r = new RawResponse();
            int end = text.indexOf("\r\n\r\n");
            if (text.isEmpty()) {
                throw new IOException("no answer to " + request.substring(0, Math.min(80, request.length())));
            }
            r.status = Integer.parseInt(text.split(" ", 3)[1]);
            r.body = end < 0 ? "" : text.substring(end + 4);
            return r;
        }
    }
}
