package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.testing.SparseJpklFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API past 2^31 and 2^32 slices, on a sparse file of shape (1, 1, 65536, 65537): gets,
 * stored slices and the decoded-plane cache all address the slice the key names.
 */
class HugeSliceNumbersTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
            .parallelism(2).build();

    /** A distinct value per written slice: 10, 11, ... in the order of {@link SparseJpklFiles#ACROSS_INT_LIMITS}. */
    private static int valueOf(long sliceNumber) {
        long[] numbers = SparseJpklFiles.ACROSS_INT_LIMITS;
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] == sliceNumber) {
                return 10 + i;
            }
        }
        throw new IllegalArgumentException("slice " + sliceNumber + " is not written");
    }

    private Path hugeFile() throws IOException {
        SparseJpklFiles.assumeSparseFiles(dir);
        int[] dims = SparseJpklFiles.HUGE_KEY_DIMS;
        ContainerHeader h = new ContainerHeader(new int[] {1, 1, dims[0], dims[1]}, DType.UINT8, PlaneLayout.jpkl(false),
                List.of(), IdentityCodec.ID, Map.of(), Map.of());
        IdentityCodec codec = new IdentityCodec();
        Map<Long, byte[]> slices = new LinkedHashMap<>();
        for (long n : SparseJpklFiles.ACROSS_INT_LIMITS) {
            PlaneBuffer plane = PlaneBuffer.wrap(h.planeSpec(), new byte[] {(byte) valueOf(n)}, 0);
            slices.put(n, codec.newEncoder(codec.params(Map.of()), h.planeSpec()).encode(plane));
        }
        return SparseJpklFiles.write(dir.resolve("huge.jpkl"), h, slices);
    }

    private static String keyExpression(long sliceNumber) {
        long k0 = sliceNumber / SparseJpklFiles.HUGE_KEY_DIMS[1];
        long k1 = sliceNumber % SparseJpklFiles.HUGE_KEY_DIMS[1];
        return "0, 0, " + k0 + ", " + k1;
    }

    @Test
    void getReadsTheSliceTheKeyNamesOnBothSidesOfTwoToThe31And32() throws IOException {
        Path file = hugeFile();
        try (JpklArray a = jpkl.open(file)) {
            assertEquals(4_295_032_832L, a.sliceCount());
            for (long n : SparseJpklFiles.ACROSS_INT_LIMITS) {
                NdArray got = a.get(keyExpression(n) + ":" + (n % SparseJpklFiles.HUGE_KEY_DIMS[1] + 1));
                assertArrayEquals(new int[] {1}, got.shape(), "shape for slice " + n);
                assertEquals(valueOf(n), got.getIntFlat(0), "value of slice " + n + " (key " + keyExpression(n) + ")");
            }
            assertEquals(valueOf((1L << 32) + 5), a.get("0, 0, 65535, 6:7").getIntFlat(0), "the issue's key (0, 0, 65535, 6)");
            assertEquals(valueOf((1L << 32) + 5), a.get("::4294967296, ::-9223372036854775807, 65535::9223372036854775807, 6")
                    .getIntFlat(0), "plane and key steps beyond int selecting one position");
        }
    }

    @Test
    void storedSlicesAndDecodesAreAddressedByTheLongSliceNumber() throws IOException {
        Path file = hugeFile();
        try (JpklArray a = jpkl.open(file)) {
            for (long n : SparseJpklFiles.ACROSS_INT_LIMITS) {
                PlaneBuffer plane = PlaneBuffer.allocate(a.header().planeSpec());
                a.decodeSlice(n, plane);
                assertEquals(valueOf(n), plane.toNdArray().getIntFlat(0), "decoded slice " + n);
                ByteBuffer stored = a.readEncodedSlice(n);
                assertEquals(16 + 1, stored.remaining(), "stored slice " + n + ": identity header and one sample");
            }
        }
    }

    @Test
    void verifyChecksTheCrcOfAnIndexTooLargeToReadAtOpenBeforeAnySlice() throws IOException {
        long count = SparseJpklFiles.FIRST_ON_DEMAND_SLICE_COUNT;
        PlaneSpec one = new PlaneSpec(DType.UINT8, 1, 1, ChannelLayout.GREY);
        IdentityCodec codec = new IdentityCodec();
        byte[] encoded = codec.newEncoder(codec.params(Map.of()), one).encode(PlaneBuffer.wrap(one, new byte[] {7}, 0));
        Path file = SparseJpklFiles.onDemandIndexFile(dir, IdentityCodec.ID, Map.of(count - 1, encoded));
        SparseJpklFiles.flipIndexBit(file, count, 5);
        try (JpklArray a = jpkl.open(file)) {
            assertEquals(7, a.get("0, 0, -1:").getIntFlat(0), "the last slice reads: its entry is intact");
            org.jpkl.api.JpklFormatException e = assertThrows(org.jpkl.api.JpklFormatException.class, a::verify);
            assertEquals(file + ": index: CRC32C mismatch " + e.getMessage().substring(e.getMessage().indexOf("(stored"),
                    e.getMessage().indexOf(")") + 1) + ": the index (268435460 bytes, read entry by entry) is damaged", e.getMessage());
        }
    }

    @Test
    void theCacheKeepsSliceFiveAndSliceTwoToThe32PlusFiveApart() throws IOException {
        Path file = hugeFile();
        SliceCache cache = SliceCache.withBudget(1 << 20);
        try (JpklArray a = jpkl.open(file, OpenOptions.builder().cache(cache).build())) {
            long big = (1L << 32) + 5;
            for (int round = 0; round < 2; round++) {
                assertEquals(valueOf(5), a.get(keyExpression(5) + ":6").getIntFlat(0), "slice 5, round " + round);
                assertEquals(valueOf(big), a.get(keyExpression(big) + ":7").getIntFlat(0), "slice 2^32+5, round " + round);
            }
            assertEquals(2, cache.size(), "two planes cached");
            assertEquals(2, cache.misses(), "each decoded once");
            assertEquals(2, cache.hits(), "each read once from the cache");
        }
    }
}
