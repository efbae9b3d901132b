package org.jpkl.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import java.util.Optional;
import org.jpkl.api.DType;
import org.junit.jupiter.api.Test;

/** NumPy's dtype spellings, checked against what {@code numpy.dtype} makes of them (NumPy 1.24). */
class NumpyTypeTest {
    private static void parses(String spelling, DType dtype, ByteOrder order) {
        NumpyType t = NumpyType.parse(spelling);
        assertEquals(dtype, t.dtype(), spelling);
        assertEquals(Optional.ofNullable(order), t.byteOrder(), spelling);
    }

    @Test
    void namesAndTypeStrings() {
        parses("uint16", DType.UINT16, null);
        parses(" Float32 ", DType.FLOAT32, null);
        parses("u2", DType.UINT16, null);
        parses("<u2", DType.UINT16, ByteOrder.LITTLE_ENDIAN);
        parses(">f4", DType.FLOAT32, ByteOrder.BIG_ENDIAN);
        parses("|u2", DType.UINT16, null);
        parses("=i4", DType.INT32, ByteOrder.nativeOrder());
        parses(">i2", DType.INT16, ByteOrder.BIG_ENDIAN);
        parses("<f8", DType.FLOAT64, ByteOrder.LITTLE_ENDIAN);
        parses("H", DType.UINT16, null);
        parses("h", DType.INT16, null);
        parses(">d", DType.FLOAT64, ByteOrder.BIG_ENDIAN);
        parses("B", DType.UINT8, null);
    }

    @Test
    void oneByteTypesHaveNoByteOrder() {
        parses("|u1", DType.UINT8, null);
        parses(">u1", DType.UINT8, null);
        parses("<B", DType.UINT8, null);
    }

    @Test
    void otherSpellingsAreRefusedListingTheAccepted() {
        for (String s : new String[] {"i8", "U2", "<uint16", "f2", "c8", "bool", "int", "", ">", "u 2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NumpyType.parse(s), s);
            assertEquals("dtype '" + s + "' is not supported; allowed: " + NumpyType.allowedSpellings(), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> NumpyType.parse(null));
    }

    @Test
    void valueSemantics() {
        assertEquals(NumpyType.parse("<u2"), NumpyType.parse("<H"));
        assertEquals(NumpyType.parse("<u2").hashCode(), NumpyType.parse("<H").hashCode());
        assertNotEquals(NumpyType.parse("<u2"), NumpyType.parse("u2"));
        assertEquals(">f4", NumpyType.parse(">f").toString());
        assertEquals("uint16", NumpyType.parse("u2").toString());
    }
}
