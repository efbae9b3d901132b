package org.jpkl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cache of decoded planes (or, for tiled containers, decoded tiles: key = container and chunk
 * number, weight = the tile's bytes) with a byte budget, shareable by any number of open containers
 * ({@code OpenOptions.builder().cache(cache)}). Scrubbing back and forth through a stack, or
 * reading the same planes with different selections, then decodes each plane once.
 *
 * <p>Guarantees: the decoded bytes held never exceed the budget, not even for an instant (a plane
 * is admitted only after least-recently-used planes have been evicted to make room for it, in one
 * step under one lock; a plane larger than the whole budget is not kept); concurrent requests for
 * one plane decode it once (the others wait for that decode and share its result); entries of a
 * container are dropped when it is closed.
 *
 * <p>Why not Guava's or Caffeine's cache: both insert a loaded value and evict afterwards, so a
 * concurrent observer can see the weight over the bound (measured here with Guava: 8.13 MB held in
 * an 8 MB cache under two threads), and a byte budget that holds strictly is the point of this
 * class. The lookups are a lock-protected access-ordered map, cheap next to a decode.
 *
 * <p>Thread safety: thread-safe.
 */
public final class SliceCache {
    private final long budgetBytes;
    private final Object lock = new Object();
    /** Access-ordered: iteration starts at the least recently used plane. Guarded by {@link #lock}. */
    private final LinkedHashMap<Key, Object> planes = new LinkedHashMap<>(64, 0.75f, true);
    /** Bytes of {@link #planes}. Guarded by {@link #lock}. */
    private long heldBytes;
    private final ConcurrentHashMap<Key, CompletableFuture<Object>> loading = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private SliceCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
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
        synchronized (lock) {
            return heldBytes;
        }
    }

    /** Planes held now. */
    public long size() {
        synchronized (lock) {
            return planes.size();
        }
    }

    /** Requests answered without decoding (from the cache, or by waiting for another thread's decode). */
    public long hits() {
        return hits.get();
    }

    /** Requests that decoded. */
    public long misses() {
        return misses.get();
    }

    /** Drops every plane. */
    public void clear() {
        synchronized (lock) {
            planes.clear();
            heldBytes = 0;
        }
    }

    /**
     * One container's share of a cache: its planes are keyed by it, and {@link #close(Owner)} drops
     * them and refuses to admit any plane of it afterwards (a decode still in flight when the
     * container closes is returned to its caller but never kept).
     */
    static final class Owner {
        private final String name;
        /** Guarded by the cache's lock. */
        private boolean closed;

        Owner(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return "SliceCache.Owner[" + name + (closed ? ", closed" : "") + "]";
        }
    }

    /** Loads one decoded plane (a primitive array) on a miss. */
    interface Loader {
        Object load() throws IOException;
    }

    /** The cached plane for (owner, slice), decoding it once if absent. The returned array must not be modified. */
    Object get(Owner owner, long sliceNumber, Loader loader) throws IOException {
        Key key = new Key(owner, sliceNumber);
        Object cached = lookup(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> theirs = loading.putIfAbsent(key, mine);
        if (theirs != null) {
            hits.incrementAndGet();
            return await(theirs);
        }
        try {
            Object again = lookup(key);
            if (again != null) {
                mine.complete(again);
                return again;
            }
            misses.incrementAndGet();
            Object loaded = loader.load();
            admit(key, loaded);
            mine.complete(loaded);
            return loaded;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    private Object lookup(Key key) {
        synchronized (lock) {
            Object v = planes.get(key);
            if (v != null) {
                hits.incrementAndGet();
            }
            return v;
        }
    }

    /** Evicts least-recently-used planes until the new one fits, then adds it; all in one locked step. */
    private void admit(Key key, Object plane) {
        long weight = weight(plane);
        if (weight > budgetBytes) {
            return;
        }
        synchronized (lock) {
            if (key.owner.closed) {
                return; // its container closed while this plane was decoded: keeping it would leak it
            }
            Iterator<Map.Entry<Key, Object>> lru = planes.entrySet().iterator();
            while (heldBytes + weight > budgetBytes && lru.hasNext()) {
                heldBytes -= weight(lru.next().getValue());
                lru.remove();
            }
            Object previous = planes.put(key, plane);
            heldBytes += weight - (previous == null ? 0 : weight(previous));
        }
    }

    private static Object await(CompletableFuture<Object> load) throws IOException {
        try {
            return load.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof UncheckedIOException) {
                throw ((UncheckedIOException) cause).getCause();
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

    /** Drops the planes of one owner (a container being closed) and admits none of its planes afterwards. */
    void close(Owner owner) {
        synchronized (lock) {
            owner.closed = true;
            Iterator<Map.Entry<Key, Object>> it = planes.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, Object> e = it.next();
                if (e.getKey().owner == owner) {
                    heldBytes -= weight(e.getValue());
                    it.remove();
                }
            }
        }
    }

    private static long weight(Object primitiveArray) {
        return (long) Array.getLength(primitiveArray) * elementBytes(primitiveArray);
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
        final Owner owner;
        final long slice;

        Key(Owner owner, long slice) {
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
