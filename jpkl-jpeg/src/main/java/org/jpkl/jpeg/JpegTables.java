package org.jpkl.jpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jpkl.api.JpklFormatException;

/**
 * The tables that {@code tables=shared} stores once per container instead of in every slice, and
 * the two operations on them: {@link #abbreviate} (a complete stream from the JPEG library to the
 * abbreviated slice that is stored) and {@link #complete} (the stored slice back to the complete
 * stream, byte for byte what the library wrote, for the decoder).
 *
 * <p>The tables are fixed by the container's {@code quality} and the component count (1 grey, 3
 * YCbCr), exactly as libjpeg's {@code jpeg_set_quality(q, force_baseline=TRUE)} and standard Huffman
 * tables make them, and as libjpeg writes them (both backends do; Huffman optimisation is off):
 * <ul>
 *   <li>DQT: one segment per table (table 0 luminance; table 1 chrominance for 3 components), 8-bit
 *       precision, the ITU T.81 Annex K.1 table scaled by {@code s = q < 50 ? 5000 / q : 200 - 2 q}
 *       ({@code q} 0 means 1) as {@code clamp((t s + 50) / 100, 1, 255)}, in zigzag order; these
 *       segments come right before the frame header (SOF).</li>
 *   <li>DHT: one segment per table, the Annex K.3 tables in the order DC 0, AC 0 (then DC 1, AC 1
 *       for 3 components); right before the scan header (SOS).</li>
 * </ul>
 * A stored slice is the complete stream without these segments; {@link #complete} inserts the DQT
 * segments before SOF and the DHT segments before SOS, which gives back the library's stream.
 *
 * <p>Thread safety: immutable.
 */
