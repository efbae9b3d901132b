package org.jpkl.jpeg;

import java.nio.ByteBuffer;
import org.jpkl.api.JpklFormatException;

/**
 * What a JPEG stream's header says, read by walking its marker segments up to the first scan (SOS)
 * without decoding anything: frame size, component count and precision from the frame header (SOF),
 * and where this codec's 8-bit mapping segment (APP9 {@code "JPKL\0"}) is, if there is one. Used to
 * check a slice against the expected plane before a JPEG library (ImageIO or TurboJPEG) allocates
 * anything, and to check that the TurboJPEG encoder wrote a stream this codec reads.
 *
 * <p>Thread safety: immutable.
 */
final class JpegStructure {
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DHT = 0xC4;

    /** Samples per line (X in the frame header). */
    final int width;
    /** Number of lines (Y in the frame header; 0 means "defined later by DNL", which we refuse). */
    final int height;
    /** Components in the frame (Nf): 1 for grey, 3 for YCbCr or RGB. */
    final int components;
    /** Offset of the mapping segment's payload (after its length field), or -1 if there is none. */
    final int mappingOffset;
    /** Length of the mapping segment's payload. */
    final int mappingLength;
    /** Offset of the frame header's marker (FF Cn). */
    final int frameOffset;
    /** Offset of the first scan header's marker (FF DA). */
    final int scanOffset;
    /** Quantisation table segments (DQT) before the first scan. */
    final int quantSegments;
    /** Huffman table segments (DHT) before the first scan. */
    final int huffmanSegments;

    private JpegStructure(int width, int height, int components, int mappingOffset, int mappingLength, int frameOffset,
            int scanOffset, int quantSegments, int huffmanSegments) {
        this.width = width;
        this.height = height;
        this.components = components;
        this.mappingOffset = mappingOffset;
        this.mappingLength = mappingLength;
        this.frameOffset = frameOffset;
        this.scanOffset = scanOffset;
        this.quantSegments = quantSegments;
        this.huffmanSegments = huffmanSegments;
    }

