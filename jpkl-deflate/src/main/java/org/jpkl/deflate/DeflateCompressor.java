package org.jpkl.deflate;

import java.io.IOException;
import java.util.zip.Deflater;
import org.jpkl.deflate.pipeline.ByteCompressor;

/**
 * zlib streams (RFC 1950: deflate with an Adler-32 checksum) through the JDK's {@link Deflater}.
 *
 * <p>Thread safety: not thread-safe; one per encoder.
 */
final class DeflateCompressor implements ByteCompressor {
    private final Deflater deflater;

    /** @param level deflate level 0..9 */
    DeflateCompressor(int level) {
        this.deflater = new Deflater(level, false);
    }

    /** zlib's bound for stored (level 0) blocks, which is also above every other level's output. */
    @Override
    public long maxCompressedLength(int length) {
        long n = length;
        return n + (n >>> 5) + (n >>> 7) + (n >>> 11) + 64;
    }

    @Override
    public int compress(byte[] source, int length, byte[] target, int targetOffset) throws IOException {
        deflater.reset();
        deflater.setInput(source, 0, length);
        deflater.finish();
        int written = 0;
        while (!deflater.finished()) {
            int room = target.length - targetOffset - written;
            if (room == 0) {
                throw new IOException("deflate output exceeded its bound of " + (target.length - targetOffset) + " bytes");
            }
            written += deflater.deflate(target, targetOffset + written, room);
        }
        return written;
    }

    @Override
    public void close() {
        deflater.end();
    }
}
