package org.jpkl.container;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.support.SliceSlots;

/**
 * The parts of a jpkl file that are not slice bytes, exactly as its writer writes them: the head
 * (preamble, header JSON and its CRC32C) and the index and footer. For writers that place the slice
 * bytes some other way, for example a distributed encode that assembles the file on an object store
 * from pieces other machines uploaded (server-side copies): with the slices' lengths and CRC32Cs,
 * these give the rest of the file byte for byte (docs/FORMAT.md). The single-file writer itself
 * writes with them.
 *
 * <p>Thread safety: stateless.
 */
public final class JpklFileParts {
    /** Where {@link #writeIndexAndFooter} puts its bytes, in order. */
    @FunctionalInterface
    public interface Sink {
        void write(ByteBuffer bytes) throws IOException;
    }

    private JpklFileParts() {
    }

    /**
     * The bytes a jpkl file of {@code header} starts with: the preamble (magic, version, header
     * length), the header's JSON and its CRC32C. The first slice starts right after them.
     *
     * @throws IllegalArgumentException if the header has more chunks than a writer takes, or its JSON exceeds 16 MiB
     */
    public static byte[] head(ContainerHeader header) {
        byte[] json = checkedHeader(header);
        ByteBuffer pre = FileLayout.little(FileLayout.PREAMBLE_BYTES + json.length + FileLayout.HEADER_CRC_BYTES);
        pre.put(FileLayout.MAGIC).putShort((short) FileLayout.majorVersion(header)).putShort((short) 0)
                .putInt(json.length).put(json).putInt(FileLayout.crc32c(json, 0, json.length));
        return pre.array();
    }

    /** The header's JSON, after checking the header fits this format. */
    static byte[] checkedHeader(ContainerHeader header) {
        long count = header.chunkCount();
        if (count > SliceSlots.MAX_SLICES) {
            throw new IllegalArgumentException("shape " + Arrays.toString(header.shape()) + " has " + count
                    + (header.isTiled() ? " tiles" : " slices") + "; this writer keeps its index in memory and takes at most "
                    + SliceSlots.MAX_SLICES);
        }
        byte[] json = HeaderJson.toBytes(header);
        if (json.length > FileLayout.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header is " + json.length + " bytes of JSON (mostly metadata); at most "
                    + FileLayout.MAX_HEADER_BYTES + " are allowed");
        }
        return json;
    }

    /** The size of the index and footer of a file of {@code chunks} chunks: 20 bytes per chunk plus 32. */
    public static long indexAndFooterBytes(long chunks) {
        return Math.addExact(Math.multiplyExact(chunks, (long) FileLayout.INDEX_ENTRY_BYTES), FileLayout.FOOTER_BYTES);
    }

    /**
     * Writes the index (entry {@code n}: {@code offsets[n]}, {@code lengths[n]}, {@code crcs[n]}, the
     * CRC32C of chunk {@code n}'s bytes) and the footer of a file whose index starts at
     * {@code indexOffset}, in blocks of at most 1.3 MB.
     *
     * @throws IllegalArgumentException if the arrays' lengths differ
     */
    public static void writeIndexAndFooter(long indexOffset, long[] offsets, long[] lengths, int[] crcs, Sink sink) throws IOException {
        if (lengths.length != offsets.length || crcs.length != offsets.length) {
            throw new IllegalArgumentException("offsets, lengths and crcs hold " + offsets.length + ", " + lengths.length + " and "
                    + crcs.length + " entries; they must be equal");
        }
        java.util.zip.CRC32C indexCrc = new java.util.zip.CRC32C();
        int perBlock = 1 << 16;
        ByteBuffer block = FileLayout.little(perBlock * FileLayout.INDEX_ENTRY_BYTES);
        for (int start = 0; start < offsets.length; start += perBlock) {
            block.clear();
            int end = Math.min(offsets.length, start + perBlock);
            for (int n = start; n < end; n++) {
                block.putLong(offsets[n]).putLong(lengths[n]).putInt(crcs[n]);
            }
            block.flip();
            indexCrc.update(block.duplicate());
            sink.write(block);
        }
        ByteBuffer footer = FileLayout.little(FileLayout.FOOTER_BYTES);
        footer.putLong(indexOffset).putLong(offsets.length).putInt((int) indexCrc.getValue());
        footer.putInt(FileLayout.crc32c(footer.array(), 0, 20));
        footer.put(FileLayout.END_MAGIC);
        footer.flip();
        sink.write(footer);
    }
}
