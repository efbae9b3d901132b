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

    /**
     * A grey JPkl pickle of the given slices along one axis, spelled as Python 3 writes protocol 0:
     * text opcodes, memo PUT/GET as text, each bytes object as {@code _codecs.encode(str, 'latin1')}
     * with the str in raw-unicode-escape (backslash and newline as {@code \\u} escapes); metadata
     * {@code {'k': [1, 'two\\\u00b5', 3.5]}}.
     */
    static byte[] protocolZeroJpkl(java.util.List<byte[]> slices) {
        StringBuilder p = new StringBuilder("(dp0\nVheader\np1\n(VJPkl\np2\nV1\np3\ntp4\nsVcolor\np5\nI00\n"
                + "sVjpeg_quality\np6\nI90\nsVimages\np7\n(dp8\n");
        int memo = 9;
        for (int n = 0; n < slices.size(); n++) {
            p.append("(I").append(n).append("\ntp").append(memo++).append("\n");
            p.append("c_codecs\nencode\np").append(memo++).append("\n(V");
            for (byte b : slices.get(n)) {
                char c = (char) (b & 0xFF);
                p.append(c == '\\' ? "\\u005c" : c == '\n' ? "\\u000a" : c == '\r' ? "\\u000d" : c == 0 ? "\\u0000"
                        : c == 0x1a ? "\\u001a" : String.valueOf(c));
            }
            p.append("\np").append(memo++).append("\nVlatin1\np").append(memo++).append("\ntp").append(memo++)
                    .append("\nRp").append(memo++).append("\ns");
        }
        p.append("sVdim_names\n(lVz\nasVdim_sizes\n(I").append(slices.size()).append("\ntsVmetadata\n(dVk\n(lI1\n")
                .append("aVtwo\\u005c\u00b5\naF3.5\nass.");
        return p.toString().getBytes(StandardCharsets.ISO_8859_1);
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
