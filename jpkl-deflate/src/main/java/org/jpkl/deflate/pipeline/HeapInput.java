package org.jpkl.deflate.pipeline;

import java.nio.ByteBuffer;

/**
 * An encoded plane's bytes as a heap array, for compression libraries that take {@code byte[]}: the
 * caller's buffer itself when it has an accessible array, else a copy in an array kept for the next
 * call (direct and read-only buffers).
 *
 * <p>Support for jpkl's own byte codecs ({@code zstd}, {@code lz4}), not API: it may change in any release.
 *
 * <p>Thread safety: not thread-safe; one per decompressor.
 */
public final class HeapInput {
    private byte[] copy;

    /**
     * {@code source}'s remaining bytes in a heap buffer: {@code source} itself, or a copy from
     * position 0 of a reused array; read the bytes from {@code array()} at
     * {@code arrayOffset() + position()}. {@code source}'s position is not changed.
     */
    public ByteBuffer of(ByteBuffer source) {
        if (source.hasArray()) {
            return source;
        }
        int length = source.remaining();
        if (copy == null || copy.length < length) {
            copy = new byte[length];
        }
        source.duplicate().get(copy, 0, length);
        return ByteBuffer.wrap(copy, 0, length);
    }

    /** Drops the kept copy. */
    public void release() {
        copy = null;
    }
}
