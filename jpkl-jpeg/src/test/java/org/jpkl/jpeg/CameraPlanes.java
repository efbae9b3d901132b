package org.jpkl.jpeg;

import java.util.Random;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;

/**
 * Camera-like test content: a gradient plus a few Gaussian blobs of different widths, scaled to mean
 * photon counts of 100..4000, with Poisson-like noise (normal approximation, standard deviation
 * sqrt(mean)); the kind of plane a fluorescence microscope records. Deterministic for a seed.
 */
final class CameraPlanes {
    /** The smallest and largest mean count. */
    static final double MIN_MEAN = 100;
    static final double MAX_MEAN = 4000;

    private CameraPlanes() {
    }

    /** Mean counts of an h x w field: gradient + {@code blobs} Gaussians, scaled to 100..4000. */
    static double[] means(int h, int w, Random random, int blobs) {
        double[][] blob = new double[blobs][];
        for (int i = 0; i < blobs; i++) {
            double sigma = Math.max(w, h) * (0.02 + 0.18 * random.nextDouble());
            blob[i] = new double[] {random.nextDouble() * w, random.nextDouble() * h, sigma, 0.2 + 0.8 * random.nextDouble()};
        }
        double[] f = new double[h * w];
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.3 * x / Math.max(1, w - 1) + 0.15 * y / Math.max(1, h - 1);
                for (double[] b : blob) {
                    double dx = x - b[0];
                    double dy = y - b[1];
                    v += b[3] * Math.exp(-(dx * dx + dy * dy) / (2 * b[2] * b[2]));
                }
                f[y * w + x] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = MIN_MEAN + (MAX_MEAN - MIN_MEAN) * (f[i] - min) / (max - min);
        }
        return f;
    }

    /** Noisy counts around the means: round(mean + sqrt(mean) * gaussian), at least 0. */
    static double[] counts(double[] means, Random random) {
        double[] c = new double[means.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.max(0, Math.round(means[i] + Math.sqrt(means[i]) * random.nextGaussian()));
        }
        return c;
    }

    /** Grey counts of an h x w plane. */
    static double[] greyCounts(int h, int w, long seed) {
        Random random = new Random(seed);
        return counts(means(h, w, random, 8), random);
    }

    /** Interleaved RGB counts: three independent fields. */
    static double[] rgbCounts(int h, int w, long seed) {
        Random random = new Random(seed);
        double[][] channels = new double[3][];
        for (int c = 0; c < 3; c++) {
            channels[c] = counts(means(h, w, random, 8), random);
        }
        double[] rgb = new double[h * w * 3];
        for (int i = 0; i < h * w; i++) {
            for (int c = 0; c < 3; c++) {
                rgb[3 * i + c] = channels[c][i];
            }
        }
        return rgb;
    }

    /** Counts as uint8 the way an 8-bit camera mode would: round(count / 16), at most 255. */
    static PlaneBuffer uint8(double[] counts, int h, int w, ChannelLayout channels) {
        PlaneBuffer p = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, h, w, channels));
        byte[] a = p.bytes();
        for (int i = 0; i < counts.length; i++) {
            a[i] = (byte) Math.min(255, Math.round(counts[i] / 16));
        }
        return p;
    }

    /** {@code count} grey uint8 planes of {@code size} x {@code size} ({@link #greyCounts} with seeds 0, 1, ...; counts / 16). */
    static PlaneBuffer[] greyUint8(int size, int count) {
        PlaneBuffer[] planes = new PlaneBuffer[count];
        for (int i = 0; i < count; i++) {
            planes[i] = as(DType.UINT8, greyCounts(size, size, i), size, size, ChannelLayout.GREY);
        }
        return planes;
    }

    /**
     * Counts as a plane of {@code dtype}, through a realistic affine map: uint16 counts as they are;
     * int16 background-subtracted (count - 1000); int32 summed over 1000 frames (count * 1000 - 500000);
     * float32 in photons (count * 0.37); float64 normalised (count / 4000 - 0.01).
     */
    static PlaneBuffer as(DType dtype, double[] counts, int h, int w, ChannelLayout channels) {
        PlaneBuffer p = PlaneBuffer.allocate(new PlaneSpec(dtype, h, w, channels));
        for (int i = 0; i < counts.length; i++) {
            double c = counts[i];
            switch (dtype) {
                case UINT8:
                    p.bytes()[i] = (byte) Math.min(255, Math.round(c / 16));
                    break;
                case UINT16:
                    p.shorts()[i] = (short) c;
                    break;
                case INT16:
                    p.shorts()[i] = (short) (c - 1000);
                    break;
                case INT32:
                    p.ints()[i] = (int) (c * 1000 - 500000);
                    break;
                case FLOAT32:
                    p.floats()[i] = (float) (c * 0.37);
                    break;
                default:
                    p.doubles()[i] = c / 4000 - 0.01;
                    break;
            }
        }
        return p;
    }
}
