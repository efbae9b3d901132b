package org.jpkl.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.NdArray;
import org.jpkl.api.Shapes;

/**
 * The README's demo: encodes a generated 5-D stack (512 x 512 planes, 10 x 10 x 4 keys, JPkl's
 * layout) with the default JPEG codec, saves it, reopens it lazily, and prints shape, file size,
 * compression ratio, timings, the error of one slice and a thumbnail of it.
 *
 * <p>Usage: {@code Demo [output-file]} (default: a temporary file, deleted at exit).
 */
public final class Demo {
    private Demo() {
    }

    /** Runs the demo; the optional argument is where to keep the file. */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : Files.createTempFile("jpkl-demo", ".jpkl");
        if (args.length == 0) {
            file.toFile().deleteOnExit();
        }
        Jpkl jpkl = Jpkl.create();
        System.out.println("codecs: " + jpkl.codecs().ids() + ", serializers: " + jpkl.serializers().ids());

        long t0 = System.nanoTime();
        NdArray stack = SyntheticStacks.grey8(1, 6, 512, 512, 10, 10, 4);
        long t1 = System.nanoTime();
        jpkl.save(stack, file, WriteOptions.builder().codec("jpeg").param("quality", 90)
                .axisNames("y", "x", "t", "z", "c").metadata("source", "jpkl demo: synthetic stack").build());
        long t2 = System.nanoTime();

        try (JpklArray stored = jpkl.open(file)) {
            long t3 = System.nanoTime();
            NdArray slice = stored.get(":, :, 3, 5, 2");
            long t4 = System.nanoTime();
            NdArray four = stored.get(":, :, 3, 5");
            long t5 = System.nanoTime();
            long fileSize = Files.size(file);
            System.out.printf(Locale.ROOT, "stack: shape %s, ndim %d, size %,d, dtype %s, axes %s%n", Shapes.format(stored.shape()),
                    stored.ndim(), stored.size(), stored.dtype(), stored.axisNames());
            System.out.printf(Locale.ROOT, "file: %s, %,d bytes; raw %,d bytes; compression ratio %.2f%n", file, fileSize,
                    stack.byteSize(), stack.byteSize() / (double) fileSize);
            System.out.printf(Locale.ROOT, "generate %.2f s, encode+save %.2f s (%d slices), open %.2f ms, "
                            + "one slice %.2f ms, x[:, :, 3, 5] (4 slices) %.2f ms%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, stored.sliceCount(), (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6);
            NdArray original = stack.get(":, :, 3, 5, 2");
            ErrorMetrics errors = ErrorMetrics.between(original, slice);
            System.out.printf(Locale.ROOT, "slice (3, 5, 2): shape %s, max abs error %.0f, PSNR %.1f dB, x[:, :, 3, 5] shape %s%n",
                    Shapes.format(slice.shape()), errors.maxAbsError(), errors.psnrOverDtypePeak(),
                    Shapes.format(four.shape()));
            System.out.println(thumbnail(slice, 64, 24));
        }
    }

    /** A character-ramp picture of a 2-D uint8 array, {@code cols} x {@code rows} characters. */
    static String thumbnail(NdArray plane, int cols, int rows) {
        String ramp = " .:-=+*#%@";
        int h = plane.shape(0);
        int w = plane.shape(1);
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = plane.getInt(r * h / rows, c * w / cols);
                sb.append(ramp.charAt(v * ramp.length() / 256));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
