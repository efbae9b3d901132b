package org.jpkl.jpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneSpec;

/**
 * The header that {@code tables=header} stores once per container (as its parameters) instead of in
 * every slice, and the two operations on it: {@link #strip} (a complete stream from the JPEG library
 * to the slice that is stored) and {@link #rebuild} (the stored slice back to the complete stream,
 * byte for byte what the library wrote, for the decoder).
 *
 * <p>Every complete stream of one container is {@code header + scan data + EOI}, where the header
 * (SOI, JFIF APP0, the APP9 mapping of non-uint8 planes, DQT, SOF0, DHT, SOS) is fixed by the plane's
 * size, dtype and channels and the stored {@code quality}, {@code subsampling} and {@code transfer},
 * except for two fields, which the stored slice keeps:
 * <ul>
 *   <li>the JFIF minor version (byte 12): libjpeg-turbo writes JFIF 1.01, ImageIO 1.02;</li>
 *   <li>the mapping's window LO and HI (16 bytes, big-endian binary64; non-uint8 planes only), which
 *       differ per slice with {@code window=slice}.</li>
 * </ul>
 * A stored slice is: the JFIF minor version (1 byte, 0..2), LO and HI (16 bytes, non-uint8 only), with
 * {@code coding=arithmetic} the check value of the coefficients (2 bytes, {@link JpegArithmetic}), then
 * the entropy-coded scan data (everything between the SOS segment and the final EOI; at least one
 * byte for Huffman coding, possibly none for arithmetic coding, whose encoder drops trailing zero bytes). The tables are {@link JpegTables#standard}, the Huffman tables those of the container when
 * {@code huffman} holds its own ({@link JpegHuffman}); the frame is baseline (SOF0), 8-bit, components
 * 1..3 with sampling 2x2 for Y in RGB 4:2:0 (else 1x1) and quantisation tables 0 (Y) and 1 (Cb, Cr);
 * the scan holds every component (Huffman tables 0/0 for Y, 1/1 for Cb and Cr), spectral selection
 * 0..63, no successive approximation, no restart markers. With {@code coding=arithmetic} the frame is
 * SOF9 (extended sequential DCT, arithmetic coding) and there are no DHT segments (nor DAC: the
 * default conditioning; the scan's table selectors 0/0 and 1/1 then name conditioning tables); the
 * scan data is {@code JpegArithmetic}'s.
 *
 * <p>Thread safety: immutable.
 */
final class JpegHeader {
    /** Offset of the JFIF minor version in the stream: after SOI, the APP0 marker and length, "JFIF\0" and the major version. */
    static final int MINOR_AT = 2 + 4 + 5 + 1;
    /** The last JFIF version is 1.02: stored minor versions above 2 are damage. */
    private static final int MAX_MINOR = 2;
    /** Bytes of the mapping window (LO, HI) in a stored slice. */
    private static final int BOUNDS = 16;

    /** SOI up to the end of the SOS segment; the minor version and the window are zero. */
    private final byte[] template;
    /** Offset of LO in the stream, or -1 for uint8 planes (no mapping). */
    private final int boundsAt;
    /** Bytes before the scan data in a stored slice: 1, or 17 with a mapping. */
    private final int prefix;
    /** For messages, e.g. {@code uint16 64x64 grey at quality 90}. */
    private final String what;

    /** Whether slices are arithmetic-coded: they then hold a check value before the scan data, which may be empty. */
    private final boolean arithmetic;

    private JpegHeader(byte[] template, int boundsAt, String what, boolean arithmetic) {
        this.template = template;
        this.boundsAt = boundsAt;
        this.arithmetic = arithmetic;
        this.prefix = (boundsAt < 0 ? 1 : 1 + BOUNDS) + (arithmetic ? JpegArithmetic.CHECK_BYTES : 0);
        this.what = what;
    }

