package org.jpkl.npy;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;

/**
 * The planes of an array read by an {@link NpyReader}, read with bounded memory: all of them once
 * ({@link #readAll(PlaneSink)}), in the order the file holds them, or one by slice number
 * ({@link #read(long, PlaneBuffer)}). Planes and slice numbers are those of a {@link KeySpace} over
 * the array's shape and the layout; each plane is delivered row-major with samples interleaved, in
 * the machine's representation. Made by {@link NpyReader#planes(PlaneLayout, long)}.
 *
 * <p>How it reads: let {@code p} be the outermost (in file order) of the plane's axes. Every index
 * of the axes before {@code p} addresses a contiguous <em>block</em> that holds whole planes.
 * <ul>
 *   <li>When the plane axes are the innermost (NumPy's usual {@code ..., y, x} in C order), a block
 *       is one plane: the file is read once, plane by plane.</li>
 *   <li>When a block fits in three quarters of the budget, it is read once and its planes are
 *       gathered from memory.</li>
 *   <li>Otherwise (e.g. JPkl's {@code y, x, z} layout in C order, larger than the budget) the block
 *       is read in several passes of row chunks; each pass fills a group of planes. Memory stays
 *       within the budget (or one row chunk plus one plane, when a single index of the outermost
 *       plane axis is larger than half the budget); the block is read {@code ceil(planes / group)}
 *       times. This needs positional reads: a stream in this layout must fit its block in the budget.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; it shares its reader's source and position.
 */
public final class NpyPlanes {
    /** Receives bands of rows of planes. */
    @FunctionalInterface
    public interface RowSink {
        /**
         * Rows {@code [y0, y0 + rows.height)} of a plane at full width; {@code rows}' array is reused
         * after this returns.
         *
         * @param sliceNumber the plane's slice number in the array's {@link KeySpace}
         * @param band the band's index: its first row is {@code band x} the band height
         */
        void accept(long sliceNumber, int band, PlaneBuffer rows) throws IOException;
    }

    /** Receives planes. */
    @FunctionalInterface
    public interface PlaneSink {
        /**
         * One plane; {@code plane}'s array is reused for the next plane after this returns.
         *
         * @param sliceNumber the plane's slice number in the array's {@link KeySpace}
         */
        void accept(long sliceNumber, PlaneBuffer plane) throws IOException;
    }

    /** The largest budget taken into account. */
    private static final long MAX_BUDGET = 1L << 30;

    private final DataBytes source;
    private final long dataOffset;
    private final DType dtype;
    private final java.nio.ByteOrder order;
    private final int[] shape;
    private final PlaneLayout layout;
    private final KeySpace keys;

    private final int itemSize;
    private final int[] fileShape;
    private final int[] fileAxisOf;
    private final long[] byteStride;
    private final int outermostPlaneAxis;
    private final long outerCount;
    private final long blockBytes;
    private final int[] innerKeyAxes;
    private final long innerCount;
    /** The spec of a whole plane; null when a plane has more samples than one Java array holds. */
    private final PlaneSpec spec;
    private final int planeHeight;
    private final int planeWidth;
    private final ChannelLayout channels;
    /** E.g. {@code uint8 50000x50000}, for messages. */
    private final String planeText;
    /** The bytes of one plane; planes of more than one Java array holds are read in bands of rows only. */
    private final long planeBytes;
    private final boolean blockMode;
    private final int group;
    private final int rowsPerChunk;
    /** Whether each plane is one contiguous run of bytes in the file, in the order of a plane's bytes (C-order {@code ..., y, x}). */
    private final boolean planeContiguous;
    private boolean readAllCalled;
    /** The scratch arrays of {@link #read(long, PlaneBuffer)}, kept for the next call (made on first use). */
    private byte[] readChunk;
    private byte[] readPlane;

