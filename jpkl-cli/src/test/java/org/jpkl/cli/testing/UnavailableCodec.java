package org.jpkl.cli.testing;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.IdentityCodec;

/** A test-only codec standing for a native-backed one whose library is missing. Id {@code test-unavailable}. */
public final class UnavailableCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "test-unavailable";
    /** The reason it reports. */
    public static final String REASON = "libfoo.so.1 not found; apt-get install libfoo1";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CodecCapabilities.builder().lossless(true).dtypes(DType.UINT8).channels(ChannelLayout.GREY).build();
    }

    @Override
    public CodecParams params(Map<String, String> values) {
        return new IdentityCodec().params(values);
    }

    @Override
    public Availability availability() {
        return Availability.unavailable(REASON);
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        throw new IllegalStateException("codec '" + ID + "' is not available: " + REASON);
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        throw new IllegalStateException("codec '" + ID + "' is not available: " + REASON);
    }
}
