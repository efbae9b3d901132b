package org.jpkl.tiff;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;

/**
 * Writes the TIFF export's pages, one page in memory at a time, as a little-endian classic TIFF or
 * BigTIFF: uint8 or uint16 grey (BlackIsZero) or RGB (chunky), or float32 grey (SampleFormat 3);
 * neither TwelveMonkeys' TIFF writer (no float samples) nor the JDK's (no BigTIFF) writes all of
 * these, and neither keeps the page data of an uncompressed stack back to back as ImageJ needs.
 *
 * <p>Layout: the 8- or 16-byte header, then every page's samples in page order, back to back (one
 * strip per page; uncompressed pages are thus contiguous, as in ImageJ's own stacks, which ImageJ
 * relies on when it reads an uncompressed stack with an ImageJ description from its first IFD
 * alone), then one IFD per page, each followed by its values that do not fit in an entry; the
 * header's first-IFD offset is filled in last. Page 0's IFD carries the ImageDescription and the
 * X/YResolution and ResolutionUnit tags when given. Compression none, LZW (as libtiff writes it)
 * or Deflate (zlib, TIFF compression 8); compressed uint8 and uint16 pages with horizontal
 * differencing (Predictor 2).
 *
 * <p>Not thread-safe; {@link #close()} without {@link #finish()} leaves an incomplete file (the
 * caller's {@code AtomicFileOutput} then discards it).
 */
final class TiffPageWriter implements Closeable {
    private static final int IMAGE_WIDTH = 256;
    private static final int IMAGE_LENGTH = 257;
    private static final int BITS_PER_SAMPLE = 258;
    private static final int COMPRESSION = 259;
    private static final int PHOTOMETRIC = 262;
    private static final int IMAGE_DESCRIPTION = 270;
    private static final int STRIP_OFFSETS = 273;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int ROWS_PER_STRIP = 278;
    private static final int STRIP_BYTE_COUNTS = 279;
    private static final int X_RESOLUTION = 282;
    private static final int Y_RESOLUTION = 283;
    private static final int PLANAR_CONFIGURATION = 284;
    private static final int RESOLUTION_UNIT = 296;
    private static final int PREDICTOR = 317;
    private static final int SAMPLE_FORMAT = 339;

    private static final short ASCII = 2;
    private static final short SHORT = 3;
    private static final short LONG = 4;
    private static final short RATIONAL = 5;
    private static final short LONG8 = 16;

    /** The largest offset a classic TIFF can hold. */
    static final long CLASSIC_LIMIT = 0xFFFFFFFFL;
    /** More than the bytes of any page's IFD with its values, the description apart. */
    private static final int IFD_BOUND = 320;

    private final FileChannel out;
    private final String name;
    private final boolean big;
    private final int width;
    private final int height;
    private final int samplesPerPixel;
    private final int bitsPerSample;
    private final boolean floats;
    private final String what;
    private final int pages;
    private final TiffExportOptions.Compression compression;
    private final String description;
    private final long[] resolution;
    private final long[] offsets;
    private final long[] counts;
    private final ByteBuffer raw;
    private Lzw lzw;
    private int written;
    private long position;

