package org.jpkl.sqrt;

import org.jpkl.api.DType;

/**
 * The layout of one encoded plane (little-endian numbers):
 * <pre>
 *  0  4 bytes magic "JPKQ"
 *  4  1 byte  format version: 2 (written; levels are runs of integers, {@link SqrtQuantiser}) or 1 (decoded
 *             only; levels are rounded square roots)
 *  5  1 byte  dtype code (1 uint8, 2 uint16)
 *  6  1 byte  samples per pixel (1 or 3)
 *  7  1 byte  predictor (1: mean of the left and upper neighbours of the same channel)
 *  8  4 bytes height, 12: 4 bytes width
 * 16  8 bytes offset, 24: 8 bytes gain, 32: 8 bytes scale (IEEE doubles)
 * 40  4 bytes n: code lengths follow for residual symbols 0..n-1 (1 &lt;= n &lt;= 2 * maxLevel + 1)
 * 44  4 bytes payload length in bytes
 * 48  4 bytes CRC-32C of everything after the header (code lengths and payload)
 * 52  ceil(n / 2) bytes of code lengths, two 4-bit lengths per byte (even symbol in the low nibble)
 *     then the payload: the residual symbols' canonical Huffman codes, most significant bit first,
 *     the last byte padded with zero bits
 * </pre>
 * Residuals are zigzag-coded: {@code d >= 0} is {@code 2d}, {@code d < 0} is {@code -2d - 1}.
 *
 * <p>Thread safety: constants only.
 */
final class SqrtStream {
    /** "JPKQ" as a little-endian int. */
    static final int MAGIC = 'J' | 'P' << 8 | 'K' << 16 | 'Q' << 24;
    /** The version written: levels are the widest runs of integers one value represents within {@code scale * sigma}. */
    static final int VERSION = 2;
    /** The first version (decoded only): levels are rounded square roots. */
    static final int VERSION_SQRT_BINS = 1;
    static final int PREDICTOR_MEAN = 1;
    static final int HEADER = 52;

    private SqrtStream() {
    }

    static int dtypeCode(DType dtype) {
        return dtype == DType.UINT8 ? 1 : 2;
    }

    /** The longest payload a plane of {@code samples} can need: every code at the maximum length. */
    static long maxPayload(long samples) {
        return (samples * Huffman.MAX_LENGTH + 7) / 8;
    }
}
