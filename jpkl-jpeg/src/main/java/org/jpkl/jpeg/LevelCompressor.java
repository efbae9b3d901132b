package org.jpkl.jpeg;

import java.io.IOException;

/**
 * The 8-bit JPEG engine of a {@link JpegEncoder}: compresses one plane of 8-bit samples (grey, or
 * interleaved R, G, B) of a fixed spec, with fixed quality and subsampling, into a standard JFIF JPEG
 * stream that starts with SOI and the JFIF APP0 segment. The encoder owns the format around it (the
 * mapping to levels and the APP9 mapping segment); an implementation only turns samples into a stream.
 * Implementations: {@link ImageIoCompressor}, {@link TurboJpegCompressor}.
 *
 * <p>Thread safety: not thread-safe; one per encoder.
 */
interface LevelCompressor extends AutoCloseable {
    /**
     * A scratch array of at least {@code spec.sampleCount()} bytes that the encoder may fill with
     * levels (from index 0) and pass to {@link #compress}; owned by this compressor, valid until close.
     */
    byte[] levels();

    /**
     * Compresses {@code spec.sampleCount()} samples of {@code samples} from {@code offset}; the
     * caller's array is only read, never kept. The stream stays inside the compressor until the next
     * call; copy it out with {@link #copyStream}.
     *
     * @return the stream's length in bytes
     * @throws IOException if the JPEG library fails (the message says which library and why)
     */
    int compress(byte[] samples, int offset) throws IOException;

    /** Copies {@code length} bytes of the last stream from {@code from} into {@code out} at {@code at}. */
    void copyStream(int from, byte[] out, int at, int length);

    /** Releases the library's resources; idempotent. */
    @Override
    void close();
}
