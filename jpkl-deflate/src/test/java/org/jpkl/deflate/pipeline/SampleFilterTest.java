package org.jpkl.deflate.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.testing.TestPlanes;
import org.jpkl.deflate.PlaneFilter;
import org.junit.jupiter.api.Test;

/**
 * The filters' bytes themselves, independent of any compressor: the old filters' output is frozen
 * (files written before bitshuffle decode the same and new ones are written the same), and
 * bitshuffle is the bit-plane transpose of Blosc's and HDF5's bitshuffle, checked against a
 * bit-by-bit reference.
 */
class SampleFilterTest {
    private static byte[] filtered(PlaneFilter filter, PlaneBuffer plane) {
        SampleFilter f = new SampleFilter(filter, plane.spec());
        byte[] out = new byte[f.byteSize()];
        f.encode(plane, out);
        return out;
    }

    private static PlaneBuffer unfiltered(PlaneFilter filter, PlaneSpec spec, byte[] bytes) {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        new SampleFilter(filter, spec).decode(bytes, out);
        return out;
    }

    /** SHA-256 of the filtered bytes of {@code TestPlanes.smooth(spec, 5, true, true)} per filter and dtype (RGB, 19x23). */
    private static Map<String, String> digests(PlaneFilter... filters) throws Exception {
        Map<String, String> digests = new TreeMap<>();
        for (PlaneFilter filter : filters) {
            for (DType dtype : DType.values()) {
                PlaneSpec spec = new PlaneSpec(dtype, 19, 23, ChannelLayout.RGB);
                byte[] bytes = filtered(filter, TestPlanes.smooth(spec, 5, true, true));
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                digests.put(filter + " " + dtype, sha.substring(0, 16));
            }
        }
        return digests;
    }

    @Test
    void theOldFiltersBytesAreUnchanged() throws Exception {
        // Recorded with the filters as they were before bitshuffle was added (commit e92584d).
        Map<String, String> frozen = new TreeMap<>(Map.ofEntries(
                Map.entry("delta float32", "693d4890c185c7a2"), Map.entry("delta float64", "df5d8856ed59e221"),
                Map.entry("delta int16", "aefb411d72dc4003"), Map.entry("delta int32", "305f587e5994747b"),
                Map.entry("delta uint16", "8356d27c59d3d107"), Map.entry("delta uint8", "46e7b5b13f594bb4"),
                Map.entry("none float32", "7b0265b961856a5c"), Map.entry("none float64", "03a289d585623118"),
                Map.entry("none int16", "e642ffd994c6944a"), Map.entry("none int32", "646f7b6f9d7e331e"),
                Map.entry("none uint16", "e0dc6bd235f253e4"), Map.entry("none uint8", "b3373d17bd55f911"),
                Map.entry("shuffle float32", "336cefd1046baeb3"), Map.entry("shuffle float64", "4cb6ed18bcf5434e"),
                Map.entry("shuffle int16", "2ac0bc52f35af63b"), Map.entry("shuffle int32", "14c8acafff1e619d"),
                Map.entry("shuffle uint16", "70d35fcd6edec6c1"), Map.entry("shuffle uint8", "b3373d17bd55f911")));
        assertEquals(frozen, digests(PlaneFilter.NONE, PlaneFilter.SHUFFLE, PlaneFilter.DELTA));
        assertEquals(0, PlaneFilter.NONE.code());
        assertEquals(1, PlaneFilter.SHUFFLE.code());
        assertEquals(2, PlaneFilter.DELTA.code());
        assertEquals(3, PlaneFilter.BITSHUFFLE.code());
    }

    /** Bitshuffle by definition, one bit at a time, from the plain little-endian bytes. */
    private static byte[] referenceBitshuffle(byte[] plain, int size, int count) {
        byte[] out = new byte[plain.length];
        int n = count / 8 * 8;
        int rowBytes = n / 8;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < size; k++) {
                for (int b = 0; b < 8; b++) {
                    int bit = plain[i * size + k] >>> b & 1;
                    int plane = 8 * k + b;
                    out[plane * rowBytes + i / 8] |= (byte) (bit << (i % 8));
                }
            }
        }
        System.arraycopy(plain, n * size, out, n * size, (count - n) * size);
        return out;
    }

    @Test
    void bitshuffleIsTheBitPlaneTransposeForEveryDtypeAndSampleCount() {
        for (DType dtype : DType.values()) {
            for (int[] hw : new int[][] {{1, 1}, {1, 7}, {1, 8}, {3, 5}, {19, 23}, {64, 64}}) {
                PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], ChannelLayout.GREY);
                PlaneBuffer plane = TestPlanes.smooth(spec, 3, true, true);
                byte[] plain = filtered(PlaneFilter.NONE, plane);
                byte[] bits = filtered(PlaneFilter.BITSHUFFLE, plane);
                assertArrayEquals(referenceBitshuffle(plain, dtype.byteSize(), spec.sampleCount()), bits, spec.toString());
                assertTrue(TestPlanes.bitEqual(plane, unfiltered(PlaneFilter.BITSHUFFLE, spec, bits)), spec.toString());
            }
        }
    }

    @Test
    void bitshuffleOfEightUint16SamplesByHand() {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 1, 9, ChannelLayout.GREY);
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        short[] s = plane.shorts();
        s[0] = 1; // bit 0 of sample 0
        s[3] = (short) 0x8000; // bit 15 of sample 3
        s[7] = 0x0102; // bits 1 and 8 of sample 7
        s[8] = 0x0a0b; // the ninth sample is a remainder, copied little-endian
        byte[] expected = new byte[18];
        expected[0] = 0b0000_0001; // plane 0 (byte 0, bit 0): sample 0
        expected[1] = (byte) 0b1000_0000; // plane 1 (byte 0, bit 1): sample 7
        expected[8] = (byte) 0b1000_0000; // plane 8 (byte 1, bit 0): sample 7
        expected[15] = 0b0000_1000; // plane 15 (byte 1, bit 7): sample 3
        expected[16] = 0x0b;
        expected[17] = 0x0a;
        assertArrayEquals(expected, filtered(PlaneFilter.BITSHUFFLE, plane));
        assertEquals(ByteBuffer.wrap(expected, 16, 2).order(ByteOrder.LITTLE_ENDIAN).getShort(), s[8]);
    }
}
