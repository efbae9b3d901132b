package org.jpkl.api.spi;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;

/**
 * A codec's validated, immutable parameters. Most codecs use the {@link TypedParams} that their
 * {@link ParamSchema} makes; a codec with richer values has its own implementation (e.g. a record
 * built from the schema's typed values). The container stores {@link #toMap()} so that a file
 * decodes with exactly the settings it was written with.
 *
 * <p>Contract: {@code codec.params(p.toMap())} equals {@code p} (implement {@code equals} and
 * {@code hashCode}, e.g. with a record); {@link #toMap()} lists every parameter, defaults included,
 * so a file never depends on a later change of defaults; the one exception is a parameter declared
 * {@link ParamSpec#storedOnlyWhenSet()} (added after files were written), left out at its default.
 *
 * <p>Thread safety: implementations must be immutable.
 */
public interface CodecParams {
    /** The id of the codec these parameters belong to. */
    String codecId();

    /**
     * Every parameter as a string, defaults included (except {@link ParamSpec#storedOnlyWhenSet()}
     * parameters at their default); unmodifiable; stored in the container.
     */
    Map<String, String> toMap();

    /**
     * The parameters that change the encoded bytes of planes of this dtype and channel layout, as
     * strings, defaults included: two parameter sets of one codec whose encoding parameters are
     * equal encode every such plane to the same bytes, so encoded slices can be copied between them
     * unchanged. Serializers and tools use this instead of naming a codec's parameters. The default
     * is {@link #toMap()} (every parameter counts); {@link TypedParams} leaves out what the
     * {@link ParamSpec}s declare as not changing the bytes.
     */
    default Map<String, String> encodingParams(DType dtype, ChannelLayout channels) {
        return toMap();
    }

    /**
     * {@code params} as codec {@code codecId}'s own parameters of {@code type}: the one check every
     * codec's {@code newEncoder}/{@code newDecoder} makes.
     *
     * @throws IllegalArgumentException if they are null or belong to another codec, naming both
     */
    static <P extends CodecParams> P requireOwn(String codecId, Class<P> type, CodecParams params) {
        if (!type.isInstance(params) || !codecId.equals(params.codecId())) {
            throw new IllegalArgumentException("codec '" + codecId + "' needs its own parameters (from its params(Map)), got "
                    + (params == null ? "null" : "parameters of codec '" + params.codecId() + "' " + params.toMap()));
        }
        return type.cast(params);
    }
}
