package org.jpkl.zarr;

import com.github.luben.zstd.Zstd;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.jpkl.api.JpklFormatException;

/**
 * The compressor of a Zarr v2 array ({@code "compressor"} in {@code .zarray}, numcodecs' ids and
 * configurations): {@code null}, {@code zlib}, {@code gzip}, {@code zstd} and {@code blosc} decoded;
 * {@code null}, {@code zlib}, {@code zstd} and {@code blosc} (lz4, byte shuffle) encoded. A chunk
 * always decodes to exactly its expected size: more or fewer bytes are refused, so a chunk can
 * never allocate more than its array's chunk size.
 *
 * <p>Thread safety: immutable.
 */
final class ChunkCodec {
    /** The ids read, for messages. */
    static final String READ = "null, zlib, gzip, zstd, blosc";

    private final String id;
    private final int level;
    /** For blosc: its internal codec's name, and the shuffle it writes (0 none, 1 byte). */
    private final String cname;
    private final int shuffle;

    private ChunkCodec(String id, int level, String cname, int shuffle) {
        this.id = id;
        this.level = level;
        this.cname = cname;
        this.shuffle = shuffle;
    }

    static final ChunkCodec NONE = new ChunkCodec(null, 0, null, 0);

    static ChunkCodec zlib(int level) {
        return new ChunkCodec("zlib", level, null, 0);
    }

    static ChunkCodec zstd(int level) {
        return new ChunkCodec("zstd", level, null, 0);
    }

    static ChunkCodec bloscLz4(int level) {
        return new ChunkCodec("blosc", level, "lz4", 1);
    }

    /** The id, or null for uncompressed chunks. */
    String id() {
        return id;
    }

    /**
     * Reads {@code "compressor"} of a {@code .zarray}.
     *
     * @throws JpklFormatException naming the id and the ids read, or the bad configuration
     */
    static ChunkCodec parse(JsonElement json, String name) throws JpklFormatException {
        if (json == null || json.isJsonNull()) {
            return NONE;
        }
        if (!json.isJsonObject() || !json.getAsJsonObject().has("id") || !isString(json.getAsJsonObject().get("id"))) {
            throw new JpklFormatException(name, "compressor", json + " is not null or an object with a string \"id\"");
        }
        JsonObject o = json.getAsJsonObject();
        String id = o.get("id").getAsString();
        switch (id) {
            case "zlib":
            case "gzip":
            case "zstd":
                return new ChunkCodec(id, 0, null, 0);
            case "blosc": {
                String cname = isString(o.get("cname")) ? o.get("cname").getAsString() : "?";
                if (!Arrays.asList("lz4", "lz4hc", "zstd", "zlib").contains(cname)) {
                    throw new JpklFormatException(name, "compressor", "blosc with cname '" + cname + "' is not read by jpkl"
                            + " (blosc with lz4, lz4hc, zstd or zlib is)");
                }
                JsonElement s = o.get("shuffle");
                int shuffle = s != null && s.isJsonPrimitive() && s.getAsJsonPrimitive().isNumber() ? s.getAsInt() : 0;
                if (shuffle == 2) {
                    throw new JpklFormatException(name, "compressor", "blosc with the bit shuffle (shuffle 2) is not read by jpkl"
                            + " (no shuffle, 0, and the byte shuffle, 1, are)");
                }
                if (shuffle != 0 && shuffle != 1 && shuffle != -1) {
                    throw new JpklFormatException(name, "compressor", "blosc shuffle " + s + " is not -1, 0, 1 or 2");
                }
                return new ChunkCodec(id, 0, cname, shuffle);
            }
            default:
                throw new JpklFormatException(name, "compressor", "'" + id + "' is not a compressor jpkl reads (" + READ + ")");
        }
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    /** The {@code "compressor"} value written into {@code .zarray}. */
    JsonElement toJson() {
        if (id == null) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.add("id", new JsonPrimitive(id));
        if (id.equals("blosc")) {
            o.add("cname", new JsonPrimitive(cname));
            o.add("clevel", new JsonPrimitive(level));
            o.add("shuffle", new JsonPrimitive(shuffle));
            o.add("blocksize", new JsonPrimitive(0));
        } else {
            o.add("level", new JsonPrimitive(level));
        }
        return o;
    }

    /**
     * Decodes one stored chunk into exactly {@code expected} bytes.
     *
     * @throws JpklFormatException if it is damaged or decodes to another size
     */
    byte[] decode(byte[] stored, int expected, String name) throws JpklFormatException {
        if (id == null) {
            if (stored.length != expected) {
                throw new JpklFormatException(name, "chunk", "uncompressed chunk is " + stored.length + " bytes; expected " + expected);
            }
            return stored;
        }
        switch (id) {
            case "blosc":
                return Blosc.decode(stored, stored.length, expected, name);
            case "zstd": {
                byte[] out = new byte[expected];
                long n = Zstd.decompressByteArray(out, 0, expected, stored, 0, stored.length);
                if (Zstd.isError(n)) {
                    throw new JpklFormatException(name, "chunk", "zstd: " + Zstd.getErrorName(n) + " (expected " + expected
                            + " bytes)");
                }
                if (n != expected) {
                    throw new JpklFormatException(name, "chunk", "zstd chunk decodes to " + n + " bytes; expected " + expected);
                }
                return out;
            }
            case "zlib":
                return inflate(stored, expected, name);
            default:
                return gunzip(stored, expected, name);
        }
    }

    private static byte[] inflate(byte[] stored, int expected, String name) throws JpklFormatException {
        byte[] out = new byte[expected];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stored);
            int n = 0;
            while (n < expected && !inflater.finished()) {
                int got = inflater.inflate(out, n, expected - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n < expected) {
                throw new JpklFormatException(name, "chunk", "zlib chunk decodes to " + n + " bytes; expected " + expected);
            }
            if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                throw new JpklFormatException(name, "chunk", "zlib chunk decodes to more than the " + expected + " bytes expected");
            }
            if (!inflater.finished()) {
                throw new JpklFormatException(name, "chunk", "zlib stream is truncated after " + expected + " bytes");
            }
            return out;
        } catch (DataFormatException e) {
            throw new JpklFormatException(name, "chunk", "zlib stream is damaged: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static byte[] gunzip(byte[] stored, int expected, String name) throws JpklFormatException {
        byte[] out = new byte[expected];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            int n = in.readNBytes(out, 0, expected);
            if (n < expected) {
                throw new JpklFormatException(name, "chunk", "gzip chunk decodes to " + n + " bytes; expected " + expected);
            }
            if (in.read() >= 0) {
                throw new JpklFormatException(name, "chunk", "gzip chunk decodes to more than the " + expected + " bytes expected");
            }
            return out;
        } catch (JpklFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new JpklFormatException(name, "chunk", "gzip stream is damaged: " + e.getMessage(), e);
        }
    }

