package org.jpkl.deflate.pipeline;

import java.io.IOException;

/**
 * One compression library behind {@link FilteredPlaneEncoder}: compresses a whole buffer into one
 * self-terminating, checksummed stream.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: not thread-safe; one per encoder. Holds native resources until closed.
 */
public interface ByteCompressor extends AutoCloseable {
    /** An upper bound of the compressed size of {@code length} bytes. */
    long maxCompressedLength(int length);

    /**
     * Compresses {@code source[0, length)} into {@code target} from {@code targetOffset}, which has
     * room for {@link #maxCompressedLength}.
     *
     * @return the number of compressed bytes written
     * @throws IOException if the library fails
     */
    int compress(byte[] source, int length, byte[] target, int targetOffset) throws IOException;

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
