package org.jpkl.api;

import java.util.Objects;

/**
 * Assembles the result of a selection from whole planes: it lists the planes the selection touches
 * and copies the selected rows, columns and samples of each decoded plane to their place in one
 * result array. This is the heart of a lazy {@code get}: only the listed planes need decoding.
 *
 * <p>Usage: for each {@code i} in {@code [0, touchedCount())}, decode plane
 * {@link #sliceNumber(long) sliceNumber(i)} and pass it to {@link #scatter(long, PlaneBuffer)};
 * then call {@link #result()}. For planes stored as tiles, decode only the tiles in
 * {@link #touchedTileRows} x {@link #touchedTileColumns} and pass each to {@link #scatterTile}
 * (this also works for planes too large for one Java array).
 *
 * <p>Thread safety: {@link #scatter} may run concurrently for distinct {@code i} (they write disjoint
 * elements); {@link #result()} must happen after every scatter (e.g. after joining the tasks).
 */
public final class PlaneAssembly {
    private final Selection selection;
    private final KeySpace keys;
    private final PlaneSpec planeSpec;
    private final int[] keyAxes;
    private final int[] touchedKeyCounts;
    private final long touchedCount;
    private final int[] resultStrides;
    private final int[] planeSrcStrides;
    private final int[] planeDstStrides;
    private final int[] planeCounts;
    private final int planeSrcOffset;
    private final int yAxis;
    private final int xAxis;
    private final int channelAxis;
    private final DType dtype;
    private final ChannelLayout channels;
    private Object result;

    /**
     * Plans a selection over an array of the given shape, dtype and plane layout.
     *
     * @throws IllegalArgumentException if the result does not fit in one array
     */
    public PlaneAssembly(Selection selection, DType dtype, PlaneLayout layout) {
        this(selection, dtype, layout, true);
    }

    /**
     * As the constructor, without allocating the result yet: {@link #allocateResult()} must run
     * before the first scatter (and happen-before it, e.g. through a latch). A large result costs
     * its allocation and zeroing on one thread (a 16,384 x 16,384 plane: 256 MiB, tens of
     * milliseconds, more where the memory was never touched); deferred, other threads can decode
     * meanwhile.
     *
     * @throws IllegalArgumentException if the result does not fit in one array
     */
    public static PlaneAssembly withDeferredResult(Selection selection, DType dtype, PlaneLayout layout) {
        return new PlaneAssembly(selection, dtype, layout, false);
    }

    private PlaneAssembly(Selection selection, DType dtype, PlaneLayout layout, boolean allocate) {
        this.selection = Objects.requireNonNull(selection, "selection");
        int[] shape = selection.sourceShape();
        this.keys = new KeySpace(shape, layout);
        selection.checkFitsInArray();
        int y = layout.yAxis();
        int x = layout.xAxis();
        this.yAxis = y;
        this.xAxis = x;
        this.dtype = dtype;
        this.channels = layout.channels();
        long planeSamples = (long) shape[y] * shape[x] * layout.channels().samplesPerPixel();
        this.planeSpec = planeSamples <= Selection.MAX_RESULT_ELEMENTS
                ? new PlaneSpec(dtype, shape[y], shape[x], layout.channels()) : null;
        this.keyAxes = keys.keyAxes();
        this.touchedKeyCounts = new int[keyAxes.length];
        long touched = selection.resultSize() == 0 ? 0 : 1;
        for (int k = 0; k < keyAxes.length; k++) {
            touchedKeyCounts[k] = selection.count(keyAxes[k]);
            touched *= touchedKeyCounts[k];
        }
        this.touchedCount = touched;
        this.resultStrides = selection.resultStridesBySourceAxis();
        int samples = layout.channels().samplesPerPixel();
        boolean rgb = layout.channelAxis().isPresent();
        this.channelAxis = rgb ? layout.channelAxis().getAsInt() : -1;
        int c = channelAxis;
        this.planeCounts = rgb
                ? new int[] {selection.count(y), selection.count(x), selection.count(c)}
                : new int[] {selection.count(y), selection.count(x)};
        this.planeDstStrides = rgb
                ? new int[] {resultStrides[y], resultStrides[x], resultStrides[c]}
                : new int[] {resultStrides[y], resultStrides[x]};
        if (planeSpec != null) {
            int rowStride = planeSpec.width() * samples;
            this.planeSrcStrides = rgb
                    ? new int[] {selection.elementStride(y, rowStride), selection.elementStride(x, samples), selection.elementStride(c, 1)}
                    : new int[] {selection.elementStride(y, rowStride), selection.elementStride(x, 1)};
            this.planeSrcOffset = Math.toIntExact((long) selection.elementOffset(y, rowStride) + selection.elementOffset(x, samples)
                    + (rgb ? selection.elementOffset(c, 1) : 0));
        } else {
            this.planeSrcStrides = null;
            this.planeSrcOffset = 0;
        }
        if (allocate) {
            allocateResult();
        }
    }

