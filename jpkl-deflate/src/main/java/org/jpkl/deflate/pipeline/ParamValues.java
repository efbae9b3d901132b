package org.jpkl.deflate.pipeline;

import java.util.List;
import java.util.Map;
import org.jpkl.deflate.PlaneFilter;

/**
 * Parameter parsing shared by the filtered codecs: unknown keys, integer ranges and filter names,
 * with messages that name the key, the value and what is allowed.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: stateless.
 */
public final class ParamValues {
    private ParamValues() {
    }

    /**
     * @throws IllegalArgumentException naming the first unknown key and the allowed keys
     */
    public static void rejectUnknownKeys(String codecId, Map<String, String> values, List<String> allowedKeys) {
        for (String key : values.keySet()) {
            if (!allowedKeys.contains(key)) {
                throw new IllegalArgumentException("codec '" + codecId + "' has no parameter '" + key + "'; allowed: " + allowedKeys);
            }
        }
    }

    /**
     * The integer under {@code key}, or {@code defaultValue} when absent.
     *
     * @throws IllegalArgumentException naming the key, the value and the range
     */
    public static int intInRange(Map<String, String> values, String key, int defaultValue, int min, int max) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " (" + text + ") must be an integer in [" + min + ", " + max + "]", e);
        }
        checkRange(key, value, min, max);
        return value;
    }

    /**
     * @throws IllegalArgumentException naming the key, the value and the range
     */
    public static void checkRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " (" + value + ") must be an integer in [" + min + ", " + max + "]");
        }
    }

    /**
     * The filter under {@code key}, or {@code defaultValue} when absent.
     *
     * @throws IllegalArgumentException naming the key, the value and the allowed names
     */
    public static PlaneFilter filter(Map<String, String> values, String key, PlaneFilter defaultValue) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            return PlaneFilter.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " '" + text + "' is not supported; allowed: " + PlaneFilter.allowedNames(), e);
        }
    }
}
