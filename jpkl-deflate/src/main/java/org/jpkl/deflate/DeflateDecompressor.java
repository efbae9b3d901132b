package org.jpkl.deflate;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jpkl.api.JpklFormatException;
import org.jpkl.deflate.pipeline.ByteDecompressor;

/**
 * Inflates a zlib stream into a buffer of the known plane size with the JDK's {@link Inflater},
 * checking that the stream ends (Adler-32 verified) exactly when the plane is full and that no
 * bytes follow it.
 *
 * <p>Thread safety: not thread-safe; one per decoder.
 */
final class DeflateDecompressor implements ByteDecompressor {
    private final String codecId;
    private final Inflater inflater = new Inflater(false);
    private final byte[] probe = new byte[1];

    DeflateDecompressor(String codecId) {
        this.codecId = codecId;
    }

    @Override
    public void decompress(ByteBuffer source, byte[] target, int expectedLength) throws JpklFormatException {
        inflater.reset();
        try {
            inflater.setInput(source);
            int produced = 0;
            while (produced < expectedLength) {
                int n = inflater.inflate(target, produced, expectedLength - produced);
                produced += n;
                if (n == 0) {
                    if (inflater.finished() || inflater.needsInput() || inflater.needsDictionary()) {
                        break;
                    }
                    throw error("the stream makes no progress");
                }
            }
            if (inflater.needsDictionary()) {
                throw error("the stream needs a preset dictionary, which this codec never writes");
            }
            if (produced < expectedLength) {
                throw error((inflater.finished() ? "the stream ended" : "the data is truncated") + " after " + produced
                        + " of the plane's " + expectedLength + " bytes");
            }
            if (!inflater.finished()) {
                // The plane is full; the stream may only hold its end marker and checksum now.
                if (inflater.inflate(probe) > 0) {
                    throw error("the stream holds more than the plane's " + expectedLength + " bytes");
                }
                if (!inflater.finished()) {
                    throw error("the data is truncated: the stream's end and checksum are missing");
                }
            }
            if (inflater.getRemaining() > 0) {
                throw error(inflater.getRemaining() + " bytes of trailing data follow the stream");
            }
        } catch (DataFormatException e) {
            throw new JpklFormatException(codecId, "slice data", "corrupt zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.reset(); // drops the reference to the caller's buffer
        }
    }

    private JpklFormatException error(String detail) {
        return new JpklFormatException(codecId, "slice data", detail);
    }

    @Override
    public void close() {
        inflater.end();
    }
}
