package com.example.textraw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.jpkl.container.HeaderJson;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerWriter;

/**
 * Writes a {@link TextRawSerializer} file through {@link AtomicFileOutput}: nothing appears under the
 * target name before {@link #commit()}. Memory: two longs per slice, whatever the slices' sizes.
 *
 * <p>Thread safety: not thread-safe.
 */
final class TextRawWriter implements ContainerWriter {
    private final ContainerHeader header;
    private final AtomicFileOutput out;
    private final long[] offsets;
    private final long[] lengths;
    private boolean finished;

    TextRawWriter(Path target, ContainerHeader header) throws IOException {
        this.header = header;
        if (header.isTiled()) {
            throw new IllegalArgumentException("format '" + TextRawSerializer.ID + "' holds whole planes only; the "
                    + header.tiling().get() + " would be lost");
        }
        long count = header.sliceCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("format '" + TextRawSerializer.ID + "' holds at most " + (Integer.MAX_VALUE - 8)
                    + " slices; this array has " + count);
        }
        this.offsets = new long[(int) count];
        this.lengths = new long[(int) count];
        Arrays.fill(offsets, -1);
        this.out = AtomicFileOutput.create(target);
        try {
            byte[] json = HeaderJson.toBytes(header);
            out.write(ByteBuffer.wrap(TextRawSerializer.MAGIC));
            out.write(ascii("header " + json.length + "\n"));
            out.write(ByteBuffer.wrap(json));
            out.write(ascii("\n"));
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public ContainerHeader header() {
        return header;
    }

    private void ensureWritable() {
        if (finished) {
            throw new IllegalStateException("writer of " + out.target() + " is already committed or closed");
        }
    }

    @Override
    public void writeSlice(long sliceNumber, ByteBuffer encoded) throws IOException {
        ensureWritable();
        if (sliceNumber < 0 || sliceNumber >= offsets.length) {
            throw new IndexOutOfBoundsException("slice number " + sliceNumber + " is out of range [0, " + offsets.length + ")");
        }
        int n = (int) sliceNumber;
        if (offsets[n] >= 0) {
            throw new IllegalStateException("slice " + header.keySpace().describe(n) + " was already written");
        }
        offsets[n] = out.position();
        lengths[n] = encoded.remaining();
        out.write(encoded);
    }

    @Override
    public void commit() throws IOException {
        ensureWritable();
        for (int n = 0; n < offsets.length; n++) {
            if (offsets[n] < 0) {
                throw new IllegalStateException("slice " + header.keySpace().describe(n) + " was never written");
            }
        }
        long indexOffset = out.position();
        StringBuilder index = new StringBuilder(offsets.length * 16);
        for (int n = 0; n < offsets.length; n++) {
            index.append(offsets[n]).append(' ').append(lengths[n]).append('\n');
        }
        out.write(ascii(index.toString()));
        out.write(ascii(String.format(Locale.ROOT, "index %020d\n", indexOffset)));
        finished = true;
        out.commit();
    }

    @Override
    public void close() throws IOException {
        finished = true;
        out.close();
    }
}
