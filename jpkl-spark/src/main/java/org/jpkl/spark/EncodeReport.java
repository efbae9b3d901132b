package org.jpkl.spark;

/**
 * What a distributed encode did.
 *
 * @param slices planes encoded
 * @param tasks Spark tasks (shards), one per range of slices
 * @param chunks encoded chunks written (one per plane, per tile when tiled, plus the levels')
 * @param encodedBytes the chunks' bytes (the container adds its header, index and footer)
 * @param seconds wall time from the driver's first step to the published container
 * @param driverBytes bytes of the container that passed through the driver: when the driver writes the
 *     container from the shards, every encoded byte ({@code encodedBytes}; it also writes the header, index
 *     and footer); with the server-side assembly on S3, only what it uploaded: the index and footer, and
 *     shard bytes gathered into parts of S3's minimum size (docs/SPARK.md)
 * @param serverCopiedBytes bytes copied on the object store without passing through the driver (0 unless
 *     the container was assembled on S3)
 */
public record EncodeReport(long slices, int tasks, long chunks, long encodedBytes, double seconds, long driverBytes,
                           long serverCopiedBytes) {
    /** A report of a container the driver wrote itself: every encoded byte passed through it. */
    public EncodeReport(long slices, int tasks, long chunks, long encodedBytes, double seconds) {
        this(slices, tasks, chunks, encodedBytes, seconds, encodedBytes, 0);
    }

    /** The counts; for a container assembled on S3 also the bytes through the driver and those copied on the server. */
    @Override
    public String toString() {
        String s = String.format(java.util.Locale.ROOT, "%d slices in %d tasks: %d chunks, %d encoded bytes, %.2f s", slices, tasks, chunks,
                encodedBytes, seconds);
        boolean assembled = serverCopiedBytes > 0 || driverBytes != encodedBytes;
        return assembled ? s + "; " + driverBytes + " bytes through the driver, " + serverCopiedBytes + " copied on the server" : s;
    }
}
