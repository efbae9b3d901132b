package org.jpkl.container;

import org.jpkl.api.spi.support.AbstractContainerReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;

/**
 * Reads the single-file format. Every size read from the file is checked against the file length
 * and the header before anything is allocated; every region is covered by a CRC32C.
 */
final class JpklFileReader extends AbstractContainerReader {
    private static final int VERIFY_CHUNK_BYTES = 8 << 20;
    private final long dataStart;
    private final long indexOffset;
    /** Index entries: the header's chunk count (slices, or tiles when tiled). */
    private final long sliceCount;
    /** The whole index (little-endian) when small enough, else null and entries are read on demand. */
    private final ByteBuffer index;
    /** The footer's CRC32C of the index, checked at open for a whole index, by {@link #verifyStructure} otherwise. */
    private final int indexCrc;

    private JpklFileReader(RandomAccessSource source, ContainerHeader header, long fileSize, long dataStart,
                           long indexOffset, ByteBuffer index, int indexCrc, boolean verifyChecksums) {
        super(source, header, fileSize, verifyChecksums);
        this.dataStart = dataStart;
        this.indexOffset = indexOffset;
        this.sliceCount = header.chunkCount();
        this.index = index;
        this.indexCrc = indexCrc;
    }

    static JpklFileReader open(RandomAccessSource source, boolean verifyChecksums) throws IOException {
        return openOrClose(source, () -> read(source, verifyChecksums));
    }

