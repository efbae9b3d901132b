package org.jpkl.deflate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.deflate.pipeline.ParamValues;

/**
 * Parameters of the {@code deflate} codec: the zlib compression level and the {@link PlaneFilter}.
 * Validated on construction.
 *
 * <p>Thread safety: immutable.
 *
 * @param level deflate level, 0 (stored, no compression) to 9 (smallest, slowest); default
 *     {@value #DEFAULT_LEVEL}
 * @param filter the filter applied before compression; default {@link PlaneFilter#SHUFFLE}
 */
public record DeflateParams(int level, PlaneFilter filter) implements CodecParams {
    /** Smallest level: stored blocks, no compression. */
    public static final int MIN_LEVEL = 0;
    /** Largest level. */
    public static final int MAX_LEVEL = 9;
    /**
     * The default level. Measured on 1024x1024 camera-like uint16 planes (see {@link DeflateCodec}):
     * level 1 encodes about twice as fast as level 6 for a few percent less compression.
     */
    public static final int DEFAULT_LEVEL = 1;
    /** The default filter: the byte shuffle, which gave the best ratio on camera-like data. */
    public static final PlaneFilter DEFAULT_FILTER = PlaneFilter.SHUFFLE;

    static final String LEVEL = "level";
    static final String FILTER = "filter";
    static final List<String> KEYS = List.of(LEVEL, FILTER);

    /**
     * @throws IllegalArgumentException if the level is outside [0, 9]
     * @throws NullPointerException if the filter is null
     */
    public DeflateParams {
        ParamValues.checkRange(LEVEL, level, MIN_LEVEL, MAX_LEVEL);
        Objects.requireNonNull(filter, FILTER);
    }

    /** The defaults: level {@value #DEFAULT_LEVEL}, filter {@code shuffle}. */
    public static DeflateParams defaults() {
        return new DeflateParams(DEFAULT_LEVEL, DEFAULT_FILTER);
    }

    /**
     * Parses the string form ({@code level}, {@code filter}); absent keys take their defaults.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value, naming it and what is allowed
     */
    public static DeflateParams parse(Map<String, String> values) {
        ParamValues.rejectUnknownKeys(DeflateCodec.ID, values, KEYS);
        return new DeflateParams(ParamValues.intInRange(values, LEVEL, DEFAULT_LEVEL, MIN_LEVEL, MAX_LEVEL),
                ParamValues.filter(values, FILTER, DEFAULT_FILTER));
    }

    /** {@value DeflateCodec#ID}. */
    @Override
    public String codecId() {
        return DeflateCodec.ID;
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
