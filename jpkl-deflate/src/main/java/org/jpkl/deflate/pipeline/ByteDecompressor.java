package org.jpkl.deflate.pipeline;

import java.nio.ByteBuffer;
import org.jpkl.api.JpklFormatException;

/**
 * One decompression library behind {@link FilteredPlaneDecoder}. The decoded size is known in
 * advance, so implementations never produce more than that: they write into the caller's buffer
 * and fail if the stream would yield more or fewer bytes, is corrupt, or is followed by other data.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: not thread-safe; one per decoder. Holds native resources until closed.
 */
public interface ByteDecompressor extends AutoCloseable {
    /**
     * Decompresses the whole of {@code source} (position to limit) into exactly
     * {@code target[0, expectedLength)}.
     *
     * @throws JpklFormatException if the stream is corrupt or truncated, yields other than
     *     {@code expectedLength} bytes, or has trailing data
     */
    void decompress(ByteBuffer source, byte[] target, int expectedLength) throws JpklFormatException;

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
