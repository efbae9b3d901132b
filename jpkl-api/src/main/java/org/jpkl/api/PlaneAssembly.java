package org.jpkl.api;

import java.util.Objects;

/**
 * Assembles the result of a selection from whole planes: it lists the planes the selection touches
 * and copies the selected rows, columns and samples of each decoded plane to their place in one
 * result array. This is the heart of a lazy {@code get}: only the listed planes need decoding.
 *
 * <p>Usage: for each {@code i} in {@code [0, touchedCount())}, decode plane
 * {@link #sliceNumber(long) sliceNumber(i)} and pass it to {@link #scatter(long, PlaneBuffer)};
 * then call {@link #result()}.
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
    private final Object result;

    /**
     * Plans a selection over an array of the given shape, dtype and plane layout.
     *
     * @throws IllegalArgumentException if the result does not fit in one array
     */
    public PlaneAssembly(Selection selection, DType dtype, PlaneLayout layout) {
        this.selection = Objects.requireNonNull(selection, "selection");
        int[] shape = selection.sourceShape();
        this.keys = new KeySpace(shape, layout);
        selection.checkFitsInArray();
        int y = layout.yAxis();
        int x = layout.xAxis();
        this.planeSpec = new PlaneSpec(dtype, shape[y], shape[x], layout.channels());
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
        int rowStride = planeSpec.width() * samples;
        boolean rgb = layout.channelAxis().isPresent();
        int c = rgb ? layout.channelAxis().getAsInt() : -1;
        this.planeCounts = rgb
                ? new int[] {selection.count(y), selection.count(x), selection.count(c)}
                : new int[] {selection.count(y), selection.count(x)};
        this.planeSrcStrides = rgb
                ? new int[] {selection.elementStride(y, rowStride), selection.elementStride(x, samples), selection.elementStride(c, 1)}
                : new int[] {selection.elementStride(y, rowStride), selection.elementStride(x, 1)};
        this.planeDstStrides = rgb
                ? new int[] {resultStrides[y], resultStrides[x], resultStrides[c]}
                : new int[] {resultStrides[y], resultStrides[x]};
        this.planeSrcOffset = Math.toIntExact((long) selection.elementOffset(y, rowStride) + selection.elementOffset(x, samples)
                + (rgb ? selection.elementOffset(c, 1) : 0));
        this.result = dtype.newStorage(Math.toIntExact(selection.resultSize()));
    }

    /** The selection being assembled. */
    public Selection selection() {
        return selection;
    }

    /** The array's key space (slice numbering). */
    public KeySpace keySpace() {
        return keys;
    }

    /** Shape and dtype of every plane of the source array. */
    public PlaneSpec planeSpec() {
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
        if (!plane.spec().equals(planeSpec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + ", expected " + planeSpec);
        }
        StridedCopy.copy(plane.array(), plane.offset() + planeSrcOffset, planeSrcStrides, result, resultOffset(i),
                planeDstStrides, planeCounts);
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

    /** The assembled result, once every touched plane has been scattered. Call once. */
    public NdArray result() {
        return NdArray.wrap(result, planeSpec.dtype(), selection.resultShape());
    }

    private void checkTouched(long i) {
        if (i < 0 || i >= touchedCount) {
            throw new IndexOutOfBoundsException("touched plane " + i + " is out of range [0, " + touchedCount + ")");
        }
    }
}
