package org.jpkl.testing;

import org.jpkl.api.testing.OptionalPieces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds single-file ({@code jpkl}) containers with billions of slices as sparse files: the
 * preamble, header, the given slices' bytes, their index entries at their true positions and the
 * footer are written; the rest of the index is a hole. A file of 2^32 + 2^16 slices is 86 GB long
 * and takes a few KB of disk.
 *
 * <p>Index entries left as holes are zero, which a reader refuses (offset 0 lies before the data
 * region), so reading a slice that was not given fails loudly instead of returning some other
 * slice. The footer holds the index's true CRC32C (computed in memory, holes as zeros) for indexes
 * up to {@value #MAX_CRC_INDEX_BYTES} bytes; larger ones get 0 (readers check that CRC only in a full
 * verification, which on such a file would read the whole index).
 *
 * <p>Thread safety: stateless.
 */
public final class SparseJpklFiles {
    /** Key axis lengths whose product, 65536 * 65537 = 2^32 + 2^16, passes both 2^31 and 2^32. */
    public static final int[] HUGE_KEY_DIMS = {65536, 65537};
    /** Slice numbers on both sides of 2^31 and 2^32, and the small one that 2^32 + 5 truncates to. */
    public static final long[] ACROSS_INT_LIMITS = {5, (1L << 31) - 1, 1L << 31, (1L << 32) - 1, 1L << 32, (1L << 32) + 5};
    /** Most disk a sparse test file may take: far below its apparent size. */
    public static final long MAX_ALLOCATED_BYTES = 1L << 20;

