package org.jpkl.zip;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.jpkl.api.Shapes;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.spi.support.SliceSlots;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.io.SequentialOutput;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerWriter;

/**
 * Writes a ZIP container: the header entry first, then one stored entry per slice (per tile when the
 * header is tiled; reduced levels' chunks under {@code levels/<k>/}) as they come
 * (size and CRC known up front, so no data descriptors), the central directory on commit. ZIP64
 * records are added where needed (archives over 4 GiB, more than 65,535 entries). Written front to back
 * (the archive stream never seeks), so onto any {@link SequentialOutput}: a local file or an object store's upload.
 *
 * <p>Thread safety: not thread-safe.
 */
final class ZipContainerWriter implements ContainerWriter {
    private final ContainerHeader header;
    private final String extension;
    private final SequentialOutput file;
    private final ZipArchiveOutputStream zip;
    private final SliceSlots slots;
    private final long time = System.currentTimeMillis();

    /** Writes to a local file, published atomically; the header is checked before the file is made. */
    static ZipContainerWriter toFile(Path target, ContainerHeader header) throws IOException {
        checkedHeader(header);
        return new ZipContainerWriter(AtomicFileOutput.create(target), header);
    }

    /** Writes onto {@code out}, which it owns (closed here if the header is refused). */
    static ZipContainerWriter to(SequentialOutput out, ContainerHeader header) throws IOException {
        return new ZipContainerWriter(out, header);
    }

    /** The header's JSON, after checking the header fits a ZIP container. */
    private static byte[] checkedHeader(ContainerHeader header) {
        if (header.chunkCount() > Integer.MAX_VALUE - 8) {
            String levels = header.levelCount() > 1 ? " of all levels" : "";
            throw new IllegalArgumentException("shape " + Shapes.format(header.shape())
                    + (header.isTiled() ? " with " + header.tiling().get() + " has " + header.chunkCount() + " tiles" + levels
                    : " has " + header.chunkCount() + " slices" + levels) + "; a ZIP container holds at most " + (Integer.MAX_VALUE - 8));
        }
        byte[] json = HeaderJson.toBytes(header);
        if (json.length > ZipLayout.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header is " + json.length + " bytes of JSON (mostly metadata); at most "
                    + ZipLayout.MAX_HEADER_BYTES + " are allowed");
        }
        return json;
    }

    private ZipContainerWriter(SequentialOutput out, ContainerHeader header) throws IOException {
        this.header = header;
        this.file = out;
        try {
            byte[] json = checkedHeader(header);
            this.extension = ZipLayout.extension(header.codecId());
            this.slots = new SliceSlots(header, file.name());
            this.zip = new ZipArchiveOutputStream(new FileOutput(file));
            zip.setUseZip64(Zip64Mode.AsNeeded);
            zip.setEncoding("UTF-8");
            store(ZipLayout.HEADER_ENTRY, ByteBuffer.wrap(json));
        } catch (IOException | RuntimeException e) {
            file.close();
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
        try {
            store(ZipLayout.chunkEntry(header, n, extension), encoded);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        slots.markWritten(n);
    }

    private void store(String entryName, ByteBuffer data) throws IOException {
        int length = data.remaining();
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        ZipArchiveEntry entry = new ZipArchiveEntry(entryName);
        entry.setMethod(ZipArchiveEntry.STORED);
        entry.setSize(length);
        entry.setCompressedSize(length);
        entry.setCrc(crc.getValue());
        entry.setTime(time);
        zip.putArchiveEntry(entry);
        if (data.hasArray()) {
            zip.write(data.array(), data.arrayOffset() + data.position(), length);
            data.position(data.limit());
        } else {
            byte[] chunk = new byte[Math.min(length, 1 << 16)];
            while (data.hasRemaining()) {
                int k = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, k);
                zip.write(chunk, 0, k);
            }
        }
        zip.closeArchiveEntry();
    }

    @Override
    public void commit() throws IOException {
        slots.checkComplete();
        try {
            zip.finish();
            zip.flush();
            file.commit();
        } finally {
            slots.finish();
        }
    }

    @Override
    public void close() throws IOException {
        slots.finish();
        file.close();
    }

    @Override
    public String toString() {
        return "ZipContainerWriter[" + file + "]";
    }

    /** Buffers bytes onto the atomic output; closing it does nothing (the writer commits or discards). */
    private static final class FileOutput extends OutputStream {
        private final SequentialOutput out;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

        FileOutput(SequentialOutput out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len <= buffer.remaining()) {
                buffer.put(b, off, len);
                return;
            }
            flush();
            if (len <= buffer.capacity() / 4) {
                buffer.put(b, off, len);
            } else {
                out.write(ByteBuffer.wrap(b, off, len));
            }
        }

        @Override
        public void flush() throws IOException {
            buffer.flip();
            out.write(buffer);
            buffer.clear();
        }

        @Override
        public void close() {
        }
    }
}
