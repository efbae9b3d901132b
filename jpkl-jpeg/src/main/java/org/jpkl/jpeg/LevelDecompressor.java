package org.jpkl.jpeg;

import java.nio.ByteBuffer;
import org.jpkl.api.JpklFormatException;

/**
 * The 8-bit JPEG engine of a {@link JpegDecoder}: decompresses one JPEG stream of a fixed spec into
 * 8-bit samples (grey, or interleaved R, G, B). The decoder has already walked the stream's header
 * ({@link JpegStructure}) and checked its size and component count against the spec, so an
 * implementation never sees a stream that claims another size. Every warning of the JPEG library
 * (truncated or corrupt data) is an error: damaged data never comes back as a partly grey plane.
 * Implementations: {@link ImageIoDecompressor}, {@link TurboJpegDecompressor}.
 *
 * <p>Thread safety: not thread-safe; one per decoder.
 */
interface LevelDecompressor extends AutoCloseable {
    /**
     * Decodes the stream in {@code data} (index 0 to its limit, read with absolute gets; position,
     * limit and contents untouched) into {@code out}: exactly {@code spec.sampleCount()} bytes from
     * {@code offset}, nothing outside. On failure, the bytes of {@code out} in that range are
     * unspecified.
     *
     * @throws JpklFormatException if the library refuses the stream or warns about it
     */
    void decompress(ByteBuffer data, byte[] out, int offset) throws JpklFormatException;

    /**
     * Where to read a complete stream of {@code length} bytes so that {@link #decompress} reads it
     * without a copy ({@link org.jpkl.api.spi.SliceDecoder#inputBuffer}); by default a new heap buffer.
     */
    default ByteBuffer inputBuffer(int length) {
        return ByteBuffer.allocate(length);
    }

    /** Releases the library's resources; idempotent. */
    @Override
    void close();
}
