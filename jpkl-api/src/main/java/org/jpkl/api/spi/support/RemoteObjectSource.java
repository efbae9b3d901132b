package org.jpkl.api.spi.support;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jpkl.api.io.ObjectChangedException;
import org.jpkl.api.io.RandomAccessSource;

/**
 * A {@link RandomAccessSource} over an object reached by ranged requests (an HTTP resource, an S3
 * object): a subclass implements one ranged {@link #fetch}; this class does everything around it.
 *
 * <ul>
 *   <li><b>First request.</b> {@link #connect()} fetches {@code [0, headBytes)} (1 KiB by default),
 *       which tells the object's size and version and holds the preamble and header of a container;
 *       those bytes are kept, so reads inside them cost no request, and a read starting inside them
 *       fetches only the rest.</li>
 *   <li><b>One version.</b> The size and version tag (ETag, version id) of the first response are
 *       pinned: every later fetch receives them ({@code If-Match} for HTTP) and its answer is checked
 *       against them, so an object replaced, shortened or removed while open fails with an
 *       {@link ObjectChangedException} rather than mixing two versions.</li>
 *   <li><b>Retries.</b> A failure the subclass calls retriable ({@link RetriableException}, or a
 *       timeout, refused connection or reset) is repeated after an exponential backoff with jitter,
 *       bounded by {@link RemoteSettings#retries()} and {@link RemoteSettings#retryTimeMillis()};
 *       other failures (403, 404, 412) are thrown at once. The final error names the object and the
 *       attempts made.</li>
 *   <li><b>Counts.</b> {@link #requests()}, {@link #bytesFetched()} and {@link #retries()}, for tests
 *       and benchmarks.</li>
 *   <li><b>Several ranges.</b> {@link #readRanges} fetches nearby ranges in one request; after
 *       {@link #willRead} (the hint a container reader gives before a {@code get} reads several
 *       slices) the first read that falls in a group of nearby announced ranges fetches the whole
 *       group in one request, and the group's other reads are served from it, on whatever thread; a
 *       thread that would wait for another's fetch fetches the next group meanwhile.</li>
 * </ul>
 *
 * <p>Subclass contract: the constructor does no I/O and ends by calling {@link #connect()} (or a
 * factory calls it); {@link #fetch} throws {@link FileNotFoundException} for a missing object
 * ({@link #notFound}), {@link RetriableException} for a failure worth repeating, and a plain
 * {@link IOException} naming the object and the status for the others (403: {@link #forbidden});
 * a precondition failure (412) is an {@link ObjectChangedException} ({@link #changed}).
 *
 * <p>Thread safety: reads may run concurrently (each is its own request); after {@link #close()}
 * every read throws {@link ClosedChannelException}.
 */
public abstract class RemoteObjectSource implements RandomAccessSource {

    /**
     * What a response tells about the object.
     *
     * @param size the object's total size in bytes ({@code >= 0})
     * @param version its version tag (ETag, version id...), or null when the store gives none
     */
    public record ObjectInfo(long size, String version) {
        /** Checks the size. */
        public ObjectInfo {
            if (size < 0) {
                throw new IllegalArgumentException("object size (" + size + ") must be >= 0");
            }
        }
    }

    /** A failure worth repeating: 5xx, throttling (429, SlowDown), a timeout, a reset connection. */
    public static class RetriableException extends IOException {
        private static final long serialVersionUID = 1L;

        /** With a message naming the object and the status. */
        public RetriableException(String message) {
            super(message);
        }

        /** With a message naming the object and the status, and the cause. */
        public RetriableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI uri;
    private final String name;
    private final RemoteSettings settings;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile ObjectInfo pinned;
    private volatile ByteBuffer head;
    private volatile boolean closed;
    /** Groups of announced nearby ranges ({@link #willRead}) by start position, each fetched once when first read. */
    private final ConcurrentSkipListMap<Long, Group> planned = new ConcurrentSkipListMap<>();
    private final AtomicLong plannedBytes = new AtomicLong();
    private final AtomicLong prefetches = new AtomicLong();

    /** Announced ranges closer than this are fetched together (the bytes between are fetched and dropped). */
    static final long MERGE_GAP_BYTES = 64 << 10;
    /** A group fetched in one request is at most this long ... */
    static final int MAX_GROUP_BYTES = 8 << 20;
    /** ... and, so that several threads still fetch in parallel, at most an eighth of the announced bytes, but at least this. */
    static final int MIN_GROUP_BYTES = 256 << 10;
    /** Announced groups held at most; older ones are dropped when new ones would exceed it. */
    static final long MAX_PLANNED_BYTES = 256L << 20;

