package org.jpkl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A get touching several neighbouring chunks over HTTP (nginx on loopback) fetches them in a few
 * requests instead of one each: tiles of a tiled container on every level, and the entries of a zip
 * container (each entry's local header and data the first time, the data alone afterwards). The
 * same get through the same kind of source without the hint ({@link RandomAccessSource#willRead})
 * costs one request per chunk, as before chunks were announced. Every result is checked against
 * the local file. Figures printed for docs/REMOTE.md.
 */
class NeighbouringChunksTest extends ServedByNginx {
    private static final Jpkl JPKL = Jpkl.create();
    /** Keeps only 1 byte of the first request, so that no chunk is served from it (the small first chunks would be). */
    private static final Jpkl NO_HEAD = Jpkl.builder().storageOption("http.head-bytes", "1").build();
    /** The smallest group {@code RemoteObjectSource} fetches at once when more is announced (docs/REMOTE.md). */
    private static final long MIN_GROUP_BYTES = 256 << 10;

    private static WriteOptions options(String serializer, String kind) {
        WriteOptions.Builder b = WriteOptions.builder().serializer(serializer).codec("deflate");
        switch (kind) {
            case "plain": return b.noTiles().build();
            case "tiled": return b.tiles(32, 48).build();
            case "tiled-levels": return b.tiles(32, 48).levels(2).build();
            case "levels": return b.noTiles().levels(2).build();
            case "large": return b.tiles(64, 64).build();
            default: throw new IllegalArgumentException(kind);
        }
    }

    /**
     * 24 smooth planes of 70 x 100 uint16 (deflated to a few hundred bytes a chunk, far less than one
     * group): 9 tiles of 32 x 48 a plane; level 1 has 2 x 2 tiles a plane, level 2 one.
     */
    @ParameterizedTest(name = "{0} {1}, level {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "jpkl | tiled        | 0 | ...                | 216",
        "jpkl | tiled        | 0 | 10:40, 50:60, 2:6  | 8",
        "jpkl | tiled        | 0 | ..., 3::4          | 54",
        "jpkl | tiled-levels | 1 | ...                | 96",
        "jpkl | tiled-levels | 2 | ..., 1:20          | 19",
        "zip  | plain        | 0 | ...                | 24",
        "zip  | plain        | 0 | ..., 3::4          | 6",
        "zip  | levels       | 1 | ...                | 24",
        "zip  | tiled        | 0 | ...                | 216",
        "zip  | tiled        | 0 | 10:40, 50:60, 2:6  | 8",
        "zip  | tiled-levels | 1 | ...                | 96"})
    void neighbouringChunksAreFetchedInOneRequest(String serializer, String kind, int level, String selection, int chunks)
            throws IOException {
        NdArray smooth = NdArray.generate(DType.UINT16, new int[] {70, 100, 24}, i -> (i / 7000) * 3 + i % 5);
        String name = "smooth-" + kind + "." + serializer;
        Path file = save(name, smooth, options(serializer, kind));
        try (JpklArray local = JPKL.open(file)) {
            NdArray expected = local.level(level).get(selection);
            long before = requestsWithoutTheHint(name, level, selection, expected);
            assertEquals(chunks, before, "without the hint: one request per chunk");
            RemoteObjectSource source = openSource(name);
            try (JpklArray remote = JPKL.open(source)) {
                long atOpen = source.requests();
                assertEquals(expected, remote.level(level).get(selection));
                long after = source.requests() - atOpen;
                System.out.printf("neighbouring chunks, %s %s level %d [%s]: %d chunks, %d requests without the hint, %d with it%n",
                        serializer, kind, level, selection, chunks, before, after);
                assertEquals(1, after, chunks + " chunks in one request");
                assertEquals(expected, remote.level(level).get(selection));
                assertEquals(atOpen + 2, source.requests(), "again (zip: the entries' data alone): one request");
            }
        }
    }

    /**
     * 8 planes of 256 x 256 uint16 noise in tiles of 64 x 64 (about 8 KiB each once deflated, 1 MiB in
     * all): the groups are bounded (at least 256 KiB, an eighth of the announced bytes), so a full get
     * takes a few requests, each holding neighbours, and several threads still fetch in parallel.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jpkl", "zip"})
    void aLargeGetIsFetchedInAFewBoundedRequests(String serializer) throws IOException {
        NdArray noise = NdArray.generate(DType.UINT16, new int[] {256, 256, 8}, i -> (i * 2654435761L >>> 9) % 65536);
        String name = "noise." + serializer;
        Path file = save(name, noise, options(serializer, "large"));
        long chunks = 8 * 16;
        long largest = 0;
        long chunkBytes = 0;
        try (JpklArray local = JPKL.open(file)) {
            for (long n = 0; n < chunks; n++) {
                int length = local.readEncodedSlice(n).remaining();
                largest = Math.max(largest, length);
                chunkBytes += length;
            }
        }
        long before = requestsWithoutTheHint(name, 0, "...", noise);
        assertEquals(chunks, before, "without the hint: one request per tile");
        RemoteObjectSource source = openSource(name);
        try (JpklArray remote = JPKL.open(source)) {
            long atOpen = source.requests();
            long bytesAtOpen = source.bytesFetched();
            assertEquals(noise, remote.get("..."));
            long after = source.requests() - atOpen;
            long fetched = source.bytesFetched() - bytesAtOpen;
            System.out.printf("neighbouring chunks, %s, %,d tiles of %,d bytes in all: %d requests without the hint, %d with it"
                    + " (%,d bytes fetched)%n", serializer, chunks, chunkBytes, before, after, fetched);
            // each group but the last holds more than MIN_GROUP_BYTES - largest bytes
            long most = (fetched + MIN_GROUP_BYTES - largest - 1) / (MIN_GROUP_BYTES - largest) + 1;
            assertTrue(after > 1 && after <= most, after + " requests: more than 1 (the groups are bounded) and at most " + most);
            // the first request (1 KiB, at open) may hold the start of the first tile; zip adds the entries' local headers
            assertTrue(fetched > chunkBytes - 1024 && fetched < chunkBytes + chunks * 200L,
                    fetched + " bytes fetched for " + chunkBytes + " of tiles");
        }
    }

    private static Path save(String name, NdArray array, WriteOptions options) throws IOException {
        Path file = served.resolve(name);
        JPKL.save(array, file, options);
        return file;
    }

    private static RemoteObjectSource openSource(String name) throws IOException {
        return (RemoteObjectSource) JPKL.storage().open(nginx.uri(name));
    }

    /**
     * The requests of one get on a fresh open through a source that drops the hint, the first request
     * keeping 1 byte: the cost before chunks were announced, one request per chunk.
     */
    private static long requestsWithoutTheHint(String name, int level, String selection, NdArray expected) throws IOException {
        RemoteObjectSource source = (RemoteObjectSource) NO_HEAD.storage().open(nginx.uri(name));
        try (JpklArray remote = NO_HEAD.open(withoutHints(source))) {
            long atOpen = source.requests();
            assertEquals(expected, remote.level(level).get(selection));
            return source.requests() - atOpen;
        }
    }

    /** {@code source} without {@link RandomAccessSource#willRead}: every read is its own request, as before the hint. */
    private static RandomAccessSource withoutHints(RandomAccessSource source) {
        return new RandomAccessSource() {
            @Override
            public String name() {
                return source.name();
            }

            @Override
            public long size() throws IOException {
                return source.size();
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws IOException {
                source.readFully(position, dst);
            }

            @Override
            public void close() throws IOException {
                source.close();
            }
        };
    }
}
