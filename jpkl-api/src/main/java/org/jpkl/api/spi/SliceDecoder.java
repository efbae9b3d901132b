package org.jpkl.api.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jpkl.api.PlaneBuffer;

/**
 * Decodes encoded planes of one {@link org.jpkl.api.PlaneSpec} with fixed parameters into a
 * caller-supplied buffer. Obtained from {@link SliceCodec#newDecoder}; may keep reusable state.
 *
 * <p>Contract: decode validates the stream against the expected spec (dimensions, sample count,
 * bit depth) <em>before</em> allocating anything sized by the stream, and throws
 * {@link org.jpkl.api.JpklFormatException} for data it cannot decode exactly into the expected
 * spec (truncated, corrupt, wrong dimensions) rather than returning partial data.
 *
 * <p>Thread safety: not thread-safe; use one decoder per thread.
 */
public interface SliceDecoder extends AutoCloseable {
    /**
     * Decodes one plane.
     *
     * @param encoded the encoded bytes from position to limit; read-only access suffices; the
     *     buffer's position may change
     * @param destination receives exactly {@code spec().sampleCount()} samples
     * @throws org.jpkl.api.JpklFormatException if the bytes are not a valid plane of the expected spec
     * @throws IOException for other I/O failures
     */
    void decode(ByteBuffer encoded, PlaneBuffer destination) throws IOException;

    /**
     * A buffer to read the next plane's encoded bytes into before passing them to {@link #decode}, so
     * that a decoder which reads its input from native memory receives the bytes there without a copy
     * (a container reads into it directly: {@link ContainerReader#readSlice(long, boolean, java.util.function.IntFunction)}).
     * {@code decode} must accept any buffer all the same. The default allocates a heap buffer.
     *
     * @param length the encoded length in bytes, at least 0
     * @return a writable buffer at position 0 with room for at least {@code length} bytes; it may be
     *     owned by this decoder and reused: valid until the next call of this method or {@link #close}
     */
    default ByteBuffer inputBuffer(int length) {
        return ByteBuffer.allocate(length);
    }

    /** Releases resources; idempotent. */
    @Override
    void close();
}
