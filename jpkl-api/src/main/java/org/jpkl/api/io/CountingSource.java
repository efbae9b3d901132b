package org.jpkl.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source that counts the reads and bytes passing through it, to show what an operation reads
 * (opening a container, one {@code get}): for diagnostics, benchmarks and tests. The first
 * {@value #MAX_RECORDED_READS} reads are also recorded as {@code {position, length}}, and so are
 * the first ranges announced by {@link #willRead} (which is passed on to the wrapped source), so
 * memory stays bounded however long the source is used.
 *
 * <p>Thread safety: as the wrapped source; the counters are atomic and the record is synchronized.
 * Closing closes the wrapped source.
 */
public final class CountingSource implements RandomAccessSource {
    /** How many reads {@link #regions()} records at most. */
    public static final int MAX_RECORDED_READS = 10_000;

    private final RandomAccessSource delegate;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final List<long[]> regions = new ArrayList<>();
    private final List<long[]> announced = new ArrayList<>();

    /** Counts the reads of {@code delegate}, which it owns from now on. */
    public CountingSource(RandomAccessSource delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return bytes.get();
    }

    /** Calls of {@link #readFully} so far. */
    public long reads() {
        return reads.get();
    }

    /** The first {@value #MAX_RECORDED_READS} reads as {@code {position, length}}, in order; a copy. */
    public List<long[]> regions() {
        synchronized (regions) {
            List<long[]> copy = new ArrayList<>(regions.size());
            regions.forEach(r -> copy.add(r.clone()));
            return copy;
        }
    }

    /** The first {@value #MAX_RECORDED_READS} ranges announced by {@link #willRead} as {@code {position, length}}, in order; a copy. */
    public List<long[]> announced() {
        synchronized (announced) {
            List<long[]> copy = new ArrayList<>(announced.size());
            announced.forEach(r -> copy.add(r.clone()));
            return copy;
        }
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        delegate.readFully(position, dst);
        bytes.addAndGet(n);
        reads.incrementAndGet();
        synchronized (regions) {
            if (regions.size() < MAX_RECORDED_READS) {
                regions.add(new long[] {position, n});
            }
        }
    }

    /** Records the ranges and passes the hint on to the wrapped source. */
    @Override
    public void willRead(long[] positions, long[] lengths) {
        RandomAccessSource.super.willRead(positions, lengths);
        synchronized (announced) {
            for (int i = 0; i < positions.length && announced.size() < MAX_RECORDED_READS; i++) {
                announced.add(new long[] {positions[i], lengths[i]});
            }
        }
        delegate.willRead(positions, lengths);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public String toString() {
        return "CountingSource[" + delegate.name() + ": " + reads() + " reads, " + bytesRead() + " bytes]";
    }
}
