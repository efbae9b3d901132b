package org.jpkl.zip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.Shapes;
import org.jpkl.api.TileGrid;
import org.jpkl.api.spi.support.AbstractContainerReader;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;

/**
 * Reads a ZIP container. Opening reads the central directory (Commons Compress {@code ZipFile} over
 * the source, the directory first read in at most two reads by {@link CentralDirectoryCache}, local
 * headers not read) and the header entry; a stored slice is then read with one positional read of
 * its local header and data together (the first time; its data alone afterwards), without locks, so
 * reads run concurrently. Compressed entries (e.g. from a zip tool that deflated them) are read
 * through {@code ZipFile}, one at a time ({@code ZipFile} is not safe for concurrent entry reads).
 *
 * <p>Thread safety: concurrent {@link #readSlice} calls are safe.
 */
final class ZipContainerReader extends AbstractContainerReader {
    private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
    private static final int LOCAL_HEADER_BYTES = 30;
    /** The first buffer for inflating an entry; it doubles as real data arrives, up to the declared size. */
    private static final int INITIAL_INFLATE_BYTES = 64 << 10;

    private final ZipFile zip;
    private final long fileSize;
    private final ZipArchiveEntry[] entries;
    /** Data offset of each stored entry once its local header has been read, else -1. */
    private final AtomicLongArray dataOffsets;

    private ZipContainerReader(RandomAccessSource source, ZipFile zip, ContainerHeader header, long fileSize,
                               ZipArchiveEntry[] entries, boolean verifyChecksums) {
        super(source, header, fileSize, verifyChecksums);
        this.zip = zip;
        this.fileSize = fileSize;
        this.entries = entries;
        this.dataOffsets = new AtomicLongArray(entries.length);
        for (int i = 0; i < entries.length; i++) {
            dataOffsets.set(i, -1);
        }
    }

    /** Opens the archive; closes {@code source} if that fails. */
    static ZipContainerReader open(RandomAccessSource source, boolean verifyChecksums) throws IOException {
        return openOrClose(source, () -> {
            String name = source.name();
            long size = source.size();
            // the central directory in at most two reads, not one per record (one request each remotely)
            CentralDirectoryCache end = CentralDirectoryCache.read(source);
            ZipFile zip;
            try {
                zip = ZipFile.builder().setSeekableByteChannel(end.asChannel()).setIgnoreLocalFileHeader(true).get();
            } catch (IOException | RuntimeException e) {
                if (e instanceof java.nio.channels.ClosedByInterruptException) {
                    throw e;
                }
                throw new JpklFormatException(name, "central directory", "is not a readable ZIP archive: " + e.getMessage(), e);
            }
            try {
                checkUniqueNames(zip, name);
                ContainerHeader header = readHeader(zip, name);
                ZipArchiveEntry[] entries = index(zip, header, name, size);
                return new ZipContainerReader(source, zip, header, size, entries, verifyChecksums);
            } catch (IOException | RuntimeException | Error e) {
                ZipFile.closeQuietly(zip);
                throw e;
            }
        });
    }

