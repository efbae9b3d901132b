package org.jpkl.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;

/**
 * The frame header (SOF segment) of a JPEG stream: sample precision, height, width and each
 * component's sampling factors. A JPkl pickle does not record the plane size; it is read from the
 * first slice's frame header with a few small positional reads (marker segments are skipped by
 * their lengths, scan data is never read).
 *
 * <p>Thread safety: immutable.
 *
 * @param precision bits per sample (8 for baseline)
 * @param height lines
 * @param width samples per line
 * @param horizontal each component's horizontal sampling factor
 * @param vertical each component's vertical sampling factor
 */
record JpegFrame(int precision, int height, int width, int[] horizontal, int[] vertical) {
    /** More marker segments than any real encoder writes before the frame header. */
    private static final int MAX_SEGMENTS = 4096;

    /** Number of colour components. */
    int components() {
        return horizontal.length;
    }

    /**
     * The chroma subsampling in the {@code jpeg} codec's terms: {@code "420"} (luma sampled 2x2, chroma
     * 1x1), {@code "444"} (all 1x1), or null for anything else (e.g. 4:2:2) or a grey frame.
     */
    String subsampling() {
        if (components() != 3) {
            return null;
        }
        boolean chromaFull = horizontal[1] == 1 && vertical[1] == 1 && horizontal[2] == 1 && vertical[2] == 1;
        if (chromaFull && horizontal[0] == 2 && vertical[0] == 2) {
            return "420";
        }
        if (chromaFull && horizontal[0] == 1 && vertical[0] == 1) {
            return "444";
        }
        return null;
    }

    /**
     * Reads the frame header of the JPEG stream at {@code [offset, offset + length)} of {@code source}.
     *
     * @param region names the slice in messages
     * @throws JpklFormatException if the bytes are not a JPEG stream with a frame header
     */
    static JpegFrame read(RandomAccessSource source, long offset, long length, String region) throws IOException {
        try {
            return parse(source, offset, length, region);
        } catch (EOFException e) {
            throw new JpklFormatException(source.name(), region, "JPEG stream ends before its frame header", e);
        }
    }

    private static JpegFrame parse(RandomAccessSource source, long offset, long length, String region) throws IOException {
        String name = source.name();
        ByteBuffer two = ByteBuffer.allocate(2);
        if (length < 4) {
            throw new JpklFormatException(name, region, "is " + length + " bytes, too short to be a JPEG stream");
        }
        source.readFully(offset, two);
        if ((two.get(0) & 0xFF) != 0xFF || (two.get(1) & 0xFF) != 0xD8) {
            throw new JpklFormatException(name, region, String.format("is not a JPEG stream: starts with %02x %02x, not ff d8 (SOI)",
                    two.get(0) & 0xFF, two.get(1) & 0xFF));
        }
        long pos = 2;
        for (int segment = 0; segment < MAX_SEGMENTS; segment++) {
            if (pos + 4 > length) {
                break;
            }
            ByteBuffer head = ByteBuffer.allocate(4);
            source.readFully(offset + pos, head);
            if ((head.get(0) & 0xFF) != 0xFF) {
                throw new JpklFormatException(name, region, "JPEG stream has no marker at byte " + pos);
            }
            int marker = head.get(1) & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new JpklFormatException(name, region, "JPEG stream reaches " + (marker == 0xDA ? "its scan" : "its end")
                        + " without a frame header (SOF)");
            }
            int segmentLength = head.getShort(2) & 0xFFFF;
            if (segmentLength < 2 || pos + 2 + segmentLength > length) {
                throw new JpklFormatException(name, region, "JPEG marker segment at byte " + pos + " has length " + segmentLength
                        + ", which does not fit in the " + length + "-byte stream");
            }
            if (isFrameHeader(marker)) {
                return frame(source, offset + pos + 4, segmentLength - 2, name, region);
            }
            pos += 2 + segmentLength;
        }
        throw new JpklFormatException(name, region, "no JPEG frame header (SOF) found");
    }

    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static JpegFrame frame(RandomAccessSource source, long at, int length, String name, String region) throws IOException {
        if (length < 6) {
            throw new JpklFormatException(name, region, "JPEG frame header is " + length + " bytes, too short");
        }
        ByteBuffer sof = ByteBuffer.allocate(length);
        source.readFully(at, sof);
        int precision = sof.get(0) & 0xFF;
        int height = sof.getShort(1) & 0xFFFF;
        int width = sof.getShort(3) & 0xFFFF;
        int components = sof.get(5) & 0xFF;
        if (components < 1 || length < 6 + 3 * components) {
            throw new JpklFormatException(name, region, "JPEG frame header lists " + components + " components in "
                    + length + " bytes");
        }
        int[] h = new int[components];
        int[] v = new int[components];
        for (int c = 0; c < components; c++) {
            int factors = sof.get(6 + 3 * c + 1) & 0xFF;
            h[c] = factors >> 4;
            v[c] = factors & 0x0F;
        }
        if (height == 0 || width == 0) {
            throw new JpklFormatException(name, region, "JPEG frame header gives a " + height + "x" + width + " image");
        }
        return new JpegFrame(precision, height, width, h, v);
    }
}
