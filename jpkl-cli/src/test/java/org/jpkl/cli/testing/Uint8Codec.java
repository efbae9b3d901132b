package org.jpkl.cli.testing;

import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.RestrictedCodec;

/** A test-only lossless codec that takes uint8 planes only, for "wrong dtype for this codec" errors. Id {@code test-uint8}. */
public final class Uint8Codec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "test-uint8";

    private final RestrictedCodec delegate = new RestrictedCodec(ID, -1, DType.UINT8);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public CodecParams params(Map<String, String> values) {
        return delegate.params(values);
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        return delegate.newEncoder(params, spec);
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return delegate.newDecoder(params, spec);
    }
}
