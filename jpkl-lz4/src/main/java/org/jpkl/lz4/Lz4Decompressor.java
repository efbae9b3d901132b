package org.jpkl.lz4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.jpkl.api.JpklFormatException;
import org.jpkl.deflate.pipeline.ByteDecompressor;
import org.jpkl.deflate.pipeline.HeapInput;

/**
 * Decompresses the checksum, length and LZ4 block {@link Lz4Compressor} wrote into a buffer of the known
 * plane size with lz4-java's bounds-checked decompressor, limited to that size: a block that would
 * yield more, fewer, or is malformed is refused, and so is one whose CRC-32C differs or whose
 * declared length is not exactly what follows.
 *
 * <p>Thread safety: not thread-safe; one per decoder.
 */
final class Lz4Decompressor implements ByteDecompressor {
    private final String codecId;
    private final LZ4SafeDecompressor decompressor = Lz4Library.FACTORY.safeDecompressor();
    private final HeapInput heapInput = new HeapInput();

    Lz4Decompressor(String codecId) {
        this.codecId = codecId;
    }

    @Override
    public void decompress(ByteBuffer source, byte[] target, int expectedLength) throws JpklFormatException {
        int length = source.remaining();
        if (length <= Lz4Compressor.PREFIX) {
            throw error("the data is truncated: " + length + " bytes after the header; a checksum, a length and an LZ4 block need"
                    + " at least " + (Lz4Compressor.PREFIX + 1));
        }
        ByteBuffer heap = heapInput.of(source);
        byte[] input = heap.array();
        int offset = heap.arrayOffset() + heap.position();
        ByteBuffer prefix = ByteBuffer.wrap(input, offset, Lz4Compressor.PREFIX).order(ByteOrder.LITTLE_ENDIAN);
        int stored = prefix.getInt();
        long block = prefix.getInt() & 0xFFFFFFFFL;
        long present = length - Lz4Compressor.PREFIX;
        if (block > present) {
            throw error("the data is truncated: the LZ4 block has " + block + " bytes, " + present + " are stored");
        }
        if (block < present) {
            throw error((present - block) + " bytes of trailing data follow the LZ4 block");
        }
        int produced;
        try {
            produced = decompressor.decompress(input, offset + Lz4Compressor.PREFIX, (int) block, target, 0, expectedLength);
        } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
            throw new JpklFormatException(codecId, "slice data", "corrupt LZ4 block, or one that yields more than the plane's "
                    + expectedLength + " bytes: " + e.getMessage(), e);
        }
        if (produced != expectedLength) {
            throw error("the LZ4 block yields " + produced + " bytes, the plane has " + expectedLength);
        }
        CRC32C crc = new CRC32C();
        crc.update(target, 0, expectedLength);
        if ((int) crc.getValue() != stored) {
            throw error(String.format("CRC-32C 0x%08x of the decompressed bytes does not match the stored 0x%08x", (int) crc.getValue(),
                    stored));
        }
        source.position(source.limit());
    }

    private JpklFormatException error(String detail) {
        return new JpklFormatException(codecId, "slice data", detail);
    }

    @Override
    public void close() {
        heapInput.release();
    }
}
