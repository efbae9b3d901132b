package org.jpkl.bench;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Microscopy-like 8-bit test planes with the content of the Python JPkl peer benchmark (and of
 * {@code org.jpkl.examples.SyntheticStacks}): a smooth gradient, a Gaussian blob and sinusoidal
 * stripes that move with the slice number, plus Gaussian noise N(0, sigma), rounded and clamped to
 * 0..255.
 *
 * <p>Unlike the example generator, the noise comes from one random stream per (slice, row), so any
 * plane (or row) can be generated on its own, in parallel, and regenerated exactly. The blob and
 * stripe terms are separable (exp(a+b) = exp(a) exp(b), sin(a+b) = sin a cos b + cos a sin b), which
 * makes a 400-plane 512 x 512 stack take about a second.
 *
 * <p>Thread safety: stateless.
 */
final class SyntheticPlanes {
    private SyntheticPlanes() {
    }

    /**
     * A grey stack in JPkl's layout {@code (h, w, keys)}: element {@code (y, x, n)} at
     * {@code (y * w + x) * keys + n} holds pixel (y, x) of plane {@code n}.
     */
    static byte[] jpklStack(long seed, double sigma, int h, int w, int keys) {
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(h, w), keys)];
        Plane[] planes = IntStream.range(0, keys).mapToObj(n -> new Plane(h, w, n)).toArray(Plane[]::new);
        IntStream.range(0, h).parallel().forEach(y -> {
            byte[] row = new byte[w];
            for (int n = 0; n < keys; n++) {
                planes[n].row(seed, sigma, y, row, 0);
                int base = y * w * keys + n;
                for (int x = 0; x < w; x++) {
                    out[base + x * keys] = row[x];
                }
            }
        });
        return out;
    }

    /** Plane {@code n} alone, row-major: exactly the plane {@link #jpklStack} holds at key {@code n}. */
    static byte[] plane(long seed, double sigma, int h, int w, int n) {
        byte[] out = new byte[h * w];
        Plane p = new Plane(h, w, n);
        for (int y = 0; y < h; y++) {
            p.row(seed, sigma, y, out, y * w);
        }
        return out;
    }

    /** An RGB plane (samples interleaved), each channel a plane of its own: channel c is plane {@code n * 3 + c}. */
    static byte[] rgbPlane(long seed, double sigma, int h, int w, int n) {
        byte[] out = new byte[h * w * 3];
        byte[] row = new byte[w];
        for (int c = 0; c < 3; c++) {
            Plane p = new Plane(h, w, n * 3 + c);
            for (int y = 0; y < h; y++) {
                p.row(seed, sigma, y, row, 0);
                for (int x = 0; x < w; x++) {
                    out[(y * w + x) * 3 + c] = row[x];
                }
            }
        }
        return out;
    }

    /** One plane's terms that depend on x only, computed once per plane. */
    private static final class Plane {
        final int h;
        final int w;
        final int n;
        final double phase;
        final double cy;
        final double spread;
        final double[] blobX;
        final double[] sinX;
        final double[] cosX;

        Plane(int h, int w, int n) {
            this.h = h;
            this.w = w;
            this.n = n;
            this.phase = n * 0.37;
            double cx = w * (0.3 + 0.4 * (0.5 + 0.5 * Math.sin(phase)));
            this.cy = h * (0.3 + 0.4 * (0.5 + 0.5 * Math.cos(phase * 0.7)));
            this.spread = 0.02 * w * h;
            this.blobX = new double[w];
            this.sinX = new double[w];
            this.cosX = new double[w];
            for (int x = 0; x < w; x++) {
                blobX[x] = Math.exp(-(x - cx) * (x - cx) / spread);
                sinX[x] = Math.sin(0.05 * x);
                cosX[x] = Math.cos(0.05 * x);
            }
        }

        void row(long seed, double sigma, int y, byte[] dst, int off) {
            double blobY = 90 * Math.exp(-(y - cy) * (y - cy) / spread);
            double stripeY = 0.03 * y + phase;
            double sinY = 15 * Math.sin(stripeY);
            double cosY = 15 * Math.cos(stripeY);
            double rampY = 40 + 30.0 * y / h;
            SplittableRandom noise = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L) ^ ((y + 1L) * 0xC2B2AE3D27D4EB4FL));
            for (int x = 0; x < w; x++) {
                double v = rampY + 80.0 * x / w + blobY * blobX[x] + sinX[x] * cosY + cosX[x] * sinY + noise.nextGaussian() * sigma;
                dst[off + x] = (byte) Math.max(0, Math.min(255, Math.rint(v)));
            }
        }
    }
}
