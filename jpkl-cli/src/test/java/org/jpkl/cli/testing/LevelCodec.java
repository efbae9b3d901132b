package org.jpkl.cli.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
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
            .channels(ChannelLayout.values()).param("level", "5", "integer in [0, 9]", "effort (has no effect in this test codec)")
            .description("raw samples with a level parameter (tests only)").build();

    private final IdentityCodec identity = new IdentityCodec();

    /** Validated parameters. */
    record Params(int level) implements CodecParams {
        Params {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException("level (" + level + ") must be in [0, 9]");
            }
        }

        @Override
        public String codecId() {
            return ID;
        }

        @Override
        public Map<String, String> toMap() {
            return Map.of("level", Integer.toString(level));
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
        Map<String, String> rest = new HashMap<>(values);
        String level = rest.remove("level");
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("codec '" + ID + "' has no parameter(s) " + rest.keySet() + "; allowed: " + Set.of("level"));
        }
        try {
            return new Params(level == null ? 5 : Integer.parseInt(level.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("level ('" + level + "') must be an integer in [0, 9]", e);
        }
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
