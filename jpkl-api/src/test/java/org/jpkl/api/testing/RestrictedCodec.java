package org.jpkl.api.testing;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * A test codec with a chosen id and dtype set that delegates to {@link IdentityCodec}, for tests of
 * capability checks, missing codecs and failing encoders. {@code failOnSlice} makes the n-th
 * {@code encode} call of each encoder throw (-1: never).
 *
 * <p>Thread safety: immutable and thread-safe; its encoders and decoders are one per thread.
 */
public final class RestrictedCodec implements SliceCodec {
    private final String id;
    private final CodecCapabilities caps;
    private final int failOnEncodeCall;
    private final IdentityCodec identity = new IdentityCodec();

    /** A codec {@code id} that takes only {@code dtypes}; its n-th encode call throws when {@code failOnEncodeCall >= 0}. */
    public RestrictedCodec(String id, int failOnEncodeCall, DType... dtypes) {
        this.id = id;
        this.failOnEncodeCall = failOnEncodeCall;
        this.caps = CodecCapabilities.builder().lossless(true).dtypes(dtypes).channels(ChannelLayout.values()).build();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CodecCapabilities capabilities() {
        return caps;
    }

    @Override
    public CodecParams params(Map<String, String> values) {
        return identity.params(values);
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        caps.requireSupported(id, spec);
        SliceEncoder inner = identity.newEncoder(params, spec);
        return new SliceEncoder() {
            private int calls;

            @Override
            public byte[] encode(org.jpkl.api.PlaneBuffer plane) throws java.io.IOException {
                if (calls++ == failOnEncodeCall) {
                    throw new java.io.IOException("simulated encoder failure on call " + failOnEncodeCall);
                }
                return inner.encode(plane);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return identity.newDecoder(params, spec);
    }
}
