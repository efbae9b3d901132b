package org.jpkl.api.spi.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpkl.api.io.ObjectChangedException;
import org.jpkl.api.spi.ProviderOptions;
import org.junit.jupiter.api.Test;

class RemoteObjectSourceTest {
    private static final URI URI_ = URI.create("https://user:secret@example.org:8443/data/a.jpkl?sig=xyz");

    /** An object in memory, replaceable, with failures queued per request. */
    static final class FakeSource extends RemoteObjectSource {
        volatile byte[] bytes;
        volatile String etag = "\"v1\"";
        final List<IOException> failures = new ArrayList<>();
        final List<long[]> fetched = new ArrayList<>();
        final List<Long> waits = new ArrayList<>();

        FakeSource(byte[] bytes, RemoteSettings settings, IOException... failFirst) throws IOException {
            super(URI_, settings);
            this.bytes = bytes;
            failures.addAll(List.of(failFirst));
            connect();
        }

        @Override
        protected synchronized ObjectInfo fetch(long position, ByteBuffer dst, ObjectInfo pinned) throws IOException {
            fetched.add(new long[] {position, dst.remaining()});
            if (!failures.isEmpty()) {
                dst.put((byte) 99); // a partial body before the failure must not stay
                throw failures.remove(0);
            }
            if (pinned != null && pinned.version() != null && !pinned.version().equals(etag)) {
                throw changed(name(), "HTTP 412 Precondition Failed");
            }
            int n = (int) Math.max(0, Math.min(dst.remaining(), bytes.length - position));
            if (n > 0) {
                dst.put(bytes, Math.toIntExact(position), n);
            }
            return new ObjectInfo(bytes.length, etag);
        }

        @Override
        protected void sleep(long millis) {
            waits.add(millis);
        }
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    private static RemoteSettings settings(int head, int retries) {
        return new RemoteSettings(head, retries, 60_000, 100);
    }

    @Test
    void theFirstRequestGivesSizeVersionAndTheCachedHead() throws IOException {
        byte[] d = data(5000);
        try (FakeSource s = new FakeSource(d, settings(1024, 2))) {
            assertEquals(5000, s.size());
            assertEquals("\"v1\"", s.version());
            assertEquals("https://example.org:8443/data/a.jpkl?...", s.name());
            assertEquals(1, s.requests());
            assertEquals(1024, s.bytesFetched());
            ByteBuffer a = ByteBuffer.allocate(100);
            s.readFully(16, a);
            assertArrayEquals(java.util.Arrays.copyOfRange(d, 16, 116), a.array());
            assertEquals(1, s.requests());
            ByteBuffer b = ByteBuffer.allocate(200); // 1000..1200: 24 cached, 176 fetched
            s.readFully(1000, b);
            assertArrayEquals(java.util.Arrays.copyOfRange(d, 1000, 1200), b.array());
            assertEquals(2, s.requests());
            assertArrayEquals(new long[] {1024, 176}, s.fetched.get(1));
            assertEquals(1024 + 176, s.bytesFetched());
            EOFException eof = assertThrows(EOFException.class, () -> s.readFully(4990, ByteBuffer.allocate(11)));
            assertEquals("https://example.org:8443/data/a.jpkl?...: reading 11 bytes at offset 4990 passes the end (5000 bytes)",
                    eof.getMessage());
        }
    }

    @Test
    void aSmallObjectIsReadWholeByTheFirstRequest() throws IOException {
        try (FakeSource s = new FakeSource(data(10), settings(1024, 0))) {
            ByteBuffer all = ByteBuffer.allocate(10);
            s.readFully(0, all);
            assertArrayEquals(data(10), all.array());
            assertEquals(1, s.requests());
        }
        try (FakeSource empty = new FakeSource(new byte[0], settings(1024, 0))) {
            assertEquals(0, empty.size());
        }
    }

