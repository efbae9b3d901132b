package org.jpkl.lerc;

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
 * maxZError holds on every sample of every dataset ({@link BoundedErrorChecks}) of every dtype and
 * layout, at maxZError 0 (bit-exact), small integers and 1e-6 to 10 x the data's range; NaN pixels
 * come back as NaN through the mask; infinities and partly-NaN RGB pixels are refused, naming the sample.
 */
class LercBoundTest {
    private static final LercCodec CODEC = new LercCodec();

    @BeforeEach
    void needsLerc() {
        LercTests.assumeLerc();
    }

    static PlaneBuffer roundTrip(double maxZError, PlaneBuffer plane) throws IOException {
        return BoundedErrorChecks.roundTrip(CODEC, Map.of("maxZError", Double.toString(maxZError)), plane);
    }

    @TestFactory
    List<DynamicTest> everySampleIsWithinMaxZError() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : DType.values()) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (int[] hw : new int[][] {{1, 1}, {5, 7}, {64, 64}, {33, 130}}) {
                    PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], channels);
                    for (Map.Entry<String, PlaneBuffer> e : BoundedErrorChecks.datasets(spec).entrySet()) {
                        PlaneBuffer plane = e.getValue();
                        double r = BoundedErrorChecks.range(plane);
                        List<Double> errors = new ArrayList<>(List.of(0.0, 1e-3 * r, 1e-6 * r, 0.1 * r, 10 * r));
                        if (dtype.isIntegral()) {
                            errors.addAll(List.of(0.5, 1.0, 3.0));
                        }
                        for (double t : errors) {
                            if (!(t <= LercCodec.MAX_Z_ERROR)) {
                                continue;
                            }
                            tests.add(DynamicTest.dynamicTest(spec + " " + e.getKey() + " maxZError " + t, () -> {
                                PlaneBuffer out = roundTrip(t, plane);
                                if (t == 0) {
                                    assertTrue(TestPlanes.bitEqual(plane, out), "maxZError 0 is bit-exact");
                                } else {
                                    BoundedErrorChecks.assertWithin(plane, out, t);
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
    void nanPixelsComeBackAsNanThroughTheMask() throws IOException {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                PlaneSpec spec = new PlaneSpec(dtype, 17, 23, channels);
                int s = channels.samplesPerPixel();
                PlaneBuffer plane = BoundedErrorChecks.fill(spec, i -> (i / s) % 7 == 3 ? Double.NaN : 100 + Math.sin(i) * 50);
                for (double t : new double[] {0, 0.01, 5}) {
                    PlaneBuffer out = roundTrip(t, plane);
                    BoundedErrorChecks.assertWithin(plane, out, t);
                    if (t == 0) {
                        assertTrue(TestPlanes.bitEqual(plane, out), "canonical NaN and exact values at maxZError 0: " + spec);
                    }
                }
                PlaneBuffer allNaN = BoundedErrorChecks.fill(spec, i -> Double.NaN);
                assertTrue(TestPlanes.bitEqual(allNaN, roundTrip(0, allNaN)), "an all-NaN plane: " + spec);
            }
        }
    }

    @Test
    void infinitiesAndPartlyNanRgbPixelsAreRefusedNamingTheSample() {
        PlaneSpec grey = new PlaneSpec(DType.FLOAT32, 3, 3, ChannelLayout.GREY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roundTrip(0, BoundedErrorChecks.fill(grey, i -> i == 4 ? Double.NEGATIVE_INFINITY : i)));
        assertEquals("codec 'lerc' cannot store -Infinity (sample 4 of a float32 3x3 grey plane): LERC cannot store infinities",
                e.getMessage());
        PlaneSpec rgb = new PlaneSpec(DType.FLOAT64, 2, 2, ChannelLayout.RGB);
        e = assertThrows(IllegalArgumentException.class, () -> roundTrip(1, BoundedErrorChecks.fill(rgb, i -> i == 7 ? Double.NaN : i)));
        assertEquals("codec 'lerc' cannot store NaN (sample 7 of a float64 2x2 rgb plane): LERC's mask marks whole pixels, and this RGB"
                + " pixel is only partly NaN", e.getMessage());
    }
}
