package org.jpkl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;

/**
 * One reduced resolution level of an open container seen as a container of its own: its header
 * is the level's ({@link ContainerHeader#level(int)}) and its chunk {@code n} is the container's
 * chunk {@code levelChunkStart(k) + n}. Closing it leaves the container open (its array owns it).
 *
 * <p>Thread safety: as the container's reader.
 */
final class LevelReader implements ContainerReader {
    private final ContainerReader container;
    private final ContainerHeader header;
    private final long firstChunk;
    private final int level;

    LevelReader(ContainerReader container, int level) {
        this.container = container;
        this.level = level;
        this.header = container.header().level(level);
        this.firstChunk = container.header().levelChunkStart(level);
    }

    @Override
    public String name() {
        return container.name();
    }

    @Override
    public String serializerId() {
        return container.serializerId();
    }

    @Override
    public ContainerHeader header() {
        return header;
    }

    @Override
    public ByteBuffer readSlice(long sliceNumber) throws IOException {
        return container.readSlice(chunk(sliceNumber));
    }

    @Override
    public ByteBuffer readVerifiedSlice(long sliceNumber) throws IOException {
        return container.readVerifiedSlice(chunk(sliceNumber));
    }

    @Override
    public ByteBuffer readSlice(long sliceNumber, boolean verify, IntFunction<ByteBuffer> buffers) throws IOException {
        return container.readSlice(chunk(sliceNumber), verify, buffers);
    }

    @Override
    public boolean hasSliceChecksums() {
        return container.hasSliceChecksums();
    }

    @Override
    public long sliceLength(long sliceNumber) throws IOException {
        return container.sliceLength(chunk(sliceNumber));
    }

    @Override
    public long byteSize() throws IOException {
        return container.byteSize();
    }

    @Override
    public void verifyStructure() throws IOException {
        container.verifyStructure();
    }

    /** Passes the level's chunks on as the container's chunk numbers (those out of the level's range are left out). */
    @Override
    public void willRead(long[] sliceNumbers) throws IOException {
        long[] chunks = new long[sliceNumbers.length];
        int n = 0;
        for (long s : sliceNumbers) {
            if (s >= 0 && s < header.chunkCount()) {
                chunks[n++] = firstChunk + s;
            }
        }
        container.willRead(java.util.Arrays.copyOf(chunks, n));
    }

    private long chunk(long n) {
        if (n < 0 || n >= header.chunkCount()) {
            throw new IndexOutOfBoundsException("chunk number " + n + " of level " + level + " is out of range [0, "
                    + header.chunkCount() + ")");
        }
        return firstChunk + n;
    }

    /** Leaves the container open: the array of level 0 owns it. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "LevelReader[" + container + ", level " + level + "]";
    }
}