    /**
     * No I/O: the subclass's constructor calls {@link #connect()} when it is ready.
     *
     * @param uri the object (used in messages without its user info and query)
     */
    protected RemoteObjectSource(URI uri, RemoteSettings settings) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.name = displayName(uri);
    }

    /**
     * Fetches {@code [position, position + dst.remaining())} of the object into {@code dst}, or up to
     * its end when it is shorter: exactly {@code min(dst.remaining(), size - position)} bytes
     * (none when {@code position >= size}). {@code dst.remaining()} is at least 1.
     *
     * @param pinned null for the first request; afterwards what the first response said, which the
     *     request must be conditional on (HTTP {@code If-Match: version})
     * @return what this response says about the object
     * @throws FileNotFoundException if there is no such object
     * @throws RetriableException if the request may succeed when repeated
     * @throws ObjectChangedException if the store refuses the pinned version (HTTP 412)
     * @throws IOException for any other failure, naming the object and the status
     */
    protected abstract ObjectInfo fetch(long position, ByteBuffer dst, ObjectInfo pinned) throws IOException;

    /** Releases the subclass's connections; called once by {@link #close()}. Nothing by default. */
    protected void closeTransport() throws IOException {
    }

    /**
     * Makes the first request and pins the object's size and version.
     *
     * @throws IllegalStateException if called twice
     */
    protected final void connect() throws IOException {
        if (pinned != null) {
            throw new IllegalStateException(name + " is already connected");
        }
        ByteBuffer first = ByteBuffer.allocate(settings.headBytes());
        ObjectInfo info = withRetries(0, first, null);
        first.flip();
        if (first.remaining() != Math.min(settings.headBytes(), info.size())) {
            throw new IOException(name + ": the first response carried " + first.remaining() + " bytes for range [0, "
                    + settings.headBytes() + ") of an object of " + info.size() + " bytes");
        }
        head = first.asReadOnlyBuffer();
        pinned = info;
    }

    /** The object, as given. */
    public final URI uri() {
        return uri;
    }

    /** The settings this source reads with. */
    public final RemoteSettings settings() {
        return settings;
    }

    /** The object's URI without user info or query. */
    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long size() throws IOException {
        ensureOpen();
        return info().size();
    }

    /** The version tag pinned at open (ETag, version id...), or null when the store gave none. */
    public final String version() {
        return info().version();
    }

    /** Requests made so far (every attempt, the first request and retries included). */
    public final long requests() {
        return requests.get();
    }

    /** Bytes received so far by successful fetches. */
    public final long bytesFetched() {
        return bytes.get();
    }

    /**
     * Announced groups fetched ahead so far: by a thread that needed a group another thread was
     * fetching, and fetched the next one meanwhile ({@link #willRead}).
     */
    public final long prefetches() {
        return prefetches.get();
    }

    /** Attempts repeated after a retriable failure so far. */
    public final long retries() {
        return retries.get();
    }

    @Override
    public final void readFully(long position, ByteBuffer dst) throws IOException {
        ensureOpen();
        ObjectInfo info = checkRange(position, dst.remaining());
        ByteBuffer cached = head;
        if (position < cached.capacity() && dst.hasRemaining()) {
            ByteBuffer part = cached.duplicate();
            // position < capacity, so both fit an int
            part.position(Math.toIntExact(position)).limit(Math.toIntExact(Math.min(cached.capacity(), position + dst.remaining())));
            position += part.remaining();
            dst.put(part);
        }
        if (dst.hasRemaining() && (planned.isEmpty() || !readPlanned(position, dst, info))) {
            fetchChecked(position, dst, info);
        }
    }

