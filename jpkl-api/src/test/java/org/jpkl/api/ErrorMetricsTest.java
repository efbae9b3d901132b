package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-computed error figures; each expected value is derived in the comment beside it. */
class ErrorMetricsTest {
    @Test
    void uint8ErrorsAgainstTheDataRangeAndTheDtypePeak() {
        NdArray expected = NdArray.wrapUint8(new byte[] {0, 20, 10, 10}, 2, 2);
        NdArray actual = NdArray.wrapUint8(new byte[] {2, 18, 12, 8}, 2, 2);
        ErrorMetrics m = ErrorMetrics.between(expected, actual);
        assertEquals(DType.UINT8, m.dtype());
        assertEquals(4, m.count());
        assertEquals(4, m.finitePairs());
        assertEquals(0, m.nonFiniteMismatches());
        assertEquals(2.0, m.maxAbsError()); // |0-2|, |20-18|, |10-12|, |10-8| are all 2
        assertEquals(2.0, m.meanAbsError()); // 8 / 4
        assertEquals(4.0, m.meanSquaredError()); // 16 / 4
        assertEquals(2.0, m.rmsError());
        assertEquals(0.0, m.dataMin());
        assertEquals(20.0, m.dataMax());
        assertEquals(20.0, m.dataRange());
        assertEquals(20.0, m.psnrOverDataRange(), 1e-12); // 10 log10(20^2 / 4) = 10 log10(100)
        assertEquals(255.0, ErrorMetrics.dtypePeak(DType.UINT8));
        assertEquals(42.11020369539948, m.psnrOverDtypePeak(), 1e-12); // 10 log10(65025 / 4) = 10 log10(16256.25)
        assertEquals(m.psnrOverDtypePeak(), m.psnr(255), 0);
        assertEquals(40.0, m.psnr(200), 1e-12); // 10 log10(40000 / 4)
        assertEquals(Double.POSITIVE_INFINITY, m.psnr(Double.POSITIVE_INFINITY), "float64 data spanning both extremes");
    }

    @Test
    void uint16ValuesAreReadUnsigned() {
        NdArray expected = NdArray.wrapUint16(new short[] {(short) 65535, 0, (short) 40000, 1000}, 4);
        NdArray actual = NdArray.wrapUint16(new short[] {(short) 65525, 0, (short) 40000, 1010}, 4);
        ErrorMetrics m = ErrorMetrics.between(expected, actual);
        assertEquals(10.0, m.maxAbsError()); // 65535 - 65525 and 1010 - 1000
        assertEquals(5.0, m.meanAbsError()); // 20 / 4
        assertEquals(50.0, m.meanSquaredError()); // (100 + 100) / 4
        assertEquals(7.0710678118654755, m.rmsError(), 1e-15); // sqrt(50)
        assertEquals(65535.0, m.dataRange(), "0 to 65535, read unsigned");
        assertEquals(65535.0, ErrorMetrics.dtypePeak(DType.UINT16));
        assertEquals(79.3397660319448, m.psnrOverDtypePeak(), 1e-12); // 10 log10(65535^2 / 50)
        assertEquals(m.psnrOverDtypePeak(), m.psnrOverDataRange(), 0, "the data span the whole dtype");
    }

    @Test
    void float32ErrorsRunOverTheFinitePairsAndNonFiniteValuesMustMatch() {
        float[] e = {1.5f, Float.NaN, Float.POSITIVE_INFINITY, -2.0f, 0.0f, 3.0f};
        float otherNaN = Float.intBitsToFloat(0x7fc00001);
        NdArray expected = NdArray.wrapFloat32(e, 2, 3);
        NdArray same = NdArray.wrapFloat32(new float[] {1.0f, otherNaN, Float.POSITIVE_INFINITY, -2.0f, -0.0f, 3.25f}, 2, 3);
        ErrorMetrics m = ErrorMetrics.between(expected, same);
        assertEquals(6, m.count());
        assertEquals(4, m.finitePairs(), "1.5/1.0, -2/-2, 0/-0, 3/3.25");
        assertEquals(0, m.nonFiniteMismatches(), "NaN matches NaN of another payload, +Inf matches +Inf");
        assertEquals(0.5, m.maxAbsError());
        assertEquals(0.1875, m.meanAbsError()); // (0.5 + 0 + 0 + 0.25) / 4
        assertEquals(0.078125, m.meanSquaredError()); // (0.25 + 0.0625) / 4
        assertEquals(0.2795084971874737, m.rmsError(), 1e-15);
        assertEquals(-2.0, m.dataMin(), "NaN and +Inf are not data");
        assertEquals(3.0, m.dataMax());
        assertEquals(25.05149978319906, m.psnrOverDataRange(), 1e-12); // 10 log10(5^2 / 0.078125) = 10 log10(320)
        assertTrue(Double.isNaN(ErrorMetrics.dtypePeak(DType.FLOAT32)));
        assertTrue(Double.isNaN(m.psnrOverDtypePeak()), "float32 has no dtype peak");

        NdArray lost = NdArray.wrapFloat32(new float[] {1.0f, 0.0f, Float.NEGATIVE_INFINITY, -2.0f, -0.0f, 3.25f}, 2, 3);
        ErrorMetrics l = ErrorMetrics.between(expected, lost);
        assertEquals(2, l.nonFiniteMismatches(), "NaN became 0, +Inf became -Inf");
        assertEquals(Double.POSITIVE_INFINITY, l.maxAbsError());
        assertEquals(4, l.finitePairs());
        assertEquals(0.1875, l.meanAbsError(), "the mean still describes the finite pairs");
        assertEquals(25.05149978319906, l.psnrOverDataRange(), 1e-12);

        ErrorMetrics invented = ErrorMetrics.between(lost, expected);
        assertEquals(2, invented.nonFiniteMismatches(), "a NaN or infinity appearing is a mismatch too");
        assertEquals(Double.POSITIVE_INFINITY, invented.maxAbsError());
    }

