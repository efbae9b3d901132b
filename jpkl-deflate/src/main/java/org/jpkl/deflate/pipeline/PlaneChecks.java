package org.jpkl.deflate.pipeline;

import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;

/**
 * Argument checks shared by the filtered codecs.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: stateless.
 */
public final class PlaneChecks {
    /**
     * The largest raw plane this module encodes: its bytes, the filtered copy and the compressed
     * output must each fit in one Java array.
     */
    public static final long MAX_PLANE_BYTES = 2_000_000_000L;

    private PlaneChecks() {
    }

    /**
     * @throws IllegalArgumentException if the codec cannot encode the spec's dtype or channels, or
     *     the plane is larger than {@link #MAX_PLANE_BYTES}
     */
    public static void checkSpec(String codecId, CodecCapabilities capabilities, PlaneSpec spec) {
        if (!capabilities.supports(spec.dtype(), spec.channels())) {
            throw new IllegalArgumentException("codec '" + codecId + "' cannot encode " + spec.dtype() + " " + spec.channels()
                    + " planes; it supports dtypes " + capabilities.dtypes() + " and channels " + capabilities.channels());
        }
        if (spec.byteSize() > MAX_PLANE_BYTES) {
            throw new IllegalArgumentException("plane " + spec + " has " + spec.byteSize() + " bytes; codec '" + codecId
                    + "' encodes planes of at most " + MAX_PLANE_BYTES + " bytes");
        }
    }

    /**
     * The params as the codec's own type.
     *
     * @throws IllegalArgumentException if they belong to another codec
     */
    public static <P extends CodecParams> P own(String codecId, Class<P> type, CodecParams params) {
        if (!type.isInstance(params)) {
            throw new IllegalArgumentException("codec '" + codecId + "' needs its own parameters, got "
                    + (params == null ? "null" : "parameters of codec '" + params.codecId() + "'"));
        }
        return type.cast(params);
    }
}