    /**
     * Groups announced ranges at most {@link #MERGE_GAP_BYTES} apart into requests of at most
     * {@code min(MAX_GROUP_BYTES, max(MIN_GROUP_BYTES, announced / 8))} bytes; a group of one range is
     * not kept (that read is a request of its own anyway). The first {@link #readFully} inside a group
     * fetches it whole; a thread that needs a group another thread is fetching first fetches the next
     * group no thread has started (so two threads keep two requests going instead of one waiting for
     * the other: {@link #prefetches()}), then waits. The group is dropped once each of its ranges was read (or when later
     * announcements need the room, at most {@link #MAX_PLANNED_BYTES} being held).
     */
    @Override
    public final void willRead(long[] positions, long[] lengths) {
        RandomAccessSource.super.willRead(positions, lengths);
        ObjectInfo info = pinned;
        if (closed || info == null || positions.length < 2) {
            return;
        }
        long headEnd = head.capacity();
        // the part of each range past the cached head (reads serve the rest from the head)
        long[] from = new long[positions.length];
        long[] to = new long[positions.length];
        Integer[] order = new Integer[positions.length];
        int n = 0;
        long announced = 0;
        for (int i = 0; i < positions.length; i++) {
            long start = Math.max(positions[i], headEnd);
            if (positions[i] >= 0 && lengths[i] > 0 && lengths[i] <= MAX_GROUP_BYTES && positions[i] <= info.size() - lengths[i]
                    && start < positions[i] + lengths[i]) {
                from[i] = start;
                to[i] = positions[i] + lengths[i];
                order[n++] = i;
                announced += to[i] - from[i];
            }
        }
        Integer[] valid = Arrays.copyOf(order, n);
        Arrays.sort(valid, Comparator.comparingLong(i -> from[i]));
        long maxGroup = Math.min(MAX_GROUP_BYTES, Math.max(MIN_GROUP_BYTES, announced / 8));
        int i = 0;
        while (i < valid.length) {
            long start = from[valid[i]];
            long end = to[valid[i]];
            int j = i + 1;
            while (j < valid.length) {
                long next = from[valid[j]];
                long nextEnd = Math.max(end, to[valid[j]]);
                if (next - end > MERGE_GAP_BYTES || nextEnd - start > maxGroup) {
                    break;
                }
                end = nextEnd;
                j++;
            }
            if (j - i > 1) {
                int length = Math.toIntExact(end - start); // at most MAX_GROUP_BYTES
                if (plannedBytes.get() + length > MAX_PLANNED_BYTES) {
                    dropPlanned();
                }
                if (planned.putIfAbsent(start, new Group(start, length, j - i)) == null) {
                    plannedBytes.addAndGet(length);
                }
            }
            i = j;
        }
    }

    /** Drops every announced group (reads then fetch their own ranges). */
    private void dropPlanned() {
        for (Map.Entry<Long, Group> e : planned.entrySet()) {
            if (planned.remove(e.getKey(), e.getValue())) {
                plannedBytes.addAndGet(-e.getValue().length);
            }
        }
    }

    /**
     * Serves {@code [position, position + dst.remaining())} from an announced group holding it,
     * fetching the group first if no thread has; false when no group holds it.
     */
    private boolean readPlanned(long position, ByteBuffer dst, ObjectInfo info) throws IOException {
        Map.Entry<Long, Group> e = planned.floorEntry(position);
        if (e == null) {
            return false;
        }
        Group g = e.getValue();
        if (position + dst.remaining() > g.start + g.length) {
            return false;
        }
        ByteBuffer bytes;
        try {
            bytes = g.bytes(info);
        } catch (IOException failed) {
            if (planned.remove(g.start, g)) {
                plannedBytes.addAndGet(-g.length);
            }
            throw failed;
        }
        ByteBuffer part = bytes.duplicate();
        part.position(Math.toIntExact(position - g.start)).limit(Math.toIntExact(position - g.start + dst.remaining()));
        dst.put(part);
        if (g.readOne() && planned.remove(g.start, g)) {
            plannedBytes.addAndGet(-g.length);
        }
        return true;
    }

    /**
     * Fetches the first announced group after {@code after} that no thread has started, if any: what
     * a thread does instead of idling while another thread fetches the group it needs. Each of those
     * groups will be read (they were announced), so the request is not wasted; a failure leaves the
     * group unfetched, and the thread that reads it fetches it again and gets any lasting error.
     */
    private void prefetchAfter(long after, ObjectInfo info) {
        for (Map.Entry<Long, Group> e = planned.higherEntry(after); e != null; e = planned.higherEntry(e.getKey())) {
            Group next = e.getValue();
            if (next.claim()) {
                try {
                    next.fetch(info);
                    prefetches.incrementAndGet();
                } catch (IOException ignored) {
                    // unclaimed again by fetch: read later, with the error if it lasts
                }
                return;
            }
        }
    }

    /**
     * Nearby announced ranges fetched in one request by the first thread that reads one of them (or
     * ahead of time, by a thread that would otherwise wait for another's fetch: {@link #prefetchAfter}).
     */
    private final class Group {
        final long start;
        final int length;
        private int unread;
        private ByteBuffer bytes;
        /** A thread is fetching the group. */
        private boolean fetching;

        Group(long start, int length, int ranges) {
            this.start = start;
            this.length = length;
            this.unread = ranges;
        }

