package org.jpkl.api.spi;

import org.jpkl.api.ContainerHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.SequentialOutput;

/**
 * A plugin that stores a container (header plus encoded slices) in a file format and reads it
 * back. Found with {@link java.util.ServiceLoader} through a
 * {@code META-INF/services/org.jpkl.api.spi.ContainerSerializer} entry; see {@link ContainerSerializers}.
 * The default is the single-file {@code jpkl} format (docs/FORMAT.md).
 *
 * <p>Rules for implementers: the constructor is cheap (no I/O); {@link #canRead} only sniffs a few
 * leading bytes; readers check every size read from a file against the file length and the header
 * before allocating; writers publish atomically (see {@link org.jpkl.api.io.AtomicFileOutput}).
 *
 * <p>Thread safety: implementations must be thread-safe.
 */
public interface ContainerSerializer {
    /** The stable id, e.g. {@code "jpkl"}. */
    String id();

    /** One line on the format. */
    String description();

    /** Usual file name extensions without the dot, e.g. {@code ["jpkl"]}. */
    List<String> fileExtensions();

    /** Whether {@code source} looks like this format (reads at most a few leading bytes). */
    boolean canRead(RandomAccessSource source) throws IOException;

    /**
     * Opens a container for reading. The reader owns {@code source} and closes it.
     *
     * @throws org.jpkl.api.JpklFormatException if the source is not a valid container of this format
     */
    ContainerReader openReader(RandomAccessSource source) throws IOException;

    /**
     * Opens a container for reading, choosing whether slice checksums are verified on every read
     * (formats without checksums ignore the flag). The default ignores it.
     */
    default ContainerReader openReader(RandomAccessSource source, boolean verifyChecksums) throws IOException {
        return openReader(source);
    }

    /**
     * Whether this format can hold tiled planes ({@link ContainerHeader#isTiled()}: one chunk per
     * tile, numbered as {@link ContainerHeader} describes). The default is false: such a format
     * refuses a tiled header in {@link #openWriter} and a tiled header read from a file, and the
     * library's default tiling of large planes is not applied to it.
     */
    default boolean supportsTiles() {
        return false;
    }

    /**
     * Whether this format can hold reduced resolution levels ({@link ContainerHeader#levelCount()}
     * above 1: their chunks after level 0's, numbered as {@link ContainerHeader#levelChunkStart}
     * describes). The default is false: the library refuses to write levels to such a format.
     */
    default boolean supportsLevels() {
        return false;
    }

    /**
     * Starts writing a container to {@code target}, atomically published on commit.
     *
     * @throws IllegalArgumentException if this format cannot hold the header (e.g. its codec or dtype,
     *     or tiles), naming what would be lost
     */
    ContainerWriter openWriter(Path target, ContainerHeader header) throws IOException;

    /**
     * As {@link #openWriter(Path, ContainerHeader)}, also given the codec's validated parameters, so
     * a format with limits (e.g. one that stores only some parameters) can judge them through the
     * codec's own type rather than by parameter names. The library calls this one; the default
     * ignores {@code params}.
     */
    default ContainerWriter openWriter(Path target, ContainerHeader header, CodecParams params) throws IOException {
        return openWriter(target, header);
    }

    /**
     * Whether this format is written front to back without ever seeking back, so that
     * {@link #openWriter(SequentialOutput, ContainerHeader, CodecParams)} can stream it to a
     * {@link SequentialOutput} such as an object store's upload. The default is false.
     */
    default boolean writesSequentially() {
        return false;
    }

    /**
     * Starts writing a container onto {@code out}, front to back, for a format that
     * {@linkplain #writesSequentially() writes sequentially}. The writer owns {@code out}: its commit
     * commits {@code out}, its close closes it, and so does a failure of this method.
     *
     * @throws UnsupportedOperationException if this format does not write sequentially (the default),
     *     naming the serializer; {@code out} is closed
     * @throws IllegalArgumentException as for {@link #openWriter(Path, ContainerHeader, CodecParams)}
     */
    default ContainerWriter openWriter(SequentialOutput out, ContainerHeader header, CodecParams params) throws IOException {
        out.close();
        throw new UnsupportedOperationException(notSequential(this, out.name()));
    }

    /**
     * The message for a serializer that cannot stream to {@code target}: it needs a local file.
     */
    static String notSequential(ContainerSerializer serializer, String target) {
        return "serializer '" + serializer.id() + "' cannot stream a container to " + target
                + ": its format is not written front to back; write it to a local file and copy that,"
                + " or use a serializer that streams (such as 'jpkl')";
    }
}
