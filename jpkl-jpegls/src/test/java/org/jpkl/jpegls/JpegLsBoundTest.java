package org.jpkl.jpegls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * {@code near} holds on every sample of every dataset ({@link BoundedErrorChecks}: smooth with the
 * extremes, full-range noise, constant planes at the minimum and maximum) of uint8 and uint16, grey
 * and RGB, from 0 (bit-exact) to the largest near JPEG-LS allows; a near above it is refused.
 */
class JpegLsBoundTest {
    private static final JpegLsCodec CODEC = new JpegLsCodec();

    @BeforeEach
    void needsCharLs() {
        JpegLsTests.assumeJpegLs();
    }

    static PlaneBuffer roundTrip(int near, PlaneBuffer plane) throws IOException {
        return BoundedErrorChecks.roundTrip(CODEC, Map.of("near", Integer.toString(near)), plane);
    }

    @TestFactory
    List<DynamicTest> everySampleIsWithinNear() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : List.of(DType.UINT8, DType.UINT16)) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (int[] hw : new int[][] {{1, 1}, {5, 7}, {64, 64}, {33, 130}}) {
                    PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], channels);
                    for (Map.Entry<String, PlaneBuffer> e : BoundedErrorChecks.datasets(spec).entrySet()) {
                        for (int near : new int[] {0, 1, 2, 7, 60, JpegLsCodec.maxNear(dtype)}) {
                            PlaneBuffer plane = e.getValue();
                            tests.add(DynamicTest.dynamicTest(spec + " " + e.getKey() + " near " + near, () -> {
                                PlaneBuffer out = roundTrip(near, plane);
                                if (near == 0) {
                                    assertTrue(TestPlanes.bitEqual(plane, out), "near 0 is bit-exact");
                                } else {
                                    BoundedErrorChecks.assertWithin(plane, out, near);
                                }
                            }));
                        }
                    }
                }
            }
        }
        return tests;
    }

    @Test
    void aNearAboveWhatJpegLsAllowsForTheDtypeIsRefused() {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 4, 4, ChannelLayout.GREY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CODEC.newEncoder(CODEC.params(Map.of("near", "128")), spec));
        assertEquals("codec 'jpegls': near (128) must be at most 127 for uint8 planes (JPEG-LS allows half the largest sample value)",
                e.getMessage());
    }
}