    private static final Set<String> SPARSE_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs",
            "overlay", "f2fs", "apfs", "bcachefs");
    private static final long SMALL_INDEX_BYTES = 1L << 20;
    /** Largest index whose CRC32C is computed (a pass over that many bytes in memory). */
    public static final long MAX_CRC_INDEX_BYTES = 1L << 30;
    /** Smallest slice count whose index the reader reads entry by entry (over 256 MiB of index). */
    public static final long FIRST_ON_DEMAND_SLICE_COUNT = (256L << 20) / 20 + 1;

    private SparseJpklFiles() {
    }

    /**
     * Skips the calling test unless files in {@code dir} can be sparse: its file system must be one
     * known to keep holes (ext4, xfs, btrfs, tmpfs, ...), so a test never writes 86 GB of zeros.
     * With the environment variable {@code CI=true} the test fails instead: CI must run it.
     */
    public static void assumeSparseFiles(Path dir) throws IOException {
        String type = Files.getFileStore(dir).type().toLowerCase(Locale.ROOT);
        if (!SPARSE_FILE_SYSTEMS.contains(type)) {
            String problem = "the temporary folder " + dir + " is on a '" + type + "' file system, not one known to keep"
                    + " sparse files " + SPARSE_FILE_SYSTEMS + "; the test would write many GB";
            if (OptionalPieces.strict()) {
                throw new AssertionError("CI=true, and the sparse-file tests cannot run: " + problem);
            }
            Assumptions.abort(problem);
        }
    }

    /**
     * Writes a sparse container of {@code header} holding the given slices (slice number to encoded
     * bytes); every other slice's index entry is a hole. Call {@link #assumeSparseFiles} first.
     *
     * @return {@code file}
     */
    public static Path write(Path file, ContainerHeader header, Map<Long, byte[]> slices) throws IOException {
        long count = header.sliceCount();
        byte[] json = HeaderJson.toBytes(header);
        long dataStart = 16L + json.length + 4;
        TreeMap<Long, long[]> entries = new TreeMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            ByteBuffer pre = little(16 + json.length + 4);
            pre.put(new byte[] {(byte) 0x89, 'J', 'P', 'K', 'L', 0x0D, 0x0A, 0x1A}).putShort((short) 1).putShort((short) 0)
                    .putInt(json.length).put(json).putInt(crc(ByteBuffer.wrap(json)));
            writeAt(ch, pre.flip(), 0);
            long at = dataStart;
            for (Map.Entry<Long, byte[]> s : new TreeMap<>(slices).entrySet()) {
                if (s.getKey() < 0 || s.getKey() >= count) {
                    throw new IllegalArgumentException("slice " + s.getKey() + " is outside [0, " + count + ")");
                }
                byte[] bytes = s.getValue();
                writeAt(ch, ByteBuffer.wrap(bytes), at);
                entries.put(s.getKey(), new long[] {at, bytes.length, crc(ByteBuffer.wrap(bytes)) & 0xFFFFFFFFL});
                at += bytes.length;
            }
            long indexOffset = at;
            long indexBytes = Math.multiplyExact(count, 20L);
            int indexCrc = 0;
            if (indexBytes <= SMALL_INDEX_BYTES) {
                ByteBuffer index = little(Math.toIntExact(indexBytes));
                for (Map.Entry<Long, long[]> e : entries.entrySet()) {
                    entry(e.getValue()).get(index.array(), Math.toIntExact(e.getKey() * 20), 20);
                }
                indexCrc = crc(index);
                writeAt(ch, index, indexOffset);
            } else {
                for (Map.Entry<Long, long[]> e : entries.entrySet()) {
                    writeAt(ch, entry(e.getValue()), indexOffset + e.getKey() * 20);
                }
                if (indexBytes <= MAX_CRC_INDEX_BYTES) {
                    indexCrc = sparseIndexCrc(entries, indexBytes);
                }
            }
            ByteBuffer footer = little(32);
            footer.putLong(indexOffset).putLong(count).putInt(indexCrc);
            footer.putInt(crc(ByteBuffer.wrap(footer.array(), 0, 20)));
            footer.put("JPKLEND".getBytes(StandardCharsets.US_ASCII)).put((byte) 0x1A);
            writeAt(ch, footer.flip(), indexOffset + indexBytes);
        }
        OptionalLong allocated = allocatedBytes(file);
        if (allocated.isPresent() && allocated.getAsLong() > MAX_ALLOCATED_BYTES) {
            Files.delete(file);
            throw new AssertionError(file + " took " + allocated.getAsLong() + " bytes of disk, more than " + MAX_ALLOCATED_BYTES
                    + ": its file system does not keep holes");
        }
        return file;
    }

    /**
     * A container of {@link #FIRST_ON_DEMAND_SLICE_COUNT} uint8 1x1 planes of codec {@code codecId}
     * (an index just over the eager limit, 268 MB of holes, with a valid index CRC) at
     * {@code dir/ondemand.jpkl}, holding {@code slices}; skips the test where files cannot be sparse.
     */
    public static Path onDemandIndexFile(Path dir, String codecId, Map<Long, byte[]> slices) throws IOException {
        assumeSparseFiles(dir);
        ContainerHeader h = new ContainerHeader(new int[] {1, 1, Math.toIntExact(FIRST_ON_DEMAND_SLICE_COUNT)}, DType.UINT8,
                PlaneLayout.jpkl(false), List.of(), codecId, Map.of(), Map.of());
        return write(dir.resolve("ondemand.jpkl"), h, slices);
    }

    /** Flips the lowest bit of byte 3 (in the offset) of slice {@code sliceNumber}'s index entry in a file of {@code sliceCount} slices. */
    public static void flipIndexBit(Path file, long sliceCount, long sliceNumber) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = ch.size() - 32 - 20 * sliceCount + 20 * sliceNumber + 3;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 1));
            writeAt(ch, b.rewind(), at);
        }
    }

    /**
     * The disk space a file takes (from {@code stat}: blocks times block size), or empty where that
     * cannot be asked.
     */
    public static OptionalLong allocatedBytes(Path file) {
        try {
            Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return OptionalLong.empty();
            }
            String[] parts = out.split(" ");
            return OptionalLong.of(Long.parseLong(parts[0]) * Long.parseLong(parts[1]));
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** CRC32C of an index of zeros holding the given entries, computed in chunks of whole entries. */
    private static int sparseIndexCrc(TreeMap<Long, long[]> entries, long indexBytes) {
        CRC32C c = new CRC32C();
        int chunkEntries = 1 << 18;
        byte[] chunk = new byte[chunkEntries * 20];
        for (long first = 0; first * 20 < indexBytes; first += chunkEntries) {
            java.util.Arrays.fill(chunk, (byte) 0);
            long end = first + chunkEntries;
            for (Map.Entry<Long, long[]> e : entries.subMap(first, end).entrySet()) {
                entry(e.getValue()).get(chunk, Math.toIntExact((e.getKey() - first) * 20), 20);
            }
            c.update(chunk, 0, Math.toIntExact(Math.min(chunk.length, indexBytes - first * 20)));
        }
        return (int) c.getValue();
    }

    private static ByteBuffer entry(long[] e) {
        ByteBuffer b = little(20);
        b.putLong(e[0]).putLong(e[1]).putInt((int) e[2]);
        return b.flip();
    }

    private static void writeAt(FileChannel ch, ByteBuffer bytes, long position) throws IOException {
        long p = position;
        while (bytes.hasRemaining()) {
            p += ch.write(bytes, p);
        }
    }

    private static ByteBuffer little(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(ByteBuffer bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes.duplicate());
        return (int) c.getValue();
    }
}
