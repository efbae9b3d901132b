package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;

/**
 * For codecs with an absolute error bound: the hard datasets to check it on, and a sample-by-sample
 * check (not a statistic). Float datasets: smooth and noise planes, constant planes, subnormals only,
 * values near the dtype's largest, tiny next to huge values; integer datasets: smooth with the dtype's
 * extremes, full-range noise, constant planes at the minimum and the maximum.
 *
 * <p>Thread safety: stateless.
 */
public final class BoundedErrorChecks {
    private BoundedErrorChecks() {
    }

    /** Named datasets of one spec (finite values only). */
    public static Map<String, PlaneBuffer> datasets(PlaneSpec spec) {
        Map<String, PlaneBuffer> d = new LinkedHashMap<>();
        d.put("smooth", TestPlanes.smooth(spec, 1, true, false));
        d.put("noise", TestPlanes.noise(spec, 2));
        if (spec.dtype().isIntegral()) {
            d.put("constant minimum", fill(spec, i -> spec.dtype().minValue()));
            d.put("constant maximum", fill(spec, i -> spec.dtype().maxValue()));
            return d;
        }
        d.put("constant 3.25", fill(spec, i -> 3.25));
        d.put("constant 0", fill(spec, i -> 0));
        double tiny = spec.dtype() == DType.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE;
        d.put("subnormals", fill(spec, i -> tiny * (i % 97) * (i % 2 == 0 ? 1 : -1)));
        double max = spec.dtype().maxValue();
        Random rnd = new Random(3);
        d.put("near the largest", fill(spec, i -> max * (0.5 + rnd.nextDouble() / 2) * (i % 3 == 0 ? -1 : 1)));
        Random rnd2 = new Random(4);
        d.put("tiny next to huge", fill(spec, i -> i % 5 == 0 ? 1e30 * rnd2.nextDouble() : 1e-30 * rnd2.nextGaussian()));
        return d;
    }

    /** A plane whose sample {@code i} is {@code value(i)} (rounded for integer dtypes). */
    public static PlaneBuffer fill(PlaneSpec spec, IntToDoubleFunction value) {
        PlaneBuffer p = PlaneBuffer.allocate(spec);
        for (int i = 0; i < spec.sampleCount(); i++) {
            TestPlanes.set(p, i, value.applyAsDouble(i));
        }
        return p;
    }

    /** Largest minus smallest finite sample (0 for a plane without two distinct finite values). */
    public static double range(PlaneBuffer p) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.spec().sampleCount(); i++) {
            double v = TestPlanes.get(p, i);
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi >= lo ? hi - lo : 0;
    }

    /** {@code plane} encoded and decoded by {@code codec} with {@code params} (fresh encoder and decoder). */
    public static PlaneBuffer roundTrip(SliceCodec codec, Map<String, String> params, PlaneBuffer plane) throws IOException {
        CodecParams p = codec.params(params);
        byte[] bytes = NativeStreamFuzz.encode(codec, p, plane);
        PlaneBuffer out = PlaneBuffer.allocate(plane.spec());
        try (SliceDecoder d = codec.newDecoder(p, plane.spec())) {
            d.decode(ByteBuffer.wrap(bytes), out);
        }
        return out;
    }

    /** Every sample of {@code decoded} within {@code tolerance} of {@code original}'s; NaN decoded as NaN. */
    public static void assertWithin(PlaneBuffer original, PlaneBuffer decoded, double tolerance) {
        for (int i = 0; i < original.spec().sampleCount(); i++) {
            double a = TestPlanes.get(original, i);
            double b = TestPlanes.get(decoded, i);
            boolean ok = Double.isNaN(a) ? Double.isNaN(b) : Math.abs(a - b) <= tolerance;
            assertTrue(ok, "sample " + i + ": " + a + " decoded as " + b + ", error " + Math.abs(a - b) + " > tolerance " + tolerance);
        }
    }
}
