package org.jpkl.cli.testing;

import java.util.Map;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.IdentityCodec;

/**
 * A test-only codec that is NOT registered on the test class path: tests put its services entry
 * into a plugin jar, so it is found only through {@code --plugins} or {@code JPKL_PLUGINS}. Id
 * {@code test-plugin}.
 */
public final class PluginOnlyCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "test-plugin";

    private final IdentityCodec identity = new IdentityCodec();

    @Override
    public String id() {
        return ID;
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
