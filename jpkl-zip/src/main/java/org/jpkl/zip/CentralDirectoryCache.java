package org.jpkl.zip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.io.RandomAccessSource;

/**
 * The end of an archive, from its central directory on, read in at most two reads before
 * {@code ZipFile} parses it: Commons Compress looks for the end-of-central-directory record a few
 * bytes at a time and reads each central directory record on its own, which over HTTP or S3 would
 * be a request each. First the last {@value #TAIL_BYTES} bytes (the end record with the longest
 * comment, and the ZIP64 records before it), then, when the central directory starts before them,
 * the rest of it. Reads of other regions go to the source.
 *
 * <p>Only a cache: when the end record is not found, or the directory is larger than
 * {@value #MAX_CACHED_BYTES} bytes, only the last bytes are kept, and {@code ZipFile} reports what
 * is wrong as before.
 *
 * <p>Thread safety: as the source; the cached bytes are immutable.
 */
final class CentralDirectoryCache implements RandomAccessSource {
    /** End record (22) + longest comment (65,535) + ZIP64 locator (20) + ZIP64 end record (56). */
    static final int TAIL_BYTES = 22 + 65_535 + 20 + 56;
    /** The largest central directory kept in memory (256 MiB: about two million entries). */
    static final long MAX_CACHED_BYTES = 256L << 20;
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;

    private final RandomAccessSource source;
    private final long size;
    private final long start;
    private final ByteBuffer cached;

    private CentralDirectoryCache(RandomAccessSource source, long size, long start, ByteBuffer cached) {
        this.source = source;
        this.size = size;
        this.start = start;
        this.cached = cached.asReadOnlyBuffer();
    }

    /** Reads the end of {@code source} (which stays the caller's: closing this does not close it). */
    static CentralDirectoryCache read(RandomAccessSource source) throws IOException {
        long size = source.size();
        int tailLength = (int) Math.min(size, TAIL_BYTES);
        long tailStart = size - tailLength;
        ByteBuffer tail = ByteBuffer.allocate(tailLength).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(tailStart, tail);
        long cdStart = centralDirectoryStart(tail, tailStart);
        if (cdStart < 0 || cdStart >= tailStart || size - cdStart > MAX_CACHED_BYTES) {
            return new CentralDirectoryCache(source, size, tailStart, tail.clear());
        }
        ByteBuffer all = ByteBuffer.allocate((int) (size - cdStart));
        all.limit((int) (tailStart - cdStart));
        source.readFully(cdStart, all);
        all.limit(all.capacity());
        all.put(tail.array());
        return new CentralDirectoryCache(source, size, cdStart, all.clear());
    }

    /** Where the central directory starts by the end records in {@code tail}, or -1 when they are not there. */
    private static long centralDirectoryStart(ByteBuffer tail, long tailStart) {
        for (int p = tail.capacity() - 22; p >= 0; p--) {
            if (tail.getInt(p) != EOCD || (tail.getShort(p + 20) & 0xFFFF) != tail.capacity() - p - 22) {
                continue;
            }
            long offset = tail.getInt(p + 16) & 0xFFFFFFFFL;
            if (offset != 0xFFFFFFFFL) {
                return offset;
            }
            int locator = p - 20;
            if (locator < 0 || tail.getInt(locator) != ZIP64_LOCATOR) {
                return -1;
            }
            long record = tail.getLong(locator + 8) - tailStart;
            if (record < 0 || record > locator - 56 || tail.getInt((int) record) != ZIP64_EOCD) {
                return -1;
            }
            return tail.getLong((int) record + 48);
        }
        return -1;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
        if (position >= start && position <= size - dst.remaining()) {
            ByteBuffer part = cached.duplicate();
            part.position((int) (position - start)).limit((int) (position - start) + dst.remaining());
            dst.put(part);
        } else {
            source.readFully(position, dst);
        }
    }

    /** Does not close the source. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "CentralDirectoryCache[" + source.name() + ", " + cached.capacity() + " bytes from " + start + "]";
    }
}
