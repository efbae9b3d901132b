package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneLayout;
import org.jpkl.s3.S3Assembly;
import org.junit.jupiter.api.Test;

/** The driver's placing of the tasks' objects (no Spark, no store): offsets in the container, and the checks. */
class S3ShardAssemblyTest {
    private final ContainerHeader h = Jpkl.create().newHeader(DType.UINT16, new int[] {4, 8, 8},
            WriteOptions.builder().codec("zstd").layout(PlaneLayout.of(1, 2)).build());
    private final List<Shard.Plan> plans = SparkEncoder.plan(4, 2, 7);

    private S3ShardAssembly.ShardObject shard(int p, long head, long... chunks) {
        long[] lengths = new long[chunks.length];
        int[] crcs = new int[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            lengths[i] = 5 + chunks[i];
            crcs[i] = 100 + Math.toIntExact(chunks[i]);
        }
        return new S3ShardAssembly.ShardObject(plans.get(p), "s3://b/j/part-" + p, head, chunks, lengths, crcs);
    }

    private String refusal(S3ShardAssembly.ShardObject s0, S3ShardAssembly.ShardObject s1) {
        return assertThrows(JpklFormatException.class, () -> S3ShardAssembly.place(h, plans, List.of(s0, s1), 10, new long[4],
                new long[4], new int[4], new ArrayList<>())).getMessage();
    }

    @Test
    void chunksArePlacedInPartitionOrderAsEachTaskWroteThem() throws JpklFormatException {
        long[] offsets = new long[4];
        long[] lengths = new long[4];
        int[] crcs = new int[4];
        List<S3Assembly.Piece> pieces = new ArrayList<>();
        // Task 1 wrote chunk 3 before chunk 2: the container holds them so.
        long end = S3ShardAssembly.place(h, plans, List.of(shard(0, 10, 0, 1), shard(1, 0, 3, 2)), 10, offsets, lengths, crcs, pieces);

        assertEquals(10 + 5 + 6 + 8 + 7, end);
        assertArrayEquals(new long[] {10, 15, 29, 21}, offsets);
        assertArrayEquals(new long[] {5, 6, 7, 8}, lengths);
        assertArrayEquals(new int[] {100, 101, 102, 103}, crcs);
        assertEquals(List.of(new S3Assembly.Range(URI.create("s3://b/j/part-0"), 0, 21),
                new S3Assembly.Range(URI.create("s3://b/j/part-1"), 0, 15)), pieces);
    }

    @Test
    void resultsThatDoNotMatchTheirPartitionAreRefusedByName() {
        assertEquals("s3://b/j/part-1: shard index: holds chunk " + h.describeChunk(1) + " of slice 1, outside its slices 2 to 3",
                refusal(shard(0, 10, 0, 1), shard(1, 0, 1, 2)));
        assertEquals("s3://b/j/part-1: shard index: holds chunk " + h.describeChunk(2) + " twice",
                refusal(shard(0, 10, 0, 1), shard(1, 0, 2, 2)));
        assertEquals("s3://b/j/part-1: shard object: reports 10 head bytes and 2/2/2 chunks/lengths/CRCs; expected 0 head bytes and"
                + " as many of each", refusal(shard(0, 10, 0, 1), shard(1, 10, 2, 3)));
        S3ShardAssembly.ShardObject other = new S3ShardAssembly.ShardObject(plans.get(0), "s3://b/j/part-1", 0, new long[] {2, 3},
                new long[] {1, 1}, new int[] {1, 1});
        assertEquals("s3://b/j/part-1: shard head: was written for " + plans.get(0) + "; this job expects " + plans.get(1)
                + " (a shard of another job or header)", refusal(shard(0, 10, 0, 1), other));
        assertEquals("s3://b/j/part-1: shard index: holds 1 chunks; slices 2 to 3 have 2", refusal(shard(0, 10, 0, 1), shard(1, 0, 2)));
    }
}