    /**
     * The header of every slice of planes of {@code spec} encoded with {@code params}.
     *
     * @throws IllegalArgumentException if the plane is wider or higher than the 65535 samples a JPEG frame holds
     */
    static JpegHeader of(PlaneSpec spec, JpegParams params) {
        if (spec.width() > 0xFFFF || spec.height() > 0xFFFF) {
            throw new IllegalArgumentException("a JPEG frame holds at most 65535 x 65535 samples; the plane is " + spec);
        }
        int components = spec.channels().samplesPerPixel();
        JpegTables tables = JpegTables.standard(params.quality(), components);
        byte[] huffman = huffmanSegments(params, components);
        boolean mapped = spec.dtype() != DType.UINT8;
        byte[] out = new byte[20 + (mapped ? LevelMapping.SEGMENT_LENGTH : 0) + tables.length() - tables.huffmanSegments().length
                + huffman.length + 2 + 8 + 3 * components
                + 2 + 6 + 2 * components];
        ByteBuffer b = ByteBuffer.wrap(out); // big-endian, as JPEG
        b.putShort((short) 0xFFD8);
        b.putShort((short) 0xFFE0).putShort((short) 16).put(new byte[] {'J', 'F', 'I', 'F', 0, 1, 0}); // minor version: per slice
        b.put((byte) 0).putShort((short) 1).putShort((short) 1).put((byte) 0).put((byte) 0); // no units, 1:1, no thumbnail
        int boundsAt = -1;
        if (mapped) {
            boundsAt = b.position() + LevelMapping.BOUNDS_OFFSET;
            LevelMapping.of(spec.dtype(), params.transfer(), 0, 0).writeSegment(out, b.position());
            b.position(b.position() + LevelMapping.SEGMENT_LENGTH);
        }
        tables.putQuant(b);
        boolean arithmetic = params.coding() == JpegParams.Coding.ARITHMETIC;
        b.putShort((short) (arithmetic ? 0xFFC9 : 0xFFC0)).putShort((short) (8 + 3 * components)).put((byte) 8)
                .putShort((short) spec.height()).putShort((short) spec.width()).put((byte) components);
        boolean subsampled = components == 3 && params.subsampling() == JpegParams.Subsampling.S420;
        for (int c = 0; c < components; c++) {
            b.put((byte) (c + 1)).put((byte) (c == 0 && subsampled ? 0x22 : 0x11)).put((byte) (c == 0 ? 0 : 1));
        }
        b.put(huffman);
        b.putShort((short) 0xFFDA).putShort((short) (6 + 2 * components)).put((byte) components);
        for (int c = 0; c < components; c++) {
            b.put((byte) (c + 1)).put((byte) (c == 0 ? 0x00 : 0x11));
        }
        b.put((byte) 0).put((byte) 63).put((byte) 0);
        return new JpegHeader(out, boundsAt, spec + " at quality " + params.quality(), arithmetic);
    }

    /**
     * The DHT segments of the header: the standard tables, or the container's ({@code huffman} bound to
     * tables); none for {@code coding=arithmetic}.
     *
     * @throws IllegalArgumentException if {@code huffman=optimized} is not bound yet, or the container's
     *     tables lack the chrominance tables that 3 components need
     */
    private static byte[] huffmanSegments(JpegParams params, int components) {
        if (params.coding() == JpegParams.Coding.ARITHMETIC) {
            return new byte[0]; // arithmetic coding: no DHT, and the default conditioning needs no DAC
        }
        JpegParams.Huffman h = params.huffman();
        switch (h.kind()) {
            case STANDARD:
                return JpegTables.standard(params.quality(), components).huffmanSegments();
            case OPTIMIZED:
                throw JpegCodec.unboundHuffman();
            default:
                JpegHuffman tables = h.jpegHuffman();
                if (tables.tableCount() < (components == 3 ? 4 : 2)) {
                    throw new IllegalArgumentException("codec '" + JpegCodec.ID + "': huffman holds " + tables.tableCount()
                            + " tables (DC 0, AC 0), but RGB planes need 4 (also DC 1, AC 1 for Cb and Cr)");
                }
                return tables.segments();
        }
    }

    /**
     * Bytes before the scan data in a stored slice: 1, or 17 with the mapping's window; 2 more with
     * arithmetic coding (the check value of the coefficients, {@link JpegArithmetic#CHECK_BYTES}).
     */
    int prefixLength() {
        return prefix;
    }

    /** Bytes of the header (SOI to the end of SOS): where the scan data starts in a rebuilt stream. */
    int headerLength() {
        return template.length;
    }

    /** The header's bytes (SOI to the end of SOS), the minor version and window zero; for tests. */
    byte[] template() {
        return template.clone();
    }