    NpyPlanes(NpyReader reader, DataBytes source, PlaneLayout layout, long budgetBytes) {
        this.source = source;
        this.dataOffset = reader.dataOffset();
        this.dtype = reader.header().dtype();
        this.order = reader.header().byteOrder();
        this.shape = reader.header().shape();
        this.layout = layout;
        this.keys = new KeySpace(shape, layout);
        this.itemSize = dtype.byteSize();
        int n = shape.length;
        boolean fortranOrder = reader.header().fortranOrder();
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
        this.planeHeight = shape[layout.yAxis()];
        this.planeWidth = shape[layout.xAxis()];
        this.channels = layout.channels();
        long samples = (long) planeHeight * planeWidth * channels.samplesPerPixel();
        this.planeBytes = samples * itemSize;
        this.spec = samples <= Integer.MAX_VALUE - 8 ? new PlaneSpec(dtype, planeHeight, planeWidth, channels) : null;
        this.planeText = dtype + " " + planeHeight + "x" + planeWidth + " " + channels;
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
        this.innerKeyAxes = Arrays.copyOf(inner, count);
        this.innerCount = innerPlanes;

        int fc = layout.channelAxis().isPresent() ? fileAxisOf[layout.channelAxis().getAsInt()] : -1;
        this.planeContiguous = innerCount == 1 && p == fileAxisOf[layout.yAxis()]
                && byteStride[p] == (long) planeWidth * channels.samplesPerPixel() * itemSize
                && byteStride[fileAxisOf[layout.xAxis()]] == (long) channels.samplesPerPixel() * itemSize
                && (fc < 0 || byteStride[fc] == itemSize);

        long budget = Math.min(budgetBytes, MAX_BUDGET);
        this.blockMode = blockBytes <= budget * 3 / 4;
        if (blockMode) {
            this.group = (int) Math.max(1, Math.min(innerCount, budget / 4 / Math.max(1, planeBytes)));
            this.rowsPerChunk = fileShape[p];
        } else {
            if (!source.seekable()) {
                throw new IllegalArgumentException("reading " + source.name() + " needs blocks of " + size(blockBytes)
                        + " in memory (the plane axes are not the innermost in the file) and a stream cannot be re-read;"
                        + " read from a file, or allow more than " + size(blockBytes * 4 / 3 + 1) + " of buffer");
            }
            if (byteStride[p] > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("reading " + source.name() + " in this layout needs chunks of at least "
                        + size(byteStride[p]) + " (one index of its outermost plane axis), more than one Java array holds; store it"
                        + " with the plane axes innermost (e.g. numpy.ascontiguousarray(a.transpose(...))) or in Fortran order");
            }
            this.group = (int) Math.max(1, Math.min(innerCount, budget / 2 / Math.max(1, planeBytes)));
            this.rowsPerChunk = (int) Math.max(1, Math.min(fileShape[p], budget / 2 / byteStride[p]));
        }
    }

    private boolean isPlaneFileAxis(int fileAxis) {
        return fileAxis == fileAxisOf[layout.yAxis()] || fileAxis == fileAxisOf[layout.xAxis()]
                || (layout.channelAxis().isPresent() && fileAxis == fileAxisOf[layout.channelAxis().getAsInt()]);
    }

    /**
     * The shape and dtype of one plane.
     *
     * @throws IllegalStateException if a plane has more samples than one Java array holds (read it
     *     in bands of rows, {@link #readAllRows})
     */
    public PlaneSpec spec() {
        requireWholePlanes();
        return spec;
    }

    /** The numbering of the planes. */
    public KeySpace keySpace() {
        return keys;
    }

    /** The number of planes. */
    public long sliceCount() {
        return keys.sliceCount();
    }

    /** Roughly the most bytes {@link #readAll(PlaneSink)} holds at once (blocks or row chunks, and pending planes). */
    public long memoryBound() {
        long planes = (long) group * planeBytes + planeBytes;
        return blockMode ? blockBytes + planes : (long) rowsPerChunk * byteStride[outermostPlaneAxis] + planes;
    }

    /**
     * Whether each plane is one contiguous range of the file (its axes innermost, in the file's
     * order): {@link #read(long, PlaneBuffer)} then reads exactly that range. Otherwise reading one
     * plane passes over its whole block.
     */
    public boolean planesContiguous() {
        return (blockMode && blockBytes == planeBytes) || rowsContiguous();
    }

