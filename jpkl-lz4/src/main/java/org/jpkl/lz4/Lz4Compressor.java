package org.jpkl.lz4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import org.jpkl.deflate.pipeline.ByteCompressor;

/**
 * The CRC-32C of the filtered bytes and the LZ4 block's length (4 bytes each, little-endian), then
 * one LZ4 block of them, with LZ4's fast compressor (level 1) or LZ4 HC (levels 2..17).
 *
 * <p>Thread safety: not thread-safe; one per encoder.
 */
final class Lz4Compressor implements ByteCompressor {
    /** Bytes before the block: its checksum and length. */
    static final int PREFIX = 8;

    private final LZ4Compressor compressor;

    /** @param level 1 (fast) or 2..17 (HC) */
    Lz4Compressor(int level) {
        this.compressor = level <= 1 ? Lz4Library.FACTORY.fastCompressor() : Lz4Library.FACTORY.highCompressor(level);
    }

    @Override
    public long maxCompressedLength(int length) {
        return PREFIX + (long) compressor.maxCompressedLength(length);
    }

    @Override
    public int compress(byte[] source, int length, byte[] target, int targetOffset) {
        CRC32C crc = new CRC32C();
        crc.update(source, 0, length);
        int room = target.length - targetOffset - PREFIX;
        int block = compressor.compress(source, 0, length, target, targetOffset + PREFIX, room);
        ByteBuffer.wrap(target, targetOffset, PREFIX).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).putInt(block);
        return PREFIX + block;
    }

    @Override
    public void close() {
        // lz4-java's compressors hold no native resources.
    }
}
