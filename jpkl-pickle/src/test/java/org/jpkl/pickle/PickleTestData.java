package org.jpkl.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;

/** Test arrays and hand-assembled pickle opcode streams. */
final class PickleTestData {
    private PickleTestData() {
    }

    /** Smooth uint8 content plus noise, like microscopy, so JPEG errors are small and meaningful. */
    static NdArray smoothUint8(long seed, int... shape) {
        Random r = new Random(seed);
        int h = shape[0];
        int w = shape[1];
        int[] strides = new int[shape.length];
        int s = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            strides[a] = s;
            s *= shape[a];
        }
        return NdArray.generate(DType.UINT8, shape, i -> {
            int y = (int) (i / strides[0] % h);
            int x = (int) (i / strides[1] % w);
            long rest = i % strides[1];
            double v = 40 + 120.0 * x / w + 60.0 * y / h + 8 * (rest % 7) + r.nextGaussian() * 3;
            return Math.max(0, Math.min(255, Math.round(v)));
        });
    }

    static double maxAbsDiff(NdArray a, NdArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new AssertionError("shapes differ: " + java.util.Arrays.toString(a.shape()) + " vs "
                    + java.util.Arrays.toString(b.shape()));
        }
        byte[] x = a.toByteArray();
        byte[] y = b.toByteArray();
        int max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs((x[i] & 0xFF) - (y[i] & 0xFF)));
        }
        return max;
    }

    /** Builds opcode streams by hand, for files no honest writer makes. */
    static final class Ops {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Ops raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Ops raw(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Ops text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            return this;
        }

        Ops str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            raw(0x8c, b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Ops bytes(byte[] b) {
            raw('B', b.length & 0xFF, (b.length >> 8) & 0xFF, (b.length >> 16) & 0xFF, b.length >>> 24);
            out.write(b, 0, b.length);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }
}
