package org.jpkl.png;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the {@code png} encoder picks each row's PNG filter (the prediction applied before deflate).
 * The choice only affects size and speed; every filter decodes exactly, and decoders need no
 * parameter for it (each row stores its filter type).
 *
 * <p>Thread safety: immutable.
 */
public enum PngFilter {
    /** No prediction. */
    NONE("none"),
    /** Predict from the pixel to the left. */
    SUB("sub"),
    /** Predict from the pixel above. */
    UP("up"),
    /** Predict from the mean of left and above. */
    AVERAGE("average"),
    /** Paeth predictor (left, above or upper-left, whichever is nearest their gradient). */
    PAETH("paeth"),
    /** Per row, the filter a quick heuristic expects to compress best (PNGJ's fast adaptive mode). */
    ADAPTIVE("adaptive");

    private final String id;

    PngFilter(String id) {
        this.id = id;
    }

    /** The parameter value, e.g. {@code "up"}. */
    public String id() {
        return id;
    }

    /**
     * The filter named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static PngFilter parse(String name) {
        if (name != null) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            for (PngFilter f : values()) {
                if (f.id.equals(lower)) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException("filter '" + name + "' is not supported; allowed: " + allowedNames());
    }

    /** The accepted names, e.g. {@code [none, sub, up, average, paeth, adaptive]}. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(PngFilter::id).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The parameter value. */
    @Override
    public String toString() {
        return id;
    }
}