final class JpegTables {
    /** ITU T.81 Table K.1, natural (row-major) order. */
    private static final int[] LUMINANCE = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    /** ITU T.81 Table K.2, natural order. */
    private static final int[] CHROMINANCE = {
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};
    /** The natural-order index of each zigzag position. */
    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55,
        62, 63};
    private static final int[] DC_LUMINANCE_BITS = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] DC_CHROMINANCE_BITS = {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    private static final int[] DC_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] AC_LUMINANCE_BITS = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
    private static final int[] AC_LUMINANCE_VALUES = {
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa};
    private static final int[] AC_CHROMINANCE_BITS = {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
    private static final int[] AC_CHROMINANCE_VALUES = {
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa};

    private final int quality;
    private final int components;
    /** The DQT segments, markers included. */
    private final byte[] quant;
    /** The DHT segments, markers included. */
    private final byte[] huffman;

    private JpegTables(int quality, int components, byte[] quant, byte[] huffman) {
        this.quality = quality;
        this.components = components;
        this.quant = quant;
        this.huffman = huffman;
    }

    /**
     * The standard tables of IJG quality {@code quality} (0..100; 0 is taken as 1, as libjpeg does) for
     * 1 (grey) or 3 (YCbCr) components.
     */
    static JpegTables standard(int quality, int components) {
        if (quality < 0 || quality > 100 || (components != 1 && components != 3)) {
            throw new IllegalArgumentException("quality " + quality + " and components " + components
                    + " must be in [0, 100] and 1 or 3");
        }
        int q = Math.max(1, quality);
        int scale = q < 50 ? 5000 / q : 200 - 2 * q;
        ByteBuffer dqt = ByteBuffer.allocate(components == 1 ? 69 : 138);
        quantSegment(dqt, 0, LUMINANCE, scale);
        ByteBuffer dht = ByteBuffer.allocate(components == 1 ? 216 : 432);
        huffmanSegment(dht, 0x00, DC_LUMINANCE_BITS, DC_VALUES);
        huffmanSegment(dht, 0x10, AC_LUMINANCE_BITS, AC_LUMINANCE_VALUES);
        if (components == 3) {
            quantSegment(dqt, 1, CHROMINANCE, scale);
            huffmanSegment(dht, 0x01, DC_CHROMINANCE_BITS, DC_VALUES);
            huffmanSegment(dht, 0x11, AC_CHROMINANCE_BITS, AC_CHROMINANCE_VALUES);
        }
        return new JpegTables(quality, components, dqt.array(), dht.array());
    }

    private static void quantSegment(ByteBuffer out, int id, int[] base, int scale) {
        out.put((byte) 0xFF).put((byte) 0xDB).putShort((short) (2 + 1 + 64)).put((byte) id);
        for (int k = 0; k < 64; k++) {
            long v = (base[ZIGZAG[k]] * (long) scale + 50) / 100;
            out.put((byte) Math.min(255, Math.max(1, v)));
        }
    }

    private static void huffmanSegment(ByteBuffer out, int classAndId, int[] bits, int[] values) {
        out.put((byte) 0xFF).put((byte) 0xC4).putShort((short) (2 + 1 + 16 + values.length)).put((byte) classAndId);
        for (int b : bits) {
            out.put((byte) b);
        }
        for (int v : values) {
            out.put((byte) v);
        }
    }

    /** Writes the DQT segments (markers included) to {@code out}. */
    void putQuant(ByteBuffer out) {
        out.put(quant);
    }

    /** Writes the DHT segments (markers included) to {@code out}. */
    void putHuffman(ByteBuffer out) {
        out.put(huffman);
    }

    /** The DHT segments (markers included), a copy. */
    byte[] huffmanSegments() {
        return huffman.clone();
    }

    /** The bytes that {@link #abbreviate} removes and {@link #complete} inserts: DQT then DHT segments. */
    int length() {
        return quant.length + huffman.length;
    }

    /**
     * The abbreviated slice of a complete stream that the JPEG library wrote (and the encoder may have
     * added the mapping segment to): the stream without these tables.
     *
     * @throws IOException if the stream's tables are not exactly these, where libjpeg writes them (the
     *     message names the quality; this is a fault of the JPEG library or its settings, never of the data)
     */
    byte[] abbreviate(byte[] stream) throws IOException {
        JpegStructure s = JpegStructure.scan(ByteBuffer.wrap(stream));
        int quantAt = s.frameOffset - quant.length;
        int huffmanAt = s.scanOffset - huffman.length;
        boolean found = s.quantSegments == components - components / 2 && s.huffmanSegments == 2 * (components - components / 2)
                && quantAt >= 0 && huffmanAt >= s.frameOffset
                && Arrays.equals(stream, quantAt, s.frameOffset, quant, 0, quant.length)
                && Arrays.equals(stream, huffmanAt, s.scanOffset, huffman, 0, huffman.length);
        if (!found) {
            throw new IOException("the JPEG library did not write the standard tables of quality " + quality
                    + " where tables=shared expects them (" + s.quantSegments + " DQT and " + s.huffmanSegments
                    + " DHT segments); use tables=inline");
        }
        byte[] out = new byte[stream.length - length()];
        System.arraycopy(stream, 0, out, 0, quantAt);
        System.arraycopy(stream, s.frameOffset, out, quantAt, huffmanAt - s.frameOffset);
        System.arraycopy(stream, s.scanOffset, out, huffmanAt - quant.length, stream.length - s.scanOffset);
        return out;
    }

    /**
     * Writes the complete stream of the abbreviated slice {@code data} (walked as {@code s}) into
     * {@code out}, which must hold {@code data.limit() + length()} bytes: the DQT segments inserted
     * before the frame header, the DHT segments before the scan header.
     *
     * @throws JpklFormatException if the slice has tables of its own (it was not written for shared tables)
     */
    void complete(ByteBuffer data, JpegStructure s, byte[] out) throws JpklFormatException {
        if (s.quantSegments != 0 || s.huffmanSegments != 0) {
            throw JpegDecoder.badData("JPEG slice has tables of its own (" + s.quantSegments + " DQT and " + s.huffmanSegments
                    + " DHT segments), but its container stores them once (tables=shared)");
        }
        ByteBuffer from = data.duplicate();
        from.position(0).limit(s.frameOffset);
        from.get(out, 0, s.frameOffset);
        System.arraycopy(quant, 0, out, s.frameOffset, quant.length);
        int at = s.frameOffset + quant.length;
        from.limit(s.scanOffset);
        from.get(out, at, s.scanOffset - s.frameOffset);
        at += s.scanOffset - s.frameOffset;
        System.arraycopy(huffman, 0, out, at, huffman.length);
        at += huffman.length;
        from.limit(data.limit());
        from.get(out, at, data.limit() - s.scanOffset);
    }
}
