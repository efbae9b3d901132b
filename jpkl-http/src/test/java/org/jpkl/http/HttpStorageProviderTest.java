package org.jpkl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
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
import org.jpkl.api.testing.FaultProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Containers read over HTTP from a real server: Debian's nginx on a loopback port serving a temporary
 * folder ({@link LocalNginx}; skipped with a message without nginx, failed under CI), with a
 * fault-injecting proxy ({@link FaultProxy}) in front of it for 5xx and dropped connections.
 * Request counts are the source's own ({@link RemoteObjectSource#requests()}).
 */
class HttpStorageProviderTest extends ServedByNginx {
    /** Fast retries: the tests wait 1 to 2 ms between attempts. */
    private static final Jpkl JPKL = Jpkl.builder().storageOption("http.retry-backoff-ms", "2").build();

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
            assertEquals(atOpen + 1, source.requests(), "requests of a one-slice get (3 x 3 neighbouring tiles in one when tiled)");
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
    void aGetOfNeighbouringSlicesFetchesThemInOneRequest() throws IOException {
        // 40 smooth planes, a few hundred bytes each once deflated: far less than one group (256 KiB)
        NdArray smooth = NdArray.generate(DType.UINT16, new int[] {70, 100, 40}, i -> (i / 4000) * 3 + i % 5);
        Path file = save("neighbours.jpkl", smooth, options("jpkl", "plain"));
        RemoteObjectSource source = openSource(nginx.uri("neighbours.jpkl"));
        try (JpklArray local = JPKL.open(file); JpklArray remote = JPKL.open(source)) {
            long before = source.requests();
            assertEquals(local.get("..."), remote.get("..."));
            assertEquals(before + 1, source.requests(), "all 40 slices in one request");
            before = source.requests();
            assertEquals(local.get("..., 3::4"), remote.get("..., 3::4"));
            assertEquals(before + 1, source.requests(), "every 4th slice: the gaps are fetched too, in one request");
            before = source.requests();
            assertEquals(local.get("..., 7"), remote.get("..., 7"));
            assertEquals(before + 1, source.requests(), "one slice, one request");
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
    void contentRangeIsCheckedStrictly() throws IOException {
        save("ranges.jpkl", sample(11), options("jpkl", "plain"));
        long size = Files.size(served.resolve("ranges.jpkl"));
        try (FaultProxy proxy = new FaultProxy(nginx.port())) {
            String uri = proxy.uri("ranges.jpkl").toString();
            proxy.rewriteHeads(1, h -> h.replace("Content-Range: bytes 0-1023/", "Content-Range: bytes 1-1024/"));
            IOException e = assertThrows(IOException.class, () -> JPKL.open(proxy.uri("ranges.jpkl")));
            assertEquals(uri + ": HTTP 206 to GET bytes=0-1023 answered Content-Range 'bytes 1-1024/" + size + "', not bytes 0-1023/"
                    + size, e.getMessage());
            proxy.rewriteHeads(1, h -> h.replace("Content-Range: bytes 0-1023/" + size, "Content-Range: bytes 0-1023/*"));
            e = assertThrows(IOException.class, () -> JPKL.open(proxy.uri("ranges.jpkl")));
            assertEquals(uri + ": HTTP 206 to GET bytes=0-1023 has Content-Range 'bytes 0-1023/*', expected 'bytes FIRST-LAST/TOTAL'"
                    + " with a known total", e.getMessage());
            proxy.rewriteHeads(1, h -> h.replace("Content-Range: bytes 0-1023/" + size, "Content-Range: bytes 0-1023/99999999999999999999"));
            e = assertThrows(IOException.class, () -> JPKL.open(proxy.uri("ranges.jpkl")));
            assertTrue(e.getMessage().startsWith(uri + ": HTTP 206 to GET bytes=0-1023 has Content-Range 'bytes 0-1023/99999999999999999999'"),
                    e.getMessage());
            proxy.rewriteHeads(1, h -> h.replace("Content-Length: 1024", "Content-Length: 1000"));
            e = assertThrows(IOException.class, () -> JPKL.open(proxy.uri("ranges.jpkl")));
            assertEquals(uri + ": HTTP 206 to GET bytes=0-1023 declares Content-Length 1000 for a range of 1024 bytes", e.getMessage());
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
        byte[] whole = Files.readAllBytes(file);
        Files.write(shorter, java.util.Arrays.copyOf(whole, whole.length - 100));
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
    void withoutAnETagTheLastModifiedDateIsPinned() throws IOException {
        Path file = save("noetag/a.jpkl", sample(8), options("jpkl", "plain"));
        Path next = save("noetag/next.tmp.jpkl", sample(9), options("jpkl", "plain"));
        try (JpklArray remote = JPKL.open(nginx.uri("noetag/a.jpkl"))) {
            String version;
            try (RemoteObjectSource source = openSource(nginx.uri("noetag/a.jpkl"))) {
                version = source.version();
            }
            assertTrue(version.startsWith("Last-Modified: "), version);
            assertEquals(sample(8).get("..., 2"), remote.get("..., 2"));
            Files.setLastModifiedTime(next, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ObjectChangedException e = assertThrows(ObjectChangedException.class, () -> remote.get("..., 3"));
            assertEquals(nginx.uri("noetag/a.jpkl") + ": the object changed since it was opened (HTTP 412 Precondition Failed:"
                    + " modified since " + version.substring("Last-Modified: ".length()) + "); reopen it to read the new version",
                    e.getMessage());
        }
    }

    @Test
    void aHeaderLongerThanTheFirstRequestCostsOneMoreUnlessHeadBytesIsRaised() throws IOException {
        WriteOptions withNotes = WriteOptions.builder().codec("deflate").noTiles().metadata("notes", "n".repeat(3000)).build();
        save("long-header.jpkl", sample(10), withNotes);
        try (RemoteObjectSource source = openSource(nginx.uri("long-header.jpkl")); JpklArray a = JPKL.open(source)) {
            assertEquals(3, source.requests(), "the first 1 KiB, the rest of the header, footer and index");
        }
        Jpkl wide = Jpkl.builder().storageOption("http.head-bytes", "8192").build();
        try (RemoteObjectSource source = (RemoteObjectSource) wide.storage().open(nginx.uri("long-header.jpkl"));
             JpklArray a = wide.open(source)) {
            assertEquals(2, source.requests());
            assertEquals(8192, source.settings().headBytes());
            assertEquals(sample(10), a.get("..."));
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
    void emptyAndSmallObjectsAreReadByTheFirstRequest() throws IOException {
        Files.write(served.resolve("empty.bin"), new byte[0]);
        try (RandomAccessSource source = openSource(nginx.uri("empty.bin"))) {
            assertEquals(0, source.size());
        }
        // a server ignoring Range may answer the first request with the whole object when it fits
        Files.createDirectories(served.resolve("norange"));
        Files.write(served.resolve("norange/small.bin"), new byte[] {1, 2, 3});
        try (RandomAccessSource source = JPKL.storage().open(nginx.uri("norange/small.bin"))) {
            assertEquals(3, source.size());
            ByteBuffer all = ByteBuffer.allocate(3);
            source.readFully(0, all);
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), all.flip());
            assertEquals(1, ((RemoteObjectSource) source).requests());
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
