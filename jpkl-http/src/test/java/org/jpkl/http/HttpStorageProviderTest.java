package org.jpkl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.ObjectChangedException;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.jpkl.api.testing.LocalNginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Containers read over HTTP from a real server: Debian's nginx on a loopback port serving a temporary
 * folder ({@link LocalNginx}; skipped with a message without nginx, failed under CI), with a
 * fault-injecting proxy ({@link FaultProxy}) in front of it for 5xx and dropped connections.
 * Request counts are the source's own ({@link RemoteObjectSource#requests()}).
 */
class HttpStorageProviderTest {
    @TempDir
    static Path served;
    private static LocalNginx nginx;
    /** Fast retries: the tests wait 1 to 2 ms between attempts. */
    private static final Jpkl JPKL = Jpkl.builder().storageOption("http.retry-backoff-ms", "2").build();

    @BeforeAll
    static void start() throws IOException {
        nginx = LocalNginx.start(served);
    }

    @AfterAll
    static void stop() throws IOException {
        if (nginx != null) {
            nginx.close();
        }
    }

    /** 12 planes of 70 x 100 uint16. */
    private static NdArray sample(long seed) {
        return NdArray.generate(DType.UINT16, new int[] {70, 100, 12}, i -> ((i + seed) * 2654435761L >>> 9) % 65536);
    }

    private static WriteOptions options(String serializer, String kind) {
        WriteOptions.Builder b = WriteOptions.builder().serializer(serializer).codec("deflate");
        switch (kind) {
            case "plain": return b.noTiles().build();
            case "tiled": return b.tiles(32, 48).build();
            case "levels": return b.noTiles().levels(2).build();
            default: throw new IllegalArgumentException(kind);
        }
    }

    private static Path save(String name, NdArray array, WriteOptions options) throws IOException {
        Path file = served.resolve(name);
        Files.createDirectories(file.getParent());
        JPKL.save(array, file, options);
        return file;
    }

