package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** How {@link ParallelSlices} hands out items: guided chunks in whole groups, every item exactly once. */
class ParallelSlicesTest {
    /**
     * The peer stack's full decode on 2 threads (400 planes, groups of 8): chunks of the remaining
     * planes over 4, in whole groups, down to one group, so the threads end within about one group
     * of each other (fixed chunks were 50 planes).
     */
    @Test
    void guidedChunksShrinkInWholeGroups() {
        List<Long> sizes = new ArrayList<>();
        for (long first = 0; first < 400; ) {
            long size = Math.min(400 - first, ParallelSlices.guidedChunk(400 - first, 2, 8));
            sizes.add(size);
            first += size;
        }
        assertEquals(List.of(104L, 80L, 56L, 40L, 32L, 24L, 16L, 16L, 8L, 8L, 8L, 8L), sizes);
        assertEquals(1, ParallelSlices.guidedChunk(1, 4, 1));
        assertEquals(3, ParallelSlices.guidedChunk(17, 3, 1));
    }

    /**
     * On 2 threads the caller claims from the front and the helper from the back, so the caller's
     * items are a prefix and the helper's the rest, split on a whole group: the two never scatter
     * neighbouring planes (the same cache lines of the result) until they meet.
     */
    @Test
    void theCallerWorksFromTheFrontAndTheHelperFromTheBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Thread caller = Thread.currentThread();
            boolean[] byCaller = new boolean[203];
            boolean[] done = new boolean[203];
            ParallelSlices.run(203, 8, 2, pool, null, () -> new ParallelSlices.Worker() {
                @Override
                public void process(long item) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    synchronized (done) {
                        done[Math.toIntExact(item)] = true;
                        byCaller[Math.toIntExact(item)] = Thread.currentThread() == caller;
                    }
                }

                @Override
                public void close() {
                }
            });
            int split = 0;
            while (split < 203 && byCaller[split]) {
                split++;
            }
            for (int i = 0; i < 203; i++) {
                assertEquals(true, done[i], "item " + i);
                assertEquals(i < split, byCaller[i], "item " + i + " (the caller's items end at " + split + ")");
            }
            assertEquals(true, split % 8 == 0 || split == 203, "split " + split + " on a whole group (or no helper ran)");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void everyItemIsProcessedOnceInGroupedRuns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int count : new int[] {1, 7, 8, 9, 400, 1001}) {
                int[] seen = new int[count];
                ParallelSlices.run(count, 8, 4, pool, null, () -> new ParallelSlices.Worker() {
                    @Override
                    public void process(long item) {
                        synchronized (seen) {
                            seen[Math.toIntExact(item)]++;
                        }
                    }

                    @Override
                    public void close() {
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, seen[i], "item " + i + " of " + count);
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