    @Test
    void retriableFailuresAreRepeatedWithGrowingWaitsThenGivenUp() throws IOException {
        try (FakeSource s = new FakeSource(data(3000), settings(16, 3),
                new RemoteObjectSource.RetriableException("503"), new java.net.SocketTimeoutException("slow"))) {
            assertEquals(3, s.requests());
            assertEquals(2, s.retries());
            assertEquals(2, s.waits.size());
            assertTrue(s.waits.get(0) >= 50 && s.waits.get(0) <= 100, s.waits.toString());
            assertTrue(s.waits.get(1) >= 100 && s.waits.get(1) <= 200, s.waits.toString());
            ByteBuffer b = ByteBuffer.allocate(8);
            s.failures.addAll(List.of(new RemoteObjectSource.RetriableException("HTTP 503 a"),
                    new RemoteObjectSource.RetriableException("HTTP 503 b"),
                    new RemoteObjectSource.RetriableException("HTTP 503 c"),
                    new RemoteObjectSource.RetriableException("HTTP 503 d")));
            IOException e = assertThrows(IOException.class, () -> s.readFully(100, b));
            assertTrue(e.getMessage().startsWith("https://example.org:8443/data/a.jpkl?...: gave up after 4 attempts in "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" ms (at most 4 attempts, 60000 ms of retries): HTTP 503 d"), e.getMessage());
            assertEquals(0, b.position());
            s.failures.add(new RemoteObjectSource.RetriableException("HTTP 503 once"));
            s.readFully(100, b);
            assertArrayEquals(java.util.Arrays.copyOfRange(data(3000), 100, 108), b.array());
        }
    }

    @Test
    void otherFailuresAreNotRepeated() throws IOException {
        FileNotFoundException missing = assertThrows(FileNotFoundException.class, () -> new FakeSource(data(10), settings(16, 3),
                RemoteObjectSource.notFound("https://h/x", "HTTP 404 Not Found")));
        assertEquals("https://h/x: no such object (HTTP 404 Not Found)", missing.getMessage());
        IOException denied = RemoteObjectSource.forbidden("https://h/x", "HTTP 403 Forbidden");
        try (FakeSource s = new FakeSource(data(3000), settings(16, 3))) {
            s.failures.add(denied);
            assertEquals(denied, assertThrows(IOException.class, () -> s.readFully(100, ByteBuffer.allocate(4))));
            assertEquals(2, s.requests());
            s.failures.add(RemoteObjectSource.notFound(s.name(), "HTTP 404"));
            ObjectChangedException gone = assertThrows(ObjectChangedException.class, () -> s.readFully(100, ByteBuffer.allocate(4)));
            assertEquals("https://example.org:8443/data/a.jpkl?...: the object changed since it was opened (it was removed: "
                    + "https://example.org:8443/data/a.jpkl?...: no such object (HTTP 404))", gone.getMessage());
        }
    }

    @Test
    void aReplacedOrShortenedObjectIsRefused() throws IOException {
        try (FakeSource s = new FakeSource(data(3000), settings(16, 3))) {
            s.etag = "\"v2\"";
            ObjectChangedException e = assertThrows(ObjectChangedException.class, () -> s.readFully(100, ByteBuffer.allocate(4)));
            assertEquals("https://example.org:8443/data/a.jpkl?...: the object changed since it was opened (HTTP 412 Precondition Failed);"
                    + " reopen it to read the new version", e.getMessage());
        }
        try (FakeSource s = new FakeSource(data(3000), settings(16, 3))) {
            s.bytes = data(2000); // same tag, other size: a store without version checks
            ObjectChangedException e = assertThrows(ObjectChangedException.class, () -> s.readFully(100, ByteBuffer.allocate(4)));
            assertEquals("https://example.org:8443/data/a.jpkl?...: the object changed since it was opened (its size is now 2000 bytes,"
                    + " it was 3000); reopen it to read the new version", e.getMessage());
        }
    }

