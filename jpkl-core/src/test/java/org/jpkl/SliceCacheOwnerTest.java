package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A cache owner's lifetime: closing drops its planes, and a decode that finishes after the close is not kept. */
class SliceCacheOwnerTest {
    @Test
    void aLoadThatFinishesAfterItsOwnerClosedIsNotAdmitted() throws Exception {
        SliceCache cache = SliceCache.withBudget(1 << 20);
        SliceCache.Owner owner = new SliceCache.Owner("a.jpkl");
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        byte[] plane = new byte[1000];
        CompletableFuture<Object> get = CompletableFuture.supplyAsync(() -> {
            try {
                return cache.get(owner, 7, () -> {
                    loading.countDown();
                    try {
                        assertTrue(closed.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException("interrupted");
                    }
                    return plane;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(loading.await(10, TimeUnit.SECONDS));
        cache.close(owner);
        closed.countDown();
        assertSame(plane, get.get(10, TimeUnit.SECONDS), "the caller still gets what was decoded");
        assertEquals(0, cache.size(), "a plane of a closed owner is never kept");
        assertEquals(0, cache.cachedBytes());
    }

    @Test
    void closingOneOwnerKeepsTheOthersPlanes() throws Exception {
        SliceCache cache = SliceCache.withBudget(1 << 20);
        SliceCache.Owner a = new SliceCache.Owner("a.jpkl");
        SliceCache.Owner b = new SliceCache.Owner("b.jpkl");
        cache.get(a, 1, () -> new short[100]);
        cache.get(b, 1, () -> new short[300]);
        assertEquals(800, cache.cachedBytes());
        cache.close(a);
        assertEquals(1, cache.size());
        assertEquals(600, cache.cachedBytes());
        cache.get(a, 2, () -> new byte[10]);
        assertEquals(1, cache.size(), "a closed owner's later planes are not kept either");
        assertEquals("SliceCache.Owner[a.jpkl, closed]", a.toString());
    }
}
