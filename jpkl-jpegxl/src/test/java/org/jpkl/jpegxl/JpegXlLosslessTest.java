package org.jpkl.jpegxl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.testing.BoundedErrorChecks;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Distance 0 is bit-exact on every dataset of {@link BoundedErrorChecks} (smooth with the extremes,
 * full-range noise, constant planes at the minimum and maximum) for every dtype it takes losslessly
 * (uint8 and uint16, grey and RGB), at the lowest, the default and a high effort.
 */
class JpegXlLosslessTest {
    private static final JpegXlCodec CODEC = new JpegXlCodec();

    @BeforeEach
    void needsLibjxl() {
        JpegXlTests.assumeJpegXl();
    }

    @TestFactory
    List<DynamicTest> everySampleIsKeptAtDistanceZero() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : List.of(DType.UINT8, DType.UINT16)) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (int[] hw : new int[][] {{1, 1}, {5, 7}, {64, 64}, {33, 130}}) {
                    PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], channels);
                    for (Map.Entry<String, PlaneBuffer> e : BoundedErrorChecks.datasets(spec).entrySet()) {
                        for (int effort : new int[] {1, JpegXlCodec.DEFAULT_EFFORT, 7}) {
                            PlaneBuffer plane = e.getValue();
                            tests.add(DynamicTest.dynamicTest(spec + " " + e.getKey() + " effort " + effort, () -> {
                                PlaneBuffer out = BoundedErrorChecks.roundTrip(CODEC, Map.of("effort", Integer.toString(effort)), plane);
                                assertTrue(TestPlanes.bitEqual(plane, out), "distance 0 is bit-exact");
                            }));
                        }
                    }
                }
            }
        }
        return tests;
    }

    /** Lossless exactly at distance 0; the defaults are distance 0 and effort 2. */
    @Test
    void losslessExactlyAtDistanceZero() throws IOException {
        assertEquals(Map.of("distance", "0", "effort", "2"), CODEC.params(Map.of()).toMap());
        assertTrue(CODEC.isLossless(CODEC.params(Map.of())));
        assertTrue(CODEC.isLossless(CODEC.params(Map.of("distance", "0", "effort", "9"))));
        assertEquals(false, CODEC.isLossless(CODEC.params(Map.of("distance", "0.01"))));
        assertEquals(false, CODEC.isLossless(CODEC.params(Map.of("distance", "25"))));
    }
}