    /**
     * Walks the header of the stream in {@code data} (from index 0 to its limit; read with absolute gets,
     * the buffer's position is not used) and checks that the stream ends with EOI.
     *
     * @throws JpklFormatException if the bytes are not a baseline, extended or progressive 8-bit DCT JPEG
     *     stream with one frame header before its first scan, a segment runs past the end, there are two
     *     mapping segments, or the stream does not end with EOI (truncated)
     */
    static JpegStructure scan(ByteBuffer data) throws JpklFormatException {
        int n = data.limit();
        if (n < 4) {
            throw JpegDecoder.badData(n + " bytes are too few for a JPEG stream");
        }
        if ((data.get(0) & 0xFF) != 0xFF || (data.get(1) & 0xFF) != SOI) {
            throw JpegDecoder.badData("not a JPEG stream: it starts with " + hex(data, 0, 4) + ", not the SOI marker FFD8");
        }
        if ((data.get(n - 2) & 0xFF) != 0xFF || (data.get(n - 1) & 0xFF) != EOI) {
            throw JpegDecoder.badData("JPEG stream of " + n + " bytes does not end with the EOI marker FFD9 (truncated?)");
        }
        int width = -1;
        int height = -1;
        int components = -1;
        int mappingOffset = -1;
        int mappingLength = 0;
        int frameOffset = -1;
        int quantSegments = 0;
        int huffmanSegments = 0;
        int at = 2;
        while (true) {
            if (at + 2 > n || (data.get(at) & 0xFF) != 0xFF) {
                throw JpegDecoder.badData("JPEG header: expected a marker at byte " + at + " of " + n);
            }
            int marker = data.get(at + 1) & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                at++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // TEM, RSTn: no length field
                at += 2;
                continue;
            }
            if (marker == SOI || marker == EOI || marker == 0x00) {
                throw JpegDecoder.badData("JPEG header: unexpected marker FF" + hex2(marker) + " at byte " + at + " before the first scan");
            }
            if (at + 4 > n) {
                throw JpegDecoder.badData("JPEG header ends inside the marker segment FF" + hex2(marker) + " at byte " + at);
            }
            int length = ((data.get(at + 2) & 0xFF) << 8) | (data.get(at + 3) & 0xFF);
            if (length < 2 || at + 2 + length > n) {
                throw JpegDecoder.badData("JPEG marker segment FF" + hex2(marker) + " at byte " + at + " has length " + length
                        + ", which does not fit in the " + n + "-byte stream");
            }
            int payload = at + 4;
            int payloadLength = length - 2;
            if (marker == SOS) {
                break;
            }
            if (marker == DQT) {
                quantSegments++;
            } else if (marker == DHT) {
                huffmanSegments++;
            }
            if (isStartOfFrame(marker)) {
                if (width >= 0) {
                    throw JpegDecoder.badData("JPEG stream has a second frame header (FF" + hex2(marker) + " at byte " + at + ")");
                }
                if (marker != 0xC0 && marker != 0xC1 && marker != 0xC2) {
                    throw JpegDecoder.badData("JPEG frame type SOF" + (marker - 0xC0)
                            + " is not supported; only 8-bit Huffman DCT (SOF0 baseline, SOF1 extended, SOF2 progressive)");
                }
                if (payloadLength < 6) {
                    throw JpegDecoder.badData("JPEG frame header of " + payloadLength + " bytes is too short");
                }
                frameOffset = at;
                int precision = data.get(payload) & 0xFF;
                height = ((data.get(payload + 1) & 0xFF) << 8) | (data.get(payload + 2) & 0xFF);
                width = ((data.get(payload + 3) & 0xFF) << 8) | (data.get(payload + 4) & 0xFF);
                components = data.get(payload + 5) & 0xFF;
                if (precision != 8) {
                    throw JpegDecoder.badData("JPEG frame has " + precision + "-bit samples; only 8-bit is supported");
                }
                if (payloadLength != 6 + 3 * components) {
                    throw JpegDecoder.badData("JPEG frame header is " + payloadLength + " bytes long; " + components
                            + " components need " + (6 + 3 * components));
                }
            } else if (marker == LevelMapping.MARKER && LevelMapping.isMappingPayload(data, payload, payloadLength)) {
                if (mappingOffset >= 0) {
                    throw JpegDecoder.badData("JPEG stream has two 8-bit mapping segments (APP9 JPKL)");
                }
                mappingOffset = payload;
                mappingLength = payloadLength;
            }
            at += 2 + length;
        }
        if (width < 0) {
            throw JpegDecoder.badData("JPEG stream has no frame header (SOF) before its first scan");
        }
        return new JpegStructure(width, height, components, mappingOffset, mappingLength, frameOffset, at, quantSegments,
                huffmanSegments);
    }

    private static boolean isStartOfFrame(int marker) {
        // SOF0..SOF15 are C0..CF, except DHT (C4), JPG (C8) and DAC (CC).
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /**
     * Where to insert a segment in a stream that a JPEG writer made: after the JFIF APP0 segment if it
     * comes first (JFIF requires APP0 right after SOI), else right after SOI.
     *
     * @param head the stream's first {@code headLength} bytes (6 are enough: SOI, APP0 marker, length)
     * @param streamLength the whole stream's length
     */
    static int insertionPoint(byte[] head, int headLength, int streamLength) {
        if (headLength >= 6 && (head[2] & 0xFF) == 0xFF && (head[3] & 0xFF) == 0xE0) {
            int segment = ((head[4] & 0xFF) << 8) | (head[5] & 0xFF);
            if (4 + segment <= streamLength) {
                return 4 + segment;
            }
        }
        return 2;
    }

    private static String hex(ByteBuffer data, int from, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            s.append(hex2(data.get(i) & 0xFF));
        }
        return s.toString();
    }

    private static String hex2(int b) {
        return String.format("%02X", b);
    }
}
