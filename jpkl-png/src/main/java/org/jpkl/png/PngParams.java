package org.jpkl.png;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jpkl.api.spi.CodecParams;

/**
 * Parameters of the {@code png} codec. Validated on construction. Neither affects decoding: any
 * level and filter give a standard PNG that decodes exactly.
 *
 * <p>Thread safety: immutable.
 *
 * @param level deflate level, 0 (stored) to 9 (smallest, slowest); default {@value #DEFAULT_LEVEL}
 * @param filter how rows are predicted before deflate; default {@link PngFilter#UP}
 */
public record PngParams(int level, PngFilter filter) implements CodecParams {
    /** Smallest level: stored, no compression. */
    public static final int MIN_LEVEL = 0;
    /** Largest level. */
    public static final int MAX_LEVEL = 9;
    /** The default level; see {@link PngCodec} for the measurements behind it. */
    public static final int DEFAULT_LEVEL = 1;
    /** The default filter; see {@link PngCodec} for the measurements behind it. */
    public static final PngFilter DEFAULT_FILTER = PngFilter.UP;

    static final String LEVEL = "level";
    static final String FILTER = "filter";
    static final List<String> KEYS = List.of(LEVEL, FILTER);

    /**
     * @throws IllegalArgumentException if the level is outside [0, 9]
     * @throws NullPointerException if the filter is null
     */
    public PngParams {
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new IllegalArgumentException(LEVEL + " (" + level + ") must be an integer in [" + MIN_LEVEL + ", " + MAX_LEVEL + "]");
        }
        Objects.requireNonNull(filter, FILTER);
    }

    /**
     * Parses the string form ({@code level}, {@code filter}); absent keys take their defaults.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value, naming it and what is allowed
     */
    public static PngParams parse(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("codec '" + PngCodec.ID + "' has no parameter '" + key + "'; allowed: " + KEYS);
            }
        }
        int level = DEFAULT_LEVEL;
        String levelText = values.get(LEVEL);
        if (levelText != null) {
            try {
                level = Integer.parseInt(levelText.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(LEVEL + " (" + levelText + ") must be an integer in [" + MIN_LEVEL + ", " + MAX_LEVEL
                        + "]", e);
            }
        }
        PngFilter filter = DEFAULT_FILTER;
        String filterText = values.get(FILTER);
        if (filterText != null) {
            filter = PngFilter.parse(filterText);
        }
        return new PngParams(level, filter);
    }

    /** {@value PngCodec#ID}. */
    @Override
    public String codecId() {
        return PngCodec.ID;
    }

    /** {@code {level=.., filter=..}}, unmodifiable. */
    @Override
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(LEVEL, Integer.toString(level));
        map.put(FILTER, filter.id());
        return Collections.unmodifiableMap(map);
    }
}
