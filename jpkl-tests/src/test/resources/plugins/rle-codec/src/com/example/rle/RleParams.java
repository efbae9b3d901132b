package com.example.rle;

import java.util.Map;
import java.util.Set;
import org.jpkl.api.spi.CodecParams;

/**
 * The validated parameters of {@link RleCodec}: one record, checked in its constructor, rendered
 * to the map the container stores (every parameter, defaults included).
 *
 * @param minRun the shortest run of equal samples stored as a run, in [2, 129]; shorter runs stay
 *     literal (a run token costs one control byte plus one sample)
 */
public record RleParams(int minRun) implements CodecParams {
    /** The parameter names, for messages. */
    static final Set<String> NAMES = Set.of("min-run");
    /** The default of {@code min-run}. */
    static final int DEFAULT_MIN_RUN = 3;

    /**
     * @throws IllegalArgumentException naming the parameter, its value and the allowed range
     */
    public RleParams {
        if (minRun < 2 || minRun > 129) {
            throw new IllegalArgumentException("min-run (" + minRun + ") must be in [2, 129]");
        }
    }

    /**
     * Parses the stored or user-given form; absent keys take their defaults.
     *
     * @throws IllegalArgumentException for an unknown key (listing the allowed ones) or a bad value
     */
    static RleParams fromMap(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (!NAMES.contains(key)) {
                throw new IllegalArgumentException("codec '" + RleCodec.ID + "' has no parameter '" + key + "'; allowed: " + NAMES);
            }
        }
        String text = values.getOrDefault("min-run", Integer.toString(DEFAULT_MIN_RUN));
        int minRun;
        try {
            minRun = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("min-run ('" + text + "') must be an integer in [2, 129]", e);
        }
        return new RleParams(minRun);
    }

    @Override
    public String codecId() {
        return RleCodec.ID;
    }

    @Override
    public Map<String, String> toMap() {
        return Map.of("min-run", Integer.toString(minRun));
    }
}
