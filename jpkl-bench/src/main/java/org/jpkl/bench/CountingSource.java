package org.jpkl.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jpkl.api.io.RandomAccessSource;

/**
 * A source that counts the bytes and reads passing through it, to show what opening a container
 * reads.
 *
 * <p>Thread safety: as the wrapped source; the counters are atomic.
 */
final class CountingSource implements RandomAccessSource {
    private final RandomAccessSource delegate;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final List<long[]> regions = Collections.synchronizedList(new ArrayList<>());

    CountingSource(RandomAccessSource delegate) {
        this.delegate = delegate;
    }

    long bytesRead() {
        return bytes.get();
    }

    long reads() {
        return reads.get();
    }

    /** Each read as {position, length}, in order. */
    List<long[]> regions() {
        synchronized (regions) {
            return new ArrayList<>(regions);
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
        regions.add(new long[] {position, n});
        reads.incrementAndGet();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
