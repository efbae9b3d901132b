package org.jpkl.api.spi.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneSpec;

/**
 * The 32-byte frame around the stream a native library writes for one plane, so that a decoder can
 * check, in Java and before the library sees a byte, that the stream belongs to this codec and plane,
 * is complete and undamaged: a native decoder is never handed a stream of another shape, a truncated
 * one or a mutated one.
 *
 * <p>Layout (little-endian): 4 bytes magic (one per codec), 1 byte format version (1), 1 byte dtype
 * code, 1 byte samples per pixel, 1 byte mode (the codec's), 4 bytes height, 4 bytes width, 8 bytes
 * parameter (a double, the codec's: a tolerance, a rate...), 4 bytes payload length, 4 bytes CRC-32
 * of the first 28 bytes and the payload; the payload (the library's stream) follows and ends where
 * the slice ends. Any change to a frame field or the payload is thus refused before decoding.
 *
 * <p>Thread safety: immutable.
 *
 * @param mode the codec's mode byte, 0-255
 * @param parameter the codec's parameter (finite)
 * @param payloadOffset where the payload starts in the buffer given to {@link #read}
 * @param payloadLength the payload's length in bytes
 */
public record NativeSliceFrame(int mode, double parameter, int payloadOffset, int payloadLength) {
    /** Bytes of the frame before the payload. */
    public static final int SIZE = 32;
    private static final int VERSION = 1;

    /**
     * Writes the frame into {@code out[0, SIZE)} for the payload already in {@code out[SIZE, out.length)}.
     *
     * @param magic the codec's 4 magic bytes as a little-endian int
     */
    public static void write(byte[] out, int magic, PlaneSpec spec, int mode, double parameter) {
        if (mode < 0 || mode > 255 || !Double.isFinite(parameter) || out.length < SIZE) {
            throw new IllegalArgumentException("frame of mode " + mode + ", parameter " + parameter + " in " + out.length + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(out, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(magic).put((byte) VERSION)
                .put((byte) dtypeCode(spec.dtype())).put((byte) spec.channels().samplesPerPixel()).put((byte) mode).putInt(spec.height())
                .putInt(spec.width()).putDouble(parameter).putInt(out.length - SIZE);
        CRC32 crc = new CRC32();
        crc.update(out, 0, SIZE - 4);
        crc.update(out, SIZE, out.length - SIZE);
        h.putInt((int) crc.getValue());
    }

    /**
     * Reads and checks the frame of {@code in} (its position to its limit, which is not changed): the
     * magic, the version, the plane against {@code spec}, the payload's length against the bytes that
     * follow (exactly, no trailing bytes) and its CRC-32.
     *
     * @param codecId the codec's id, for messages
     * @return the frame; {@link #payloadOffset()} is an absolute index in {@code in}
     * @throws JpklFormatException if any of these does not hold
     */
    public static NativeSliceFrame read(ByteBuffer in, int magic, String codecId, PlaneSpec spec) throws JpklFormatException {
        int remaining = in.remaining();
        if (remaining < SIZE) {
            throw bad(codecId, remaining + " bytes, shorter than the " + SIZE + "-byte frame");
        }
        ByteBuffer h = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int gotMagic = h.getInt();
        if (gotMagic != magic) {
            throw bad(codecId, String.format("magic 0x%08x is not %s's 0x%08x", gotMagic, codecId, magic));
        }
        int version = h.get() & 0xFF;
        if (version != VERSION) {
            throw bad(codecId, "format version " + version + " is not supported; expected " + VERSION);
        }
        int dtype = h.get() & 0xFF;
        int samples = h.get() & 0xFF;
        int mode = h.get() & 0xFF;
        int height = h.getInt();
        int width = h.getInt();
        if (dtype != dtypeCode(spec.dtype()) || samples != spec.channels().samplesPerPixel() || height != spec.height()
                || width != spec.width()) {
            throw bad(codecId, "plane of dtype code " + dtype + ", " + height + "x" + width + "x" + samples + " does not match the expected "
                    + spec + " (dtype code " + dtypeCode(spec.dtype()) + ")");
        }
        double parameter = h.getDouble();
        long length = h.getInt() & 0xFFFFFFFFL;
        int crcStored = h.getInt();
        if (length != remaining - SIZE) {
            throw bad(codecId, "the frame announces a " + length + "-byte stream, but " + (remaining - SIZE) + " bytes follow");
        }
        if (!Double.isFinite(parameter)) {
            throw bad(codecId, "parameter " + parameter + " is not finite");
        }
        CRC32 crc = new CRC32();
        ByteBuffer covered = in.duplicate();
        covered.limit(in.position() + SIZE - 4);
        crc.update(covered);
        covered.limit(in.limit()).position(in.position() + SIZE);
        crc.update(covered);
        if ((int) crc.getValue() != crcStored) {
            throw bad(codecId, String.format("CRC-32 0x%08x of the frame and its %d-byte stream is not the stored 0x%08x: the slice is"
                    + " damaged", (int) crc.getValue(), length, crcStored));
        }
        // length == remaining - SIZE (checked above), and remaining is a ByteBuffer int: it fits.
        return new NativeSliceFrame(mode, parameter, in.position() + SIZE, Math.toIntExact(length));
    }

    /** A {@link JpklFormatException} about the slice's frame, worded as the other frame checks. */
    public static JpklFormatException bad(String codecId, String detail) {
        return new JpklFormatException(codecId, "slice data", detail);
    }

    /**
     * A stable number per dtype for slice headers (not the enum ordinal, which may change): 1 uint8, 2
     * uint16, 3 int16, 4 int32, 5 float32, 6 float64; the filtered codecs' header uses it too.
     */
    public static int dtypeCode(DType dtype) {
        switch (dtype) {
            case UINT8:
                return 1;
            case UINT16:
                return 2;
            case INT16:
                return 3;
            case INT32:
                return 4;
            case FLOAT32:
                return 5;
            case FLOAT64:
                return 6;
            default:
                throw new IllegalArgumentException("dtype " + dtype + " has no frame code");
        }
    }
}
