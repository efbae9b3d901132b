package org.jpkl.cli.input;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.TileGrid;

/**
 * An array to encode, read plane by plane from a file, a stream, a folder of images or a
 * generator, so that a stack larger than memory can be encoded with bounded memory: only
 * {@link #memoryBound()} bytes (plus the planes the consumer keeps) are held at a time.
 *
 * <p>The array is described as it will be stored: shape, dtype, plane layout and axis names.
 *
 * <p>Thread safety: not thread-safe; one reader thread.
 */
public interface StackInput extends Closeable {
    /** Receives planes. */
    @FunctionalInterface
    interface PlaneSink {
        /**
         * One plane; {@code plane}'s array may be reused by the input after this returns.
         *
         * @param sliceNumber the plane's slice number in the stored array's {@link KeySpace}
         */
        void accept(long sliceNumber, PlaneBuffer plane) throws IOException;
    }

    /** Receives bands of rows. */
    @FunctionalInterface
    interface RowSink {
        /**
         * Tile row {@code row} of a plane: its rows {@code [grid.y0(row), grid.y0(row) + grid.heightOf(row))}
         * at full width; {@code rows}' array may be reused by the input after this returns.
         *
         * @param sliceNumber the plane's slice number in the stored array's {@link KeySpace}
         */
        void accept(long sliceNumber, int row, PlaneBuffer rows) throws IOException;
    }

    /** What is read, for messages, e.g. {@code stack.npy (NumPy 1.0, <u2, C order)}. */
    String description();

    /** The stored array's shape. */
    int[] shape();

    /** The element type. */
    DType dtype();

    /** Which axes form the plane. */
    PlaneLayout layout();

    /** One name per axis. */
    List<String> axisNames();

    /** Metadata to store with the array (e.g. where it came from); JSON-compatible. */
    Map<String, Object> metadata();

    /** Roughly the most bytes this input holds at once while reading (buffers, blocks, pending planes). */
    long memoryBound();

    /** How the input is read (e.g. "plane by plane", "3 passes over 2.1 GB"), for --verbose. */
    String readingStrategy();

    /**
     * Warnings about the input, one line each, for stderr before the planes are read: e.g. axes chosen
     * by default that give an implausible plane, or bytes after the data that are not read.
     */
    default List<String> warnings() {
        return List.of();
    }

    /** The shape and dtype of one plane. */
    default PlaneSpec planeSpec() {
        int[] s = shape();
        PlaneLayout l = layout();
        return new PlaneSpec(dtype(), s[l.yAxis()], s[l.xAxis()], l.channels());
    }

    /** The number of planes: the product of the key axes' lengths. */
    default long sliceCount() {
        return new KeySpace(shape(), layout()).sliceCount();
    }

    /**
     * Reads every plane once, in the order that suits the input (not necessarily slice order), and
     * hands each to {@code sink}. May be called once.
     *
     * @throws org.jpkl.api.JpklFormatException if the input is damaged or shorter than its shape says
     */
    void readPlanes(PlaneSink sink) throws IOException;

    /**
     * Reads every plane once as the tile rows of {@code grid} (the plane's tiling), each plane's rows
     * in order from row 0, one plane at a time, and hands each row to {@code sink}: what a tiled
     * container is written from ({@link org.jpkl.JpklWriter#writeTileRow}). Inputs that can read
     * parts of a plane (TIFF tiles and strips, {@code .npy} and raw rows) hold one tile row at a
     * time, so a plane larger than memory is read too; this default reads whole planes
     * ({@link #readPlanes}) and hands out their rows. May be called once, instead of {@code readPlanes}.
     *
     * @throws org.jpkl.api.JpklFormatException if the input is damaged or shorter than its shape says
     */
    default void readTileRows(TileGrid grid, RowSink sink) throws IOException {
        readPlanes((n, plane) -> {
            PlaneSpec spec = plane.spec();
            int rowSamples = spec.width() * spec.channels().samplesPerPixel();
            for (int r = 0; r < grid.rows(); r++) {
                PlaneSpec band = new PlaneSpec(spec.dtype(), grid.heightOf(r), spec.width(), spec.channels());
                sink.accept(n, r, PlaneBuffer.wrap(band, plane.array(), plane.offset() + grid.y0(r) * rowSamples));
            }
        });
    }
}
