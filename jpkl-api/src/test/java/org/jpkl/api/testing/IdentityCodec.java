package org.jpkl.api.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * A test-only lossless codec: a 16-byte header (magic, height, width, samples, dtype ordinal) and the
 * raw little-endian samples. Exact for every dtype, so container and indexing tests can compare
 * values exactly. Id {@code test-identity}; no parameters.
 *
 * <p>Thread safety: stateless and thread-safe; its encoders and decoders are one per thread.
 */
public final class IdentityCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "test-identity";
    private static final int MAGIC = 0x31574152; // "RAW1"

    private static final CodecCapabilities CAPS = CodecCapabilities.builder().lossless(true).dtypes(DType.values())
            .channels(ChannelLayout.values()).description("raw samples (tests only)").build();

    private enum NoParams implements CodecParams {
        INSTANCE;

        @Override
        public String codecId() {
            return ID;
        }

        @Override
        public Map<String, String> toMap() {
            return Map.of();
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPS;
    }

    @Override
    public CodecParams params(Map<String, String> values) {
        CAPS.schema().parse(ID, values);
        return NoParams.INSTANCE;
    }

    private static void check(PlaneSpec spec, CodecParams params) {
        Objects.requireNonNull(params, "params");
        CAPS.requireSupported(ID, spec);
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        check(spec, params);
        return new SliceEncoder() {
            @Override
            public byte[] encode(PlaneBuffer plane) {
                if (!plane.spec().equals(spec)) {
                    throw new IllegalArgumentException("plane is " + plane.spec() + ", encoder is for " + spec);
                }
                ByteBuffer raw = plane.toNdArray().toByteBuffer(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer out = ByteBuffer.allocate(16 + raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                out.putInt(MAGIC).putInt(spec.height()).putInt(spec.width())
                        .putShort((short) spec.channels().samplesPerPixel()).putShort((short) spec.dtype().ordinal()).put(raw);
                return out.array();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        check(spec, params);
        return new SliceDecoder() {
            @Override
            public void decode(ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
                ByteBuffer in = encoded.slice().order(ByteOrder.LITTLE_ENDIAN);
                long expected = 16 + spec.byteSize();
                if (in.remaining() != expected) {
                    throw new JpklFormatException(ID, "slice data", in.remaining() + " bytes, expected " + expected + " for " + spec);
                }
                if (in.getInt() != MAGIC || in.getInt() != spec.height() || in.getInt() != spec.width()
                        || in.getShort() != spec.channels().samplesPerPixel() || in.getShort() != spec.dtype().ordinal()) {
                    throw new JpklFormatException(ID, "slice data", "header does not describe a " + spec + " plane");
                }
                NdArray plane = NdArray.copyOf(in, spec.dtype(), spec.shape());
                PlaneSpec whole = new PlaneSpec(spec.dtype(), spec.height(), spec.width(), spec.channels());
                plane.copyPlane(org.jpkl.api.PlaneLayout.jpkl(spec.channels() == ChannelLayout.RGB), 0,
                        PlaneBuffer.wrap(whole, destination.array(), destination.offset()));
            }

            @Override
            public void close() {
            }
        };
    }
}
