package org.jpkl;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.ExecutionError;
import com.google.common.util.concurrent.UncheckedExecutionException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cache of decoded planes with a byte budget, shareable by any number of open containers
 * ({@code OpenOptions.builder().cache(cache)}). Scrubbing back and forth through a stack, or
 * reading the same planes with different selections, then decodes each plane once.
 *
 * <p>Guarantees: the decoded bytes held never exceed the budget (a plane larger than the budget is
 * simply not kept); concurrent requests for one plane decode it once (the others wait for that
 * decode); least-recently-used planes are evicted first. Entries of a container are dropped when it
 * is closed.
 *
 * <p>Built on Guava's {@code Cache} with a weigher of decoded bytes: Guava bounds the weight
 * strictly (each segment evicts to its share before inserting) where Caffeine may briefly exceed
 * the bound between maintenance runs, and Guava is already one of this project's libraries. One
 * segment is used so that the whole budget is available to one large plane.
 *
 * <p>Thread safety: thread-safe.
 */
public final class SliceCache {
    private final long budgetBytes;
    private final Cache<Key, Object> planes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private SliceCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
        this.planes = CacheBuilder.newBuilder().concurrencyLevel(1).maximumWeight(budgetBytes)
                .weigher((Key k, Object v) -> weight(v)).build();
    }

    /**
     * A cache holding at most {@code budgetBytes} of decoded planes.
     *
     * @throws IllegalArgumentException if the budget is negative
     */
    public static SliceCache withBudget(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes (" + budgetBytes + ") must be >= 0");
        }
        return new SliceCache(budgetBytes);
    }

    /** The byte budget. */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** Decoded bytes held now (never above {@link #budgetBytes()}). */
    public long cachedBytes() {
        long total = 0;
        for (Object v : planes.asMap().values()) {
            total += weight(v);
        }
        return total;
    }

    /** Planes held now. */
    public long size() {
        return planes.size();
    }

    /** Requests answered from the cache so far. */
    public long hits() {
        return hits.get();
    }

    /** Requests that had to decode so far. */
    public long misses() {
        return misses.get();
    }

    /** Drops every plane. */
    public void clear() {
        planes.invalidateAll();
    }

    /** Loads one decoded plane (a primitive array) on a miss. */
    interface Loader {
        Object load() throws IOException;
    }

    /** The cached plane for (owner, slice), loading it once if absent. The returned array must not be modified. */
    Object get(Object owner, long sliceNumber, Loader loader) throws IOException {
        Key key = new Key(owner, sliceNumber);
        Object cached = planes.getIfPresent(key);
        if (cached != null) {
            hits.incrementAndGet();
            return cached;
        }
        try {
            return planes.get(key, () -> {
                misses.incrementAndGet();
                return loader.load();
            });
        } catch (ExecutionException | UncheckedExecutionException | ExecutionError e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause);
        }
    }

    /** Drops the planes of one owner (a container being closed). */
    void invalidateOwner(Object owner) {
        planes.asMap().keySet().removeIf(k -> k.owner == owner);
    }

    private static int weight(Object primitiveArray) {
        long bytes = (long) Array.getLength(primitiveArray) * elementBytes(primitiveArray);
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static int elementBytes(Object array) {
        Class<?> c = array.getClass().getComponentType();
        if (c == byte.class) {
            return 1;
        }
        if (c == short.class) {
            return 2;
        }
        if (c == int.class || c == float.class) {
            return 4;
        }
        return 8;
    }

    @Override
    public String toString() {
        return "SliceCache[" + cachedBytes() + " of " + budgetBytes + " bytes, " + size() + " planes, hits " + hits + ", misses "
                + misses + "]";
    }

    private static final class Key {
        final Object owner;
        final long slice;

        Key(Object owner, long slice) {
            this.owner = owner;
            this.slice = slice;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).owner == owner && ((Key) o).slice == slice;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(owner) + Long.hashCode(slice);
        }
    }
}
