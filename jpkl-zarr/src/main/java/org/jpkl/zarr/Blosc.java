package org.jpkl.zarr;

import com.github.luben.zstd.Zstd;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.jpkl.api.JpklFormatException;

/**
 * Decoder of Blosc1 frames (the format of c-blosc 1.x, which numcodecs' {@code Blosc} writes):
 * a 16-byte header, block offsets, and per block one stream (or, split, one per byte of the type
 * size), each compressed with the frame's internal codec or stored; then the byte shuffle undone.
 * Internal codecs: lz4 and lz4hc (one LZ4 block format), zstd and zlib; blosclz and snappy, and
 * the bit shuffle, are refused by name. Every size read is checked against the frame's length and
 * the size the caller expects before anything is allocated.
 *
 * <p>Thread safety: stateless; safe from any thread.
 */
final class Blosc {
    /** Header flags of c-blosc 1.x. */
    static final int SHUFFLE = 0x01;
    static final int MEMCPYED = 0x02;
    static final int BIT_SHUFFLE = 0x04;
    static final int DONT_SPLIT = 0x10;
    static final int HEADER = 16;
    /** c-blosc's MAX_SPLITS and MIN_BUFFERSIZE: when a block is split into one stream per byte of the type. */
    private static final int MAX_SPLITS = 16;
    private static final int MIN_BUFFERSIZE = 128;
    private static final String[] CODECS = {"blosclz", "lz4", "snappy", "zlib", "zstd"};

    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.safeInstance().safeDecompressor();

    private Blosc() {
    }

    /**
     * Decodes one frame of {@code length} bytes into exactly {@code expected} bytes.
     *
     * @param name the chunk's file, for messages
     * @throws JpklFormatException if the frame is damaged, truncated, holds another size than
     *     {@code expected}, or uses an internal codec or filter this decoder does not read
     */
    static byte[] decode(byte[] frame, int length, int expected, String name) throws JpklFormatException {
        if (length < HEADER) {
            throw bad(name, "is " + length + " bytes, shorter than the 16-byte Blosc header");
        }
        int version = frame[0] & 0xff;
        int flags = frame[2] & 0xff;
        int typesize = frame[3] & 0xff;
        long nbytes = u32(frame, 4);
        long blocksize = u32(frame, 8);
        long cbytes = u32(frame, 12);
        if (version < 1 || version > 2) {
            throw bad(name, "Blosc format version " + version + " is not 1 or 2 (Blosc1 frames; Blosc2 frames are not read)");
        }
        if (nbytes != expected) {
            throw bad(name, "Blosc header holds " + nbytes + " bytes; the chunk has " + expected);
        }
        if (cbytes != length) {
            throw bad(name, "Blosc header says the frame is " + cbytes + " bytes; the chunk file has " + length);
        }
        if ((flags & 0x08) != 0) {
            throw bad(name, "Blosc frame has reserved flag bit 3 set (flags 0x" + Integer.toHexString(flags) + ")");
        }
        byte[] out = new byte[expected];
        if ((flags & MEMCPYED) != 0) {
            if (length - HEADER != expected) {
                throw bad(name, "stored (memcpyed) Blosc frame holds " + (length - HEADER) + " bytes after its header; expected "
                        + expected);
            }
            System.arraycopy(frame, HEADER, out, 0, expected);
            return out;
        }
        if ((flags & BIT_SHUFFLE) != 0) {
            throw bad(name, "Blosc frame uses the bit shuffle, which jpkl does not read (byte shuffle or no shuffle only)");
        }
        int codec = flags >>> 5;
        if (codec != 1 && codec != 3 && codec != 4) {
            throw bad(name, "Blosc internal codec " + (codec < CODECS.length ? "'" + CODECS[codec] + "'" : "number " + codec)
                    + " is not read by jpkl (lz4, lz4hc, zstd and zlib are)");
        }
        if (expected == 0) {
            return out;
        }
        if (blocksize < 1 || blocksize > expected) {
            throw bad(name, "Blosc block size " + blocksize + " is not in [1, " + expected + "]");
        }
        if (typesize < 1) {
            throw bad(name, "Blosc type size is 0");
        }
        int block = (int) blocksize;
        long blocks = (expected + blocksize - 1) / blocksize;
        if (HEADER + 4 * blocks > length) {
            throw bad(name, "Blosc frame of " + length + " bytes is too short for the offsets of its " + blocks + " blocks");
        }
        boolean shuffle = (flags & SHUFFLE) != 0 && typesize > 1;
        boolean dontSplit = (flags & DONT_SPLIT) != 0;
        byte[] tmp = new byte[block];
        for (int b = 0; b < blocks; b++) {
            long start = u32(frame, HEADER + 4 * b);
            int bsize = (int) Math.min(blocksize, expected - (long) b * block);
            boolean leftover = bsize < block;
            int splits = !dontSplit && typesize <= MAX_SPLITS && block / typesize >= MIN_BUFFERSIZE && !leftover ? typesize : 1;
            int streamSize = bsize / splits;
            long at = start;
            if (start < HEADER + 4 * blocks || start >= length) {
                throw bad(name, "Blosc block " + b + " starts at " + start + ", outside the frame's data [" + (HEADER + 4 * blocks)
                        + ", " + length + ")");
            }
            byte[] target = shuffle ? tmp : out;
            int targetOffset = shuffle ? 0 : b * block;
            for (int s = 0; s < splits; s++) {
                if (at + 4 > length) {
                    throw bad(name, "Blosc block " + b + " stream " + s + " is truncated");
                }
                long csize = u32(frame, (int) at);
                at += 4;
                if (csize > length - at) {
                    throw bad(name, "Blosc block " + b + " stream " + s + " says " + csize + " bytes; " + (length - at) + " remain");
                }
                int dst = targetOffset + s * streamSize;
                if (csize == streamSize) {
                    System.arraycopy(frame, (int) at, target, dst, streamSize);
                } else {
                    inflate(codec, frame, (int) at, (int) csize, target, dst, streamSize, name, b);
                }
                at += csize;
            }
            if (shuffle) {
                unshuffle(tmp, bsize, typesize, out, b * block);
            }
        }
        return out;
    }

