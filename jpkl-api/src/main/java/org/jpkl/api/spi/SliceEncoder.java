package org.jpkl.api.spi;

import java.io.IOException;
import org.jpkl.api.PlaneBuffer;

/**
 * Encodes planes of one {@link org.jpkl.api.PlaneSpec} with fixed parameters. Obtained from
 * {@link SliceCodec#newEncoder}; may keep reusable state (writers, scratch buffers) between calls.
 *
 * <p>Thread safety: not thread-safe; use one encoder per thread. Close it to release native or
 * ImageIO resources.
 */
public interface SliceEncoder extends AutoCloseable {
    /**
     * Encodes one plane. The plane is only read, never modified or retained.
     *
     * @param plane samples of exactly the spec this encoder was made for
     * @return the encoded bytes, owned by the caller
     * @throws IllegalArgumentException if the plane's spec differs from the encoder's, or a value
     *     cannot be represented (never silently clipped)
     * @throws IOException if the underlying encoder fails
     */
    byte[] encode(PlaneBuffer plane) throws IOException;

    /** Releases resources; idempotent. */
    @Override
    void close();
}
