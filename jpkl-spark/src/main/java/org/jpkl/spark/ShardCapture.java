package org.jpkl.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerWriter;

/**
 * A serializer standing in for the real one inside an encode task: the task's {@code JpklWriter}
 * (the very code {@code Jpkl.save} encodes with: tiles, levels, codec bounds) hands it the encoded
 * chunks, which go into the task's {@link Sink} (its {@link Shard}, or its object on S3) instead of a container. It answers as the real
 * serializer does about tiles and levels, so the header is built exactly as on the driver.
 *
 * <p>Thread safety: one task thread.
 */
final class ShardCapture implements ContainerSerializer {
    /** Called after each chunk stored in the shard (tests inject failures here). */
    interface ChunkListener {
        void chunkWritten(int chunksSoFar) throws IOException;
    }

    /** Where a task's encoded chunks go, in the order its writer produces them. */
    interface Sink {
        void write(long chunk, ByteBuffer encoded) throws IOException;

        /** How many chunks were written so far. */
        int chunks();
    }

    private final ContainerSerializer real;
    private final Sink shard;
    private final ChunkListener listener;

    ShardCapture(ContainerSerializer real, Sink shard, ChunkListener listener) {
        this.real = real;
        this.shard = shard;
        this.listener = listener;
    }

    @Override
    public String id() {
        return real.id();
    }

    @Override
    public String description() {
        return "the chunks of one Spark task, for " + real.id();
    }

    @Override
    public List<String> fileExtensions() {
        return List.of();
    }

    @Override
    public boolean canRead(RandomAccessSource source) {
        return false;
    }

    @Override
    public ContainerReader openReader(RandomAccessSource source) {
        throw new UnsupportedOperationException("a task's shard is not read as a container");
    }

    @Override
    public boolean supportsTiles() {
        return real.supportsTiles();
    }

    @Override
    public boolean supportsLevels() {
        return real.supportsLevels();
    }

    @Override
    public ContainerWriter openWriter(Path target, ContainerHeader header) {
        return new ContainerWriter() {
            @Override
            public ContainerHeader header() {
                return header;
            }

            @Override
            public void writeSlice(long sliceNumber, ByteBuffer encoded) throws IOException {
                shard.write(sliceNumber, encoded);
                listener.chunkWritten(shard.chunks());
            }

            @Override
            public void commit() {
                // The shard is published by the task after the writer's commit drained every chunk.
            }

            @Override
            public void close() {
                // The task closes the shard.
            }
        };
    }
}