    private static void inflate(int codec, byte[] src, int offset, int length, byte[] dst, int dstOffset, int size, String name, int block)
            throws JpklFormatException {
        int n;
        try {
            switch (codec) {
                case 1:
                    n = LZ4.decompress(src, offset, length, dst, dstOffset, size);
                    break;
                case 4: {
                    long r = Zstd.decompressByteArray(dst, dstOffset, size, src, offset, length);
                    if (Zstd.isError(r)) {
                        throw bad(name, "Blosc block " + block + ": zstd: " + Zstd.getErrorName(r));
                    }
                    n = (int) r;
                    break;
                }
                default: {
                    Inflater inflater = new Inflater();
                    try {
                        inflater.setInput(src, offset, length);
                        n = inflater.inflate(dst, dstOffset, size);
                        if (!inflater.finished()) {
                            throw bad(name, "Blosc block " + block + ": the zlib stream does not end within its " + size + " bytes");
                        }
                    } finally {
                        inflater.end();
                    }
                    break;
                }
            }
        } catch (DataFormatException | RuntimeException e) {
            throw new JpklFormatException(name, "chunk", "Blosc block " + block + " is damaged (" + CODECS[codec] + "): " + e.getMessage(), e);
        }
        if (n != size) {
            throw bad(name, "Blosc block " + block + " decodes to " + n + " bytes; expected " + size);
        }
    }

    /** Undoes c-blosc's byte shuffle of one block: bytes {@code j} of every element, then the remainder as is. */
    static void unshuffle(byte[] src, int size, int typesize, byte[] dst, int dstOffset) {
        int elements = size / typesize;
        for (int j = 0; j < typesize; j++) {
            int from = j * elements;
            for (int i = 0; i < elements; i++) {
                dst[dstOffset + i * typesize + j] = src[from + i];
            }
        }
        int done = elements * typesize;
        System.arraycopy(src, done, dst, dstOffset + done, size - done);
    }

    /** c-blosc's byte shuffle of one block (the inverse of {@link #unshuffle}). */
    static void shuffle(byte[] src, int srcOffset, int size, int typesize, byte[] dst, int dstOffset) {
        int elements = size / typesize;
        for (int j = 0; j < typesize; j++) {
            for (int i = 0; i < elements; i++) {
                dst[dstOffset + j * elements + i] = src[srcOffset + i * typesize + j];
            }
        }
        int done = elements * typesize;
        System.arraycopy(src, srcOffset + done, dst, dstOffset + done, size - done);
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static JpklFormatException bad(String name, String detail) {
        return new JpklFormatException(name, "chunk", detail);
    }
}