    /**
     * The slice to store for a complete stream that the JPEG library wrote (and the encoder may have
     * added the mapping segment to): the varying fields and the scan data.
     *
     * @throws IOException if the stream's header is not exactly this one (the message names the first
     *     byte that differs; this is a fault of the JPEG library or its settings, never of the data)
     */
    byte[] strip(byte[] stream) throws IOException {
        int n = stream.length;
        int differs = firstDifference(stream);
        if (differs >= 0) {
            String found = differs < n ? String.format("%02X", stream[differs] & 0xFF) : "the end of the stream";
            String expected = differs >= template.length ? "scan data and the EOI marker FFD9"
                    : differs == MINOR_AT ? "a JFIF minor version 0.." + MAX_MINOR : String.format("%02X", template[differs] & 0xFF);
            throw new IOException("the JPEG library's stream of " + n + " bytes differs at byte " + differs + " (" + found
                    + ") from the header that tables=header rebuilds for " + what + " (" + expected + "); use tables=inline");
        }
        byte[] out = new byte[prefix + n - 2 - template.length];
        out[0] = stream[MINOR_AT];
        if (boundsAt >= 0) {
            System.arraycopy(stream, boundsAt, out, 1, BOUNDS);
        }
        System.arraycopy(stream, template.length, out, prefix, n - 2 - template.length);
        return out;
    }

    /** The first byte where {@code stream} is not this header + at least one byte of scan data + EOI, or -1. */
    private int firstDifference(byte[] stream) {
        int n = stream.length;
        for (int i = 0; i < Math.min(n, template.length); i++) {
            if (i == MINOR_AT) {
                if ((stream[i] & 0xFF) > MAX_MINOR) {
                    return i;
                }
            } else if ((boundsAt < 0 || i < boundsAt || i >= boundsAt + BOUNDS) && stream[i] != template[i]) {
                return i;
            }
        }
        if (n < template.length + 3) {
            return n;
        }
        if (stream[n - 2] != (byte) 0xFF || stream[n - 1] != (byte) 0xD9) {
            return n - 2;
        }
        return -1;
    }

    /**
     * The length of the complete stream of a stored slice of {@code sliceLength} bytes.
     *
     * @throws JpklFormatException if the slice is too short to hold the varying fields and scan data,
     *     or its stream would not fit in an array
     */
    int completeLength(int sliceLength) throws JpklFormatException {
        if (sliceLength < prefix + (arithmetic ? 0 : 1)) {
            throw JpegDecoder.badData("JPEG slice of " + sliceLength + " bytes is too short for tables=header, which stores the JFIF"
                    + " minor version (1 byte)" + (boundsAt >= 0 ? ", the 8-bit mapping's window (16 bytes)" : "")
                    + (arithmetic ? " and the check value of the arithmetic-coded coefficients (" + JpegArithmetic.CHECK_BYTES
                    + " bytes) before the scan data" : " and at least 1 byte of scan data"));
        }
        long n = (long) template.length + (sliceLength - prefix) + 2;
        if (n > Integer.MAX_VALUE - 8) {
            throw JpegDecoder.badData("JPEG slice of " + sliceLength + " bytes makes a stream of " + n
                    + " bytes, more than an array holds");
        }
        return (int) n;
    }

    /**
     * Writes the complete stream of the stored slice {@code slice} (index 0 to its limit; absolute
     * gets) into {@code out}, which must hold {@link #completeLength} bytes: the header with the slice's
     * minor version and window, its scan data, EOI.
     *
     * @throws JpklFormatException if the slice is too short or its JFIF minor version is above 2 (not
     *     a slice of a {@code tables=header} container: complete and abbreviated streams start with FF)
     */
    void rebuild(ByteBuffer slice, byte[] out) throws JpklFormatException {
        int n = slice.limit();
        int length = completeLength(n);
        int minor = slice.get(0) & 0xFF;
        if (minor > MAX_MINOR) {
            throw JpegDecoder.badData("JPEG slice starts with " + String.format("%02X", minor) + ", which is no JFIF minor version (0.."
                    + MAX_MINOR + ") as tables=header stores first" + (minor == 0xFF ? "; it looks like a complete or abbreviated JPEG"
                    + " stream (tables=inline or shared)" : ""));
        }
        System.arraycopy(template, 0, out, 0, template.length);
        out[MINOR_AT] = (byte) minor;
        if (boundsAt >= 0) {
            slice.get(1, out, boundsAt, BOUNDS);
        }
        slice.get(prefix, out, template.length, n - prefix);
        out[length - 2] = (byte) 0xFF;
        out[length - 1] = (byte) 0xD9;
    }
}