    private static RemoteObjectSource openSource(URI uri) throws IOException {
        return (RemoteObjectSource) JPKL.storage().open(uri);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"jpkl, plain, 2", "jpkl, tiled, 2", "jpkl, levels, 2", "zip, plain, 2", "zip, tiled, 2", "zip, levels, 2"})
    void openGetAndVerifyReadWhatTheLocalFileHolds(String serializer, String kind, int openRequests) throws IOException {
        String name = kind + "." + serializer;
        Path file = save(name, sample(1), options(serializer, kind));
        RemoteObjectSource source = openSource(nginx.uri(name));
        try (JpklArray local = JPKL.open(file); JpklArray remote = JPKL.open(source)) {
            assertEquals(openRequests, source.requests(), "requests at open");
            long atOpen = source.requests();
            assertEquals(local.get("..., 5"), remote.get("..., 5"));
            assertEquals(atOpen + (kind.equals("tiled") ? 9 : 1), source.requests(), "requests of a one-slice get (3 x 3 tiles when tiled)");
            assertEquals(local.get("..."), remote.get("..."));
            assertEquals(local.header(), remote.header());
            assertTrue(remote.verify().isIntact());
            if (kind.equals("levels")) {
                assertEquals(local.level(2).get("..."), remote.level(2).get("..."));
            }
            assertEquals(0, source.retries());
        }
    }

    @Test
    void jpklOpensByUriThroughTheServiceLoader() throws IOException {
        Path file = save("by-uri.jpkl", sample(2), options("jpkl", "plain"));
        try (JpklArray local = JPKL.open(file); JpklArray remote = JPKL.open(nginx.uri("by-uri.jpkl"))) {
            assertEquals(local.get("..."), remote.get("..."));
            assertEquals(nginx.uri("by-uri.jpkl").toString(), remote.name());
        }
    }

    @Test
    void serverErrorsAreRetriedWithinTheBudget() throws IOException {
        save("flaky.jpkl", sample(3), options("jpkl", "plain"));
        try (FaultProxy proxy = new FaultProxy(nginx.port())) {
            proxy.fail(2, 503);
            RemoteObjectSource source = openSource(proxy.uri("flaky.jpkl"));
            try (JpklArray remote = JPKL.open(source)) {
                assertEquals(2, source.retries());
                assertEquals(4, source.requests(), "2 failed + 2 to open");
                proxy.fail(1, 429);
                proxy.cut(1);
                assertEquals(sample(3).get("..., 7"), remote.get("..., 7"));
                assertEquals(4, source.retries(), "a 429 and a dropped connection, each retried");
                proxy.fail(5, 500);
                IOException e = assertThrows(IOException.class, () -> remote.get("..., 8"));
                String message = messages(e);
                assertTrue(message.contains(proxy.uri("flaky.jpkl") + ": gave up after 5 attempts in "), message);
                assertTrue(message.contains(" ms (at most 5 attempts, 30000 ms of retries): " + proxy.uri("flaky.jpkl")
                        + ": HTTP 500 to GET bytes="), message);
            }
        }
    }

    @Test
    void aForbiddenOrMissingObjectIsNamed() throws IOException {
        save("denied/secret.jpkl", sample(4), options("jpkl", "plain"));
        IOException denied = assertThrows(IOException.class, () -> JPKL.open(nginx.uri("denied/secret.jpkl")));
        assertEquals(nginx.uri("denied/secret.jpkl") + ": access denied (HTTP 403); check the credentials and the object's permissions",
                denied.getMessage());
        FileNotFoundException missing = assertThrows(FileNotFoundException.class, () -> JPKL.open(nginx.uri("nothing.jpkl")));
        assertEquals(nginx.uri("nothing.jpkl") + ": no such object (HTTP 404)", missing.getMessage());
    }

    @Test
    void anObjectReplacedOrTruncatedWhileOpenIsRefused() throws IOException {
        Path file = save("replaced.jpkl", sample(5), options("jpkl", "plain"));
        Path other = save("other.jpkl", sample(6), options("jpkl", "plain"));
        Path shorter = served.resolve("shorter.jpkl");
        Files.write(shorter, java.util.Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 100));
        for (Path replacement : new Path[] {other, shorter}) {
            Files.copy(replacement, served.resolve("next.tmp"), StandardCopyOption.REPLACE_EXISTING);
            try (JpklArray remote = JPKL.open(nginx.uri("replaced.jpkl"))) {
                String etag = ((RemoteObjectSource) openSource(nginx.uri("replaced.jpkl"))).version();
                // nginx's ETag is mtime-size: give the new file another mtime, as a real replacement has
                Files.setLastModifiedTime(served.resolve("next.tmp"),
                        FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
                Files.move(served.resolve("next.tmp"), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                ObjectChangedException e = assertThrows(ObjectChangedException.class, () -> remote.get("..., 3"));
                assertEquals(nginx.uri("replaced.jpkl") + ": the object changed since it was opened (HTTP 412 Precondition Failed:"
                        + " its ETag is no longer " + etag + "); reopen it to read the new version", e.getMessage());
            }
            save("replaced.jpkl", sample(5), options("jpkl", "plain"));
        }
    }

    @Test
    void aServerIgnoringRangeIsRefused() throws IOException {
        save("norange/a.jpkl", sample(7), options("jpkl", "plain"));
        IOException e = assertThrows(IOException.class, () -> JPKL.open(nginx.uri("norange/a.jpkl")));
        long size = Files.size(served.resolve("norange/a.jpkl"));
        assertEquals(nginx.uri("norange/a.jpkl") + ": the server ignores Range requests: it answered HTTP 200 with the whole object ("
                + size + " bytes) to GET bytes=0-1023; remote containers are read by ranges, so serve it from a server that supports them",
                e.getMessage());
    }

    @Test
    void anEmptyObjectHasSizeZeroAndIsNotAContainer() throws IOException {
        Files.write(served.resolve("empty.bin"), new byte[0]);
        try (RandomAccessSource source = openSource(nginx.uri("empty.bin"))) {
            assertEquals(0, source.size());
        }
        Files.write(served.resolve("small.bin"), new byte[] {1, 2, 3});
        try (RandomAccessSource source = JPKL.storage().open(nginx.uri("norange/../small.bin"))) {
            assertEquals(3, source.size());
        }
    }

    @Test
    void optionsAreCheckedNamingTheKey() {
        StorageProviders providers = StorageProviders.of(new HttpStorageProvider());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> providers.withOptions(
                ProviderOptions.of(Map.of("http.timeout-ms", "soon"))).open(URI.create("http://127.0.0.1:9/x")));
        assertEquals("storage option http.timeout-ms='soon' is not an integer; use one in [1, 3600000]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> providers.withOptions(
                ProviderOptions.of(Map.of("http.version", "3"))).open(URI.create("http://127.0.0.1:9/x")));
        assertEquals("storage option http.version='3' is not one of [1.1, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> providers.open(URI.create("http://user:pw@127.0.0.1:9/x")));
        assertEquals("'http://127.0.0.1:9/x' has user info in the URI, which is not sent; remove it"
                + " (use a server that needs no credentials or a signed URL)", e.getMessage());
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
