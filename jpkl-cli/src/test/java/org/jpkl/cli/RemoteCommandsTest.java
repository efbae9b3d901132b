package org.jpkl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.http.LocalNginx;
import org.jpkl.viewer.ViewerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jpkl info/get/verify/view/convert} with {@code http://} URIs, against Debian's nginx on loopback
 * ({@link LocalNginx}: skipped with a message without it, failed under CI); outputs are local paths (http is not written).
 */
class RemoteCommandsTest {
    @TempDir
    static Path served;
    @TempDir
    Path out;
    private static LocalNginx nginx;
    private static NdArray stack;

    @BeforeAll
    static void serve() throws IOException {
        OptionalPieces.require("nginx", LocalNginx.problem(), "nginx-light");
        nginx = LocalNginx.start(served);
        stack = TestFiles.ramp(DType.UINT16, 4, 20, 30);
        Jpkl.create().save(stack, served.resolve("stack.jpkl"), WriteOptions.builder().codec("deflate").noTiles().build());
    }

    @AfterAll
    static void stop() throws IOException {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void infoGetAndVerifyReadAUri() throws IOException {
        String uri = nginx.uri("stack.jpkl").toString();
        String info = Cli.ok(Cli.run("info", uri, "--json")).outText();
        assertTrue(info.contains("\"file\": \"" + uri + "\""), info);
        assertTrue(info.contains("\"fileSize\": " + Files.size(served.resolve("stack.jpkl"))), info);
        Path npy = out.resolve("plane.npy");
        Cli.ok(Cli.run("get", uri, "1, ...", "-o", npy.toString()));
        assertEquals(stack.get("1, ..."), InfoGetCommandTest.readNpy(Files.readAllBytes(npy)));
        String verified = Cli.ok(Cli.run("verify", uri)).outText();
        assertTrue(verified.startsWith(uri + ": 30 slices checked, all intact ("), verified);
        Cli.ok(Cli.run("verify", "--storage-option", "http.retries=0", uri));
        Path converted = out.resolve("converted.jpkl");
        Cli.ok(Cli.run("convert", uri, converted.toString(), "--codec", "zstd"));
        try (JpklArray c = Jpkl.create().open(converted)) {
            assertEquals(stack, c.get("..."));
        }
    }

    @Test
    void badUrisAndOptionsAreNamed() {
        Cli.fails(Cli.run("info", "ftp://example.org/stack.jpkl"), 2,
                "jpkl info: no storage provider reads 'ftp' URIs such as 'ftp://example.org/stack.jpkl'; schemes read: [http, https, s3] and file");
        Cli.fails(Cli.run("get", "http://exa mple.org/x.jpkl", "...", "-o", out.resolve("x.npy").toString()), 2,
                "jpkl get: Invalid value for positional parameter at index 0 (FILE): 'http://exa mple.org/x.jpkl' is not a valid URI: ",
                "(escape spaces and other special characters as %XX, or give a local path)");
        String missing = nginx.uri("missing.jpkl").toString();
        Cli.fails(Cli.run("verify", missing), 1, "jpkl verify: " + missing + ": no such object (HTTP 404)");
        Cli.fails(Cli.run("view", missing), 1, "jpkl view: " + missing + ": no such object (HTTP 404)");
        Cli.fails(Cli.run("view", "ftp://example.org/stack.jpkl"), 2, "jpkl view: no storage provider reads 'ftp' URIs");
        java.net.URI closed = java.net.URI.create("http://127.0.0.1:" + freePort() + "/stack.jpkl");
        Cli.fails(Cli.run("info", "--storage-option", "http.retries=0", closed.toString()), 1,
                "jpkl info: " + closed + ": gave up after 1 attempt in ", " ms (at most 1 attempt, 30000 ms of retries): " + closed
                        + ": GET bytes=0-1023 failed: cannot connect to 127.0.0.1:" + closed.getPort() + " (ConnectException");
        Cli.fails(Cli.run("info", "--storage-option", "http.retries=many", nginx.uri("stack.jpkl").toString()), 2,
                "jpkl info: storage option http.retries='many' is not an integer; use one in [0, 100]");
        Cli.fails(Cli.run("info", "--storage-option", "http.colour=blue", nginx.uri("stack.jpkl").toString()), 2,
                "jpkl info: storage option 'http.colour' is not known; storage providers take {http=[");
    }

    /** A loopback port nobody listens on (just freed). */
    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLocalFileUriIsALocalFile() throws IOException {
        String uri = served.resolve("stack.jpkl").toUri().toString();
        String info = Cli.ok(Cli.run("info", uri)).outText();
        assertTrue(info.startsWith("file       " + uri + "\n"), info);
        assertTrue(info.contains("\nshape      (4, 20, 30)\n"), info);
    }

    @Test
    void theViewerServesAUri() throws Exception {
        try (ViewerServer server = ViewerServer.builder(Jpkl.create()).uri(nginx.uri("stack.jpkl")).build()) {
            URI page = server.start();
            HttpResponse<String> files = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page.resolve("/api/files"))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, files.statusCode(), files.body());
            assertTrue(files.body().contains("\"name\":\"stack.jpkl\""), files.body());
        }
        try (JpklArray local = Jpkl.create().open(served.resolve("stack.jpkl"))) {
            assertEquals(stack, local.get("..."));
        }
    }
}