    /** Encodes one chunk of {@code raw} bytes (elements of {@code typesize} bytes). */
    byte[] encode(byte[] raw, int typesize) {
        if (id == null) {
            return raw;
        }
        switch (id) {
            case "zstd":
                return Zstd.compress(raw, level);
            case "blosc":
                return bloscLz4(raw, typesize, level);
            default: {
                Deflater deflater = new Deflater(level);
                try {
                    deflater.setInput(raw);
                    deflater.finish();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
                    byte[] buffer = new byte[65536];
                    while (!deflater.finished()) {
                        int n = deflater.deflate(buffer);
                        out.write(buffer, 0, n);
                    }
                    return out.toByteArray();
                } finally {
                    deflater.end();
                }
            }
        }
    }

    /**
     * A Blosc1 frame of one block, not split, byte-shuffled, LZ4 (as c-blosc writes with
     * {@code blocksize} equal to the chunk): stored as is (memcpyed) when LZ4 does not shrink it.
     */
    static byte[] bloscLz4(byte[] raw, int typesize, int level) {
        int n = raw.length;
        byte[] shuffled = raw;
        boolean shuffle = typesize > 1;
        if (shuffle) {
            shuffled = new byte[n];
            Blosc.shuffle(raw, 0, n, typesize, shuffled, 0);
        }
        LZ4Compressor lz4 = level >= 9 ? LZ4Factory.safeInstance().highCompressor() : LZ4Factory.safeInstance().fastCompressor();
        byte[] out = new byte[Blosc.HEADER + 8 + lz4.maxCompressedLength(n)];
        int c = n == 0 ? 0 : lz4.compress(shuffled, 0, n, out, Blosc.HEADER + 8, out.length - Blosc.HEADER - 8);
        int flags = (shuffle ? Blosc.SHUFFLE : 0) | Blosc.DONT_SPLIT | 1 << 5;
        int total;
        if (n == 0 || c >= n) {
            flags |= Blosc.MEMCPYED;
            total = Blosc.HEADER + n;
            out = Arrays.copyOf(out, Math.max(out.length, total));
            System.arraycopy(raw, 0, out, Blosc.HEADER, n);
        } else {
            total = Blosc.HEADER + 8 + c;
            putU32(out, Blosc.HEADER, Blosc.HEADER + 4);
            putU32(out, Blosc.HEADER + 4, c);
        }
        out[0] = 2;
        out[1] = 1;
        out[2] = (byte) flags;
        out[3] = (byte) typesize;
        putU32(out, 4, n);
        putU32(out, 8, n);
        putU32(out, 12, total);
        return Arrays.copyOf(out, total);
    }

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    @Override
    public String toString() {
        return id == null ? "none" : id.equals("blosc") ? "blosc (" + cname + ", shuffle " + shuffle + ")"
                : id + (level == 0 ? "" : " level " + level).toLowerCase(Locale.ROOT);
    }
}
