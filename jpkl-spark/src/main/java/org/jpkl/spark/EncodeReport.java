package org.jpkl.spark;

/**
 * What a distributed encode did.
 *
 * @param slices planes encoded
 * @param tasks Spark tasks (shards), one per range of slices
 * @param chunks encoded chunks written (one per plane, per tile when tiled, plus the levels')
 * @param encodedBytes the chunks' bytes (the container adds its header, index and footer)
 * @param seconds wall time from the driver's first step to the published container
 */
public record EncodeReport(long slices, int tasks, long chunks, long encodedBytes, double seconds) {
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d slices in %d tasks: %d chunks, %d encoded bytes, %.2f s", slices, tasks, chunks,
                encodedBytes, seconds);
    }
}