    private static JpklFileReader read(RandomAccessSource source, boolean verifyChecksums) throws IOException {
        String name = source.name();
        long size = source.size();
        long minimum = FileLayout.PREAMBLE_BYTES + FileLayout.HEADER_CRC_BYTES + FileLayout.FOOTER_BYTES;
        if (size < FileLayout.MAGIC.length) {
            throw new JpklFormatException(name, "preamble", "file is " + size + " bytes, too short to be a jpkl file (at least "
                    + minimum + ")");
        }
        ByteBuffer pre = FileLayout.little(FileLayout.PREAMBLE_BYTES);
        if (size < FileLayout.PREAMBLE_BYTES) {
            pre.limit(Math.toIntExact(size));
        }
        source.readFully(0, pre);
        byte[] magic = Arrays.copyOf(pre.array(), FileLayout.MAGIC.length);
        if (!Arrays.equals(magic, FileLayout.MAGIC)) {
            throw new JpklFormatException(name, "preamble", "not a jpkl file: magic bytes are " + hex(magic)
                    + ", expected " + hex(FileLayout.MAGIC));
        }
        if (size < minimum) {
            throw new JpklFormatException(name, "preamble", "file is " + size + " bytes; a jpkl file has at least "
                    + minimum + " (truncated?)");
        }
        int major = pre.getShort(8) & 0xFFFF;
        int minor = pre.getShort(10) & 0xFFFF;
        if (major < FileLayout.MAJOR_VERSION || major > FileLayout.LEVELS_MAJOR_VERSION) {
            throw new JpklFormatException(name, "preamble", "format version " + major + "." + minor
                    + " is not supported; this library reads versions " + FileLayout.MAJOR_VERSION + ".x to "
                    + FileLayout.LEVELS_MAJOR_VERSION + ".x");
        }
        long headerLength = pre.getInt(12) & 0xFFFFFFFFL;
        if (headerLength > FileLayout.MAX_HEADER_BYTES || headerLength > size - minimum) {
            throw new JpklFormatException(name, "preamble", "header length " + headerLength + " does not fit: the file has "
                    + size + " bytes and headers are at most " + FileLayout.MAX_HEADER_BYTES);
        }
        int headerSize = Math.toIntExact(headerLength);
        ByteBuffer headerBytes = FileLayout.little(headerSize + FileLayout.HEADER_CRC_BYTES);
        source.readFully(FileLayout.PREAMBLE_BYTES, headerBytes);
        int storedHeaderCrc = headerBytes.getInt(headerSize);
        int headerCrc = FileLayout.crc32c(headerBytes.array(), 0, headerSize);
        if (storedHeaderCrc != headerCrc) {
            throw new JpklFormatException(name, "header", "CRC32C mismatch " + storedComputed(storedHeaderCrc, headerCrc)
                    + ": the header is damaged");
        }
        ContainerHeader header;
        try {
            header = HeaderJson.fromBytes(Arrays.copyOf(headerBytes.array(), headerSize));
        } catch (IllegalArgumentException e) {
            throw new JpklFormatException(name, "header", e.getMessage(), e);
        }
        if (header.isTiled() && major < FileLayout.TILED_MAJOR_VERSION) {
            throw new JpklFormatException(name, "header", "'tile_shape' needs format version "
                    + FileLayout.TILED_MAJOR_VERSION + ".0 or later; the file says " + major + "." + minor
                    + " (a reader of that version would misread its tiles as planes)");
        }
        if (header.levelCount() > 1 && major < FileLayout.LEVELS_MAJOR_VERSION) {
            throw new JpklFormatException(name, "header", "'levels' needs format version "
                    + FileLayout.LEVELS_MAJOR_VERSION + ".0 or later; the file says " + major + "." + minor
                    + " (a reader of that version would refuse its level chunks)");
        }
        long dataStart = FileLayout.PREAMBLE_BYTES + headerLength + FileLayout.HEADER_CRC_BYTES;

        // The header tells the index length, so footer and index are one read (one request remotely)
        // when the index is read whole; else the footer alone, and the index entry by entry.
        long expectedIndexBytes = header.chunkCount() <= FileLayout.EAGER_INDEX_BYTES / FileLayout.INDEX_ENTRY_BYTES
                ? header.chunkCount() * FileLayout.INDEX_ENTRY_BYTES : -1;
        ByteBuffer tail = null;
        ByteBuffer footer;
        if (expectedIndexBytes >= 0 && expectedIndexBytes <= size - FileLayout.FOOTER_BYTES - dataStart) {
            tail = FileLayout.little(Math.toIntExact(expectedIndexBytes) + FileLayout.FOOTER_BYTES);
            source.readFully(size - tail.capacity(), tail);
            footer = FileLayout.little(FileLayout.FOOTER_BYTES).put(tail.array(), tail.capacity() - FileLayout.FOOTER_BYTES,
                    FileLayout.FOOTER_BYTES);
        } else {
            footer = FileLayout.little(FileLayout.FOOTER_BYTES);
            source.readFully(size - FileLayout.FOOTER_BYTES, footer);
        }
        byte[] endMagic = Arrays.copyOfRange(footer.array(), 24, 32);
        if (!Arrays.equals(endMagic, FileLayout.END_MAGIC)) {
            throw new JpklFormatException(name, "footer", "end magic is " + hex(endMagic) + ", expected "
                    + hex(FileLayout.END_MAGIC) + " (file truncated or not finished)");
        }
        int footerCrc = FileLayout.crc32c(footer.array(), 0, 20);
        if (footer.getInt(20) != footerCrc) {
            throw new JpklFormatException(name, "footer", "CRC32C mismatch " + storedComputed(footer.getInt(20), footerCrc));
        }
        long indexOffset = footer.getLong(0);
        long count = footer.getLong(8);
        int indexCrc = footer.getInt(16);
        if (count != header.chunkCount()) {
            throw new JpklFormatException(name, "footer", "slice count " + Long.toUnsignedString(count) + " does not match the header's shape "
                    + Arrays.toString(header.shape()) + ", which has " + header.chunkCount()
                    + (header.isTiled() ? " tiles (" + header.tiling().get() + ")" : " slices")
                    + (header.levelCount() > 1 ? " with its " + (header.levelCount() - 1) + " reduced levels" : ""));
        }
        long indexBytes;
        try {
            indexBytes = Math.multiplyExact(count, (long) FileLayout.INDEX_ENTRY_BYTES);
        } catch (ArithmeticException e) {
            throw new JpklFormatException(name, "footer", "slice count " + Long.toUnsignedString(count) + " is too large");
        }
        if (indexOffset < dataStart || indexOffset > size - FileLayout.FOOTER_BYTES
                || indexBytes != size - FileLayout.FOOTER_BYTES - indexOffset) {
            throw new JpklFormatException(name, "footer", "index at offset " + Long.toUnsignedString(indexOffset) + " with " + Long.toUnsignedString(count) + " entries ("
                    + indexBytes + " bytes) does not fit between the header end (" + dataStart + ") and the footer ("
                    + (size - FileLayout.FOOTER_BYTES) + ")");
        }
        ByteBuffer index = null;
        if (indexBytes <= FileLayout.EAGER_INDEX_BYTES) {
            if (tail != null) { // [indexOffset, size): the footer's index length equals the header's, checked above
                index = ByteBuffer.wrap(tail.array(), 0, Math.toIntExact(indexBytes)).slice().order(ByteOrder.LITTLE_ENDIAN);
            } else {
                index = FileLayout.little(Math.toIntExact(indexBytes));
                source.readFully(indexOffset, index);
                index.flip();
            }
            int crc = FileLayout.crc32c(index);
            if (crc != indexCrc) {
                throw new JpklFormatException(name, "index", "CRC32C mismatch " + storedComputed(indexCrc, crc)
                        + ": the index is damaged");
            }
        }
        JpklFileReader reader = new JpklFileReader(source, header, size, dataStart, indexOffset, index, indexCrc,
                verifyChecksums);
        if (index != null) {
            for (long n = 0; n < count; n++) {
                reader.entry(n);
            }
        }
        return reader;
    }

