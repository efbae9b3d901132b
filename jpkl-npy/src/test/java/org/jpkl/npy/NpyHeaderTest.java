package org.jpkl.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.junit.jupiter.api.Test;

/**
 * The .npy header against NumPy's documented layout (numpy.lib.format): magic, version, length,
 * padded dict. The expected bytes are what {@code numpy.save} (NumPy 2.x) writes for the same arrays.
 */
class NpyHeaderTest {
    /** numpy.save of np.zeros((2, 3), '<u2'). */
    private static final String NUMPY_U2_2X3 = "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<u2', 'fortran_order': False, 'shape': (2, 3), }"
            + " ".repeat(58) + "\n";
    /** numpy.save of np.asfortranarray(np.zeros((5, 6, 7), '>f4')). */
    private static final String NUMPY_F4_FORTRAN = "\u0093NUMPY\u0001\u0000v\u0000{'descr': '>f4', 'fortran_order': True, 'shape': (5, 6, 7), }"
            + " ".repeat(56) + "\n";
    /** numpy.save of np.zeros((5,), '|u1'). */
    private static final String NUMPY_U1_1D = "\u0093NUMPY\u0001\u0000v\u0000{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }"
            + " ".repeat(60) + "\n";
    /** numpy.save of np.zeros((), '<f8'). */
    private static final String NUMPY_F8_SCALAR = "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<f8', 'fortran_order': False, 'shape': (), }"
            + " ".repeat(62) + "\n";

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesTheSameBytesAsNumpy() {
        assertArrayEquals(latin1(NUMPY_U2_2X3), NpyHeader.of(DType.UINT16, ByteOrder.LITTLE_ENDIAN, false, 2, 3).toBytes());
        assertArrayEquals(latin1(NUMPY_F4_FORTRAN), NpyHeader.of(DType.FLOAT32, ByteOrder.BIG_ENDIAN, true, 5, 6, 7).toBytes());
        assertArrayEquals(latin1(NUMPY_U1_1D), NpyHeader.of(DType.UINT8, ByteOrder.LITTLE_ENDIAN, false, 5).toBytes());
        assertArrayEquals(latin1(NUMPY_F8_SCALAR), NpyHeader.of(DType.FLOAT64, ByteOrder.LITTLE_ENDIAN, false).toBytes());
    }

    @Test
    void headerIsAlignedTo64AndEndsWithNewline() {
        for (int[] shape : new int[][] {{1, 1}, {123456789, 2, 3}, {7}, {}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}) {
            byte[] h = NpyHeader.of(DType.INT32, ByteOrder.LITTLE_ENDIAN, false, shape).toBytes();
            assertEquals(0, h.length % 64, Arrays.toString(shape));
            assertEquals('\n', h[h.length - 1]);
            assertEquals(1, h[6]);
            assertEquals(0, h[7]);
            assertEquals(h.length - 10, (h[8] & 0xFF) | (h[9] & 0xFF) << 8, "little-endian header length");
        }
    }

    @Test
    void usesVersion2WhenTheDictExceeds65535Bytes() throws IOException {
        int[] shape = new int[25_000];
        Arrays.fill(shape, 1);
        NpyHeader header = NpyHeader.of(DType.UINT8, ByteOrder.LITTLE_ENDIAN, false, shape);
        byte[] h = header.toBytes();
        assertEquals(2, h[6]);
        assertEquals(0, h[7]);
        long length = (h[8] & 0xFFL) | (h[9] & 0xFFL) << 8 | (h[10] & 0xFFL) << 16 | (h[11] & 0xFFL) << 24;
        assertEquals(h.length - 12, length, "4-byte little-endian header length");
        assertEquals(0, h.length % 64);
        assertTrue(length > 65535);
        assertEquals(2, header.majorVersion());
        assertEquals(h.length, header.dataOffset());
        NpyHeader back = NpyHeader.read(new ByteArrayInputStream(h), "big.npy");
        assertEquals(25_000, back.shape().length);
        assertEquals(2, back.majorVersion());
    }

    @Test
    void readsNumpyHeaders() throws IOException {
        NpyHeader f = NpyHeader.read(new ByteArrayInputStream(latin1(NUMPY_F4_FORTRAN)), "f.npy");
        assertEquals(DType.FLOAT32, f.dtype());
        assertEquals(ByteOrder.BIG_ENDIAN, f.byteOrder());
        assertTrue(f.fortranOrder());
        assertArrayEquals(new int[] {5, 6, 7}, f.shape());
        assertEquals(128, f.dataOffset());
        assertEquals(5 * 6 * 7 * 4, f.dataBytes());
        NpyHeader u = NpyHeader.read(new ByteArrayInputStream(latin1(NUMPY_U1_1D)), "u.npy");
        assertEquals(DType.UINT8, u.dtype());
        assertFalse(u.fortranOrder());
        assertArrayEquals(new int[] {5}, u.shape());
    }

