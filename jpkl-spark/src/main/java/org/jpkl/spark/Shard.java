package org.jpkl.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.io.RandomAccessSource;

/**
 * One encode task's output: the encoded chunks of a range of slices, in the order the task's
 * writer produced them, with each chunk's number, length and CRC32C. Published atomically under
 * its partition's name ({@link AtomicFileOutput}: an attempt-private temporary file renamed onto
 * the name), so a reader sees a whole shard of some attempt or none; every attempt of a partition
 * writes the same bytes, since encoding is deterministic.
 *
 * <p>Layout (little-endian): {@code "JPKLSHD1"}, the CRC32C of the container header's JSON (int),
 * partition (long), first slice (long), slice count (long); the chunks back to back; the index, one
 * entry per chunk: chunk number (long), length (long), CRC32C (int); the footer: entry count
 * (long), index offset (long), CRC32C of the index (int), {@code "JPKLSHD1"}.
 *
 * <p>Thread safety: a {@link Writer} is used by one thread; {@link #read} is stateless.
 */
final class Shard {
    static final byte[] MAGIC = "JPKLSHD1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int HEAD_BYTES = 8 + 4 + 8 + 8 + 8;
    static final int ENTRY_BYTES = 8 + 8 + 4;
    static final int FOOTER_BYTES = 8 + 8 + 4 + 8;

    /** The file name of partition {@code p}'s shard in a job folder. */
    static String fileName(int partition) {
        return String.format("part-%06d.shard", partition);
    }

    /** Where a shard was planned: its partition, slice range and the header it was encoded for. */
    record Plan(int partition, long firstSlice, long sliceCount, int headerCrc) implements java.io.Serializable {
    }

    /** One chunk of a shard: where its bytes are in the shard file. */
    record Entry(long chunk, long offset, long length, int crc) {
    }

    /** The index of a shard read back and checked. */
    record Contents(Plan plan, List<Entry> entries) {
    }

    private Shard() {
    }

    static int crc(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }

    static int crc(byte[] bytes) {
        return crc(ByteBuffer.wrap(bytes));
    }

    /** Writes one shard: chunks as they come, then the index on {@link #commit()}. */
    static final class Writer implements ShardCapture.Sink, AutoCloseable {
        private final AtomicFileOutput out;
        private final List<long[]> index = new ArrayList<>();
        private final List<Integer> crcs = new ArrayList<>();

        Writer(Path target, Plan plan) throws IOException {
            this.out = AtomicFileOutput.create(target);
            ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(plan.headerCrc()).putLong(plan.partition()).putLong(plan.firstSlice()).putLong(plan.sliceCount());
            try {
                out.write(head.flip());
            } catch (IOException | RuntimeException e) {
                out.close();
                throw e;
            }
        }

        /** The temporary file being written (for tests and messages). */
        Path tempFile() {
            return out.tempFile();
        }

        @Override
        public int chunks() {
            return index.size();
        }

        @Override
        public void write(long chunk, ByteBuffer encoded) throws IOException {
            long offset = out.position();
            long length = encoded.remaining();
            int crc = crc(encoded);
            out.write(encoded);
            index.add(new long[] {chunk, offset, length});
            crcs.add(crc);
        }

        /**
         * Writes the index and footer and publishes the shard under its name, replacing any earlier
         * attempt's, without forcing it to disk.
         */
        void commit() throws IOException {
            long indexOffset = out.position();
            ByteBuffer idx = ByteBuffer.allocate(Math.multiplyExact(index.size(), ENTRY_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < index.size(); i++) {
                idx.putLong(index.get(i)[0]).putLong(index.get(i)[2]).putInt(crcs.get(i));
            }
            idx.flip();
            int indexCrc = crc(idx);
            out.write(idx);
            ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            footer.putLong(index.size()).putLong(indexOffset).putInt(indexCrc).put(MAGIC);
            out.write(footer.flip());
            // Not forced to disk: a shard is worthless after a crash (the job is rerun), and the driver
            // checks every byte it copies (CRC32C); the container it writes is forced.
            out.commitWithoutSync();
        }

        /** Without a commit: deletes the temporary file. */
        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * Reads and checks a shard's head, index and footer (not its chunks: their CRCs are checked
     * as they are read, {@link #readChunk}). Every count and offset is checked against the file size
     * before anything is allocated for it.
     *
     * @throws JpklFormatException naming the shard and the region at fault
     */
    static Contents read(RandomAccessSource shard, int maxEntries) throws IOException {
        String name = shard.name();
        long size = shard.size();
        if (size < HEAD_BYTES + FOOTER_BYTES) {
            throw new JpklFormatException(name, "shard", "is " + size + " bytes, shorter than a shard's head and footer ("
                    + (HEAD_BYTES + FOOTER_BYTES) + ")");
        }
        ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        shard.readFully(0, head);
        head.flip();
        byte[] magic = new byte[8];
        head.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new JpklFormatException(name, "shard head", "does not start with JPKLSHD1");
        }
        int headerCrc = head.getInt();
        long partition = head.getLong();
        long first = head.getLong();
        long count = head.getLong();
        if (partition < 0 || partition > Integer.MAX_VALUE) {
            throw new JpklFormatException(name, "shard head", "partition " + partition + " is out of range");
        }
        ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        shard.readFully(size - FOOTER_BYTES, footer);
        footer.flip();
        long entries = footer.getLong();
        long indexOffset = footer.getLong();
        int indexCrc = footer.getInt();
        footer.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new JpklFormatException(name, "shard footer", "does not end with JPKLSHD1 (a truncated or unfinished shard)");
        }
        if (entries < 0 || entries > maxEntries || indexOffset < HEAD_BYTES
                || indexOffset + entries * ENTRY_BYTES != size - FOOTER_BYTES) {
            throw new JpklFormatException(name, "shard footer", "holds " + entries + " entries at offset " + indexOffset
                    + ", which do not fit a " + size + "-byte shard of at most " + maxEntries + " chunks");
        }
        ByteBuffer idx = ByteBuffer.allocate((int) entries * ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        shard.readFully(indexOffset, idx);
        idx.flip();
        if (crc(idx) != indexCrc) {
            throw new JpklFormatException(name, "shard index", "CRC32C does not match the footer's");
        }
        List<Entry> list = new ArrayList<>((int) entries);
        long offset = HEAD_BYTES;
        for (long i = 0; i < entries; i++) {
            long chunk = idx.getLong();
            long length = idx.getLong();
            int crc = idx.getInt();
            if (length < 0 || length > indexOffset - offset) {
                throw new JpklFormatException(name, "shard index", "chunk " + chunk + " claims " + length + " bytes at offset "
                        + offset + "; the chunks end at " + indexOffset);
            }
            list.add(new Entry(chunk, offset, length, crc));
            offset += length;
        }
        if (offset != indexOffset) {
            throw new JpklFormatException(name, "shard index", "the chunks' lengths add up to " + (offset - HEAD_BYTES)
                    + " bytes; the shard holds " + (indexOffset - HEAD_BYTES));
        }
        return new Contents(new Plan((int) partition, first, count, headerCrc), List.copyOf(list));
    }

    /** Reads one chunk of a shard and checks its CRC32C. */
    static ByteBuffer readChunk(RandomAccessSource shard, Entry e) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(e.length()));
        shard.readFully(e.offset(), bytes);
        bytes.flip();
        if (crc(bytes) != e.crc()) {
            throw new JpklFormatException(shard.name(), "chunk " + e.chunk(), "CRC32C of its " + e.length()
                    + " bytes does not match the shard's index");
        }
        return bytes;
    }
}