    /**
     * Allocates the result array of an assembly made {@link #withDeferredResult}; does nothing when
     * it exists. Not thread-safe: one thread calls it, before any scatter.
     */
    public void allocateResult() {
        if (result == null) {
            result = dtype.newStorage(Math.toIntExact(selection.resultSize()));
        }
    }

    /** Whether the result array exists (always, unless made {@link #withDeferredResult} and not yet allocated). */
    public boolean hasResult() {
        return result != null;
    }

    /** The selection being assembled. */
    public Selection selection() {
        return selection;
    }

    /** The array's key space (slice numbering). */
    public KeySpace keySpace() {
        return keys;
    }

    /**
     * Shape and dtype of every plane of the source array.
     *
     * @throws IllegalStateException if a plane is larger than one Java array (then only tiles can be assembled)
     */
    public PlaneSpec planeSpec() {
        return wholePlanes();
    }

    private PlaneSpec wholePlanes() {
        if (planeSpec == null) {
            throw new IllegalStateException("the planes of " + selection + " are larger than one Java array;"
                    + " assemble them from tiles (scatterTile)");
        }
        return planeSpec;
    }

    /** How many planes the selection touches (0 for an empty result). */
    public long touchedCount() {
        return touchedCount;
    }

    /**
     * The slice number of the {@code i}-th touched plane; touched planes are listed in the order of
     * their place in the result, which is increasing slice-number order when all key steps are positive.
     */
    public long sliceNumber(long i) {
        checkTouched(i);
        int[] key = new int[keyAxes.length];
        long rest = i;
        for (int k = keyAxes.length - 1; k >= 0; k--) {
            int j = (int) (rest % touchedKeyCounts[k]);
            rest /= touchedKeyCounts[k];
            key[k] = Math.toIntExact(selection.position(keyAxes[k], j));
        }
        return keys.sliceNumber(key);
    }

    /**
     * Copies the selected part of the {@code i}-th touched plane into the result.
     *
     * @throws IllegalArgumentException if the plane's spec differs from {@link #planeSpec()}
     */
    public void scatter(long i, PlaneBuffer plane) {
        checkTouched(i);
        wholePlanes();
        if (!plane.spec().equals(planeSpec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + ", expected " + planeSpec);
        }
        StridedCopy.copy(plane.array(), plane.offset() + planeSrcOffset, planeSrcStrides, result, resultOffset(i),
                planeDstStrides, planeCounts);
    }

    /**
     * As {@link #scatter(long, PlaneBuffer)} for touched planes {@code first, first + 1, ...,
     * first + planes.length - 1} ({@code planes[j]} is plane {@code first + j}), copied band of rows by
     * band of rows across all of them. Same result as scattering each in turn; faster when the
     * planes are interleaved in the result (the key axes after the plane axes, as in JPkl's
     * {@code (h, w, ...)} layout), where one plane's scatter alone touches every cache line of the
     * result.
     *
     * @throws IllegalArgumentException if a plane's spec differs from {@link #planeSpec()}
     */
    public void scatter(long first, PlaneBuffer[] planes) {
        scatterRows(first, planes, 0, planeCounts[0]);
    }

    /**
     * How many rows of each plane the selection takes: the rows {@link #scatterRows} numbers.
     *
     * @throws IllegalStateException if a plane is larger than one Java array
     */
    public int selectedRows() {
        wholePlanes();
        return planeCounts[0];
    }

