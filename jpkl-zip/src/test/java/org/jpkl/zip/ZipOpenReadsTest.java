package org.jpkl.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.io.RandomAccessSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a ZIP container reads its central directory in at most two reads, and a stored slice's
 * local header and data in one, whatever the entry count: over HTTP or S3 every read is a request
 * (docs/REMOTE.md), so Commons Compress's record-by-record reads would cost one request each.
 */
class ZipOpenReadsTest {
    @TempDir
    Path dir;

    @Test
    void theCentralDirectoryIsReadInTwoReadsAndASliceInOne() throws IOException {
        Jpkl jpkl = Jpkl.create();
        NdArray array = NdArray.generate(DType.UINT8, new int[] {8, 8, 2000}, i -> (i * 31) % 251);
        Path file = dir.resolve("many.zip");
        jpkl.save(array, file, WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").noTiles().build());
        long size = Files.size(file);
        assertTrue(size > 2 * CentralDirectoryCache.TAIL_BYTES, "the directory must start before the tail: " + size);
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (JpklArray z = jpkl.open(counting)) {
            List<long[]> atOpen = counting.regions();
            long tail = size - CentralDirectoryCache.TAIL_BYTES;
            // detection and the header entry read the first bytes (one cached request remotely); then the
            // last 64 KiB and the rest of the central directory before them, one read each
            assertEquals(6, atOpen.size());
            assertArrayEquals(new long[] {tail, CentralDirectoryCache.TAIL_BYTES}, atOpen.get(2));
            assertEquals(tail, atOpen.get(3)[0] + atOpen.get(3)[1], "the rest of the directory ends where the tail starts");
            for (int i : new int[] {0, 1, 4, 5}) {
                assertTrue(atOpen.get(i)[0] + atOpen.get(i)[1] <= 1024, "read " + i + " lies in the first 1 KiB");
            }
            long reads = counting.reads();
            assertEquals(array.get("..., 1234"), z.get("..., 1234"));
            assertEquals(reads + 1, counting.reads(), "one slice: its local header and data in one read");
            assertEquals(array.get("..., 1234"), z.get("..., 1234"));
            assertEquals(reads + 2, counting.reads(), "again: its data alone");
        }
    }

    /**
     * A get of several slices first tells the source what it will read ({@link RandomAccessSource#willRead},
     * so a remote source fetches neighbouring entries in one request): each entry's local header and
     * data together the first time, which lie back to back in a jpkl archive, then its data alone;
     * exactly the reads that follow.
     */
    @Test
    void aGetOfSeveralSlicesAnnouncesTheReadsItMakes() throws IOException {
        Jpkl jpkl = Jpkl.create();
        NdArray array = NdArray.generate(DType.UINT8, new int[] {8, 8, 40}, i -> (i * 31) % 251);
        Path file = dir.resolve("announced.zip");
        jpkl.save(array, file, WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").noTiles().build());
        byte[] bytes = Files.readAllBytes(file);
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (JpklArray z = jpkl.open(counting)) {
            List<long[]> first = announcedAndRead(counting, () -> assertEquals(array.get("..., 5:25"), z.get("..., 5:25")));
            assertEquals(20, first.size());
            for (int i = 0; i < first.size(); i++) {
                int at = Math.toIntExact(first.get(i)[0]);
                assertEquals(0x04034b50, java.nio.ByteBuffer.wrap(bytes, at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(),
                        "read " + i + " starts at a local file header");
                if (i > 0) {
                    assertEquals(first.get(i - 1)[0] + first.get(i - 1)[1], first.get(i)[0], "entries " + (i - 1) + " and " + i + " are back to back");
                }
            }
            List<long[]> again = announcedAndRead(counting, () -> assertEquals(array.get("..., 5:25"), z.get("..., 5:25")));
            assertEquals(20, again.size());
            for (int i = 0; i < again.size(); i++) {
                long header = again.get(i)[0] - first.get(i)[0];
                assertTrue(header > 30 && first.get(i)[1] - again.get(i)[1] == header, "read " + i + ": the data alone, after its local header");
            }
        }
    }

    /** A read that may throw. */
    private interface Read {
        void run() throws IOException;
    }

    /** Runs {@code read}, checks that it read exactly the ranges it announced, and returns them sorted by position. */
    private static List<long[]> announcedAndRead(CountingSource counting, Read read) throws IOException {
        int reads = counting.regions().size();
        int announced = counting.announced().size();
        read.run();
        List<long[]> made = new java.util.ArrayList<>(counting.regions().subList(reads, counting.regions().size()));
        List<long[]> told = new java.util.ArrayList<>(counting.announced().subList(announced, counting.announced().size()));
        made.sort(java.util.Comparator.comparingLong(r -> r[0]));
        told.sort(java.util.Comparator.comparingLong(r -> r[0]));
        assertEquals(made.stream().map(java.util.Arrays::toString).toList(), told.stream().map(java.util.Arrays::toString).toList());
        return made;
    }
}