    /** How {@link #readAll(PlaneSink)} reads, in a sentence, e.g. {@code plane by plane, one sequential pass}. */
    public String strategy() {
        if (blockMode && blockBytes == planeBytes) {
            return "plane by plane, one sequential pass";
        }
        if (blockMode) {
            return outerCount + " block(s) of " + size(blockBytes) + " with " + innerCount + " planes each, one pass";
        }
        if (rowsContiguous()) {
            return "plane by plane, one sequential pass; planes of " + size(planeBytes) + ", more than the buffer: whole ("
                    + size(memoryBound()) + " in memory), or in bands of rows (readAllRows)";
        }
        long passes = (innerCount + group - 1) / group;
        return passes + " pass(es) over each of " + outerCount + " block(s) of " + size(blockBytes) + " (" + group
                + " planes per pass, chunks of " + rowsPerChunk + " rows): the plane axes are not contiguous in the file;"
                + " a larger buffer means fewer passes";
    }

    /**
     * Reads every plane once, in file order (not necessarily slice order), and hands each to
     * {@code sink}. On a stream it may be called once.
     *
     * @throws org.jpkl.api.JpklFormatException if a stream ends early or the file shrank
     */
    public void readAll(PlaneSink sink) throws IOException {
        requireWholePlanes();
        if (!source.seekable() && readAllCalled) {
            throw new IllegalStateException(source.name() + ": a stream's planes can be read once");
        }
        readAllCalled = true;
        int[] keyAxes = keys.keyAxes();
        int[] key = new int[keyAxes.length];
        int[] fileCoord = new int[shape.length];
        int p = outermostPlaneAxis;
        byte[] chunk = new byte[(int) (blockMode ? blockBytes : rowsPerChunk * byteStride[p])];
        byte[][] planes = new byte[group][(int) planeBytes];
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
                    planeBase[j] = innerBase(g0 + j, fileCoord);
                    for (int i = 0; i < keyAxes.length; i++) {
                        key[i] = fileCoord[fileAxisOf[keyAxes[i]]];
                    }
                    planeSlice[j] = keys.sliceNumber(key);
                }
                fill(blockStart, !blockMode, chunk, planes, planeBase, size, 0, spec.height());
                for (int j = 0; j < size; j++) {
                    toPlane(planes[j], plane);
                    sink.accept(planeSlice[j], plane);
                }
            }
        }
    }

    /**
     * Reads one plane into {@code dest}: at most one block, or one pass of row chunks over it; a
     * plane stored contiguously (C-order {@code ..., y, x}) is one read of its bytes. The buffers
     * it reads through are kept for the next call.
     *
     * @throws IndexOutOfBoundsException if the slice number is out of range
     * @throws IllegalArgumentException if {@code dest}'s spec is not {@link #spec()}
     * @throws IllegalStateException on a stream, for a plane before one already read
     */
    public void read(long sliceNumber, PlaneBuffer dest) throws IOException {
        requireWholePlanes();
        if (!dest.spec().equals(spec)) {
            throw new IllegalArgumentException("destination plane is " + dest.spec() + "; the planes of " + source.name() + " are " + spec);
        }
        int[] key = keys.key(sliceNumber);
        int[] keyAxes = keys.keyAxes();
        int[] fileCoord = new int[shape.length];
        for (int i = 0; i < keyAxes.length; i++) {
            fileCoord[fileAxisOf[keyAxes[i]]] = key[i];
        }
        int p = outermostPlaneAxis;
        long o = 0;
        for (int k = 0; k < p; k++) {
            o = o * fileShape[k] + fileCoord[k];
        }
        long base = 0;
        for (int k : innerKeyAxes) {
            base += fileCoord[k] * byteStride[k];
        }
        if (readPlane == null) {
            readPlane = new byte[Math.toIntExact(planeBytes)];
        }
        if (planeContiguous) {
            source.read(dataOffset + o * blockBytes, readPlane, 0, Math.toIntExact(planeBytes));
        } else {
            if (readChunk == null) {
                readChunk = new byte[Math.toIntExact(Math.min(blockBytes, (long) rowsPerChunk * byteStride[p]))];
            }
            fill(dataOffset + o * blockBytes, true, readChunk, new byte[][] {readPlane}, new long[] {base}, 1, 0, spec.height());
        }
        toPlane(readPlane, dest);
    }

    /** Refuses whole-plane reads of planes larger than one Java array holds. */
    private void requireWholePlanes() {
        if (spec == null || planeBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(source.name() + ": planes of " + planeText + " (" + planeBytes + " bytes) are too large to"
                    + " read whole (at most 2 GB per plane); read them in bands of rows (readAllRows)");
        }
    }

    /**
     * Whether bands of rows read in order read the file once, in order: each plane's rows are
     * contiguous in the file (the plane axes are the innermost, y before x, as in NumPy's {@code
     * ..., y, x} in C order). Otherwise each band reads every row chunk of its plane's block, so
     * whole planes ({@link #readAll}) are cheaper whenever they fit in memory.
     */
    public boolean rowsContiguous() {
        return innerCount == 1 && outermostPlaneAxis == fileAxisOf[layout.yAxis()];
    }

    /**
     * Reads every plane once, in file order (not necessarily slice order), in bands of {@code bandHeight} rows at full width (the
     * last band of a plane shorter): memory is one band plus one row chunk, whatever the plane's
     * size, so planes larger than memory or than one Java array are read too. Bands come in order,
     * row 0 first. When {@link #rowsContiguous()} the file is read once, in order (a stream too);
     * otherwise each band reads its plane's block in row chunks, which needs a file.
     *
     * @throws IllegalArgumentException if {@code bandHeight} is below 1, or a band at full width is
     *     larger than one Java array holds
     * @throws IllegalStateException on a stream whose rows are not contiguous, or a stream already read
     * @throws org.jpkl.api.JpklFormatException if a stream ends early or the file shrank
     */
    public void readAllRows(int bandHeight, RowSink sink) throws IOException {
        if (bandHeight < 1) {
            throw new IllegalArgumentException("band height " + bandHeight + " must be at least 1");
        }
        int h = planeHeight;
        int band = Math.min(bandHeight, h);
        long rowBytes = (long) planeWidth * channels.samplesPerPixel() * itemSize;
        if (rowBytes * band > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source.name() + ": a band of " + band + " rows of " + planeText + " has " + rowBytes * band
                    + " bytes, more than one Java array holds; read fewer rows at a time");
        }
        if (!source.seekable() && (readAllCalled || !rowsContiguous())) {
            throw new IllegalStateException(source.name() + (readAllCalled ? ": a stream's planes can be read once"
                    : ": reading a stream in bands of rows needs the plane axes innermost in the file (NumPy's ..., y, x in C order);"
                    + " read from a file"));
        }
        readAllCalled = true;
        byte[] rows = new byte[(int) (rowBytes * band)];
        long chunkRows = rowsContiguous() ? Math.max(1, Math.min(band, MAX_BUDGET / 4 / Math.max(1, byteStride[outermostPlaneAxis])))
                : Math.min(fileShape[outermostPlaneAxis], blockMode ? fileShape[outermostPlaneAxis] : rowsPerChunk);
        byte[] chunk = new byte[(int) Math.min(blockBytes, chunkRows * byteStride[outermostPlaneAxis])];
        if (h == 0 || planeWidth == 0) {
            return;
        }
        PlaneBuffer full = PlaneBuffer.allocate(new PlaneSpec(dtype, band, planeWidth, channels));
        PlaneBuffer last = h % band == 0 ? full : PlaneBuffer.allocate(new PlaneSpec(dtype, h % band, planeWidth, channels));
        int[] keyAxes = keys.keyAxes();
        int[] key = new int[keyAxes.length];
        int[] fileCoord = new int[shape.length];
        int p = outermostPlaneAxis;
        for (long o = 0; o < outerCount; o++) {
            long rest = o;
            for (int k = p - 1; k >= 0; k--) {
                fileCoord[k] = (int) (rest % fileShape[k]);
                rest /= fileShape[k];
            }
            for (long inner = 0; inner < innerCount; inner++) {
                long base = innerBase(inner, fileCoord);
                for (int i = 0; i < keyAxes.length; i++) {
                    key[i] = fileCoord[fileAxisOf[keyAxes[i]]];
                }
                long n = keys.sliceNumber(key);
                for (int b = 0, y0 = 0; y0 < h; b++, y0 += band) {
                    int count = Math.min(band, h - y0);
                    fill(dataOffset + o * blockBytes, true, chunk, new byte[][] {rows}, new long[] {base}, 1, y0, count);
                    PlaneBuffer out = count == band ? full : last;
                    Elements.decode(rows, 0, out.spec().sampleCount(), order, dtype, out.array(), out.offset());
                    sink.accept(n, b, out);
                }
            }
        }
    }


    /** The byte offset within its block of inner plane {@code inner}; sets the inner axes of {@code fileCoord}. */
    private long innerBase(long inner, int[] fileCoord) {
        long base = 0;
        for (int i = innerKeyAxes.length - 1; i >= 0; i--) {
            int k = innerKeyAxes[i];
            fileCoord[k] = (int) (inner % fileShape[k]);
            inner /= fileShape[k];
            base += fileCoord[k] * byteStride[k];
        }
        return base;
    }

    /**
     * Fills {@code count} planes of the block at {@code blockStart}: from {@code chunk} as it is (the
     * block read already), or reading the block in row chunks of {@code chunk}'s size.
     */
    private void fill(long blockStart, boolean readChunks, byte[] chunk, byte[][] planes, long[] planeBase, int count, int bandY0,
                      int bandRows) throws IOException {
        int p = outermostPlaneAxis;
        if (!readChunks) {
            gather(chunk, 0, fileShape[p], planes, planeBase, count, bandY0, bandRows);
            return;
        }
        long rowBytes = byteStride[p];
        int rowsPer = rowBytes == 0 ? Math.max(1, fileShape[p]) : (int) Math.max(1, chunk.length / rowBytes);
        // When the plane's rows are file axis p, only the band's rows of it are read.
        boolean byRow = p == fileAxisOf[layout.yAxis()];
        int first = byRow ? bandY0 : 0;
        int end = byRow ? bandY0 + bandRows : fileShape[p];
        for (int r0 = first; r0 < end; r0 += rowsPer) {
            int rows = Math.min(rowsPer, end - r0);
            source.read(blockStart + r0 * rowBytes, chunk, 0, (int) (rows * rowBytes));
            gather(chunk, r0, rows, planes, planeBase, count, bandY0, bandRows);
        }
    }

    /**
     * Copies the part of each plane that lies in {@code chunk} (file axis p in {@code [r0, r0 + rows)})
     * and in the band of rows {@code [bandY0, bandY0 + bandRows)} into the band's HWC bytes (a whole
     * plane when the band is every row). Element-wise loops run over the chunk in file order with the planes
     * innermost, so a transposing read still walks memory forward.
     */
    private void gather(byte[] chunk, int r0, int rows, byte[][] planes, long[] planeBase, int count, int bandY0, int bandRows) {
        int p = outermostPlaneAxis;
        int fy = fileAxisOf[layout.yAxis()];
        int fx = fileAxisOf[layout.xAxis()];
        int fc = layout.channelAxis().isPresent() ? fileAxisOf[layout.channelAxis().getAsInt()] : -1;
        int h = planeHeight;
        int w = planeWidth;
        int c = channels.samplesPerPixel();
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
        // Only the band's rows, stored from the band's first row on.
        y0 = Math.max(y0, bandY0);
        y1 = Math.min(y1, bandY0 + bandRows);
        long origin = -(long) r0 * byteStride[p];
        int item = itemSize;
        boolean rowsContiguous = x0 == 0 && x1 == w && c0 == 0 && c1 == c
                && (c == 1 ? sx == item : sc == item && sx == 3L * item);
        if (rowsContiguous) {
            int rowLength = w * c * item;
            for (int j = 0; j < count; j++) {
                byte[] dst = planes[j];
                for (int y = y0; y < y1; y++) {
                    System.arraycopy(chunk, (int) (origin + planeBase[j] + y * sy), dst, (y - bandY0) * rowLength, rowLength);
                }
            }
            return;
        }
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int ch = c0; ch < c1; ch++) {
                    long src = origin + y * sy + x * sx + ch * sc;
                    int dst = (((y - bandY0) * w + x) * c + ch) * item;
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
        Elements.decode(bytes, 0, spec.sampleCount(), order, dtype, plane.array(), plane.offset());
    }

    /** E.g. {@code 48.0 kB}, {@code 209.7 MB}. */
    static String size(long bytes) {
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    @Override
    public String toString() {
        return "NpyPlanes[" + source.name() + ", " + planeText + " x " + sliceCount() + ", " + strategy() + "]";
    }
}
