package com.example.textraw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jpkl.api.JpklFormatException;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;

/**
 * Reads a {@link TextRawSerializer} file. Every length and offset read is checked against the file
 * size before it is used to allocate or read; the index must hold exactly one in-bounds entry per
 * slice the header implies.
 *
 * <p>Thread safety: concurrent {@link #readSlice} calls are allowed (positional reads only).
 */
final class TextRawReader implements ContainerReader {
    /** Longest first two lines: the magic line and "header " + up to 10 digits + "\n". */
    private static final int PREAMBLE_MAX = 64;

    private final RandomAccessSource source;
    private final ContainerHeader header;
    private final long[] offsets;
    private final long[] lengths;
    private volatile boolean closed;

    private TextRawReader(RandomAccessSource source, ContainerHeader header, long[] offsets, long[] lengths) {
        this.source = source;
        this.header = header;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    static TextRawReader open(RandomAccessSource source) throws IOException {
        try {
            return read(source);
        } catch (IOException | RuntimeException e) {
            try {
                source.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static JpklFormatException bad(RandomAccessSource source, String region, String detail) {
        return new JpklFormatException(source.name(), region, detail);
    }

    private static TextRawReader read(RandomAccessSource source) throws IOException {
        long size = source.size();
        int magic = TextRawSerializer.MAGIC.length;
        if (size < magic + TextRawSerializer.TRAILER_BYTES) {
            throw bad(source, "file", size + " bytes; too short for an " + TextRawSerializer.ID + " file");
        }
        byte[] pre = readBytes(source, 0, (int) Math.min(PREAMBLE_MAX, size));
        for (int i = 0; i < magic; i++) {
            if (pre[i] != TextRawSerializer.MAGIC[i]) {
                throw bad(source, "magic", "not an " + TextRawSerializer.ID + " file");
            }
        }
        String line = lineAt(pre, magic);
        if (line == null || !line.matches("header [0-9]{1,10}")) {
            throw bad(source, "header line", "expected 'header <length>' after the magic line");
        }
        long headerStart = magic + line.length() + 1L;
        long headerLength = Long.parseLong(line.substring("header ".length()));
        long dataStart = headerStart + headerLength + 1;
        if (dataStart > size - TextRawSerializer.TRAILER_BYTES) {
            throw bad(source, "header line", "header length " + headerLength + " exceeds the file (" + size + " bytes)");
        }
        byte[] json = readBytes(source, headerStart, (int) headerLength);
        ContainerHeader header;
        try {
            header = HeaderJson.fromBytes(json);
        } catch (IllegalArgumentException e) {
            throw new JpklFormatException(source.name(), "header", e.getMessage(), e);
        }
        String trailer = new String(readBytes(source, size - TextRawSerializer.TRAILER_BYTES, TextRawSerializer.TRAILER_BYTES),
                StandardCharsets.US_ASCII);
        if (!trailer.matches("index [0-9]{20}\n")) {
            throw bad(source, "trailer", "expected 'index <20 digits>' as the last line");
        }
        long indexStart = Long.parseLong(trailer.substring("index ".length(), trailer.length() - 1));
        long indexEnd = size - TextRawSerializer.TRAILER_BYTES;
        if (indexStart < dataStart || indexStart > indexEnd) {
            throw bad(source, "trailer", "index offset " + indexStart + " is outside [" + dataStart + ", " + indexEnd + "]");
        }
        long count = header.sliceCount();
        long indexLength = indexEnd - indexStart;
        // Each index line takes at least 4 bytes ("0 0\n"): this bounds the arrays by the file size.
        if (count > indexLength / 4 || indexLength > Integer.MAX_VALUE - 8) {
            throw bad(source, "index", indexLength + " bytes cannot hold the " + count + " entries the header implies");
        }
        String[] lines = new String(readBytes(source, indexStart, (int) indexLength), StandardCharsets.US_ASCII).split("\n", -1);
        if (lines.length != count + 1 || !lines[(int) count].isEmpty()) {
            throw bad(source, "index", (lines.length - 1) + " lines; the header implies " + count + " slices");
        }
        long[] offsets = new long[(int) count];
        long[] lengths = new long[(int) count];
        for (int n = 0; n < count; n++) {
            if (!lines[n].matches("[0-9]{1,19} [0-9]{1,19}")) {
                throw bad(source, "index", "entry for slice " + header.keySpace().describe(n) + " is not 'offset length'");
            }
            int space = lines[n].indexOf(' ');
            offsets[n] = Long.parseLong(lines[n].substring(0, space));
            lengths[n] = Long.parseLong(lines[n].substring(space + 1));
            if (offsets[n] < dataStart || offsets[n] > indexStart || lengths[n] > indexStart - offsets[n]
                    || lengths[n] > Integer.MAX_VALUE - 8) {
                throw bad(source, "index", "slice " + header.keySpace().describe(n) + " at " + offsets[n] + " (+" + lengths[n]
                        + " bytes) is outside the slice data [" + dataStart + ", " + indexStart + ")");
            }
        }
        return new TextRawReader(source, header, offsets, lengths);
    }

    private static byte[] readBytes(RandomAccessSource source, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        source.readFully(position, buffer);
        return buffer.array();
    }

    /** The text from {@code start} up to the next newline, or null if there is none. */
    private static String lineAt(byte[] bytes, int start) {
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return new String(bytes, start, i - start, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public String serializerId() {
        return TextRawSerializer.ID;
    }

    @Override
    public ContainerHeader header() {
        return header;
    }

    private int checkSlice(long sliceNumber) {
        if (closed) {
            throw new IllegalStateException("container " + source.name() + " is closed");
        }
        if (sliceNumber < 0 || sliceNumber >= offsets.length) {
            throw new IndexOutOfBoundsException("slice number " + sliceNumber + " is out of range [0, " + offsets.length + ")");
        }
        return (int) sliceNumber;
    }

    @Override
    public ByteBuffer readSlice(long sliceNumber) throws IOException {
        int n = checkSlice(sliceNumber);
        ByteBuffer buffer = ByteBuffer.allocate((int) lengths[n]);
        source.readFully(offsets[n], buffer);
        buffer.flip();
        return buffer;
    }

    @Override
    public long sliceLength(long sliceNumber) {
        return lengths[checkSlice(sliceNumber)];
    }

    @Override
    public long byteSize() throws IOException {
        return source.size();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        source.close();
    }
}
