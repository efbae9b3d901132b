package org.jpkl.api.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.jpkl.api.io.RandomAccessSource;

/** Wraps a source and counts the bytes and reads that pass through it, to prove laziness. Thread-safe. */
public final class CountingSource implements RandomAccessSource {
    private final RandomAccessSource delegate;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    /** Wraps {@code delegate}; closing this closes it. */
    public CountingSource(RandomAccessSource delegate) {
        this.delegate = delegate;
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return bytes.get();
    }

    /** Read calls so far. */
    public long reads() {
        return reads.get();
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
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
