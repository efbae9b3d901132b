package org.jpkl.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.TestPlanes;

/**
 * A test-only lossy codec with a known error: uint8/uint16 samples are rounded to the nearest
 * multiple of {@code step} (clamped to the dtype's maximum) and stored raw. Id {@code test-quantize}.
 */
final class QuantizingCodec implements SliceCodec {
    static final String ID = "test-quantize";
    private static final CodecCapabilities CAPS = CodecCapabilities.builder().lossless(false)
            .dtypes(DType.UINT8, DType.UINT16).channels(ChannelLayout.GREY)
            .param("step", ParamType.integer(1, 1000), "4", "quantisation step").description("quantiser (tests only)").build();

    private final IdentityCodec raw = new IdentityCodec();

    /** The value a sample of {@code dtype} decodes to with this step. */
    static double quantize(double v, int step, DType dtype) {
        return Math.min(dtype.maxValue(), Math.rint(v / step) * step);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPS;
    }

    /** Step 1 keeps every integer sample: exact, though other steps are not. */
    @Override
    public boolean isLossless(CodecParams params) {
        return CodecParams.requireOwn(ID, TypedParams.class, params).intValue("step") == 1;
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        int step = CodecParams.requireOwn(ID, TypedParams.class, params).intValue("step");
        if (step > spec.dtype().maxValue()) {
            // Settings refused for some planes only, as jpegxl refuses float32 at distance 0.
            throw new IllegalArgumentException("codec '" + ID + "': step (" + step + ") is above the largest " + spec.dtype() + " value");
        }
        SliceEncoder inner = raw.newEncoder(raw.params(Map.of()), spec);
        return new SliceEncoder() {
            @Override
            public byte[] encode(PlaneBuffer plane) throws IOException {
                PlaneBuffer q = PlaneBuffer.allocate(spec);
                for (int i = 0; i < spec.sampleCount(); i++) {
                    TestPlanes.set(q, i, quantize(TestPlanes.get(plane, i), step, spec.dtype()));
                }
                return inner.encode(q);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return raw.newDecoder(raw.params(Map.of()), spec);
    }

    /** A codec under another id whose decoder always fails. */
    static SliceCodec brokenDecoder(String id) {
        return new Delegating(id) {
            @Override
            public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
                return new SliceDecoder() {
                    @Override
                    public void decode(ByteBuffer encoded, PlaneBuffer destination) throws IOException {
                        throw new org.jpkl.api.JpklFormatException(id, "slice data", "simulated corrupt stream");
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    /** A codec under another id that reports itself unavailable. */
    static SliceCodec unavailable(String id, String reason) {
        return new Delegating(id) {
            @Override
            public org.jpkl.api.spi.Availability availability() {
                return org.jpkl.api.spi.Availability.unavailable(reason);
            }
        };
    }

    /** The identity codec under another id. */
    private static class Delegating implements SliceCodec {
        private final String id;
        private final IdentityCodec identity = new IdentityCodec();

        Delegating(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public CodecCapabilities capabilities() {
            return identity.capabilities();
        }

        @Override
        public CodecParams params(Map<String, String> values) {
            return identity.params(values);
        }

        @Override
        public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
            return identity.newEncoder(params, spec);
        }

        @Override
        public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
            return identity.newDecoder(params, spec);
        }
    }
}
