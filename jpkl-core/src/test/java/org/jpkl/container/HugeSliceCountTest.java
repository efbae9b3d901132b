package org.jpkl.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.io.CountingSource;
import org.jpkl.testing.SparseJpklFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slice numbers past 2^31 and 2^32 in the single-file format, on a sparse file of 2^32 + 2^16
 * slices (86 GB long, a few KB on disk): each slice number reads its own index entry, never one
 * truncated to 32 bits, and opening does not read or allocate the 86 GB index.
 */
class HugeSliceCountTest {
    @TempDir
    Path dir;

    private final JpklFileSerializer format = new JpklFileSerializer();

    static ContainerHeader hugeHeader(String codecId) {
        int[] dims = SparseJpklFiles.HUGE_KEY_DIMS;
        return new ContainerHeader(new int[] {1, 1, dims[0], dims[1]}, DType.UINT8, PlaneLayout.jpkl(false), List.of(), codecId,
                Map.of(), Map.of());
    }

    /** Distinct bytes for each slice, so a slice read in place of another is seen. */
    private static byte[] bytesOf(long sliceNumber) {
        return ("slice " + sliceNumber).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private Path hugeFile() throws IOException {
        SparseJpklFiles.assumeSparseFiles(dir);
        Map<Long, byte[]> slices = new LinkedHashMap<>();
        for (long n : SparseJpklFiles.ACROSS_INT_LIMITS) {
            slices.put(n, bytesOf(n));
        }
        Path file = SparseJpklFiles.write(dir.resolve("huge.jpkl"), hugeHeader("test-identity"), slices);
        OptionalLong allocated = SparseJpklFiles.allocatedBytes(file);
        if (allocated.isPresent()) {
            assertTrue(allocated.getAsLong() <= SparseJpklFiles.MAX_ALLOCATED_BYTES, "the sparse file takes "
                    + allocated.getAsLong() + " bytes of disk");
        }
        return file;
    }

    @Test
    void everySliceNumberAcrossTwoToThe31And32ReadsItsOwnEntry() throws IOException {
        Path file = hugeFile();
        long data = 0;
        for (long n : SparseJpklFiles.ACROSS_INT_LIMITS) {
            data += bytesOf(n).length;
        }
        long header = HeaderJson.toBytes(hugeHeader("test-identity")).length;
        assertEquals(16 + header + 4 + data + 20 * 4_295_032_832L + 32, Files.size(file), "apparent size (86 GB)");
        try (ContainerReader r = format.openReader(RandomAccessSource.open(file))) {
            assertEquals(4_295_032_832L, r.header().sliceCount());
            for (long n : SparseJpklFiles.ACROSS_INT_LIMITS) {
                assertEquals("slice " + n, new String(bytes(r.readSlice(n)), java.nio.charset.StandardCharsets.US_ASCII),
                        "slice " + n);
                assertArrayEquals(bytesOf(n), bytes(r.readVerifiedSlice(n)), "verified slice " + n);
                assertEquals(bytesOf(n).length, r.sliceLength(n), "length of slice " + n);
            }
        }
    }

    @Test
    void theIssuesKeyReadsSliceTwoToThe32PlusFive() throws IOException {
        Path file = hugeFile();
        try (ContainerReader r = format.openReader(RandomAccessSource.open(file))) {
            KeySpace keys = r.header().keySpace();
            long n = keys.sliceNumber(65535, 6);
            assertEquals((1L << 32) + 5, n);
            assertArrayEquals(bytesOf(n), bytes(r.readSlice(n)));
            assertArrayEquals(new int[] {65535, 6}, keys.key(n));
        }
    }

    @Test
    void aSliceWhoseEntryIsAHoleIsRefusedNamingItsKeyNotReadFromAnotherEntry() throws IOException {
        Path file = hugeFile();
        try (ContainerReader r = format.openReader(RandomAccessSource.open(file))) {
            long n = (1L << 32) + 6;
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> r.readSlice(n));
            assertTrue(e.getMessage().contains("index entry for slice (65535, 7)"), e.getMessage());
            long last = r.header().sliceCount() - 1;
            assertThrows(JpklFormatException.class, () -> r.readSlice(last));
            IndexOutOfBoundsException out = assertThrows(IndexOutOfBoundsException.class, () -> r.readSlice(last + 1));
            assertEquals("slice number 4295032832 is out of range [0, 4295032832)", out.getMessage());
        }
    }

    @Test
    void openingAnEightySixGigabyteIndexReadsOnlyPreambleHeaderAndFooter() throws IOException {
        Path file = hugeFile();
        long headerBytes = HeaderJson.toBytes(hugeHeader("test-identity")).length;
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (ContainerReader r = format.openReader(counting)) {
            assertEquals(FileLayout.PREAMBLE_BYTES + headerBytes + FileLayout.HEADER_CRC_BYTES + FileLayout.FOOTER_BYTES,
                    counting.bytesRead(), "bytes read at open");
            long before = counting.bytesRead();
            r.readSlice(1L << 31);
            assertEquals(before + FileLayout.INDEX_ENTRY_BYTES + bytesOf(1L << 31).length, counting.bytesRead(),
                    "one slice = its index entry and its bytes");
        }
    }

    @Test
    void theWriterRefusesMoreSlicesThanItCanIndexBeforeCreatingAFile() throws IOException {
        Path target = dir.resolve("w.jpkl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> format.openWriter(target, hugeHeader("test-identity")));
        assertEquals("shape [1, 1, 65536, 65537] has 4295032832 slices; this writer keeps its index in memory and takes at most "
                + "2147483639", e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no file created");
        }
    }


    @Test
    void aFullVerificationChecksTheCrcOfAnIndexReadOnDemand() throws IOException {
        long last = SparseJpklFiles.FIRST_ON_DEMAND_SLICE_COUNT - 1;
        Path file = SparseJpklFiles.onDemandIndexFile(dir, "test-identity", Map.of(0L, bytesOf(0), last, bytesOf(last)));
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (ContainerReader r = format.openReader(counting)) {
            assertEquals(3, counting.reads(), "the index is not read at open");
            long before = counting.bytesRead();
            r.verifyStructure();
            assertEquals(20 * SparseJpklFiles.FIRST_ON_DEMAND_SLICE_COUNT, counting.bytesRead() - before, "the whole index, once");
            assertArrayEquals(bytesOf(last), bytes(r.readVerifiedSlice(last)));
        }
        SparseJpklFiles.flipIndexBit(file, SparseJpklFiles.FIRST_ON_DEMAND_SLICE_COUNT, 5);
        try (ContainerReader r = format.openReader(RandomAccessSource.open(file))) {
            assertArrayEquals(bytesOf(last), bytes(r.readSlice(last)), "reads do not see an entry they do not use");
            JpklFormatException e = assertThrows(JpklFormatException.class, r::verifyStructure);
            assertTrue(e.getMessage().startsWith(file + ": index: CRC32C mismatch (stored 0x"), e.getMessage());
            assertTrue(e.getMessage().endsWith("): the index (268435460 bytes, read entry by entry) is damaged"), e.getMessage());
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