    /**
     * One validated index entry: {offset, length, crc}. {@code n} is in {@code [0, sliceCount)}, so
     * {@code n * 20} cannot overflow (the footer check proved {@code 20 * sliceCount} fits in a long).
     */
    private long[] entry(long n) throws IOException {
        ByteBuffer e;
        int base;
        if (index != null) {
            e = index;
            base = Math.toIntExact(n * FileLayout.INDEX_ENTRY_BYTES);
        } else {
            e = FileLayout.little(FileLayout.INDEX_ENTRY_BYTES);
            source().readFully(indexOffset + n * FileLayout.INDEX_ENTRY_BYTES, e);
            base = 0;
        }
        long offset = e.getLong(base);
        long length = e.getLong(base + 8);
        long crc = e.getInt(base + 16) & 0xFFFFFFFFL;
        if (offset < dataStart || length < 0 || length > FileLayout.MAX_SLICE_BYTES || offset > indexOffset - length) {
            throw new JpklFormatException(name(), "index entry for " + sliceRegion(n),
                    "offset " + Long.toUnsignedString(offset) + " and length " + Long.toUnsignedString(length) + " do not lie in the data region [" + dataStart + ", "
                            + indexOffset + ")");
        }
        return new long[] {offset, length, crc};
    }

    @Override
    public String serializerId() {
        return JpklFileSerializer.ID;
    }

    @Override
    public boolean hasSliceChecksums() {
        return true;
    }

    /** Checks the CRC32C of an index read on demand (a whole index was checked at open), reading it in 8 MiB chunks. */
    @Override
    public void verifyStructure() throws IOException {
        ensureOpen();
        if (index != null) {
            return;
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long length = sliceCount * FileLayout.INDEX_ENTRY_BYTES;
        ByteBuffer chunk = ByteBuffer.allocate(Math.toIntExact(Math.min(length, VERIFY_CHUNK_BYTES)));
        for (long done = 0; done < length; done += chunk.limit()) {
            chunk.clear().limit(Math.toIntExact(Math.min(chunk.capacity(), length - done)));
            source().readFully(indexOffset + done, chunk);
            chunk.flip();
            crc.update(chunk);
            chunk.rewind();
        }
        int computed = (int) crc.getValue();
        if (computed != indexCrc) {
            throw new JpklFormatException(name(), "index", "CRC32C mismatch " + storedComputed(indexCrc, computed)
                    + ": the index (" + length + " bytes, read entry by entry) is damaged");
        }
    }

    /** The slice's range from the index when the index is in memory (else telling it would cost reads). */
    @Override
    protected long[] plannedRead(long sliceNumber) throws IOException {
        if (index == null) {
            return null;
        }
        long[] e = entry(sliceNumber);
        return new long[] {e[0], e[1]};
    }

    @Override
    protected ByteBuffer readChecked(long sliceNumber, boolean verify, IntFunction<ByteBuffer> buffers) throws IOException {
        long[] e = entry(sliceNumber);
        ByteBuffer bytes = readSliceFully(e[0], e[1], sliceNumber, "file", buffers);
        if (verify) {
            long crc = FileLayout.crc32c(bytes) & 0xFFFFFFFFL;
            if (crc != e[2]) {
                throw new JpklFormatException(name(), sliceRegion(sliceNumber), "CRC32C mismatch at offset " + e[0] + " "
                        + storedComputed(e[2], crc) + ": the slice is damaged");
            }
        }
        return bytes;
    }

    @Override
    protected long storedLength(long sliceNumber) throws IOException {
        return entry(sliceNumber)[1];
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "JpklFileReader[" + name() + ", " + sliceCount + " slices]";
    }
}
