package org.jpkl.zfp;

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
 * Mode accuracy keeps every sample of every dataset within the tolerance (checked sample by sample,
 * not as a statistic): smooth and noise planes, constant planes, subnormals only, values near the
 * dtype's largest, tiny next to huge values; at tolerances from 1e-3 of the data's range to far
 * above it. Non-finite samples are refused by the lossy modes, naming the sample, and kept bit for
 * bit by mode reversible.
 */
class ZfpBoundTest {
    private static final ZfpCodec CODEC = new ZfpCodec();

    @BeforeEach
    void needsZfp() {
        ZfpTests.assumeZfp();
    }

    static PlaneBuffer roundTrip(Map<String, String> params, PlaneBuffer plane) throws IOException {
        return BoundedErrorChecks.roundTrip(CODEC, params, plane);
    }

    @TestFactory
    List<DynamicTest> everySampleIsWithinTheTolerance() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (int[] hw : new int[][] {{1, 1}, {5, 7}, {64, 64}, {33, 130}}) {
                    PlaneSpec spec = new PlaneSpec(dtype, hw[0], hw[1], channels);
                    for (Map.Entry<String, PlaneBuffer> e : BoundedErrorChecks.datasets(spec).entrySet()) {
                        PlaneBuffer plane = e.getValue();
                        double r = BoundedErrorChecks.range(plane);
                        double[] tolerances = r == 0 ? new double[] {1e-3, 1} : new double[] {1e-3 * r, 1e-6 * r, 0.1 * r, 10 * r};
                        for (double t : tolerances) {
                            if (t < ZfpCodec.MIN_TOLERANCE || t > ZfpCodec.MAX_TOLERANCE) {
                                continue;
                            }
                            tests.add(DynamicTest.dynamicTest(spec + " " + e.getKey() + " tolerance " + t, () -> check(plane, t)));
                        }
                    }
                }
            }
        }
        return tests;
    }

    private static void check(PlaneBuffer plane, double tolerance) throws IOException {
        BoundedErrorChecks.assertWithin(plane, roundTrip(Map.of("mode", "accuracy", "tolerance", Double.toString(tolerance)), plane),
                tolerance);
    }

    @Test
    void lossyModesRefuseNonFiniteSamplesNamingTheFirst() {
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 4, 4, ChannelLayout.GREY);
        PlaneBuffer plane = BoundedErrorChecks.fill(spec, i -> i == 5 ? Double.NaN : i == 9 ? Double.POSITIVE_INFINITY : i);
        for (String mode : List.of("accuracy", "precision", "rate")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> roundTrip(Map.of("mode", mode), plane));
            assertEquals("codec 'zfp': mode " + mode + " cannot store NaN (sample 5 of a float32 4x4 grey plane); zfp's lossy modes"
                    + " need finite values: use mode reversible, or codec lerc, which keeps NaN exactly", e.getMessage());
        }
    }

    @Test
    void reversibleKeepsNonFiniteSubnormalAndNegativeZeroBitForBit() throws IOException {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            PlaneSpec spec = new PlaneSpec(dtype, 9, 11, ChannelLayout.GREY);
            double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Float.MIN_VALUE,
                dtype.maxValue(), -dtype.maxValue(), 1e-310, 7};
            PlaneBuffer plane = BoundedErrorChecks.fill(spec, i -> special[i % special.length]);
            assertTrue(TestPlanes.bitEqual(plane, roundTrip(Map.of(), plane)), dtype.toString());
        }
    }
}
