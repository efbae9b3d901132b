package org.jpkl.zstd;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.nio.ByteBuffer;
import org.jpkl.api.JpklFormatException;
import org.jpkl.deflate.pipeline.ByteDecompressor;
import org.jpkl.deflate.pipeline.HeapInput;

/**
 * Decompresses one zstd frame into a buffer of the known plane size. Before decompressing it checks
 * that the input is exactly one complete frame (no trailing data) and that the size the frame
 * declares, if any, is the plane's; the output is bounded by the plane's size whatever the frame
 * holds, and zstd verifies the frame's checksum.
 *
 * <p>Thread safety: not thread-safe; one per decoder. Holds a native context until closed.
 */
final class ZstdDecompressor implements ByteDecompressor {
    /** zstd's ZSTD_CONTENTSIZE_UNKNOWN: the frame does not declare its size. */
    private static final long CONTENT_SIZE_UNKNOWN = -1;

    private final String codecId;
    private final ZstdDecompressCtx context = new ZstdDecompressCtx();
    private final HeapInput heapInput = new HeapInput();

    ZstdDecompressor(String codecId) {
        this.codecId = codecId;
    }

    @Override
    public void decompress(ByteBuffer source, byte[] target, int expectedLength) throws JpklFormatException {
        int length = source.remaining();
        if (length == 0) {
            throw error("no zstd frame after the header");
        }
        ByteBuffer heap = heapInput.of(source);
        byte[] input = heap.array();
        int offset = heap.arrayOffset() + heap.position();
        try {
            long frameLength = Zstd.findFrameCompressedSize(input, offset, length);
            if (Zstd.isError(frameLength)) {
                throw error("not a complete zstd frame (" + Zstd.getErrorName(frameLength) + ")");
            }
            if (frameLength != length) {
                throw error((length - frameLength) + " bytes of trailing data follow the zstd frame");
            }
            long declared = Zstd.getFrameContentSize(input, offset, length);
            if (declared < 0 && declared != CONTENT_SIZE_UNKNOWN) {
                throw error("the zstd frame header is unreadable");
            }
            if (declared != CONTENT_SIZE_UNKNOWN && declared != expectedLength) {
                throw error("the zstd frame declares " + declared + " bytes, the plane has " + expectedLength);
            }
            int produced = context.decompressByteArray(target, 0, expectedLength, input, offset, length);
            if (produced != expectedLength) {
                throw error("the zstd frame yields " + produced + " bytes, the plane has " + expectedLength);
            }
            source.position(source.limit());
        } catch (RuntimeException e) {
            throw new JpklFormatException(codecId, "slice data", "corrupt zstd frame: " + e.getMessage(), e);
        }
    }

    private JpklFormatException error(String detail) {
        return new JpklFormatException(codecId, "slice data", detail);
    }

    @Override
    public void close() {
        context.close();
        heapInput.release();
    }
}
