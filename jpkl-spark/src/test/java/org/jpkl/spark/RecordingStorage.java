package org.jpkl.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.TaskContext;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.StorageProvider;
import org.jpkl.api.spi.support.RemoteObjectSource;

/**
 * A storage provider for tests that wraps a remote one and records, when each source it opened is
 * closed, which Spark partition read it (-1 outside a task), the HTTP requests and bytes the remote
 * source fetched, and the ranges read from it. local[N] runs the tasks in the tests' JVM, so the
 * record ({@link #READS}) is shared by the test and its tasks.
 */
final class RecordingStorage implements StorageProvider {
    /** One source's reads. */
    record Read(int partition, String uri, long requests, long bytesFetched, List<long[]> regions) {
    }

    /** What the sources recorded, in the order they were closed. */
    static final Queue<Read> READS = new ConcurrentLinkedQueue<>();

    private final StorageProvider delegate;

    RecordingStorage(StorageProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public Set<String> schemes() {
        return delegate.schemes();
    }

    @Override
    public Set<String> optionKeys() {
        return delegate.optionKeys();
    }

    @Override
    public boolean canList() {
        return delegate.canList();
    }

    @Override
    public List<URI> list(URI folder, ProviderOptions options) throws IOException {
        return delegate.list(folder, options);
    }

    @Override
    public RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException {
        RemoteObjectSource remote = (RemoteObjectSource) delegate.openSource(uri, options);
        CountingSource counted = new CountingSource(remote);
        TaskContext task = TaskContext.get();
        int partition = task == null ? -1 : task.partitionId();
        return new RandomAccessSource() {
            @Override
            public String name() {
                return counted.name();
            }

            @Override
            public long size() throws IOException {
                return counted.size();
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws IOException {
                counted.readFully(position, dst);
            }

            @Override
            public void close() throws IOException {
                READS.add(new Read(partition, uri.toString(), remote.requests(), remote.bytesFetched(), counted.regions()));
                counted.close();
            }
        };
    }
}