    /**
     * As {@link #scatter(long, PlaneBuffer[])}, only the selected rows {@code [fromRow, toRow)} of
     * the planes (numbered {@code 0 .. selectedRows() - 1} in result order). Concurrent calls for
     * disjoint row ranges write disjoint elements: threads that decoded interleaved planes can then
     * scatter them row range by row range instead of plane by plane, so they never write the same
     * cache lines at once (neighbouring planes' samples are neighbouring bytes of the result).
     *
     * @throws IllegalArgumentException if a plane's spec differs from {@link #planeSpec()}
     * @throws IndexOutOfBoundsException if the rows are not within {@code [0, selectedRows()]}
     */
    public void scatterRows(long first, PlaneBuffer[] planes, int fromRow, int toRow) {
        wholePlanes();
        if (fromRow < 0 || toRow < fromRow || toRow > planeCounts[0]) {
            throw new IndexOutOfBoundsException("rows [" + fromRow + ", " + toRow + ") are not within the " + planeCounts[0]
                    + " selected rows");
        }
        int n = planes.length;
        Object[] srcs = new Object[n];
        int[] srcOffsets = new int[n];
        Object[] dsts = new Object[n];
        int[] dstOffsets = new int[n];
        for (int j = 0; j < n; j++) {
            checkTouched(first + j);
            if (!planes[j].spec().equals(planeSpec)) {
                throw new IllegalArgumentException("plane is " + planes[j].spec() + ", expected " + planeSpec);
            }
            srcs[j] = planes[j].array();
            srcOffsets[j] = planes[j].offset() + planeSrcOffset + fromRow * planeSrcStrides[0];
            dsts[j] = result;
            dstOffsets[j] = resultOffset(first + j) + fromRow * planeDstStrides[0];
        }
        int[] counts = planeCounts.clone();
        counts[0] = toRow - fromRow;
        StridedCopy.copyBanded(srcs, srcOffsets, planeSrcStrides, dsts, dstOffsets, planeDstStrides, counts, dtype.byteSize());
    }

    /** Where the {@code i}-th touched plane's first selected element goes in the result. */
    private int resultOffset(long i) {
        long rest = i;
        int dst = 0;
        for (int k = keyAxes.length - 1; k >= 0; k--) {
            int j = (int) (rest % touchedKeyCounts[k]);
            rest /= touchedKeyCounts[k];
            dst += j * resultStrides[keyAxes[k]];
        }
        return dst;
    }

    /**
     * Whether every touched plane lands whole and contiguous in the result (the selection takes
     * all rows, columns and samples in order, and the plane axes are the result's last ones), so a
     * decoder can write straight into {@link #directTarget(long)} with no intermediate copy.
     */
    public boolean planesAreContiguousInResult() {
        if (planeSpec == null) {
            return false;
        }
        int samples = planeSpec.channels().samplesPerPixel();
        int w = planeSpec.width();
        int[] whole = planeCounts.length == 3 ? new int[] {planeSpec.height(), w, samples} : new int[] {planeSpec.height(), w};
        int[] dense = planeCounts.length == 3 ? new int[] {w * samples, samples, 1} : new int[] {w, 1};
        return planeSrcOffset == 0 && java.util.Arrays.equals(planeCounts, whole) && java.util.Arrays.equals(planeDstStrides, dense)
                && java.util.Arrays.equals(planeSrcStrides, dense);
    }

    /**
     * The region of the result where the {@code i}-th touched plane goes, as a plane buffer to decode
     * into; only valid when {@link #planesAreContiguousInResult()}. Decoding into it replaces
     * {@link #scatter}.
     *
     * @throws IllegalStateException if the planes are not contiguous in the result
     */
    public PlaneBuffer directTarget(long i) {
        checkTouched(i);
        if (!planesAreContiguousInResult()) {
            throw new IllegalStateException("planes are not contiguous in the result of " + selection);
        }
        return PlaneBuffer.wrap(planeSpec, result, resultOffset(i));
    }

    /**
     * The tile rows of {@code grid} that the selection touches, ascending: only these need decoding.
     * Costs at most the number of selected rows (less when the step is below the tile height).
     */
    public int[] touchedTileRows(TileGrid grid) {
        return touchedTiles(yAxis, grid.tileHeight());
    }

    /** The tile columns of {@code grid} that the selection touches, ascending. */
    public int[] touchedTileColumns(TileGrid grid) {
        return touchedTiles(xAxis, grid.tileWidth());
    }

