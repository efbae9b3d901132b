package org.jpkl.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;
import org.jpkl.npy.NpyHeader;
import org.jpkl.npy.NpyPlanes;
import org.jpkl.npy.NpyReader;

/**
 * Encodes a NumPy {@code .npy} file into a {@code .jpkl} file through the library alone, plane by
 * plane, so the array may be larger than memory: at most 256 MB of input is held at a time. As in
 * NumPy, the last two axes are the image plane; the codec follows the dtype.
 *
 * <p>Usage: {@code NpyToJpkl in.npy out.jpkl}
 */
public final class NpyToJpkl {
    private NpyToJpkl() {
    }

    /** Encodes {@code args[0]} into {@code args[1]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: NpyToJpkl in.npy out.jpkl");
            System.exit(2);
        }
        try (NpyReader npy = NpyReader.open(Path.of(args[0]))) {
            NpyHeader h = npy.header();
            int n = h.shape().length;
            PlaneLayout layout = PlaneLayout.of(n - 2, n - 1);
            NpyPlanes planes = npy.planes(layout, 256L << 20);
            WriteOptions options = WriteOptions.builder().layout(layout).metadata("source", args[0]).build();
            try (JpklWriter writer = Jpkl.create().newWriter(Path.of(args[1]), h.dtype(), h.shape(), options)) {
                planes.readAll(writer::write);
                writer.commit();
            }
            System.out.println(args[1] + ": " + Shapes.format(h.shape()) + " " + h.dtype() + ", " + planes.sliceCount() + " planes ("
                    + planes.strategy() + ")");
        }
    }
}
