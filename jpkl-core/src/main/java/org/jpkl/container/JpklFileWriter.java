package org.jpkl.container;

import org.jpkl.api.spi.support.SliceSlots;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.io.SequentialOutput;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerWriter;

/**
 * Writes the single-file format: preamble and header first, slices (or tiles) as they come, index and
 * footer on commit. Version 1.0 for untiled headers (unchanged bytes), 2.0 for tiled ones, 3.0 with levels.
 * Written front to back, so onto any {@link SequentialOutput}: a local file or an object store's upload.
 */
final class JpklFileWriter implements ContainerWriter {
    private final ContainerHeader header;
    private final SequentialOutput out;
    private final long[] offsets;
    private final long[] lengths;
    private final int[] crcs;
    private final SliceSlots slots;

    /** Writes to a local file, published atomically; the header is checked before the file is made. */
    static JpklFileWriter toFile(Path target, ContainerHeader header) throws IOException {
        JpklFileParts.checkedHeader(header);
        return new JpklFileWriter(AtomicFileOutput.create(target), header);
    }

    /** Writes onto {@code out}, which it owns (closed here if the header is refused). */
    static JpklFileWriter to(SequentialOutput out, ContainerHeader header) throws IOException {
        return new JpklFileWriter(out, header);
    }

    private JpklFileWriter(SequentialOutput out, ContainerHeader header) throws IOException {
        this.header = header;
        this.out = out;
        try {
            byte[] head = JpklFileParts.head(header);
            int entries = Math.toIntExact(header.chunkCount());
            this.offsets = new long[entries];
            this.lengths = new long[entries];
            this.crcs = new int[entries];
            this.slots = new SliceSlots(header, out.name());
            out.write(ByteBuffer.wrap(head));
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            out.close();
            throw e;
        }
    }

    @Override
    public ContainerHeader header() {
        return header;
    }

    @Override
    public void writeSlice(long sliceNumber, ByteBuffer encoded) throws IOException {
        int n = slots.claim(sliceNumber);
        long offset = out.position();
        int length = encoded.remaining();
        int crc = FileLayout.crc32c(encoded);
        out.write(encoded);
        offsets[n] = offset;
        lengths[n] = length;
        crcs[n] = crc;
        slots.markWritten(n);
    }

    @Override
    public void commit() throws IOException {
        slots.checkComplete();
        JpklFileParts.writeIndexAndFooter(out.position(), offsets, lengths, crcs, out::write);
        out.commit();
        slots.finish();
    }

    @Override
    public void close() throws IOException {
        slots.finish();
        out.close();
    }

    @Override
    public String toString() {
        return "JpklFileWriter[" + out + "]";
    }
}
