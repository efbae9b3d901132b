package org.jpkl.zstd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.deflate.PlaneFilter;
import org.jpkl.deflate.pipeline.ParamValues;

/**
 * Parameters of the {@code zstd} codec: the zstd compression level and the {@link PlaneFilter}.
 * Validated on construction.
 *
 * <p>Thread safety: immutable.
 *
 * @param level zstd level, -7 (fastest) to 22 (smallest, slowest); 0 means zstd's own default
 *     (3); default {@value #DEFAULT_LEVEL}
 * @param filter the filter applied before compression; default {@link PlaneFilter#SHUFFLE}
 */
public record ZstdParams(int level, PlaneFilter filter) implements CodecParams {
    /** Smallest (fastest) level accepted. */
    public static final int MIN_LEVEL = -7;
    /** Largest level (zstd's "ultra" maximum). */
    public static final int MAX_LEVEL = 22;
    /**
     * The default level. Measured on 1024x1024 camera-like uint16 planes (see {@link ZstdCodec}):
     * higher levels cost much encode speed for little ratio on noisy data.
     */
    public static final int DEFAULT_LEVEL = 1;
    /** The default filter: the byte shuffle, which gave the best ratio on camera-like data. */
    public static final PlaneFilter DEFAULT_FILTER = PlaneFilter.SHUFFLE;

    static final String LEVEL = "level";
    static final String FILTER = "filter";
    static final List<String> KEYS = List.of(LEVEL, FILTER);

    /**
     * @throws IllegalArgumentException if the level is outside [-7, 22]
     * @throws NullPointerException if the filter is null
     */
    public ZstdParams {
        ParamValues.checkRange(LEVEL, level, MIN_LEVEL, MAX_LEVEL);
        Objects.requireNonNull(filter, FILTER);
    }

    /** The defaults: level {@value #DEFAULT_LEVEL}, filter {@code shuffle}. */
    public static ZstdParams defaults() {
        return new ZstdParams(DEFAULT_LEVEL, DEFAULT_FILTER);
    }

    /**
     * Parses the string form ({@code level}, {@code filter}); absent keys take their defaults.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value, naming it and what is allowed
     */
    public static ZstdParams parse(Map<String, String> values) {
        ParamValues.rejectUnknownKeys(ZstdCodec.ID, values, KEYS);
        return new ZstdParams(ParamValues.intInRange(values, LEVEL, DEFAULT_LEVEL, MIN_LEVEL, MAX_LEVEL),
                ParamValues.filter(values, FILTER, DEFAULT_FILTER));
    }

    /** {@value ZstdCodec#ID}. */
    @Override
    public String codecId() {
        return ZstdCodec.ID;
    }

    /** {@code {level=.., filter=..}}, unmodifiable. */
    @Override
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(LEVEL, Integer.toString(level));
        map.put(FILTER, filter.id());
        return java.util.Collections.unmodifiableMap(map);
    }
}
