package org.jpkl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl view} through the built jar: prints its URL, serves the file list and a slice, stops on SIGTERM. */
class ViewCommandIT {
    @TempDir
    Path dir;

    @Test
    void viewServesTheGivenFilesUntilStopped() throws Exception {
        Path jar = Path.of(System.getProperty("jpkl.cli.jar", "target/jpkl-cli-0.1.0-SNAPSHOT-all.jar"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path file = dir.resolve("s.jpkl");
        Process encode = new ProcessBuilder(java, "-jar", jar.toString(), "encode", "sample:32,40,3", "-o", file.toString(),
                "--codec", "deflate").redirectErrorStream(true).start();
        assertTrue(encode.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, encode.exitValue(), new String(encode.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Process view = new ProcessBuilder(java, "-jar", jar.toString(), "view", file.toString(), "--port", "0").start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(view.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("Serving 1 file at http://127.0.0.1:"), String.valueOf(line));
            URI url = URI.create(line.substring(line.indexOf("http://")).trim());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> files = http.send(HttpRequest.newBuilder(url.resolve("/api/files")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, files.statusCode());
            assertTrue(files.body().contains("s.jpkl"), files.body());
            HttpResponse<byte[]> slice = http.send(HttpRequest.newBuilder(url.resolve("/api/files/0/slice/2?format=raw")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, slice.statusCode());
            assertEquals(32 * 40, slice.body().length, "one uint8 32x40 plane");
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(url.resolve("/api/files/0/slice/3")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        } finally {
            view.destroy();
            assertTrue(view.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
        }
        assertTrue(Files.exists(file));
    }
}
