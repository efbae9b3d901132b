package org.jpkl.container;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * The default container: one file holding a JSON header, the encoded slices and an index of
 * (offset, length, CRC32C) per slice, closed by a fixed-size footer (docs/FORMAT.md). Opening reads
 * the preamble, header, footer and index; each slice is then one positional read.
 *
 * <p>Thread safety: stateless and thread-safe; readers allow concurrent reads.
 */
public final class JpklFileSerializer implements ContainerSerializer {
    /** The serializer id. */
    public static final String ID = "jpkl";

    /** Public for {@link java.util.ServiceLoader}; does no work. */
    public JpklFileSerializer() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "jpkl single file: JSON header, encoded slices, index with CRC32C per slice, footer";
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("jpkl");
    }

    @Override
    public boolean canRead(RandomAccessSource source) throws IOException {
        if (source.size() < FileLayout.MAGIC.length) {
            return false;
        }
        ByteBuffer head = ByteBuffer.allocate(FileLayout.MAGIC.length);
        source.readFully(0, head);
        return Arrays.equals(head.array(), FileLayout.MAGIC);
    }

    @Override
    public ContainerReader openReader(RandomAccessSource source) throws IOException {
        return JpklFileReader.open(source, true);
    }

    /**
     * Opens a container, optionally without checking each slice's CRC32C on read (faster when the
     * storage is trusted; {@code readVerifiedSlice} still checks).
     */
    @Override
    public ContainerReader openReader(RandomAccessSource source, boolean verifyChecksums) throws IOException {
        return JpklFileReader.open(source, verifyChecksums);
    }

    /** Yes: tiled headers are written as format version 2.0, one index entry and CRC32C per tile. */
    @Override
    public boolean supportsTiles() {
        return true;
    }

    @Override
    public boolean supportsLevels() {
        return true;
    }

    @Override
    public ContainerWriter openWriter(Path target, ContainerHeader header) throws IOException {
        return JpklFileWriter.toFile(target, header);
    }

    /** Yes: preamble and header first, slices as they come, index and footer last. */
    @Override
    public boolean writesSequentially() {
        return true;
    }

    @Override
    public ContainerWriter openWriter(SequentialOutput out, ContainerHeader header, CodecParams params) throws IOException {
        return JpklFileWriter.to(out, header);
    }

    @Override
    public String toString() {
        return "JpklFileSerializer";
    }
}