    private int[] touchedTiles(int axis, int tileSide) {
        int n = selection.count(axis);
        if (n == 0 || touchedCount == 0) {
            return new int[0];
        }
        long a = selection.position(axis, 0);
        long b = selection.position(axis, n - 1);
        long lo = Math.min(a, b);
        long hi = Math.max(a, b);
        if (n == 1 || Math.abs(selection.step(axis)) < tileSide) {
            int first = (int) (lo / tileSide);
            int last = (int) (hi / tileSide);
            int[] tiles = new int[last - first + 1];
            for (int t = 0; t < tiles.length; t++) {
                tiles[t] = first + t;
            }
            return tiles;
        }
        // a step of at least one tile: every selected position lies in its own tile
        int[] tiles = new int[n];
        for (int i = 0; i < n; i++) {
            tiles[i] = (int) (selection.position(axis, i) / tileSide);
        }
        java.util.Arrays.sort(tiles);
        return tiles;
    }

    /**
     * Copies the selected part of one decoded tile of the {@code i}-th touched plane into the result:
     * the tile at ({@code row}, {@code column}) of {@code grid}, whose buffer holds exactly that tile
     * (spec {@code dtype, grid.heightOf(row) x grid.widthOf(column)}). Tiles the selection does not
     * touch copy nothing. Concurrent calls for distinct tiles or planes write disjoint elements.
     *
     * @throws IllegalArgumentException if the tile's spec does not match the grid position
     */
    public void scatterTile(long i, TileGrid grid, int row, int column, PlaneBuffer tile) {
        checkTouched(i);
        int y0 = grid.y0(row);
        int x0 = grid.x0(column);
        int h = grid.heightOf(row);
        int w = grid.widthOf(column);
        PlaneSpec expected = new PlaneSpec(dtype, h, w, channels);
        if (!tile.spec().equals(expected)) {
            throw new IllegalArgumentException("tile (" + row + ", " + column + ") is " + tile.spec() + ", expected " + expected);
        }
        int[] ys = selectedWithin(yAxis, y0, y0 + h - 1);
        int[] xs = selectedWithin(xAxis, x0, x0 + w - 1);
        if (ys[1] == 0 || xs[1] == 0) {
            return;
        }
        int samples = channels.samplesPerPixel();
        int rowStride = w * samples;
        boolean rgb = channelAxis >= 0;
        int srcOffset = (int) ((selection.position(yAxis, ys[0]) - y0) * rowStride
                + (selection.position(xAxis, xs[0]) - x0) * samples) + (rgb ? selection.elementOffset(channelAxis, 1) : 0);
        int[] srcStrides = rgb
                ? new int[] {strideWithin(yAxis, ys[1], rowStride), strideWithin(xAxis, xs[1], samples),
                        selection.elementStride(channelAxis, 1)}
                : new int[] {strideWithin(yAxis, ys[1], rowStride), strideWithin(xAxis, xs[1], 1)};
        int[] counts = planeCounts.clone();
        counts[0] = ys[1];
        counts[1] = xs[1];
        int dstOffset = resultOffset(i) + ys[0] * resultStrides[yAxis] + xs[0] * resultStrides[xAxis];
        StridedCopy.copy(tile.array(), tile.offset() + srcOffset, srcStrides, result, dstOffset, planeDstStrides, counts);
    }

    /** The distance between selected positions inside one tile: the step times the unit (fits: |step| < tile side when count > 1). */
    private int strideWithin(int axis, int count, int unit) {
        return count <= 1 ? unit : Math.toIntExact(selection.step(axis) * unit);
    }

    /**
     * The selected positions along an axis that lie in {@code [lo, hi]}: {@code {first index, count}}
     * (positions are monotonic in the index, so they form one run).
     */
    private int[] selectedWithin(int axis, long lo, long hi) {
        int n = selection.count(axis);
        long s = selection.position(axis, 0);
        long step = n <= 1 ? 1 : selection.step(axis);
        long first;
        long last;
        if (step > 0) {
            first = ceilDiv(lo - s, step);
            last = Math.floorDiv(hi - s, step);
        } else {
            first = ceilDiv(s - hi, -step);
            last = Math.floorDiv(s - lo, -step);
        }
        first = Math.max(first, 0);
        last = Math.min(last, n - 1L);
        return last < first ? new int[] {0, 0} : new int[] {(int) first, (int) (last - first + 1)};
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** The assembled result, once every touched plane has been scattered. Call once. */
    public NdArray result() {
        return NdArray.wrap(result, dtype, selection.resultShape());
    }

    private void checkTouched(long i) {
        if (i < 0 || i >= touchedCount) {
            throw new IndexOutOfBoundsException("touched plane " + i + " is out of range [0, " + touchedCount + ")");
        }
    }
}
