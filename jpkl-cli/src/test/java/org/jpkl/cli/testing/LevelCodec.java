package org.jpkl.cli.testing;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.IdentityCodec;

/**
 * A test-only lossless codec with one parameter, {@code level} (0..9, default 5), that is stored but
 * does not change the encoding (raw samples, as {@link IdentityCodec}); lets CLI tests check
 * parameter display, validation, and convert's copy-or-re-encode decision. Id {@code test-level}.
 */
public final class LevelCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "test-level";

    private static final CodecCapabilities CAPS = CodecCapabilities.builder().lossless(true).dtypes(DType.values())
            .channels(ChannelLayout.values()).param("level", ParamType.integer(0, 9), "5", "effort (has no effect in this test codec)")
            .description("raw samples with a level parameter (tests only)").build();

    private final IdentityCodec identity = new IdentityCodec();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPS;
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        return identity.newEncoder(identity.params(Map.of()), spec);
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return identity.newDecoder(identity.params(Map.of()), spec);
    }
}
