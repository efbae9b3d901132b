package org.jpkl.examples;

import java.util.Random;
import org.jpkl.api.NdArray;

/**
 * Generated microscopy-like test stacks with the same kind of content as the Python JPkl peer
 * benchmark: a smooth gradient, a Gaussian blob and sinusoidal stripes that move with the key
 * indices, plus Gaussian noise. Deterministic for a seed. Stateless.
 */
public final class SyntheticStacks {
    private SyntheticStacks() {
    }

    /**
     * A grey uint8 stack in JPkl's layout {@code (h, w, k1, k2, ...)}: each plane differs (the blob
     * and stripes move with its key), noise N(0, {@code noiseSigma}).
     */
    public static NdArray grey8(long seed, double noiseSigma, int h, int w, int... keyDims) {
        int[] shape = new int[2 + keyDims.length];
        shape[0] = h;
        shape[1] = w;
        System.arraycopy(keyDims, 0, shape, 2, keyDims.length);
        long keys = 1;
        for (int d : keyDims) {
            keys *= d;
        }
        long planeStride = keys;
        Random noise = new Random(seed);
        return NdArray.generate(org.jpkl.api.DType.UINT8, shape, flat -> {
            long pixel = flat / planeStride;
            long key = flat % planeStride;
            int y = (int) (pixel / w);
            int x = (int) (pixel % w);
            double phase = key * 0.37;
            double cx = w * (0.3 + 0.4 * (0.5 + 0.5 * Math.sin(phase)));
            double cy = h * (0.3 + 0.4 * (0.5 + 0.5 * Math.cos(phase * 0.7)));
            double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (0.02 * w * h);
            double v = 40 + 80.0 * x / w + 30.0 * y / h + 90 * Math.exp(-r2) + 15 * Math.sin(x * 0.05 + y * 0.03 + phase)
                    + noise.nextGaussian() * noiseSigma;
            return Math.max(0, Math.min(255, Math.rint(v)));
        });
    }
}
