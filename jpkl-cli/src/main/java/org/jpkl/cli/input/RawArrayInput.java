package org.jpkl.cli.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Shapes;
import org.jpkl.cli.CliException;

/**
 * A dense array stored element by element in a file or stream ({@code .npy} data, raw binary), in
 * C or Fortran order and either byte order, read plane by plane with bounded memory.
 *
 * <p>How it reads: let {@code p} be the outermost (in file order) of the plane's axes. Every index
 * of the axes before {@code p} addresses a contiguous <em>block</em> that holds whole planes.
 * <ul>
 *   <li>When the plane axes are the innermost (NumPy's usual {@code ..., y, x}), a block is one
 *       plane: the file is read once, plane by plane.</li>
 *   <li>When a block fits in three quarters of the buffer budget, it is read once and its planes
 *       are gathered from memory.</li>
 *   <li>Otherwise (e.g. JPkl's {@code y, x, z} layout in C order, larger than the budget) the block
 *       is read in several passes of row chunks; each pass fills a group of planes. Memory stays
 *       within the budget (or one row chunk plus one plane, when a single index of the outermost
 *       plane axis is larger than half the budget); the block is read {@code ceil(planes / group)}
 *       times. This needs a file (positional reads); a stream in this layout must fit its block in
 *       the budget.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe.
 */
final class RawArrayInput implements StackInput {
    /** What may follow the data in the file or stream. */
    enum Tail {
        /**
         * Nothing (raw input without {@code --offset}): a file larger than the data, or a stream that
         * goes on after it, is refused naming both byte counts.
         */
        NONE,
        /**
         * Anything, not read ({@code .npy}, as {@code numpy.load} does, and raw input with
         * {@code --offset}); for a file, a warning says how many bytes are ignored.
         */
        IGNORED
    }

    private final ByteSource source;
    private final long dataOffset;
    private final DType dtype;
    private final ByteOrder order;
    private final int[] shape;
    private final Axes.Resolved axes;
    private final String description;
    private final Map<String, Object> metadata;
    private final Tail tail;
    private final List<String> warnings;

    private final int itemSize;
    private final int[] fileShape;
    private final int[] fileAxisOf;
    private final long[] byteStride;
    private final int outermostPlaneAxis;
    private final long outerCount;
    private final long blockBytes;
    private final int[] innerKeyAxes;
    private final long innerCount;
    private final PlaneSpec spec;
    private final int planeBytes;
    private final boolean blockMode;
    private final int group;
    private final int rowsPerChunk;
    private final long dataEnd;

