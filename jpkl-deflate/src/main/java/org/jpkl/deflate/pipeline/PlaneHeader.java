package org.jpkl.deflate.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.support.NativeSliceFrame;
import org.jpkl.deflate.PlaneFilter;

/**
 * The 16-byte prefix of every plane a filtered codec encodes, so a decoder can tell a plane of the
 * wrong codec, filter, dtype or shape from a good one before it decompresses anything.
 *
 * <p>Layout (little-endian): 4 bytes magic (one per codec), 1 byte format version (1), 1 byte
 * filter code, 1 byte dtype code, 1 byte samples per pixel, 4 bytes height, 4 bytes width. The
 * compressed stream follows.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: immutable.
 */
public final class PlaneHeader {
    /** Bytes of the header. */
    public static final int SIZE = 16;
    private static final int VERSION = 1;

    private final String codecId;
    private final int magic;
    private final PlaneFilter filter;
    private final PlaneSpec spec;

    /**
     * @param codecId the codec's id, used in error messages
     * @param magic the codec's 4 magic bytes as a little-endian int
     */
    public PlaneHeader(String codecId, int magic, PlaneFilter filter, PlaneSpec spec) {
        this.codecId = codecId;
        this.magic = magic;
        this.filter = filter;
        this.spec = spec;
    }

    /** Writes the header to {@code out[0, SIZE)}. */
    void write(byte[] out) {
        ByteBuffer.wrap(out, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(magic).put((byte) VERSION)
                .put((byte) filter.code()).put((byte) NativeSliceFrame.dtypeCode(spec.dtype()))
                .put((byte) spec.channels().samplesPerPixel()).putInt(spec.height()).putInt(spec.width());
    }

    /**
     * Reads and checks the header at {@code in}'s position, leaving the position after it.
     *
     * @throws JpklFormatException if the data is shorter than a header or the header describes
     *     another codec, version, filter, dtype or shape
     */
    void readAndCheck(ByteBuffer in) throws JpklFormatException {
        if (in.remaining() < SIZE) {
            throw new JpklFormatException(codecId, "slice data", in.remaining() + " bytes, shorter than the " + SIZE
                    + "-byte plane header");
        }
        ByteBuffer h = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + SIZE);
        int gotMagic = h.getInt();
        if (gotMagic != magic) {
            throw new JpklFormatException(codecId, "slice header", String.format("magic 0x%08x is not %s's 0x%08x", gotMagic,
                    codecId, magic));
        }
        int version = h.get() & 0xFF;
        if (version != VERSION) {
            throw new JpklFormatException(codecId, "slice header", "format version " + version + " is not supported; expected "
                    + VERSION);
        }
        int filterCode = h.get() & 0xFF;
        int dtypeCode = h.get() & 0xFF;
        int samples = h.get() & 0xFF;
        int height = h.getInt();
        int width = h.getInt();
        PlaneFilter gotFilter = PlaneFilter.ofCode(filterCode);
        if (gotFilter != filter) {
            throw new JpklFormatException(codecId, "slice header", "filter " + (gotFilter == null ? "code " + filterCode : gotFilter)
                    + " does not match the parameters' filter " + filter);
        }
        if (dtypeCode != NativeSliceFrame.dtypeCode(spec.dtype()) || samples != spec.channels().samplesPerPixel() || height != spec.height()
                || width != spec.width()) {
            throw new JpklFormatException(codecId, "slice header", "plane of dtype code " + dtypeCode + ", " + height + "x"
                    + width + "x" + samples + " does not match the expected " + spec + " (dtype code "
                    + NativeSliceFrame.dtypeCode(spec.dtype()) + ")");
        }
    }
}
