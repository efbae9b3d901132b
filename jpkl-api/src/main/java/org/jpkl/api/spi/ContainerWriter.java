package org.jpkl.api.spi;

import org.jpkl.api.ContainerHeader;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes one container: encoded slices in any order, each exactly once, then {@link #commit()}.
 * Nothing appears under the target name until {@code commit} succeeds; {@link #close()} without a
 * commit discards everything written and leaves an existing target untouched.
 *
 * <p>Thread safety: not thread-safe; callers serialise calls (the library writes from one thread).
 */
public interface ContainerWriter extends AutoCloseable {
    /** The header this container is being written with. */
    ContainerHeader header();

    /**
     * Stores the encoded bytes of one slice (from position to limit; the buffer is consumed). For a
     * tiled header ({@link ContainerHeader#isTiled()}) the numbers are chunk numbers, one per tile, in
     * {@code [0, header().chunkCount())}.
     *
     * @throws IndexOutOfBoundsException if {@code sliceNumber} is out of range
     * @throws IllegalStateException if the slice was already written, or the writer is committed or closed
     */
    void writeSlice(long sliceNumber, ByteBuffer encoded) throws IOException;

    /**
     * Finishes the container and publishes it atomically under the target name.
     *
     * @throws IllegalStateException naming the first missing slice if not every slice was written
     */
    void commit() throws IOException;

    /** Without a prior commit: discards the partial container. Idempotent. */
    @Override
    void close() throws IOException;
}
