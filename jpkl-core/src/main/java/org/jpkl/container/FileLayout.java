package org.jpkl.container;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** Byte layout constants of the single-file jpkl format (docs/FORMAT.md). */
final class FileLayout {
    /** 0x89 'J' 'P' 'K' 'L' CR LF SUB: the high byte and CR LF catch 7-bit and newline-mangling transfers, as in PNG. */
    static final byte[] MAGIC = {(byte) 0x89, 'J', 'P', 'K', 'L', 0x0D, 0x0A, 0x1A};
    /** Closes the footer: 'J' 'P' 'K' 'L' 'E' 'N' 'D' SUB. */
    static final byte[] END_MAGIC = {'J', 'P', 'K', 'L', 'E', 'N', 'D', 0x1A};
    /** Untiled files: byte for byte what the first format wrote. */
    static final int MAJOR_VERSION = 1;
    static final int MINOR_VERSION = 0;
    /** Files whose planes are tiles (header key {@code tile_shape}); readers of version 1 refuse them. */
    static final int TILED_MAJOR_VERSION = 2;
    static final int TILED_MINOR_VERSION = 0;
    /**
     * Files with reduced resolution levels (header key {@code levels}, chunks after level 0's):
     * readers of version 2 would ignore the key and then refuse the footer's larger chunk count with
     * a misleading message, so levels take a new major version that they refuse at the preamble.
     */
    static final int LEVELS_MAJOR_VERSION = 3;
    static final int LEVELS_MINOR_VERSION = 0;

    /** The major version a header is written with: 1 plain, 2 tiled, 3 with levels. */
    static int majorVersion(org.jpkl.api.ContainerHeader header) {
        return header.levelCount() > 1 ? LEVELS_MAJOR_VERSION : header.isTiled() ? TILED_MAJOR_VERSION : MAJOR_VERSION;
    }
    /** magic, u16 major, u16 minor, u32 header length. */
    static final int PREAMBLE_BYTES = 16;
    static final int HEADER_CRC_BYTES = 4;
    /** u64 offset, u64 length, u32 crc32c. */
    static final int INDEX_ENTRY_BYTES = 20;
    /** u64 index offset, u64 slice count, u32 index crc32c, u32 footer crc32c, 8-byte end magic. */
    static final int FOOTER_BYTES = 32;
    /** The largest header accepted (JSON); metadata beyond this belongs in a side file. */
    static final int MAX_HEADER_BYTES = 16 << 20;
    /** Index size up to which the whole index is read and checked at open; larger ones are read per entry. */
    static final long EAGER_INDEX_BYTES = 256L << 20;
    /** The largest single encoded slice (a Java array must hold it). */
    static final long MAX_SLICE_BYTES = Integer.MAX_VALUE - 8;

    private FileLayout() {
    }

    static ByteBuffer little(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int crc32c(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }

    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
