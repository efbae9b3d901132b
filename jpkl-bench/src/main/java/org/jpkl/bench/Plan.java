package org.jpkl.bench;

/**
 * How much to measure: repetitions per section for a full run, a quick smoke run, and the
 * whole-suite warm-up pass that precedes the measured pass.
 *
 * <p>Thread safety: immutable.
 */
final class Plan {
    /** Whether rows are recorded (false in the warm-up pass). */
    final boolean measured;
    /** Whether this is the quick smoke run (fewer repetitions; same data and shapes). */
    final boolean quick;
    /** Paired repetitions of whole-stack encode and full decode (1 vs 2 threads). */
    final int stackReps;
    /** Random single-slice gets of the peer stack (one sample each). */
    final int singleGets;
    /** Random x[:, :, k, m] gets (one sample each, per thread count). */
    final int multiGets;
    /** Passes over all 400 slices comparing get with the bare decoders. */
    final int overheadPasses;
    /** Random single-slice reads from the 10,000-slice file. */
    final int randomReads;
    /** Miss/hit pairs for the cache. */
    final int cachePairs;
    /** Measured repetitions of one JPEG decode-speed figure (after {@link #decodeWarmupReps}). */
    final int decodeReps;
    final int decodeWarmupReps;
    /** Minimum seconds per decode-speed repetition (the image set is looped until reached). */
    final double decodeRepSeconds;
    /** Gets whose allocation is counted. */
    final int allocationGets;
    /** Opens of each index-size file. */
    final int opens;
    /** Whether to build and open the 100,000-slice file. */
    final boolean hugeIndex;
    /** Side of the generated square uint8 plane of the tiled-plane section (16,384 in full runs, 8,192 in quick ones). */
    final int tiledSide;
    /** Paired whole-plane decodes of the tiled-plane section (untiled 1 thread, tiled 1 and 2 threads). */
    final int tiledReps;
    /** Random 256 x 256 region gets from the tiled plane. */
    final int regionGets;
    /** Runs of a section at most, while other processes disturb it; the least disturbed one is reported. */
    final int attempts;

    private Plan(boolean measured, boolean quick, int stackReps, int singleGets, int multiGets, int overheadPasses, int randomReads,
                 int cachePairs, int decodeReps, int decodeWarmupReps, double decodeRepSeconds, int allocationGets, int opens,
                 boolean hugeIndex, int tiledSide, int tiledReps, int regionGets, int attempts) {
        this.measured = measured;
        this.quick = quick;
        this.stackReps = stackReps;
        this.singleGets = singleGets;
        this.multiGets = multiGets;
        this.overheadPasses = overheadPasses;
        this.randomReads = randomReads;
        this.cachePairs = cachePairs;
        this.decodeReps = decodeReps;
        this.decodeWarmupReps = decodeWarmupReps;
        this.decodeRepSeconds = decodeRepSeconds;
        this.allocationGets = allocationGets;
        this.opens = opens;
        this.hugeIndex = hugeIndex;
        this.tiledSide = tiledSide;
        this.tiledReps = tiledReps;
        this.regionGets = regionGets;
        this.attempts = attempts;
    }

    /** The full run: a few minutes on 2 cores. */
    static Plan full() {
        return new Plan(true, false, 9, 400, 200, 5, 600, 200, 7, 3, 0.15, 400, 15, true, 16_384, 3, 200, 3);
    }

    /** The smoke run: about half a minute; same data, fewer repetitions. */
    static Plan quick() {
        return new Plan(true, true, 2, 100, 40, 2, 150, 50, 3, 1, 0.08, 100, 5, true, 8_192, 2, 60, 1);
    }

    /** The warm-up pass before {@code measured}: every path runs long enough to be compiled; nothing is recorded. */
    static Plan warmupFor(Plan measured) {
        return measured.quick
                ? new Plan(false, true, 1, 100, 20, 1, 100, 30, 1, 1, 0.1, 50, 3, false, measured.tiledSide, 1, 20, 1)
                : new Plan(false, false, 4, 300, 60, 2, 300, 100, 1, 2, 0.3, 100, 5, false, measured.tiledSide, 1, 40, 1);
    }
}
