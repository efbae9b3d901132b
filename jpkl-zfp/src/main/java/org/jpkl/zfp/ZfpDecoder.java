package org.jpkl.zfp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Decodes zfp slices of one spec: the frame is checked in Java (plane, mode, parameter, length,
 * CRC-32), the stream must fit zfp's maximum size for that mode, and zfp reads it from a zero-padded
 * native buffer of that size, so that even a stream zfp misreads cannot make it read past the buffer;
 * zfp must then have consumed exactly the stream.
 *
 * <p>Thread safety: not thread-safe; one per thread.
 */
final class ZfpDecoder implements SliceDecoder {
    private final Zfp.Api api;
    private final PlaneSpec spec;
    /** The fields, made on first use: [0] native width, [1] wide (float32 as double). */
    private final ZfpField[] fields = new ZfpField[2];
    private Memory in;

    ZfpDecoder(Zfp.Api api, PlaneSpec spec) {
        this.api = api;
        this.spec = spec;
    }

    @Override
    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
        if (!destination.spec().equals(spec)) {
            throw new IllegalArgumentException("codec 'zfp': this decoder fills " + spec + " planes, not " + destination.spec());
        }
        NativeSliceFrame frame = NativeSliceFrame.read(encoded, ZfpCodec.MAGIC, ZfpCodec.ID, spec);
        ZfpMode mode = ZfpMode.ofCode(frame.mode());
        ZfpMode.Setting setting = mode == null ? null : new ZfpMode.Setting(mode, frame.parameter());
        if (setting == null || !setting.valid()) {
            throw NativeSliceFrame.bad(ZfpCodec.ID, "mode code " + frame.mode() + " with parameter " + frame.parameter()
                    + " is not a zfp mode this codec writes");
        }
        int which = setting.wide() ? 1 : 0;
        if (fields[which] == null) {
            fields[which] = new ZfpField(api, spec, setting.wide());
        }
        ZfpField field = fields[which];
        Pointer zfp = api.zfp_stream_open(null);
        if (zfp == null) {
            throw new IllegalStateException("codec 'zfp': zfp_stream_open failed (out of memory?)");
        }
        Pointer stream = null;
        try {
            setting.apply(api, zfp, field, spec);
            long max = api.zfp_stream_maximum_size(zfp, field.field);
            int length = frame.payloadLength();
            if (length > max) {
                throw NativeSliceFrame.bad(ZfpCodec.ID, "a " + length + "-byte stream is longer than zfp's " + max
                        + "-byte maximum for a " + spec + " plane in mode " + setting);
            }
            long size = (max + 15) / 8 * 8; // whole 64-bit words, one spare
            if (in == null || in.size() < size) {
                if (in != null) {
                    in.close();
                }
                in = new Memory(size);
            }
            ByteBuffer payload = encoded.duplicate();
            payload.limit(frame.payloadOffset() + length).position(frame.payloadOffset());
            in.getByteBuffer(0, length).put(payload);
            in.setMemory(length, size - length, (byte) 0);
            stream = api.stream_open(in, size);
            api.zfp_stream_set_bit_stream(zfp, stream);
            api.zfp_stream_rewind(zfp);
            long consumed = api.zfp_decompress(zfp, field.field);
            if (consumed != length) {
                throw NativeSliceFrame.bad(ZfpCodec.ID, "zfp consumed " + consumed + " bytes of a " + length + "-byte stream in mode "
                        + setting + ": the stream is damaged");
            }
        } finally {
            if (stream != null) {
                api.stream_close(stream);
            }
            api.zfp_stream_close(zfp);
        }
        field.get(destination);
    }

    @Override
    public void close() {
        for (ZfpField f : fields) {
            if (f != null) {
                f.close();
            }
        }
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
