package com.example.textraw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerWriter;

/**
 * An example third-party serializer, built outside the library: one file whose structure is
 * readable with {@code less}.
 *
 * <pre>
 * example-textraw 1\n                      magic line
 * header N\n                               length of the JSON header in bytes
 * {...N bytes of JSON...}\n                 the header (org.jpkl.container.HeaderJson)
 * slice bytes ...                          encoded slices, in the order written
 * OFFSET LENGTH\n  (one line per slice)    the index, in slice-number order
 * index 00000000000000001234\n             trailer: where the index starts (20 digits)
 * </pre>
 *
 * <p>No checksums (a real format should have them). Opening reads the first line, the header, the
 * trailer and the index; every number read is checked against the file's size and the header
 * before anything is allocated.
 *
 * <p>Thread safety: stateless and thread-safe; readers allow concurrent reads.
 */
public final class TextRawSerializer implements ContainerSerializer {
    /** The id; never changes. */
    public static final String ID = "example-textraw";
    static final byte[] MAGIC = "example-textraw 1\n".getBytes(StandardCharsets.US_ASCII);
    static final int TRAILER_BYTES = "index ".length() + 20 + 1;

    /** Public for {@link java.util.ServiceLoader}; does no work. */
    public TextRawSerializer() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "example third-party format: text magic, JSON header, raw slices, text index";
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("txr");
    }

    @Override
    public boolean canRead(RandomAccessSource source) throws IOException {
        if (source.size() < MAGIC.length) {
            return false;
        }
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
        source.readFully(0, head);
        return java.util.Arrays.equals(head.array(), MAGIC);
    }

    @Override
    public ContainerReader openReader(RandomAccessSource source) throws IOException {
        return TextRawReader.open(source);
    }

    @Override
    public ContainerWriter openWriter(Path target, ContainerHeader header) throws IOException {
        return new TextRawWriter(target, header);
    }
}