        /** Takes the fetch on: true when no thread has fetched or is fetching the group. */
        synchronized boolean claim() {
            if (bytes != null || fetching) {
                return false;
            }
            fetching = true;
            return true;
        }

        /** Fetches the claimed group, outside the lock so that readers of other groups are not held up. */
        void fetch(ObjectInfo info) throws IOException {
            ByteBuffer fetched = null;
            try {
                ByteBuffer b = ByteBuffer.allocate(length);
                fetchChecked(start, b, info);
                fetched = b.flip();
            } finally {
                synchronized (this) {
                    bytes = fetched;
                    fetching = false;
                    notifyAll();
                }
            }
        }

        /**
         * The group's bytes: fetched by this thread when no other has started; while another thread
         * fetches them, this one first fetches the next group nobody has started ({@link #prefetchAfter}),
         * then waits. If the other thread's fetch fails, this thread tries again.
         */
        ByteBuffer bytes(ObjectInfo info) throws IOException {
            boolean helped = false;
            while (true) {
                synchronized (this) {
                    if (bytes != null) {
                        return bytes;
                    }
                    if (!fetching) {
                        fetching = true;
                        break;
                    }
                    if (helped) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException(name + ": interrupted while waiting for bytes " + start + ".."
                                    + (start + length) + " fetched by another thread");
                        }
                        continue;
                    }
                }
                prefetchAfter(start, info);
                helped = true;
            }
            fetch(info);
            synchronized (this) {
                return bytes;
            }
        }

        /** Counts one read; true when every announced range was read. */
        synchronized boolean readOne() {
            return --unread == 0;
        }
    }

    /**
     * Reads several ranges, fetching ranges at most {@code maxGap} bytes apart in one request (the
     * bytes between them are fetched and dropped) as long as a merged request stays at most
     * {@code maxMerged} bytes. Each {@code dsts[i]} receives its {@code remaining()} bytes from
     * {@code positions[i]}, as {@link #readFully}; the requests run one after another in this thread.
     *
     * @throws IllegalArgumentException if the arrays differ in length, or a gap or bound is negative
     */
    public final void readRanges(long[] positions, ByteBuffer[] dsts, long maxGap, int maxMerged) throws IOException {
        if (positions.length != dsts.length) {
            throw new IllegalArgumentException(positions.length + " positions for " + dsts.length + " buffers");
        }
        if (maxGap < 0 || maxMerged < 0) {
            throw new IllegalArgumentException("maxGap (" + maxGap + ") and maxMerged (" + maxMerged + ") must be >= 0");
        }
        ensureOpen();
        Integer[] order = new Integer[positions.length];
        for (int i = 0; i < order.length; i++) {
            checkRange(positions[i], dsts[i].remaining());
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> positions[i]));
        int i = 0;
        while (i < order.length) {
            int first = order[i];
            long start = positions[first];
            long end = start + dsts[first].remaining();
            int j = i + 1;
            while (j < order.length) {
                int next = order[j];
                long nextEnd = Math.max(end, positions[next] + dsts[next].remaining());
                if (positions[next] - end > maxGap || nextEnd - start > maxMerged) {
                    break;
                }
                end = nextEnd;
                j++;
            }
            if (j == i + 1) {
                readFully(start, dsts[first]);
            } else {
                ByteBuffer merged = ByteBuffer.allocate(Math.toIntExact(end - start));
                readFully(start, merged);
                for (int k = i; k < j; k++) {
                    int n = order[k];
                    ByteBuffer part = merged.duplicate();
                    part.position(Math.toIntExact(positions[n] - start)).limit(Math.toIntExact(positions[n] - start + dsts[n].remaining()));
                    dsts[n].put(part);
                }
            }
            i = j;
        }
    }

    @Override
    public final void close() throws IOException {
        if (!closed) {
            closed = true;
            dropPlanned();
            closeTransport();
        }
    }

    /**
     * Waits before a retry; tests may override it to record the waits instead.
     *
     * @throws InterruptedIOException if the thread is interrupted (its flag is set again)
     */
    protected void sleep(long millis) throws InterruptedIOException {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException(name + ": interrupted while waiting to retry");
            io.initCause(e);
            throw io;
        }
    }

    /**
     * Whether a failure may go away when the request is repeated: a {@link RetriableException}, a
     * socket timeout, a refused connection or a reset. Subclasses may add their client's own types.
     */
    protected boolean isRetriable(IOException e) {
        return e instanceof RetriableException || e instanceof SocketTimeoutException || e instanceof ConnectException
                || (e instanceof SocketException && !(e instanceof java.net.BindException))
                || (e instanceof EOFException && !(e instanceof ObjectChangedException));
    }

    /** {@code uri}: no such object ({@code status} e.g. {@code HTTP 404}), as a {@link FileNotFoundException}. */
    public static FileNotFoundException notFound(String name, String status) {
        return new FileNotFoundException(name + ": no such object (" + status + ")");
    }

    /** {@code uri}: access denied ({@code status} e.g. {@code HTTP 403}): check the credentials or permissions. */
    public static IOException forbidden(String name, String status) {
        return new IOException(name + ": access denied (" + status + "); check the credentials and the object's permissions");
    }

    /** The object no longer has the version pinned at open ({@code detail} says how we know). */
    public static ObjectChangedException changed(String name, String detail) {
        return new ObjectChangedException(name + ": the object changed since it was opened (" + detail
                + "); reopen it to read the new version");
    }

    /** A URI for messages: without user info (credentials) or query (signatures), with {@code ?...} if there was one. */
    public static String displayName(URI uri) {
        if (uri.isOpaque() || uri.getHost() == null) {
            String s = uri.getScheme() + ":" + (uri.getRawPath() != null ? uri.getRawPath() : uri.getRawSchemeSpecificPart());
            int q = s.indexOf('?');
            return q >= 0 ? s.substring(0, q) + "?..." : s;
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() != null ? "?..." : "");
    }

    private ObjectInfo info() {
        ObjectInfo info = pinned;
        if (info == null) {
            throw new IllegalStateException(name + " is not connected: the subclass must call connect()");
        }
        return info;
    }

    private ObjectInfo checkRange(long position, int length) throws IOException {
        ObjectInfo info = info();
        if (position < 0) {
            throw new IllegalArgumentException("position (" + position + ") must be >= 0");
        }
        if (position > info.size() - length) {
            throw new EOFException(name + ": reading " + length + " bytes at offset " + position + " passes the end ("
                    + info.size() + " bytes)");
        }
        return info;
    }

    private void fetchChecked(long position, ByteBuffer dst, ObjectInfo info) throws IOException {
        ObjectInfo now;
        try {
            now = withRetries(position, dst, info);
        } catch (FileNotFoundException e) {
            throw new ObjectChangedException(name + ": the object changed since it was opened (it was removed: "
                    + e.getMessage() + ")", e);
        }
        if (now.size() != info.size()) {
            throw changed(name, "its size is now " + now.size() + " bytes, it was " + info.size());
        }
        if (info.version() != null && now.version() != null && !info.version().equals(now.version())) {
            throw changed(name, "version " + now.version() + ", opened as " + info.version());
        }
    }

    private ObjectInfo withRetries(long position, ByteBuffer dst, ObjectInfo info) throws IOException {
        int start = dst.position();
        int expected = dst.remaining();
        long began = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            requests.incrementAndGet();
            IOException failure;
            try {
                ObjectInfo got = fetch(position, dst, info);
                int received = dst.position() - start;
                long due = Math.max(0, Math.min(expected, got.size() - position));
                if (received != due) {
                    throw new IOException(name + ": a response carried " + received + " bytes for the " + due
                            + " at offset " + position + " (object of " + got.size() + " bytes)");
                }
                bytes.addAndGet(received);
                return got;
            } catch (IOException e) {
                failure = e;
            }
            dst.position(start);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            if (!isRetriable(failure)) {
                throw failure;
            }
            long delay = backoff(attempt);
            if (attempt > settings.retries() || elapsed + delay > settings.retryTimeMillis()) {
                throw new IOException(name + ": gave up after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
                        + " in " + elapsed + " ms (at most " + (settings.retries() + 1) + (settings.retries() == 0 ? " attempt, " : " attempts, ")
                        + settings.retryTimeMillis() + " ms of retries): " + failure.getMessage(), failure);
            }
            retries.incrementAndGet();
            sleep(delay);
        }
    }

    /** The wait before retry {@code attempt} (1 = the first retry): doubling, capped, jittered down by up to half. */
    private long backoff(int attempt) {
        long full = Math.min(RemoteSettings.MAX_BACKOFF_MILLIS, settings.backoffMillis() << Math.min(attempt - 1, 20));
        long half = full / 2;
        return half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(full - half + 1));
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        ObjectInfo info = pinned;
        return getClass().getSimpleName() + "[" + name + (info == null ? ", not connected" : ", " + info.size() + " bytes, version "
                + info.version()) + ", " + requests() + " requests, " + bytesFetched() + " bytes]";
    }
}
