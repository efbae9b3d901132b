package org.jpkl.lerc;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Decodes LERC slices of one spec: the frame is checked in Java (plane, length, CRC-32), then LERC's
 * own description of the blob ({@code lerc_getBlobInfo}) against the plane, before
 * {@code lerc_decode} writes into buffers of the plane's size; invalid pixels of float planes become NaN.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class LercDecoder implements SliceDecoder {
    private final Lerc.Api api;
    private final PlaneSpec spec;
    private final int samplesPerPixel;
    private final Memory samples;
    private final Memory mask;
    private final int[] info = new int[Lerc.INFO_SIZE];
    private final double[] ranges = new double[3];
    private Memory in;

    LercDecoder(Lerc.Api api, PlaneSpec spec) {
        this.api = api;
        this.spec = spec;
        this.samplesPerPixel = spec.channels().samplesPerPixel();
        this.samples = new Memory(spec.byteSize());
        this.mask = new Memory((long) spec.height() * spec.width());
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'lerc': this decoder fills " + spec + " planes, not " + destination.spec());
        }
        NativeSliceFrame frame = NativeSliceFrame.read(encoded, LercCodec.MAGIC, LercCodec.ID, spec);
        boolean floatBits = (frame.mode() & Lerc.MODE_FLOAT_BITS) != 0;
        if (frame.mode() > 3 || !(frame.parameter() >= 0 && frame.parameter() <= LercCodec.MAX_Z_ERROR)
                || ((frame.mode() & Lerc.MODE_MASK) != 0 && spec.dtype().isIntegral())
                || floatBits != (spec.dtype() == DType.FLOAT32 && frame.parameter() == 0)) {
            throw NativeSliceFrame.bad(LercCodec.ID, "mode " + frame.mode() + " with maxZError " + frame.parameter()
                    + " is not what this codec writes for a " + spec + " plane");
        }
        int length = frame.payloadLength();
        if (length == 0) {
            throw NativeSliceFrame.bad(LercCodec.ID, "the LERC blob is empty");
        }
        if (in == null || in.size() < length) {
            if (in != null) {
                in.close();
            }
            in = new Memory(length);
        }
        ByteBuffer payload = encoded.duplicate();
        payload.limit(frame.payloadOffset() + length).position(frame.payloadOffset());
        in.getByteBuffer(0, length).put(payload);
        Arrays.fill(info, -1);
        int status = api.lerc_getBlobInfo(in, length, info, ranges, Lerc.INFO_SIZE, ranges.length);
        if (status != 0) {
            throw NativeSliceFrame.bad(LercCodec.ID, "LERC cannot read the blob's header (lerc_getBlobInfo status " + status + ")");
        }
        int type = floatBits ? Lerc.DT_INT : Lerc.dataType(spec.dtype());
        int masks = info[8];
        if (info[1] != type || info[2] != samplesPerPixel || info[3] != spec.width() || info[4] != spec.height() || info[5] != 1
                || info[7] != length || masks < 0 || masks > 1) {
            throw NativeSliceFrame.bad(LercCodec.ID, "the LERC blob describes data type " + info[1] + ", depth " + info[2] + ", "
                    + info[4] + "x" + info[3] + ", " + info[5] + " band(s), " + info[8] + " mask(s), " + info[7] + " bytes; expected data"
                    + " type " + type + ", depth " + samplesPerPixel + ", " + spec.height() + "x" + spec.width() + ", 1 band, at most 1"
                    + " mask, " + length + " bytes");
        }
        status = api.lerc_decode(in, length, masks, masks == 0 ? null : mask, samplesPerPixel, spec.width(), spec.height(), 1, type,
                samples);
        if (status != 0) {
            throw NativeSliceFrame.bad(LercCodec.ID, "LERC cannot decode the blob (lerc_decode status " + status + "): it is damaged");
        }
        if (masks == 1 && spec.dtype().isIntegral()) {
            throw NativeSliceFrame.bad(LercCodec.ID, "the LERC blob has a validity mask, which this codec never writes for a " + spec
                    + " plane");
        }
        Lerc.get(samples, destination);
        if (masks == 1) {
            applyMask(destination);
        }
    }

    /** Invalid pixels of a float plane become NaN. */
    private void applyMask(PlaneBuffer destination) {
        int pixels = spec.height() * spec.width();
        for (int p = 0; p < pixels; p++) {
            if (mask.getByte(p) == 0) {
                for (int c = 0; c < samplesPerPixel; c++) {
                    int at = destination.offset() + p * samplesPerPixel + c;
                    if (spec.dtype() == DType.FLOAT32) {
                        destination.floats()[at] = Float.NaN;
                    } else {
                        destination.doubles()[at] = Double.NaN;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        samples.close();
        mask.close();
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
