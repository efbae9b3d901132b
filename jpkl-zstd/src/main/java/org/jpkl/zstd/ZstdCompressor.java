package org.jpkl.zstd;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import org.jpkl.deflate.pipeline.ByteCompressor;

/**
 * One zstd frame per plane through zstd-jni, with the content size and an XXH64 content checksum
 * in the frame so a decoder can check both. Loaded only after {@link ZstdLibrary} said the library
 * is available.
 *
 * <p>Thread safety: not thread-safe; one per encoder. Holds a native context until closed.
 */
final class ZstdCompressor implements ByteCompressor {
    private final ZstdCompressCtx context;

    /** @param level zstd level, validated by the codec's parameter schema */
    ZstdCompressor(int level) {
        this.context = new ZstdCompressCtx();
        context.setLevel(level);
        context.setChecksum(true);
        context.setContentSize(true);
    }

    @Override
    public long maxCompressedLength(int length) {
        return Zstd.compressBound(length);
    }

    @Override
    public int compress(byte[] source, int length, byte[] target, int targetOffset) throws IOException {
        try {
            return context.compressByteArray(target, targetOffset, target.length - targetOffset, source, 0, length);
        } catch (RuntimeException e) {
            throw new IOException("zstd compression failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