    /**
     * Starts the file {@code file} (created or truncated).
     *
     * @param name the file's name for error messages (the target, not a temporary file)
     * @param big BigTIFF (64-bit offsets) rather than classic TIFF
     * @param spec the pages' dtype (uint8, uint16 or float32), size and channels (grey or RGB)
     * @param pages how many pages {@link #writePage} will be given
     * @param description page 0's ImageDescription, or null for none; written as UTF-8 (ASCII but
     *     for e.g. a unit {@code µm}; ImageJ and tifffile read it as UTF-8)
     * @param resolution page 0's {x numerator, x denominator, y numerator, y denominator} (ResolutionUnit
     *     none), or null for none
     * @throws IllegalArgumentException for other dtypes or channels, if a page passes 2 GiB (a Java
     *     array), the pages cannot have one IFD each, or the description holds a NUL
     */
    TiffPageWriter(Path file, String name, boolean big, PlaneSpec spec, long pages, TiffExportOptions.Compression compression,
                   String description, long[] resolution) throws IOException {
        this.width = spec.width();
        this.height = spec.height();
        this.samplesPerPixel = spec.channels().samplesPerPixel();
        this.floats = spec.dtype() == DType.FLOAT32;
        if (spec.dtype() != DType.UINT8 && spec.dtype() != DType.UINT16 && !floats || samplesPerPixel != 1 && samplesPerPixel != 3
                || floats && samplesPerPixel != 1) {
            throw new IllegalArgumentException(name + ": TIFF pages are uint8 or uint16 grey or RGB, or float32 grey; not " + spec);
        }
        this.bitsPerSample = spec.dtype().byteSize() * 8;
        this.what = spec.dtype() + " " + (samplesPerPixel == 3 ? "RGB" : "grey");
        long pageBytes = (long) width * height * samplesPerPixel * (bitsPerSample / 8);
        if (width <= 0 || height <= 0 || pageBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(name + ": " + what + " pages of " + height + "x" + width + " must be non-empty and"
                    + " at most 2 GiB each");
        }
        if (pages <= 0 || pages > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + ": " + pages + " pages; a TIFF export writes 1 to " + (Integer.MAX_VALUE - 8));
        }
        if (description != null && description.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + ": the TIFF description must not hold NUL characters: " + description);
        }
        this.name = name;
        this.big = big;
        this.pages = (int) pages;
        this.compression = compression;
        this.description = description;
        this.resolution = resolution == null ? null : resolution.clone();
        this.offsets = new long[this.pages];
        this.counts = new long[this.pages];
        this.raw = ByteBuffer.allocate((int) pageBytes).order(ByteOrder.LITTLE_ENDIAN);
        this.out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer header = ByteBuffer.allocate(big ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 'I').put((byte) 'I');
        if (big) {
            header.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(0);
        } else {
            header.putShort((short) 42).putInt(0);
        }
        write(header.flip());
    }

    /**
     * An upper bound of the size of a classic TIFF of these pages with this compression (LZW codes
     * take at most 12 bits per input byte; deflate grows incompressible data by well under 0.1%),
     * and a description of {@code descriptionLength} characters.
     */
    static long classicBound(PlaneSpec spec, long pages, TiffExportOptions.Compression compression, int descriptionLength) {
        long bytes = spec.byteSize();
        long page = compression == TiffExportOptions.Compression.NONE ? bytes
                : compression == TiffExportOptions.Compression.LZW ? bytes / 2 * 3 + 64 : bytes + bytes / 1000 + 64;
        long perPage = page + 1 + IFD_BOUND;
        return pages > (Long.MAX_VALUE - descriptionLength - 16) / perPage ? Long.MAX_VALUE
                : 8 + pages * perPage + descriptionLength + 16;
    }

    /**
     * Writes the next page: {@code samples} row-major, samples of a pixel interleaved, in a
     * {@code byte[]} (uint8), {@code short[]} (uint16) or {@code float[]} (float32) of at least
     * {@code width * height * samplesPerPixel} (more are ignored).
     *
     * @throws IllegalStateException if all pages were written
     * @throws IllegalArgumentException if a classic TIFF would pass 4 GiB (compressed pages can grow)
     */
    void writePage(Object samples) throws IOException {
        if (written == pages) {
            throw new IllegalStateException(name + ": all " + pages + " pages are written");
        }
        int n = width * height * samplesPerPixel;
        raw.clear();
        if (bitsPerSample == 8) {
            raw.put((byte[]) samples, 0, n).clear();
        } else if (bitsPerSample == 16) {
            raw.asShortBuffer().put((short[]) samples, 0, n);
        } else {
            raw.asFloatBuffer().put((float[]) samples, 0, n);
        }
        if (predictor()) {
            differences();
        }
        ByteBuffer data;
        switch (compression) {
            case NONE:
                data = raw;
                break;
            case DEFLATE:
                data = deflate(raw.array());
                break;
            default:
                if (lzw == null) {
                    lzw = new Lzw();
                }
                data = lzw.encode(raw.array());
                break;
        }
        offsets[written] = position;
        counts[written] = data.remaining();
        checkClassic(position + data.remaining());
        write(data);
        written++;
    }

    /** Writes the IFDs and the header's first-IFD offset; the file is then complete. */
    void finish() throws IOException {
        if (written != pages) {
            throw new IllegalStateException(name + ": " + written + " of " + pages + " pages written");
        }
        pad();
        long first = position;
        for (int p = 0; p < pages; p++) {
            write(ifd(p, position));
        }
        checkClassic(position);
        ByteBuffer offset = ByteBuffer.allocate(big ? 8 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (big) {
            offset.putLong(first);
        } else {
            offset.putInt((int) first);
        }
        offset.flip();
        while (offset.hasRemaining()) {
            out.write(offset, (big ? 8 : 4) + offset.position());
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Page {@code p}'s IFD placed at {@code at} (even), its extra values after it, padded to even length. */
    private ByteBuffer ifd(int p, long at) {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.ofLong(IMAGE_WIDTH, width));
        entries.add(Entry.ofLong(IMAGE_LENGTH, height));
        entries.add(Entry.ofShorts(BITS_PER_SAMPLE, bitsPerSample, samplesPerPixel));
        entries.add(Entry.ofShort(COMPRESSION, compression == TiffExportOptions.Compression.NONE ? 1
                : compression == TiffExportOptions.Compression.LZW ? 5 : 8));
        entries.add(Entry.ofShort(PHOTOMETRIC, samplesPerPixel == 3 ? 2 : 1));
        if (p == 0 && description != null) {
            byte[] text = (description + '\0').getBytes(StandardCharsets.UTF_8);
            entries.add(new Entry(IMAGE_DESCRIPTION, ASCII, text.length, text));
        }
        entries.add(big ? Entry.ofLong8(STRIP_OFFSETS, offsets[p]) : Entry.ofLong(STRIP_OFFSETS, offsets[p]));
        entries.add(Entry.ofShort(SAMPLES_PER_PIXEL, samplesPerPixel));
        entries.add(Entry.ofLong(ROWS_PER_STRIP, height));
        entries.add(big ? Entry.ofLong8(STRIP_BYTE_COUNTS, counts[p]) : Entry.ofLong(STRIP_BYTE_COUNTS, counts[p]));
        if (p == 0 && resolution != null) {
            entries.add(Entry.ofRational(X_RESOLUTION, resolution[0], resolution[1]));
            entries.add(Entry.ofRational(Y_RESOLUTION, resolution[2], resolution[3]));
        }
        entries.add(Entry.ofShort(PLANAR_CONFIGURATION, 1));
        if (p == 0 && resolution != null) {
            entries.add(Entry.ofShort(RESOLUTION_UNIT, 1));
        }
        if (predictor()) {
            entries.add(Entry.ofShort(PREDICTOR, 2));
        }
        entries.add(Entry.ofShorts(SAMPLE_FORMAT, floats ? 3 : 1, samplesPerPixel));

        int inline = big ? 8 : 4;
        int fixed = big ? 8 + entries.size() * 20 + 8 : 2 + entries.size() * 12 + 4;
        int extra = 0;
        for (Entry e : entries) {
            if (e.value.length > inline) {
                extra += e.value.length + (e.value.length & 1);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(fixed + extra).order(ByteOrder.LITTLE_ENDIAN);
        long next = p + 1 < pages ? at + fixed + extra : 0;
        if (big) {
            b.putLong(entries.size());
        } else {
            b.putShort((short) entries.size());
        }
        long extraAt = at + fixed;
        int extraPos = fixed;
        for (Entry e : entries) {
            b.putShort((short) e.tag).putShort(e.type);
            if (big) {
                b.putLong(e.count);
            } else {
                b.putInt((int) e.count);
            }
            if (e.value.length > inline) {
                if (big) {
                    b.putLong(extraAt);
                } else {
                    b.putInt((int) extraAt);
                }
                b.put(extraPos, e.value);
                int padded = e.value.length + (e.value.length & 1);
                extraAt += padded;
                extraPos += padded;
            } else {
                b.put(e.value);
                b.position(b.position() + inline - e.value.length);
            }
        }
        if (big) {
            b.putLong(next);
        } else {
            b.putInt((int) next);
        }
        return b.clear();
    }

    /**
     * Whether compressed integer pages get horizontal differencing (Predictor 2), as TwelveMonkeys'
     * writer and libtiff users do: smooth images then compress far better. Not for float32, whose
     * predictor (3) ImageJ does not read.
     */
    private boolean predictor() {
        return compression != TiffExportOptions.Compression.NONE && !floats;
    }

    /** Replaces each sample of {@code raw} but a row's first pixel by its difference to the same sample of the pixel before. */
    private void differences() {
        int rowSamples = width * samplesPerPixel;
        if (bitsPerSample == 8) {
            byte[] b = raw.array();
            for (int row = 0; row < height; row++) {
                int start = row * rowSamples;
                for (int i = start + rowSamples - 1; i >= start + samplesPerPixel; i--) {
                    b[i] -= b[i - samplesPerPixel];
                }
            }
        } else {
            ShortBuffer s = raw.asShortBuffer();
            for (int row = 0; row < height; row++) {
                int start = row * rowSamples;
                for (int i = start + rowSamples - 1; i >= start + samplesPerPixel; i--) {
                    s.put(i, (short) (s.get(i) - s.get(i - samplesPerPixel)));
                }
            }
        }
    }

    private void checkClassic(long end) {
        if (!big && end > CLASSIC_LIMIT) {
            throw new IllegalArgumentException(name + ": the " + pages + " " + compression + "-compressed " + what + " pages of " + height
                    + "x" + width + " pass the 4 GiB a classic TIFF can address; export as BigTIFF (variant BIG) or fewer pages");
        }
    }

    private void pad() throws IOException {
        if ((position & 1) != 0) {
            write(ByteBuffer.allocate(1));
        }
    }

    private void write(ByteBuffer b) throws IOException {
        int n = b.remaining();
        while (b.hasRemaining()) {
            out.write(b);
        }
        position += n;
    }

    private static ByteBuffer deflate(byte[] data) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] chunk = new byte[1 << 16];
            while (!deflater.finished()) {
                compressed.write(chunk, 0, deflater.deflate(chunk));
            }
            return ByteBuffer.wrap(compressed.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /** One IFD entry: its value's bytes (little-endian), inline or placed after the IFD. */
    private static final class Entry {
        final int tag;
        final short type;
        final long count;
        final byte[] value;

        Entry(int tag, short type, long count, byte[] value) {
            this.tag = tag;
            this.type = type;
            this.count = count;
            this.value = value;
        }

        static Entry ofShort(int tag, int v) {
            return new Entry(tag, SHORT, 1, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array());
        }

        static Entry ofShorts(int tag, int v, int count) {
            ByteBuffer b = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                b.putShort((short) v);
            }
            return new Entry(tag, SHORT, count, b.array());
        }

        static Entry ofLong(int tag, long v) {
            return new Entry(tag, LONG, 1, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        static Entry ofLong8(int tag, long v) {
            return new Entry(tag, LONG8, 1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        static Entry ofRational(int tag, long numerator, long denominator) {
            return new Entry(tag, RATIONAL, 1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) numerator)
                    .putInt((int) denominator).array());
        }
    }

    /**
     * TIFF LZW (compression 5) as libtiff writes it: codes most significant bit first, a Clear code
     * first, 9 to 12 bits with the "early change" of code width, a Clear code when the table is
     * full, EndOfInformation last.
     */
    static final class Lzw {
        private static final int CLEAR = 256;
        private static final int EOI = 257;
        private static final int FIRST = 258;
        private static final int MAX_CODE = 4095;


        /** (prefix code << 8 | byte) to code + 1; 0 if absent. Emptied after each page. */
        private final int[] table = new int[(MAX_CODE + 1) * 256];
        private final int[] used = new int[MAX_CODE + 1];
        private int usedCount;

        ByteBuffer encode(byte[] data) {
            try {
                return encodeAll(data);
            } finally {
                clear();
            }
        }

        private void clear() {
            for (int u = 0; u < usedCount; u++) {
                table[used[u]] = 0;
            }
            usedCount = 0;
        }

        private ByteBuffer encodeAll(byte[] data) {
            Lzw.Bits bits = new Lzw.Bits(data.length / 2 + 64);
            int width = 9;
            int next = FIRST;
            bits.put(CLEAR, width);
            if (data.length == 0) {
                bits.put(EOI, width);
                return bits.buffer();
            }
            int prefix = data[0] & 0xFF;
            for (int i = 1; i < data.length; i++) {
                int key = prefix << 8 | (data[i] & 0xFF);
                int code = table[key];
                if (code != 0) {
                    prefix = code - 1;
                    continue;
                }
                bits.put(prefix, width);
                table[key] = next + 1;
                used[usedCount++] = key;
                next++;
                if (next == MAX_CODE - 1) {
                    bits.put(CLEAR, width);
                    clear();
                    next = FIRST;
                    width = 9;
                } else if (next > (1 << width) - 1) {
                    width++;
                }
                prefix = data[i] & 0xFF;
            }
            bits.put(prefix, width);
            next++;
            if (next == MAX_CODE - 1) {
                bits.put(CLEAR, width);
                width = 9;
            } else if (next > (1 << width) - 1) {
                width++;
            }
            bits.put(EOI, width);
            return bits.buffer();
        }

        /** Codes packed most significant bit first. */
        private static final class Bits {
            private byte[] bytes;
            private int length;
            private long pending;
            private int pendingBits;

            Bits(int capacity) {
                bytes = new byte[capacity];
            }

            void put(int code, int width) {
                pending = pending << width | code;
                pendingBits += width;
                while (pendingBits >= 8) {
                    pendingBits -= 8;
                    add((byte) (pending >>> pendingBits));
                }
                pending &= (1L << pendingBits) - 1;
            }

            private void add(byte b) {
                if (length == bytes.length) {
                    long grown = Math.min(Integer.MAX_VALUE - 16, bytes.length * 3L / 2 + 16);
                    if (grown <= length) {
                        throw new IllegalArgumentException("an LZW-compressed TIFF page passes 2 GiB; export uncompressed or"
                                + " with deflate");
                    }
                    bytes = Arrays.copyOf(bytes, (int) grown);
                }
                bytes[length++] = b;
            }

            ByteBuffer buffer() {
                if (pendingBits > 0) {
                    add((byte) (pending << (8 - pendingBits)));
                    pendingBits = 0;
                    pending = 0;
                }
                return ByteBuffer.wrap(bytes, 0, length);
            }
        }
    }
}
