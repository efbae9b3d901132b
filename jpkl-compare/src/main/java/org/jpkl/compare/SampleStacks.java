package org.jpkl.compare;

import java.util.Objects;
import java.util.Random;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.Shapes;

/**
 * Generated fluorescence-microscopy-like stacks, to compare codecs when no real data is at hand
 * (and in tests). Each plane is a dim background with a gentle gradient (uneven illumination) and
 * a few dozen Gaussian "cells" of different sizes and brightness that drift and go in and out of
 * focus from plane to plane, plus shot noise (normal approximation of Poisson noise, sigma =
 * sqrt(mean)). Values are photon counts of about 100 to 4000, like a 12-bit camera.
 *
 * <p>Codec figures on generated data are only a guide: real data has its own noise and structure,
 * which is why the comparison command also takes real files.
 *
 * <p>Thread safety: stateless; results are deterministic for a seed.
 */
public final class SampleStacks {
    private static final int CELLS = 24;

    private SampleStacks() {
    }

    /**
     * A grey stack in JPkl's layout {@code (height, width, k1, k2, ...)}.
     *
     * <p>Counts map to the dtype as follows: {@code uint16}, {@code int16}, {@code int32}: the
     * counts rounded (about 100..4000); {@code uint8}: counts / 16, rounded (about 6..250);
     * {@code float32}, {@code float64}: the counts unrounded. Values never leave the dtype's range.
     *
     * @param seed chooses the cells and the noise
     * @param keyDims lengths of the key axes (e.g. z, t); none for a single plane
     * @throws IllegalArgumentException if a length is below 1 or the stack has more elements than
     *     one Java array holds
     */
    public static NdArray microscopy(DType dtype, long seed, int height, int width, int... keyDims) {
        Objects.requireNonNull(dtype, "dtype");
        int[] shape = new int[2 + keyDims.length];
        shape[0] = height;
        shape[1] = width;
        System.arraycopy(keyDims, 0, shape, 2, keyDims.length);
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 1) {
                throw new IllegalArgumentException("shape " + Shapes.format(shape) + ": axis " + a + " has length " + shape[a]
                        + "; every axis needs at least 1");
            }
        }
        long size = Shapes.product(shape);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " has " + size
                    + " elements; one array holds at most " + (Integer.MAX_VALUE - 8));
        }
        int planes = (int) (size / ((long) height * width));
        Random random = new Random(seed);
        // Per cell: position, size, brightness, focal plane and drift.
        double[] cx = new double[CELLS];
        double[] cy = new double[CELLS];
        double[] sigma = new double[CELLS];
        double[] peak = new double[CELLS];
        double[] focus = new double[CELLS];
        double[] driftX = new double[CELLS];
        double[] driftY = new double[CELLS];
        double scale = Math.min(height, width);
        for (int c = 0; c < CELLS; c++) {
            cx[c] = random.nextDouble() * width;
            cy[c] = random.nextDouble() * height;
            sigma[c] = scale * (0.01 + 0.05 * random.nextDouble()) + 0.7;
            peak[c] = 300 + 2700 * random.nextDouble();
            focus[c] = random.nextDouble() * planes;
            driftX[c] = (random.nextDouble() - 0.5) * scale * 0.01;
            driftY[c] = (random.nextDouble() - 0.5) * scale * 0.01;
        }
        double depthOfField = Math.max(2, planes / 3.0);
        // Cell geometry per plane, computed once.
        double[][] px = new double[planes][CELLS];
        double[][] py = new double[planes][CELLS];
        double[][] amp = new double[planes][CELLS];
        for (int k = 0; k < planes; k++) {
            for (int c = 0; c < CELLS; c++) {
                px[k][c] = cx[c] + driftX[c] * k;
                py[k][c] = cy[c] + driftY[c] * k;
                double dz = (k - focus[c]) / depthOfField;
                amp[k][c] = peak[c] * Math.exp(-dz * dz);
            }
        }
        double divisor = dtype == DType.UINT8 ? 16 : 1;
        double hi = Math.min(dtype.maxValue(), 65535);
        return NdArray.generate(dtype, shape, flat -> {
            long pixel = flat / planes;
            int k = (int) (flat % planes);
            int y = (int) (pixel / width);
            int x = (int) (pixel % width);
            double counts = 100 + 60.0 * x / width + 40.0 * y / height;
            for (int c = 0; c < CELLS; c++) {
                double dx = x - px[k][c];
                double dy = y - py[k][c];
                double r2 = (dx * dx + dy * dy) / (sigma[c] * sigma[c]);
                if (r2 < 25) {
                    counts += amp[k][c] * Math.exp(-0.5 * r2);
                }
            }
            double noisy = counts + random.nextGaussian() * Math.sqrt(counts);
            double value = Math.max(0, Math.min(hi, noisy / divisor));
            return dtype.isIntegral() ? Math.rint(value) : value;
        });
    }
}
