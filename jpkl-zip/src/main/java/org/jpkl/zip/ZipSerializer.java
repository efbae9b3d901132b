package org.jpkl.zip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.jpkl.api.io.SequentialOutput;
import org.jpkl.api.spi.CodecParams;
import java.util.Arrays;
import java.util.List;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerWriter;

/**
 * A container as an ordinary ZIP file, for exchange: any zip tool lists and extracts it, and the
 * slices of image codecs open in an image viewer.
 *
 * <pre>
 * jpkl.json          the header (shape, dtype, layout, axis names, codec and parameters, metadata),
 *                    the same JSON as the default format's header; the first entry
 * slices/0/5/2.jpg   one stored (uncompressed) entry per slice, named by its key tuple, with the
 * slices/0/5/3.jpg   extension of the codec (jpg for jpeg, png for png, else the codec id);
 * ...                an array without key axes has the one entry slices/plane.&lt;ext&gt;
 * </pre>
 *
 * Tiled planes ({@link ContainerHeader#tiling()}, the header's {@code tile_shape}): one stored
 * entry per tile, the slice's name with the tile's row and column,
 * {@code slices/0/5/2_t<row>_<column>.<ext>} (e.g. {@code slices/0/5/2_t1_3.jpg}, or
 * {@code slices/plane_t0_2.png} without key axes); every tile of every plane must have its entry.
 * Edge tiles are smaller, as in the default format. Untiled archives are unchanged.
 *
 * <p>Resolution levels ({@link ContainerHeader#levelCount()}, the header's {@code levels}): level
 * {@code k}'s entries are named as level 0's with {@code levels/<k>/} in place of {@code slices/}
 * ({@code levels/2/0/5/2_t0_1.jpg}, {@code levels/1/plane.png}); every chunk of every level must have
 * its entry. Archives without levels are unchanged.
 *
 * Reading goes through the central directory (Apache Commons Compress {@code ZipFile} over a
 * {@link java.nio.channels.SeekableByteChannel}); a slice is read by its entry, without scanning
 * the archive. ZIP64 is written as needed (over 4 GiB, over 65,535 entries) and read. Entries
 * another tool deflated are read too; each slice is checked against its entry's CRC-32 unless
 * opened without checksum verification. Entries outside {@code slices/} other than the header are
 * ignored.
 *
 * <p>Hostile archives: two entries with one name, encrypted entries and methods other than stored
 * and deflated are refused at open, naming the entry. A declared size is never trusted: deflated
 * data is inflated into a buffer that grows with the bytes actually inflated, up to the declared
 * size, and must end exactly there; {@link org.jpkl.JpklArray} refuses a slice whose declared size
 * exceeds its codec's bound for the plane before reading it.
 *
 * <p>{@link #canRead} accepts a ZIP file whose first entry is {@code jpkl.json} (checked in its
 * first local header), so other zip files, and the default format, are never claimed.
 *
 * <p>Thread safety: stateless and thread-safe.
 */
public final class ZipSerializer implements ContainerSerializer {
    /** The serializer id. */
    public static final String ID = "zip";

    private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;

    /** Public for {@link java.util.ServiceLoader}; does no work. */
    public ZipSerializer() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "ZIP archive: jpkl.json header plus one stored entry per slice (slices/<key>.<ext>) or tile (slices/<key>_t<row>_<column>.<ext>),"
                + " levels under levels/<k>/";
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("zip");
    }

    /** Reads the first local file header (42 bytes): signature {@code PK\3\4} and the entry name {@code jpkl.json}. */
    @Override
    public boolean canRead(RandomAccessSource source) throws IOException {
        int nameLength = ZipLayout.HEADER_ENTRY_BYTES.length;
        if (source.size() < 30 + nameLength) {
            return false;
        }
        ByteBuffer head = ByteBuffer.allocate(30 + nameLength).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(0, head);
        if (head.getInt(0) != LOCAL_HEADER_SIGNATURE || (head.getShort(26) & 0xFFFF) != nameLength) {
            return false;
        }
        return Arrays.equals(Arrays.copyOfRange(head.array(), 30, 30 + nameLength), ZipLayout.HEADER_ENTRY_BYTES);
    }

    /** True: a tiled header is stored as one entry per tile. */
    @Override
    public boolean supportsTiles() {
        return true;
    }

    /** True: each reduced level's chunks are entries under {@code levels/<k>/}, named as level 0's under {@code slices/}. */
    @Override
    public boolean supportsLevels() {
        return true;
    }

    @Override
    public ContainerReader openReader(RandomAccessSource source) throws IOException {
        return ZipContainerReader.open(source, true);
    }

    /** As {@link #openReader(RandomAccessSource)}; {@code verifyChecksums} chooses whether each read checks the entry's CRC-32. */
    @Override
    public ContainerReader openReader(RandomAccessSource source, boolean verifyChecksums) throws IOException {
        return ZipContainerReader.open(source, verifyChecksums);
    }

    @Override
    public ContainerWriter openWriter(Path target, ContainerHeader header) throws IOException {
        return ZipContainerWriter.toFile(target, header);
    }

    /** Yes: entries as they come, the central directory last; the archive stream never seeks back. */
    @Override
    public boolean writesSequentially() {
        return true;
    }

    @Override
    public ContainerWriter openWriter(SequentialOutput out, ContainerHeader header, CodecParams params) throws IOException {
        return ZipContainerWriter.to(out, header);
    }

    @Override
    public String toString() {
        return "ZipSerializer";
    }
}
