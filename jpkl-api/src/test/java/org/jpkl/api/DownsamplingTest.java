package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Exact values of both downsamplings on small planes: odd sides, every integer rounding case, RGB, floats. */
class DownsamplingTest {
    private static PlaneBuffer plane(DType dtype, int h, int w, ChannelLayout channels, Object samples) {
        return PlaneBuffer.wrap(new PlaneSpec(dtype, h, w, channels), samples, 0);
    }

    @Test
    void uint8MeanOfAnOddPlaneRoundsHalfToEvenAndAveragesThePixelsPresentAtTheEdges() {
        // 3 x 3: blocks (0..1,0..1), (0..1,2), (2,0..1), (2,2)
        byte[] in = {
            1, 2, 7,
            2, 2, (byte) 255,
            (byte) 254, (byte) 255, 9};
        PlaneBuffer out = Downsampling.MEAN.apply(plane(DType.UINT8, 3, 3, ChannelLayout.GREY, in));
        assertEquals(new PlaneSpec(DType.UINT8, 2, 2, ChannelLayout.GREY), out.spec());
        // (1+2+2+2)/4 = 1.75 -> 2; (7+255)/2 = 131; (254+255)/2 = 254.5 -> 254 (even); 9
        assertArrayEquals(new byte[] {2, (byte) 131, (byte) 254, 9}, out.bytes());
    }

    @Test
    void halfWaysRoundToEven() {
        assertEquals(2, Downsampling.roundHalfEven(3, 2));   // 1.5
        assertEquals(2, Downsampling.roundHalfEven(5, 2));   // 2.5
        assertEquals(2, Downsampling.roundHalfEven(7, 4));   // 1.75
        assertEquals(1, Downsampling.roundHalfEven(5, 4));   // 1.25
        assertEquals(2, Downsampling.roundHalfEven(10, 4));  // 2.5
        assertEquals(4, Downsampling.roundHalfEven(14, 4));  // 3.5
        assertEquals(-2, Downsampling.roundHalfEven(-5, 2)); // -2.5
        assertEquals(-2, Downsampling.roundHalfEven(-3, 2)); // -1.5
        assertEquals(-1, Downsampling.roundHalfEven(-5, 4)); // -1.25
    }

    @Test
    void uint16AndInt16MeansDoNotOverflow() {
        short[] u = {(short) 65535, (short) 65535, (short) 65534, (short) 65535, 1};
        PlaneBuffer out = Downsampling.MEAN.apply(plane(DType.UINT16, 1, 5, ChannelLayout.GREY, u));
        // 65535; (65534+65535)/2 = 65534.5 -> 65534; 1
        assertArrayEquals(new short[] {(short) 65535, (short) 65534, 1}, out.shorts());
        short[] s = {-32768, -32768, 32767, 32767, -32767, -32768, 32767, 32766};
        PlaneBuffer signed = Downsampling.MEAN.apply(plane(DType.INT16, 2, 4, ChannelLayout.GREY, s));
        // (-32768*3 - 32767)/4 = -32767.75 -> -32768; (32767*3 + 32766)/4 = 32766.75 -> 32767
        assertArrayEquals(new short[] {-32768, 32767}, signed.shorts());
    }

    @Test
    void int32MeanIsExactInLong() {
        int[] in = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1};
        PlaneBuffer out = Downsampling.MEAN.apply(plane(DType.INT32, 1, 4, ChannelLayout.GREY, in));
        // MIN + MIN + 1 = -4294967295, / 2 = -2147483647.5 -> -2147483648 (even)
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE}, out.ints());
    }

    @Test
    void float32MeanOfA3x2Plane() {
        float[] in = {0.5f, 1.0f, -2.0f, 4.0f, 3.25f, Float.MAX_VALUE};
        PlaneBuffer out = Downsampling.MEAN.apply(plane(DType.FLOAT32, 3, 2, ChannelLayout.GREY, in));
        assertEquals(new PlaneSpec(DType.FLOAT32, 2, 1, ChannelLayout.GREY), out.spec());
        assertArrayEquals(new float[] {0.875f, (3.25f + Float.MAX_VALUE) / 2}, out.floats());
        double[] big = {Double.MAX_VALUE, Double.MAX_VALUE};
        PlaneBuffer d = Downsampling.MEAN.apply(plane(DType.FLOAT64, 1, 2, ChannelLayout.GREY, big));
        assertArrayEquals(new double[] {Double.MAX_VALUE}, d.doubles(), "the sum overflows; the mean does not");
    }

    @Test
    void rgbChannelsAreReducedSeparately() {
        // 2 x 3 RGB: block 0 = pixels (0,0),(0,1),(1,0),(1,1); block 1 = (0,2),(1,2)
        byte[] in = {
            10, 20, 30, 11, 21, 31, 100, (byte) 200, 0,
            12, 22, 32, 13, 23, 33, 101, (byte) 201, 1};
        PlaneBuffer out = Downsampling.MEAN.apply(plane(DType.UINT8, 2, 3, ChannelLayout.RGB, in));
        // (10+11+12+13)/4 = 11.5 -> 12; 21.5 -> 22; 31.5 -> 32; 100.5 -> 100; 200.5 -> 200; 0.5 -> 0
        assertArrayEquals(new byte[] {12, 22, 32, 100, (byte) 200, 0}, out.bytes());
        PlaneBuffer nearest = Downsampling.NEAREST.apply(plane(DType.UINT8, 2, 3, ChannelLayout.RGB, in));
        assertArrayEquals(new byte[] {10, 20, 30, 100, (byte) 200, 0}, nearest.bytes());
    }

    @Test
    void nearestTakesTheTopLeftSampleOfEachBlock() {
        short[] labels = {
            1, 2, 3, 4, 5,
            6, 7, 8, 9, 10,
            11, 12, 13, 14, 15};
        PlaneBuffer out = Downsampling.NEAREST.apply(plane(DType.UINT16, 3, 5, ChannelLayout.GREY, labels));
        assertArrayEquals(new short[] {1, 3, 5, 11, 13, 15}, out.shorts());
    }

    @Test
    void parseNamesTheAllowedValues() {
        assertEquals(Downsampling.NEAREST, Downsampling.parse("nearest"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Downsampling.parse("mode"));
        assertEquals("downsampling 'mode' is not known; use mean or nearest", e.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> Downsampling.MEAN.apply(
                PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 3, 3, ChannelLayout.GREY)),
                PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 1, 1, ChannelLayout.GREY))));
        assertEquals("output is uint8 1x1 grey; halving uint8 3x3 grey gives uint8 2x2 grey", wrong.getMessage());
    }
}