    /**
     * @param fortranOrder whether the elements are in Fortran (column-major) order
     * @param dataOffset where the data starts in the file or stream, in bytes
     * @param budgetBytes the most bytes of input to hold at once (at most 1 GiB)
     * @param tail what may follow the data
     * @param warnings warnings about the input so far; this input adds its own
     * @throws CliException (usage) if a stream in this layout would need more than the budget; (data)
     *     if the file is too short for the data, or longer with {@link Tail#NONE}
     */
    RawArrayInput(ByteSource source, long dataOffset, DType dtype, ByteOrder order, boolean fortranOrder, int[] shape,
                  Axes.Resolved axes, long budgetBytes, String description, Map<String, Object> metadata, Tail tail,
                  List<String> warnings) throws IOException {
        this.source = source;
        this.dataOffset = dataOffset;
        this.dtype = dtype;
        this.order = order;
        this.shape = shape.clone();
        this.axes = axes;
        this.description = description;
        this.metadata = Map.copyOf(metadata);
        this.tail = tail;
        List<String> notes = new java.util.ArrayList<>(warnings);
        this.itemSize = dtype.byteSize();
        int n = shape.length;
        this.fileShape = new int[n];
        this.fileAxisOf = new int[n];
        for (int a = 0; a < n; a++) {
            fileAxisOf[a] = fortranOrder ? n - 1 - a : a;
            fileShape[fileAxisOf[a]] = shape[a];
        }
        this.byteStride = new long[n];
        long s = itemSize;
        for (int k = n - 1; k >= 0; k--) {
            byteStride[k] = s;
            s *= fileShape[k];
        }
        long total = s;
        this.dataEnd = dataOffset + total;
        PlaneLayout layout = axes.layout();
        new KeySpace(this.shape, layout);
        this.spec = new PlaneSpec(dtype, shape[layout.yAxis()], shape[layout.xAxis()], layout.channels());
        if (spec.byteSize() > Integer.MAX_VALUE - 8) {
            throw CliException.usage("planes of " + spec + " (" + spec.byteSize() + " bytes) are too large to read; at most 2 GB per plane");
        }
        this.planeBytes = (int) spec.byteSize();
        int p = Math.min(fileAxisOf[layout.yAxis()], fileAxisOf[layout.xAxis()]);
        if (layout.channelAxis().isPresent()) {
            p = Math.min(p, fileAxisOf[layout.channelAxis().getAsInt()]);
        }
        this.outermostPlaneAxis = p;
        long outer = 1;
        for (int k = 0; k < p; k++) {
            outer *= fileShape[k];
        }
        this.outerCount = outer;
        this.blockBytes = byteStride[p] * fileShape[p];
        int[] inner = new int[n];
        int count = 0;
        long innerPlanes = 1;
        for (int k = p + 1; k < n; k++) {
            if (!isPlaneFileAxis(k)) {
                inner[count++] = k;
                innerPlanes *= fileShape[k];
            }
        }
        this.innerKeyAxes = java.util.Arrays.copyOf(inner, count);
        this.innerCount = innerPlanes;

        long budget = Math.min(budgetBytes, 1L << 30);
        this.blockMode = blockBytes <= budget * 3 / 4;
        if (blockMode) {
            this.group = (int) Math.max(1, Math.min(innerCount, budget / 4 / Math.max(1, planeBytes)));
            this.rowsPerChunk = fileShape[p];
        } else {
            if (!source.seekable()) {
                throw CliException.usage("reading " + source.name() + " needs blocks of " + mb(blockBytes)
                        + " in memory (the plane axes are not the innermost in the file) and a stream cannot be re-read;"
                        + " raise --buffer above " + mb(blockBytes * 4 / 3 + 1) + " or read from a file");
            }
            if (byteStride[p] > Integer.MAX_VALUE - 8) {
                throw CliException.usage("reading " + source.name() + " in this layout needs chunks of at least " + mb(byteStride[p])
                        + " (one index of its outermost plane axis), more than one Java array holds; store it with the plane axes"
                        + " innermost (e.g. numpy.ascontiguousarray(a.transpose(...))) or in Fortran order");
            }
            this.group = (int) Math.max(1, Math.min(innerCount, budget / 2 / Math.max(1, planeBytes)));
            this.rowsPerChunk = (int) Math.max(1, Math.min(fileShape[p], budget / 2 / byteStride[p]));
        }
        if (source.seekable()) {
            long size = source.size();
            String needs = "shape " + Shapes.format(shape) + " of " + dtype + " needs " + dataEnd
                    + (dataOffset > 0 ? " (" + total + " after the first " + dataOffset + ")" : "");
            if (size < dataEnd) {
                throw CliException.data(source.name() + ": has " + size + " bytes; " + needs + "; check the shape, dtype and file");
            }
            if (size > dataEnd && tail == Tail.NONE) {
                throw CliException.data(source.name() + ": has " + size + " bytes; " + needs + "; if the data starts after a "
                        + (size - dataEnd) + "-byte header give --offset " + (size - dataEnd) + ", else check --shape and --dtype");
            }
            if (size > dataEnd) {
                notes.add(source.name() + ": the " + (size - dataEnd) + " bytes after the data (which ends at byte " + dataEnd
                        + " of " + size + ") are ignored");
            }
        }
        this.warnings = List.copyOf(notes);
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    private boolean isPlaneFileAxis(int fileAxis) {
        PlaneLayout l = axes.layout();
        return fileAxis == fileAxisOf[l.yAxis()] || fileAxis == fileAxisOf[l.xAxis()]
                || (l.channelAxis().isPresent() && fileAxis == fileAxisOf[l.channelAxis().getAsInt()]);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public PlaneLayout layout() {
        return axes.layout();
    }

    @Override
    public List<String> axisNames() {
        return axes.names();
    }

    @Override
    public Map<String, Object> metadata() {
        return metadata;
    }

    @Override
    public long memoryBound() {
        long planes = (long) group * planeBytes + planeBytes;
        return blockMode ? blockBytes + planes : (long) rowsPerChunk * byteStride[outermostPlaneAxis] + planes;
    }

    @Override
    public String readingStrategy() {
        if (blockMode && blockBytes == planeBytes) {
            return "plane by plane, one sequential pass";
        }
        if (blockMode) {
            return outerCount + " block(s) of " + mb(blockBytes) + " with " + innerCount + " planes each, one pass";
        }
        long passes = (innerCount + group - 1) / group;
        return passes + " pass(es) over each of " + outerCount + " block(s) of " + mb(blockBytes) + " (" + group
                + " planes per pass, chunks of " + rowsPerChunk + " rows): the plane axes are not contiguous in the file;"
                + " a larger --buffer means fewer passes";
    }

    @Override
    public void readPlanes(PlaneSink sink) throws IOException {
        KeySpace keys = new KeySpace(shape, axes.layout());
        int[] keyAxes = keys.keyAxes();
        int[] key = new int[keyAxes.length];
        int[] fileCoord = new int[shape.length];
        int p = outermostPlaneAxis;
        long rowBytes = byteStride[p];
        byte[] chunk = new byte[(int) (blockMode ? blockBytes : rowsPerChunk * rowBytes)];
        byte[][] planes = new byte[group][planeBytes];
        long[] planeBase = new long[group];
        long[] planeSlice = new long[group];
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        for (long o = 0; o < outerCount; o++) {
            long rest = o;
            for (int k = p - 1; k >= 0; k--) {
                fileCoord[k] = (int) (rest % fileShape[k]);
                rest /= fileShape[k];
            }
            long blockStart = dataOffset + o * blockBytes;
            if (blockMode) {
                source.read(blockStart, chunk, 0, (int) blockBytes);
            }
            for (long g0 = 0; g0 < innerCount; g0 += group) {
                int size = (int) Math.min(group, innerCount - g0);
                for (int j = 0; j < size; j++) {
                    long inner = g0 + j;
                    long base = 0;
                    for (int i = innerKeyAxes.length - 1; i >= 0; i--) {
                        int k = innerKeyAxes[i];
                        fileCoord[k] = (int) (inner % fileShape[k]);
                        inner /= fileShape[k];
                        base += fileCoord[k] * byteStride[k];
                    }
                    planeBase[j] = base;
                    for (int i = 0; i < keyAxes.length; i++) {
                        key[i] = fileCoord[fileAxisOf[keyAxes[i]]];
                    }
                    planeSlice[j] = keys.sliceNumber(key);
                }
                if (blockMode) {
                    gather(chunk, 0, fileShape[p], planes, planeBase, size);
                } else {
                    for (int r0 = 0; r0 < fileShape[p]; r0 += rowsPerChunk) {
                        int rows = Math.min(rowsPerChunk, fileShape[p] - r0);
                        source.read(blockStart + r0 * rowBytes, chunk, 0, (int) (rows * rowBytes));
                        gather(chunk, r0, rows, planes, planeBase, size);
                    }
                }
                for (int j = 0; j < size; j++) {
                    toPlane(planes[j], plane);
                    sink.accept(planeSlice[j], plane);
                }
            }
        }
        if (tail == Tail.NONE && !source.seekable() && !source.endsAt(dataEnd)) {
            throw CliException.data(source.name() + ": goes on after the " + dataEnd + " bytes that shape " + Shapes.format(shape)
                    + " of " + dtype + " needs; if the data starts after a header give --offset BYTES (what follows the data is"
                    + " then ignored), else check --shape and --dtype");
        }
    }

    /**
     * Copies the part of each plane that lies in {@code chunk} (file axis p in {@code [r0, r0 + rows)})
     * into the planes' HWC bytes. Element-wise loops run over the chunk in file order with the planes
     * innermost, so a transposing read still walks memory forward.
     */
    private void gather(byte[] chunk, int r0, int rows, byte[][] planes, long[] planeBase, int count) {
        PlaneLayout l = axes.layout();
        int p = outermostPlaneAxis;
        int fy = fileAxisOf[l.yAxis()];
        int fx = fileAxisOf[l.xAxis()];
        int fc = l.channelAxis().isPresent() ? fileAxisOf[l.channelAxis().getAsInt()] : -1;
        int h = spec.height();
        int w = spec.width();
        int c = spec.channels().samplesPerPixel();
        long sy = byteStride[fy];
        long sx = byteStride[fx];
        long sc = fc >= 0 ? byteStride[fc] : 0;
        int y0 = 0;
        int y1 = h;
        int x0 = 0;
        int x1 = w;
        int c0 = 0;
        int c1 = c;
        if (p == fy) {
            y0 = r0;
            y1 = r0 + rows;
        } else if (p == fx) {
            x0 = r0;
            x1 = r0 + rows;
        } else {
            c0 = r0;
            c1 = r0 + rows;
        }
        long origin = -(long) r0 * byteStride[p];
        int item = itemSize;
        boolean rowsContiguous = x0 == 0 && x1 == w && c0 == 0 && c1 == c
                && (c == 1 ? sx == item : sc == item && sx == 3L * item);
        if (rowsContiguous) {
            int rowLength = w * c * item;
            for (int j = 0; j < count; j++) {
                byte[] dst = planes[j];
                for (int y = y0; y < y1; y++) {
                    System.arraycopy(chunk, (int) (origin + planeBase[j] + y * sy), dst, y * rowLength, rowLength);
                }
            }
            return;
        }
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int ch = c0; ch < c1; ch++) {
                    long src = origin + y * sy + x * sx + ch * sc;
                    int dst = ((y * w + x) * c + ch) * item;
                    for (int j = 0; j < count; j++) {
                        int from = (int) (src + planeBase[j]);
                        byte[] target = planes[j];
                        for (int b = 0; b < item; b++) {
                            target[dst + b] = chunk[from + b];
                        }
                    }
                }
            }
        }
    }

    private void toPlane(byte[] bytes, PlaneBuffer plane) {
        int n = spec.sampleCount();
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(order);
        switch (dtype) {
            case UINT8:
                System.arraycopy(bytes, 0, plane.bytes(), plane.offset(), n);
                break;
            case UINT16:
            case INT16:
                buf.asShortBuffer().get(plane.shorts(), plane.offset(), n);
                break;
            case INT32:
                buf.asIntBuffer().get(plane.ints(), plane.offset(), n);
                break;
            case FLOAT32:
                buf.asFloatBuffer().get(plane.floats(), plane.offset(), n);
                break;
            default:
                buf.asDoubleBuffer().get(plane.doubles(), plane.offset(), n);
                break;
        }
    }

    /** E.g. {@code 48.0 kB}, {@code 209.7 MB}. */
    static String mb(long bytes) {
        return bytes < 1_000_000 ? String.format(java.util.Locale.ROOT, "%.1f kB", bytes / 1e3)
                : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
