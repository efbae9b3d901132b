package org.jpkl.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;

/**
 * Reads bands of rows of one plane (the last two axes) of a Zarr v2 array from its chunk files:
 * each chunk the band touches is read (its file size checked against the limit first), decoded to
 * exactly one chunk's bytes and its part copied out, in C or F order and either byte order; a
 * missing chunk is the fill value. The chunks of one plane are kept (within a budget) while the
 * next planes fall into the same chunks, so a chunk spanning several planes is decoded once.
 *
 * <p>Thread safety: not thread-safe; one import.
 */
final class ChunkGrid {
    /** Decoded chunks kept for the next planes: at most this many bytes. */
    static final long CACHE_BYTES = 256L << 20;
    private static final byte[] MISSING = new byte[0];

    private final ZarrArrayMeta meta;
    private final Path dir;
    private final int ndim;
    private final long[] strides;
    private final int chunkBytes;
    private final long maxStoredBytes;
    private final Map<String, byte[]> cache = new HashMap<>();
    private int[] cachedKeyChunks;
    private long cachedBytes;

    ChunkGrid(ZarrArrayMeta meta, Path dir) {
        this.meta = meta;
        this.dir = dir;
        this.ndim = meta.shape.length;
        this.strides = new long[ndim];
        long s = 1;
        for (int i = 0; i < ndim; i++) {
            int a = meta.fortran ? i : ndim - 1 - i;
            strides[a] = s;
            s *= meta.chunks[a];
        }
        this.chunkBytes = (int) meta.chunkBytes();
        // A stored chunk may exceed its decoded size only by a compressor's framing (Blosc's header
        // and offsets, zlib's worst case on noise).
        this.maxStoredBytes = chunkBytes + chunkBytes / 8 + 4096;
    }

    /**
     * Copies rows {@code [y0, y0 + band.height)} of the plane at {@code key} (positions along the
     * axes before the last two) into {@code band} (full width).
     */
    void readBand(int[] key, int y0, PlaneBuffer band) throws IOException {
        int[] keyChunks = new int[ndim - 2];
        for (int i = 0; i < keyChunks.length; i++) {
            keyChunks[i] = key[i] / meta.chunks[i];
        }
        if (!Arrays.equals(keyChunks, cachedKeyChunks)) {
            cache.clear();
            cachedBytes = 0;
            cachedKeyChunks = keyChunks;
        }
        int width = meta.shape[ndim - 1];
        int ch = meta.chunks[ndim - 2];
        int cw = meta.chunks[ndim - 1];
        int rows = band.spec().height();
        long keyOffset = 0;
        for (int i = 0; i < keyChunks.length; i++) {
            keyOffset += (key[i] % meta.chunks[i]) * strides[i];
        }
        int[] index = Arrays.copyOf(keyChunks, ndim);
        for (int cy = y0 / ch; cy <= (y0 + rows - 1) / ch; cy++) {
            for (int cx = 0; cx <= (width - 1) / cw; cx++) {
                index[ndim - 2] = cy;
                index[ndim - 1] = cx;
                byte[] chunk = chunk(index);
                int ya = Math.max(y0, cy * ch);
                int yb = Math.min(y0 + rows, Math.min(meta.shape[ndim - 2], (cy + 1) * ch));
                int xa = cx * cw;
                int xb = Math.min(width, xa + cw);
                for (int y = ya; y < yb; y++) {
                    int dst = band.offset() + (y - y0) * width + xa;
                    if (chunk == MISSING) {
                        fill(band, dst, xb - xa);
                    } else {
                        long e = keyOffset + (y - cy * ch) * strides[ndim - 2];
                        copy(chunk, e, strides[ndim - 1], band, dst, xb - xa);
                    }
                }
            }
        }
    }

    /** The decoded chunk at grid position {@code index}, or {@link #MISSING}. */
    private byte[] chunk(int[] index) throws IOException {
        String key = meta.key(index);
        byte[] cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Path file = dir.resolve(key);
        String name = file.toString();
        byte[] decoded;
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            decoded = MISSING;
        } else {
            if (!Files.isRegularFile(file)) {
                throw new JpklFormatException(name, "chunk", "is not a regular file");
            }
            long size = Files.size(file);
            if (size > maxStoredBytes) {
                throw new JpklFormatException(name, "chunk", "is " + size + " bytes; a chunk of " + chunkBytes + " bytes is stored in at"
                        + " most " + maxStoredBytes);
            }
            byte[] stored = Files.readAllBytes(file);
            if (stored.length != size) {
                throw new JpklFormatException(name, "chunk", "changed size while read (" + size + ", then " + stored.length + " bytes)");
            }
            decoded = meta.codec.decode(stored, chunkBytes, name);
        }
        if (cachedBytes + decoded.length <= CACHE_BYTES) {
            cache.put(key, decoded);
            cachedBytes += decoded.length;
        }
        return decoded;
    }

    private void fill(PlaneBuffer band, int dst, int n) {
        double v = meta.fill;
        switch (meta.dtype) {
            case UINT8:
                Arrays.fill(band.bytes(), dst, dst + n, (byte) v);
                break;
            case UINT16:
            case INT16:
                Arrays.fill(band.shorts(), dst, dst + n, (short) (int) v);
                break;
            case INT32:
                Arrays.fill(band.ints(), dst, dst + n, (int) v);
                break;
            case FLOAT32:
                Arrays.fill(band.floats(), dst, dst + n, (float) v);
                break;
            default:
                Arrays.fill(band.doubles(), dst, dst + n, v);
        }
    }

    /** Copies {@code n} elements, the first at element {@code e} of the chunk, {@code step} apart. */
    private void copy(byte[] chunk, long e, long step, PlaneBuffer band, int dst, int n) {
        ByteBuffer b = ByteBuffer.wrap(chunk).order(meta.order);
        int at = (int) e;
        int s = (int) step;
        switch (meta.dtype) {
            case UINT8: {
                byte[] out = band.bytes();
                if (s == 1) {
                    System.arraycopy(chunk, at, out, dst, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[dst + i] = chunk[at + i * s];
                    }
                }
                break;
            }
            case UINT16:
            case INT16: {
                short[] out = band.shorts();
                if (s == 1) {
                    b.asShortBuffer().get(at, out, dst, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[dst + i] = b.getShort((at + i * s) * 2);
                    }
                }
                break;
            }
            case INT32: {
                int[] out = band.ints();
                if (s == 1) {
                    b.asIntBuffer().get(at, out, dst, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[dst + i] = b.getInt((at + i * s) * 4);
                    }
                }
                break;
            }
            case FLOAT32: {
                float[] out = band.floats();
                if (s == 1) {
                    b.asFloatBuffer().get(at, out, dst, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[dst + i] = b.getFloat((at + i * s) * 4);
                    }
                }
                break;
            }
            default: {
                double[] out = band.doubles();
                if (s == 1) {
                    b.asDoubleBuffer().get(at, out, dst, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[dst + i] = b.getDouble((at + i * s) * 8);
                    }
                }
            }
        }
    }
}