    @Test
    void identicalArraysHaveInfinitePsnrWhateverThePeak() {
        NdArray a = NdArray.wrapUint8(new byte[] {1, 2, 3}, 3);
        ErrorMetrics m = ErrorMetrics.between(a, NdArray.wrapUint8(new byte[] {1, 2, 3}, 3));
        assertEquals(0.0, m.maxAbsError());
        assertEquals(0.0, m.rmsError());
        assertEquals(Double.POSITIVE_INFINITY, m.psnrOverDataRange());
        assertEquals(Double.POSITIVE_INFINITY, m.psnrOverDtypePeak());
        assertEquals(Double.POSITIVE_INFINITY, m.psnr(0));

        NdArray flat = NdArray.wrapUint8(new byte[] {7, 7}, 2);
        ErrorMetrics off = ErrorMetrics.between(flat, NdArray.wrapUint8(new byte[] {7, 8}, 2));
        assertEquals(0.0, off.dataRange());
        assertTrue(Double.isNaN(off.psnrOverDataRange()), "flat data have no range to be a peak");
        assertEquals(10 * Math.log10(65025 / 0.5), off.psnrOverDtypePeak(), 1e-12); // mse = 1 / 2

        ErrorMetrics empty = ErrorMetrics.between(NdArray.zeros(DType.FLOAT64, 0, 3), NdArray.zeros(DType.FLOAT64, 0, 3));
        assertEquals(0, empty.count());
        assertEquals(0.0, empty.maxAbsError());
        assertEquals(0.0, empty.meanAbsError());
        assertTrue(Double.isNaN(empty.dataRange()));
        assertEquals(Double.POSITIVE_INFINITY, empty.psnrOverDataRange());
    }

    @Test
    void planesAreReadInPlaceFromTheirOffset() {
        PlaneSpec spec = new PlaneSpec(DType.INT16, 1, 2, ChannelLayout.GREY);
        PlaneBuffer expected = PlaneBuffer.wrap(spec, new short[] {99, -300, 5}, 1);
        PlaneBuffer actual = PlaneBuffer.wrap(new PlaneSpec(DType.INT32, 1, 2, ChannelLayout.GREY), new int[] {-296, 5}, 0);
        ErrorMetrics m = ErrorMetrics.between(expected, actual);
        assertEquals(DType.INT16, m.dtype());
        assertEquals(2, m.count());
        assertEquals(4.0, m.maxAbsError()); // |-300 - -296|; the 99 before the offset is not part of the plane
        assertEquals(8.0, m.meanSquaredError()); // 16 / 2
        assertEquals(305.0, m.dataRange()); // -300 to 5
        assertEquals(65535.0, ErrorMetrics.dtypePeak(DType.INT16));
        assertEquals(4294967295.0, ErrorMetrics.dtypePeak(DType.INT32));
    }

    @Test
    void mistakesAreRejectedNamingTheValues() {
        NdArray a = NdArray.zeros(DType.UINT8, 2, 2);
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> ErrorMetrics.between(a, NdArray.zeros(DType.UINT8, 4)));
        assertEquals("shapes differ: expected (2, 2), actual (4,)", shapes.getMessage());
        PlaneBuffer p = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 2, 2, ChannelLayout.GREY));
        PlaneBuffer q = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 2, 3, ChannelLayout.GREY));
        IllegalArgumentException planes = assertThrows(IllegalArgumentException.class, () -> ErrorMetrics.between(p, q));
        assertTrue(planes.getMessage().startsWith("plane shapes differ: expected "), planes.getMessage());
        ErrorMetrics m = ErrorMetrics.between(a, a);
        assertEquals("peak (-1.0) must be >= 0 (0 or NaN for no peak)",
                assertThrows(IllegalArgumentException.class, () -> m.psnr(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.psnr(Double.NEGATIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> ErrorMetrics.between(a, null));
    }
}