    @Test
    void nearbyRangesAreFetchedTogether() throws IOException {
        byte[] d = data(10_000);
        try (FakeSource s = new FakeSource(d, settings(16, 0))) {
            long[] pos = {5000, 2000, 2100, 2250, 9000};
            ByteBuffer[] dst = {ByteBuffer.allocate(10), ByteBuffer.allocate(100), ByteBuffer.allocate(100),
                ByteBuffer.allocate(50), ByteBuffer.allocate(1000)};
            s.readRanges(pos, dst, 64, 1 << 20);
            for (int i = 0; i < pos.length; i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(d, (int) pos[i], (int) pos[i] + dst[i].capacity()), dst[i].array());
            }
            assertEquals(4, s.requests()); // first, [2000, 2300), 5000, 9000
            assertArrayEquals(new long[] {2000, 300}, s.fetched.get(1));
        }
    }

    @Test
    void concurrentReadsEachGetTheirBytes() throws Exception {
        byte[] d = data(1 << 16);
        try (FakeSource s = new FakeSource(d, settings(1024, 0))) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    int position = i * 1000;
                    results.add(pool.submit(() -> {
                        ByteBuffer b = ByteBuffer.allocate(999);
                        s.readFully(position, b);
                        return java.util.Arrays.equals(java.util.Arrays.copyOfRange(d, position, position + 999), b.array());
                    }));
                }
                for (java.util.concurrent.Future<Boolean> r : results) {
                    assertTrue(r.get());
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(1 + 63, s.requests(), "the first request, then one per read outside the first 1 KiB");
        }
    }

    @Test
    void closedSourcesRefuseReads() throws IOException {
        FakeSource s = new FakeSource(data(100), settings(16, 0));
        s.close();
        assertThrows(ClosedChannelException.class, () -> s.readFully(0, ByteBuffer.allocate(1)));
    }

    @Test
    void settingsComeFromNamespacedOptions() {
        assertEquals(java.util.Set.of("http.head-bytes", "http.retries", "http.retry-time-ms", "http.retry-backoff-ms"),
                RemoteSettings.optionKeys("http"));
        RemoteSettings s = RemoteSettings.from("http", ProviderOptions.of(Map.of("http.retries", "7", "http.head-bytes", "4096")));
        assertEquals(new RemoteSettings(4096, 7, RemoteSettings.DEFAULT_RETRY_TIME_MILLIS, RemoteSettings.DEFAULT_BACKOFF_MILLIS), s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteSettings.from("s3", ProviderOptions.of(Map.of("s3.retries", "-1"))));
        assertEquals("storage option s3.retries=-1 is out of range [0, 100]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RemoteSettings.from("s3", ProviderOptions.of(Map.of("s3.head-bytes", "1k"))));
        assertEquals("storage option s3.head-bytes='1k' is not an integer; use one in [1, 16777216]", e.getMessage());
    }

    @Test
    void announcedNeighboursAreFetchedTogetherOnceAndThenForgotten() throws IOException {
        byte[] d = data(1 << 20);
        try (FakeSource s = new FakeSource(d, settings(1024, 2))) {
            s.fetched.clear();
            // 5 ranges: 3 close together (gaps under 64 KiB), then one 100 KiB further, then a lone range far away
            long[] at = {10_000, 2_000, 20_000, 300_000, 900_000};
            long[] len = {5_000, 3_000, 1_000, 100, 50};
            s.willRead(at, len);
            ByteBuffer[] got = new ByteBuffer[at.length];
            for (int i = at.length - 1; i >= 0; i--) { // any order
                got[i] = ByteBuffer.allocate((int) len[i]);
                s.readFully(at[i], got[i]);
                assertArrayEquals(java.util.Arrays.copyOfRange(d, (int) at[i], (int) (at[i] + len[i])), got[i].array());
            }
            // the group [2000, 21000) in one request; 300000 and 900000 alone (a group of one is not kept)
            assertEquals(List.of("900000+50", "300000+100", "2000+19000"),
                    s.fetched.stream().map(f -> f[0] + "+" + f[1]).toList());
            // every announced range of the group was read: it is dropped, so a new read is a new request
            s.readFully(2_000, ByteBuffer.allocate(10));
            assertEquals(4, s.fetched.size());
            // ranges outside the object, in the cached head, or mismatched arrays
            s.willRead(new long[] {-5, 100, (1 << 20) - 10}, new long[] {10, 10, 20});
            assertEquals(4, s.fetched.size());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.willRead(new long[2], new long[3]));
            assertEquals("2 positions for 3 lengths", e.getMessage());
        }
    }

    @Test
    void aGroupIsAtMostAnEighthOfTheAnnouncedBytesButAtLeast256KiB() throws IOException {
        byte[] d = data(8 << 20);
        try (FakeSource s = new FakeSource(d, settings(1024, 2))) {
            s.fetched.clear();
            int n = 256;
            long[] at = new long[n];
            long[] len = new long[n];
            for (int i = 0; i < n; i++) {
                at[i] = 4096 + i * 16_384L;
                len[i] = 16_384;
            }
            s.willRead(at, len); // 4 MiB announced: groups of at most 512 KiB, 32 slices each
            for (int i = 0; i < n; i++) {
                ByteBuffer b = ByteBuffer.allocate(16_384);
                s.readFully(at[i], b);
                assertEquals(d[(int) at[i] + 7], b.get(7));
            }
            assertEquals(8, s.fetched.size());
            assertTrue(s.fetched.stream().allMatch(f -> f[1] == 512 << 10), () -> s.fetched.stream().map(f -> f[1]).toList().toString());
        }
    }

    @Test
    void aThreadThatWouldWaitForAnotherThreadsFetchFetchesTheNextGroupMeanwhile() throws Exception {
        byte[] d = data(1 << 20);
        List<String> fetched = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch firstGroupStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        int group = 256 << 10; // 12 ranges of 64 KiB announced: groups of 4 ranges (256 KiB, the least group size)
        try (RemoteObjectSource s = new RemoteObjectSource(URI_, settings(1024, 0)) {
            {
                connect();
            }

            @Override
            protected ObjectInfo fetch(long position, ByteBuffer dst, ObjectInfo pinned) throws IOException {
                fetched.add(position + "+" + dst.remaining());
                if (position == 4096) {
                    firstGroupStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                int n = Math.toIntExact(Math.min(dst.remaining(), d.length - position));
                dst.put(d, Math.toIntExact(position), n);
                return new ObjectInfo(d.length, "\"v1\"");
            }
        }) {
            fetched.clear();
            long[] at = new long[12];
            long[] len = new long[12];
            for (int i = 0; i < at.length; i++) {
                at[i] = 4096 + i * 65_536L;
                len[i] = 65_536;
            }
            s.willRead(at, len);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                // thread 1 fetches group 0 and is held inside the request
                java.util.concurrent.Future<ByteBuffer> first = pool.submit(() -> read(s, at[0]));
                firstGroupStarted.await();
                // thread 2 needs group 0 too: instead of waiting it fetches group 1, then waits for group 0
                java.util.concurrent.Future<ByteBuffer> second = pool.submit(() -> read(s, at[1]));
                while (s.prefetches() == 0) {
                    Thread.sleep(1);
                }
                assertEquals(List.of("4096+" + group, (4096 + group) + "+" + group), List.copyOf(fetched));
                release.countDown();
                assertEquals(d[4096], first.get().get(0));
                assertEquals(d[4096 + 65_536], second.get().get(0));
            } finally {
                pool.shutdownNow();
            }
            // group 1 is already here; group 2 is fetched by its first read
            for (int i = 2; i < at.length; i++) {
                assertEquals(d[Math.toIntExact(at[i])], read(s, at[i]).get(0));
            }
            assertEquals(List.of("4096+" + group, (4096 + group) + "+" + group, (4096 + 2 * group) + "+" + group), List.copyOf(fetched));
            assertEquals(1, s.prefetches());
            assertEquals(4, s.requests()); // the first request, then the 3 groups
        }
    }

    private static ByteBuffer read(RemoteObjectSource s, long position) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(65_536);
        s.readFully(position, b);
        return b.flip();
    }
}
