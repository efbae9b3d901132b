package org.jpkl.api.testing;

import java.util.Arrays;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * A test-only codec for uint8 planes that hold one value: encodes to that single byte. Lets tests
 * build containers with billions of elements in a few kilobytes. Id {@code test-constant}.
 *
 * <p>Thread safety: stateless and thread-safe; its encoders and decoders are one per thread.
 */
public final class ConstantCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "test-constant";

    private static final CodecCapabilities CAPS = CodecCapabilities.builder().lossless(true).dtypes(DType.UINT8)
            .channels(ChannelLayout.GREY).build();

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
        return new IdentityCodec().params(values);
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        return new SliceEncoder() {
            @Override
            public byte[] encode(PlaneBuffer plane) {
                byte[] b = plane.bytes();
                byte v = b[plane.offset()];
                for (int i = 0; i < spec.sampleCount(); i++) {
                    if (b[plane.offset() + i] != v) {
                        throw new IllegalArgumentException("codec '" + ID + "' takes only constant planes");
                    }
                }
                return new byte[] {v};
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return new SliceDecoder() {
            @Override
            public void decode(java.nio.ByteBuffer encoded, PlaneBuffer destination) throws JpklFormatException {
                if (encoded.remaining() != 1) {
                    throw new JpklFormatException(ID, "slice data", encoded.remaining() + " bytes, expected 1");
                }
                Arrays.fill(destination.bytes(), destination.offset(), destination.offset() + spec.sampleCount(), encoded.get());
            }

            @Override
            public void close() {
            }
        };
    }
}