    @Test
    void readsOlderAndHandWrittenVariants() throws IOException {
        // Python 2 era: long suffixes, no trailing comma, keys in another order, double quotes.
        String dict = "{\"shape\": (3L, 4L), 'fortran_order': False, 'descr': '=i2'}";
        byte[] h = header(1, dict);
        NpyHeader n = NpyHeader.read(new ByteArrayInputStream(h), "old.npy");
        assertArrayEquals(new int[] {3, 4}, n.shape());
        assertEquals(DType.INT16, n.dtype());
        assertEquals(ByteOrder.nativeOrder(), n.byteOrder());
        NpyHeader v3 = NpyHeader.read(new ByteArrayInputStream(header(3, "{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }")), "v3.npy");
        assertEquals(DType.FLOAT64, v3.dtype());
        assertTrue(v3.fortranOrder());
    }

    @Test
    void roundTripsEveryDtypeAndOrder() throws IOException {
        for (DType d : DType.values()) {
            for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                NpyHeader h = NpyHeader.of(d, o, true, 4, 0, 9);
                NpyHeader back = NpyHeader.read(new ByteArrayInputStream(h.toBytes()), "x.npy");
                assertEquals(d, back.dtype());
                assertEquals(d == DType.UINT8 ? ByteOrder.LITTLE_ENDIAN : o, back.byteOrder());
                assertTrue(back.fortranOrder());
                assertArrayEquals(new int[] {4, 0, 9}, back.shape());
                assertEquals(h.toBytes().length, back.dataOffset());
            }
        }
    }

    @Test
    void writerProducesHeaderAndLittleEndianCOrderData() throws IOException {
        NdArray a = NdArray.wrapUint16(new short[] {1, 2, 3, (short) 65535, 5, 6}, 2, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(a, out);
        byte[] bytes = out.toByteArray();
        assertEquals(128 + 12, bytes.length);
        assertArrayEquals(latin1(NUMPY_U2_2X3), Arrays.copyOf(bytes, 128));
        assertArrayEquals(new byte[] {1, 0, 2, 0, 3, 0, (byte) 0xFF, (byte) 0xFF, 5, 0, 6, 0}, Arrays.copyOfRange(bytes, 128, 140));
    }

    @Test
    void refusesWhatJpklDoesNotStore() {
        JpklFormatException e = assertThrows(JpklFormatException.class,
                () -> NpyHeader.read(new ByteArrayInputStream(header(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }")), "i8.npy"));
        assertTrue(e.getMessage().contains("i8.npy") && e.getMessage().contains("'<i8'") && e.getMessage().contains("float32 (f4)"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> NpyHeader.read(new ByteArrayInputStream(
                header(1, "{'descr': [('a', '<u1')], 'fortran_order': False, 'shape': (2,), }")), "rec.npy"));
        assertTrue(e.getMessage().contains("structured dtype"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> NpyHeader.read(new ByteArrayInputStream(latin1("PK\u0003\u0004 not numpy")), "z.npy"));
        assertTrue(e.getMessage().contains("not a NumPy .npy file"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> NpyHeader.read(new ByteArrayInputStream(
                Arrays.copyOf(latin1(NUMPY_U2_2X3), 40)), "short.npy"));
        assertTrue(e.getMessage().contains("ends inside the header"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> NpyHeader.read(new ByteArrayInputStream(header(1, "{'descr': '<u1', 'shape': (2,), }")), "nf.npy"));
        assertTrue(e.getMessage().contains("'fortran_order' is missing"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> NpyHeader.read(new ByteArrayInputStream(
                header(1, "{'descr': '<u1', 'fortran_order': False, 'shape': (3000000000,), }")), "huge.npy"));
        assertTrue(e.getMessage().contains("3000000000"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> NpyHeader.read(new ByteArrayInputStream(header(9, "{}")), "v9.npy"));
        assertTrue(e.getMessage().contains("version 9.0"), e.getMessage());
    }

    private static byte[] header(int major, String dict) {
        byte[] text = latin1(dict + "\n");
        int prefix = major == 1 ? 10 : 12;
        byte[] out = new byte[prefix + text.length];
        byte[] magic = latin1("\u0093NUMPY");
        System.arraycopy(magic, 0, out, 0, 6);
        out[6] = (byte) major;
        out[8] = (byte) text.length;
        out[9] = (byte) (text.length >> 8);
        System.arraycopy(text, 0, out, prefix, text.length);
        return out;
    }
}