    /**
     * Refuses an archive in which two entries share a name: readers disagree on which one counts
     * (this one would take the first, Python's {@code zipfile} the last), so one file could hold two
     * different arrays.
     */
    private static void checkUniqueNames(ZipFile zip, String name) throws JpklFormatException {
        Set<String> seen = new HashSet<>();
        for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
            String entryName = e.nextElement().getName();
            if (!seen.add(entryName)) {
                throw new JpklFormatException(name, "entry " + entryName, "the archive has two entries named '" + entryName
                        + "'; zip readers disagree on which one counts, so each name may appear once");
            }
        }
    }

    private static ContainerHeader readHeader(ZipFile zip, String name) throws IOException {
        ZipArchiveEntry entry = zip.getEntry(ZipLayout.HEADER_ENTRY);
        if (entry == null) {
            throw new JpklFormatException(name, "header", "the archive has no '" + ZipLayout.HEADER_ENTRY
                    + "' entry, so it is not a jpkl ZIP container");
        }
        if (entry.getSize() < 0 || entry.getSize() > ZipLayout.MAX_HEADER_BYTES) {
            throw new JpklFormatException(name, "header", "entry '" + ZipLayout.HEADER_ENTRY + "' is " + entry.getSize()
                    + " bytes; at most " + ZipLayout.MAX_HEADER_BYTES + " are allowed");
        }
        checkReadable(entry, name, "entry " + ZipLayout.HEADER_ENTRY);
        byte[] json = readEntry(zip, entry, name, "header");
        if (entry.getCrc() >= 0) {
            CRC32 crc = new CRC32();
            crc.update(json);
            if (crc.getValue() != entry.getCrc()) {
                throw new JpklFormatException(name, "header", "entry '" + ZipLayout.HEADER_ENTRY + "' fails its CRC-32 "
                        + storedComputed(entry.getCrc(), crc.getValue()) + ": the header is damaged");
            }
        }
        ContainerHeader header;
        try {
            header = HeaderJson.fromBytes(json);
        } catch (IllegalArgumentException e) {
            throw new JpklFormatException(name, "header", e.getMessage(), e);
        }
        return header;
    }

    /**
     * One entry per chunk: per slice untiled, per tile when the header is tiled (named as
     * {@link ZipLayout#chunkEntry}), and so for every reduced level under {@code levels/<k>/}; every
     * chunk must have its entry, each named once.
     */
    private static ZipArchiveEntry[] index(ZipFile zip, ContainerHeader header, String name, long size) throws IOException {
        TileGrid grid = header.tiling().orElse(null);
        long count = header.chunkCount();
        int levels = header.levelCount() - 1;
        String chunks = (grid == null ? " slices" : " tiles") + (levels > 0 ? " of all levels" : "");
        if (count > Integer.MAX_VALUE - 8) {
            throw new JpklFormatException(name, "header", "shape " + Shapes.format(header.shape())
                    + (grid == null ? "" : " with " + grid) + (levels > 0 ? " and " + levels + " levels" : "") + " has " + count
                    + chunks + "; a ZIP container holds at most " + (Integer.MAX_VALUE - 8));
        }
        int keyAxes = header.keySpace().keyAxes().length;
        int[] dims = header.keySpace().keyDims();
        // Sized by the entries found, never by the header's count: a tiny archive may claim billions of slices.
        Map<Long, ZipArchiveEntry> byChunk = new HashMap<>();
        for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
            ZipArchiveEntry entry = e.nextElement();
            String entryName = entry.getName();
            int level = 0;
            if (entryName.startsWith(ZipLayout.LEVELS)) {
                level = ZipLayout.parseLevel(entryName);
                if (level < 0) {
                    continue;
                }
                if (level < 1 || level > levels) {
                    throw new JpklFormatException(name, "entry " + entryName, "is level " + level + ", outside the header's reduced"
                            + " levels " + (levels == 0 ? "(none: the header has no 'levels')" : "1 to " + levels));
                }
                entryName = ZipLayout.asLevelZero(entryName);
            }
            ContainerHeader levelHeader = header.level(level);
            TileGrid levelGrid = levelHeader.tiling().orElse(null);
            int[] key = grid == null ? ZipLayout.parseKey(entryName, keyAxes) : ZipLayout.parseTileKey(entryName, keyAxes);
            if (key == null) {
                continue;
            }
            for (int k = 0; k < keyAxes; k++) {
                if (key[k] >= dims[k]) {
                    throw new JpklFormatException(name, "entry " + entry.getName(), "key " + Shapes.format(Arrays.copyOf(key, keyAxes))
                            + " is outside the header's shape " + Shapes.format(header.shape()));
                }
            }
            long chunk = levelHeader.keySpace().sliceNumber(Arrays.copyOf(key, keyAxes));
            if (levelGrid != null) {
                int row = key[keyAxes];
                int column = key[keyAxes + 1];
                if (row >= levelGrid.rows() || column >= levelGrid.columns()) {
                    throw new JpklFormatException(name, "entry " + entry.getName(), "tile (" + row + ", " + column
                            + ") is outside the " + (level == 0 ? "header's " : "level " + level + " ") + levelGrid);
                }
                chunk = chunk * levelGrid.tilesPerPlane() + (long) row * levelGrid.columns() + column;
            }
            chunk += header.levelChunkStart(level);
            ZipArchiveEntry other = byChunk.putIfAbsent(chunk, entry);
            if (other != null) {
                throw new JpklFormatException(name, "entry " + entry.getName(), describe(header, chunk)
                        + " has two entries: '" + other.getName() + "' and '" + entry.getName() + "'");
            }
            checkEntry(entry, name, size);
        }
        if (byChunk.size() != count) {
            long n = 0;
            while (byChunk.containsKey(n)) {
                n++;
            }
            String expected = ZipLayout.chunkEntry(header, n, ZipLayout.extension(header.codecId()));
            throw new JpklFormatException(name, describe(header, n), "has no entry (expected '" + expected
                    + "'); the archive holds " + byChunk.size() + " of the " + count + chunks);
        }
        ZipArchiveEntry[] entries = new ZipArchiveEntry[Math.toIntExact(count)];
        byChunk.forEach((n, entry) -> entries[n.intValue()] = entry);
        return entries;
    }

    /** A chunk for messages: {@code slice (1,) tile (2, 1)} on level 0, {@code level 2 (1,) tile (0, 0)} on a reduced level. */
    private static String describe(ContainerHeader header, long chunk) {
        return (ZipLayout.levelOf(header, chunk) == 0 ? "slice " : "") + header.describeChunk(chunk);
    }

    private static void checkEntry(ZipArchiveEntry entry, String name, long fileSize) throws JpklFormatException {
        long length = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (length < 0 || length > ZipLayout.MAX_SLICE_BYTES || compressed < 0 || compressed > fileSize) {
            throw new JpklFormatException(name, "entry " + entry.getName(), "size " + length + " (compressed " + compressed
                    + ") is not possible in a " + fileSize + "-byte archive (at most " + ZipLayout.MAX_SLICE_BYTES + " per slice)");
        }
        checkReadable(entry, name, "entry " + entry.getName());
        if (entry.getMethod() == ZipMethod.STORED.getCode() && length != compressed) {
            throw new JpklFormatException(name, "entry " + entry.getName(), "is stored, yet its size " + length
                    + " differs from its compressed size " + compressed);
        }
        if (entry.getLocalHeaderOffset() < 0 || entry.getLocalHeaderOffset() > fileSize - LOCAL_HEADER_BYTES) {
            throw new JpklFormatException(name, "entry " + entry.getName(), "local header offset " + entry.getLocalHeaderOffset()
                    + " lies outside the " + fileSize + "-byte archive");
        }
    }

    /** Refuses an encrypted entry, or one compressed with a method other than stored or deflated, naming what it is. */
    private static void checkReadable(ZipArchiveEntry entry, String name, String region) throws JpklFormatException {
        if (entry.getGeneralPurposeBit().usesEncryption() || entry.getGeneralPurposeBit().usesStrongEncryption()) {
            throw new JpklFormatException(name, region, "is encrypted; jpkl reads only unencrypted entries (stored or deflated)");
        }
        int method = entry.getMethod();
        if (method != ZipMethod.STORED.getCode() && method != ZipMethod.DEFLATED.getCode()) {
            ZipMethod known = ZipMethod.getMethodByCode(method);
            throw new JpklFormatException(name, region, "uses compression method " + method
                    + (known != null ? " (" + known + ")" : "") + ", which cannot be read (stored and deflated entries can)");
        }
    }

    @Override
    public String serializerId() {
        return ZipSerializer.ID;
    }

    @Override
    public boolean hasSliceChecksums() {
        return true;
    }

    @Override
    protected ByteBuffer readChecked(long sliceNumber, boolean verify, IntFunction<ByteBuffer> buffers) throws IOException {
        int n = Math.toIntExact(sliceNumber);
        ZipArchiveEntry entry = entries[n];
        String region = sliceRegion(n) + " (entry " + entry.getName() + ")";
        ByteBuffer bytes;
        if (entry.getMethod() == ZipMethod.STORED.getCode()) {
            long known = dataOffsets.get(n);
            bytes = known >= 0 ? readFully(known, entry.getSize(), region, "archive") : readWithLocalHeader(n, entry, region);
        } else {
            // ZipFile reads local headers into shared scratch buffers: one compressed entry at a time.
            synchronized (zip) {
                bytes = ByteBuffer.wrap(readEntry(zip, entry, name(), region));
            }
        }
        if (verify && entry.getCrc() >= 0) {
            CRC32 crc = new CRC32();
            crc.update(bytes.duplicate());
            if (crc.getValue() != entry.getCrc()) {
                throw new JpklFormatException(name(), region, "CRC-32 mismatch " + storedComputed(entry.getCrc(), crc.getValue())
                        + ": the entry is damaged");
            }
        }
        return bytes;
    }

    /**
     * A stored entry read for the first time: its local header and data in one read (one request
     * remotely), assuming the local header's name and extra field are as long as the central
     * directory's; when they are longer, the data is read again from the offset the local header gives.
     */
    private ByteBuffer readWithLocalHeader(int n, ZipArchiveEntry entry, String region) throws IOException {
        long lho = entry.getLocalHeaderOffset();
        long length = withLocalHeaderLength(entry);
        if (length < 0) {
            return readFully(dataOffset(n, entry, region), entry.getSize(), region, "archive");
        }
        ByteBuffer both = readFully(lho, length, region, "archive");
        long offset = dataOffset(n, entry, region, both.order(ByteOrder.LITTLE_ENDIAN));
        if (offset - lho + entry.getSize() > both.limit()) {
            return readFully(offset, entry.getSize(), region, "archive");
        }
        return ByteBuffer.wrap(both.array(), (int) (offset - lho), (int) entry.getSize()).slice();
    }

    /**
     * The length of {@link #readWithLocalHeader}'s one read from the local header offset: the local
     * header with the central directory's name and extra field lengths, then the data (cut at the end
     * of the archive); -1 when that read is not made (too long for one buffer, or an offset outside
     * the archive).
     */
    private long withLocalHeaderLength(ZipArchiveEntry entry) {
        long lho = entry.getLocalHeaderOffset();
        long guess = (long) LOCAL_HEADER_BYTES + entry.getRawName().length + entry.getCentralDirectoryExtra().length + entry.getSize();
        if (lho < 0 || lho > fileSize - LOCAL_HEADER_BYTES || guess > MAX_READ_BYTES) {
            return -1;
        }
        return Math.min(guess, fileSize - lho);
    }

    /**
     * The read {@link #readChecked} will make for a stored entry: its data once its local header was
     * read, else the local header and the data together (the neighbouring entries of an archive
     * written by jpkl then lie back to back, so a remote source fetches them in one request).
     * Compressed entries are read through {@code ZipFile} in small reads: null.
     */
    @Override
    protected long[] plannedRead(long sliceNumber) {
        int n = Math.toIntExact(sliceNumber);
        ZipArchiveEntry entry = entries[n];
        if (entry.getMethod() != ZipMethod.STORED.getCode()) {
            return null;
        }
        long known = dataOffsets.get(n);
        if (known >= 0) {
            return new long[] {known, entry.getSize()};
        }
        long length = withLocalHeaderLength(entry);
        return length < 0 ? null : new long[] {entry.getLocalHeaderOffset(), length};
    }

    /** The data offset of a stored entry, from its local header (read once, then remembered). */
    private long dataOffset(int n, ZipArchiveEntry entry, String region) throws IOException {
        long known = dataOffsets.get(n);
        if (known >= 0) {
            return known;
        }
        ByteBuffer local = ByteBuffer.allocate(LOCAL_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        source().readFully(entry.getLocalHeaderOffset(), local);
        return dataOffset(n, entry, region, local);
    }

    /** As {@link #dataOffset(int, ZipArchiveEntry, String)}, from {@code local}: the local header's bytes (little-endian) and maybe more. */
    private long dataOffset(int n, ZipArchiveEntry entry, String region, ByteBuffer local) throws IOException {
        long lho = entry.getLocalHeaderOffset();
        if (local.getInt(0) != LOCAL_HEADER_SIGNATURE) {
            throw new JpklFormatException(name(), region, "no local file header at offset " + lho);
        }
        long offset = lho + LOCAL_HEADER_BYTES + (local.getShort(26) & 0xFFFF) + (local.getShort(28) & 0xFFFF);
        if (offset > fileSize - entry.getSize()) {
            throw new JpklFormatException(name(), region, entry.getSize() + " bytes of data at offset " + offset
                    + " pass the end of the " + fileSize + "-byte archive");
        }
        dataOffsets.set(n, offset);
        return offset;
    }

    /**
     * Inflates a deflated entry (or reads a stored one through {@code ZipFile}), never trusting its
     * declared size: the buffer grows with the bytes actually inflated (doubling, from at most
     * {@link #INITIAL_INFLATE_BYTES}) up to the declared size, and inflating stops with an error as
     * soon as the data passes it. So a small archive whose entries claim gigabytes costs only the
     * bytes it really holds, and the declared size is checked exactly (shorter or longer data fails).
     */
    private static byte[] readEntry(ZipFile zip, ZipArchiveEntry entry, String name, String region) throws IOException {
        long size = entry.getSize();
        if (size < 0 || size > ZipLayout.MAX_SLICE_BYTES) {
            throw new JpklFormatException(name, region, "entry size " + size + " is not possible");
        }
        checkReadable(entry, name, region);
        byte[] bytes = new byte[(int) Math.min(size, INITIAL_INFLATE_BYTES)];
        int done = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            while (true) {
                if (done == bytes.length) {
                    if (done == size) {
                        break;
                    }
                    bytes = Arrays.copyOf(bytes, (int) Math.min(size, 2L * bytes.length));
                }
                int r = in.read(bytes, done, bytes.length - done);
                if (r < 0) {
                    throw new JpklFormatException(name, region, "entry data ends after " + done + " of the " + size
                            + " bytes the entry declares");
                }
                done += r;
            }
            if (in.read() >= 0) {
                throw new JpklFormatException(name, region, "entry data is longer than the " + size + " bytes the entry declares");
            }
        } catch (JpklFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.nio.channels.ClosedByInterruptException) {
                throw (IOException) e;
            }
            throw new JpklFormatException(name, region, "entry cannot be read: " + e, e);
        }
        return bytes;
    }

    @Override
    protected long storedLength(long sliceNumber) {
        return entries[Math.toIntExact(sliceNumber)].getSize();
    }

    @Override
    protected void closeResources() throws IOException {
        try {
            zip.close();
        } finally {
            super.closeResources();
        }
    }

    @Override
    public String toString() {
        return "ZipContainerReader[" + name() + ", " + entries.length + " slices]";
    }
}
