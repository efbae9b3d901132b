package org.jpkl.container;

import org.jpkl.api.spi.support.SliceSlots;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
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
        checkedHeader(header);
        return new JpklFileWriter(AtomicFileOutput.create(target), header);
    }

    /** Writes onto {@code out}, which it owns (closed here if the header is refused). */
    static JpklFileWriter to(SequentialOutput out, ContainerHeader header) throws IOException {
        return new JpklFileWriter(out, header);
    }

    /** The header's JSON, after checking the header fits this format. */
    private static byte[] checkedHeader(ContainerHeader header) {
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

    private JpklFileWriter(SequentialOutput out, ContainerHeader header) throws IOException {
        this.header = header;
        this.out = out;
        try {
            byte[] json = checkedHeader(header);
            int entries = Math.toIntExact(header.chunkCount());
            this.offsets = new long[entries];
            this.lengths = new long[entries];
            this.crcs = new int[entries];
            this.slots = new SliceSlots(header, out.name());
            ByteBuffer pre = FileLayout.little(FileLayout.PREAMBLE_BYTES + json.length + FileLayout.HEADER_CRC_BYTES);
            pre.put(FileLayout.MAGIC).putShort((short) FileLayout.majorVersion(header))
                    .putShort((short) 0)
                    .putInt(json.length).put(json).putInt(FileLayout.crc32c(json, 0, json.length));
            pre.flip();
            out.write(pre);
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
        long indexOffset = out.position();
        java.util.zip.CRC32C indexCrc = new java.util.zip.CRC32C();
        int perChunk = 1 << 16;
        ByteBuffer chunk = FileLayout.little(perChunk * FileLayout.INDEX_ENTRY_BYTES);
        for (int start = 0; start < offsets.length; start += perChunk) {
            chunk.clear();
            int end = Math.min(offsets.length, start + perChunk);
            for (int n = start; n < end; n++) {
                chunk.putLong(offsets[n]).putLong(lengths[n]).putInt(crcs[n]);
            }
            chunk.flip();
            indexCrc.update(chunk.duplicate());
            out.write(chunk);
        }
        ByteBuffer footer = FileLayout.little(FileLayout.FOOTER_BYTES);
        footer.putLong(indexOffset).putLong(offsets.length).putInt((int) indexCrc.getValue());
        footer.putInt(FileLayout.crc32c(footer.array(), 0, 20));
        footer.put(FileLayout.END_MAGIC);
        footer.flip();
        out.write(footer);
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
