package org.jpkl.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation and normalisation of JSON-compatible metadata, the values a container keeps beside its
 * array: {@code null}, {@link String}, {@link Boolean}, finite numbers (integral numbers become
 * {@link Long}, others {@link Double}), {@link List}s and {@link Map}s with {@link String} keys, nested
 * to at most {@value #MAX_DEPTH} levels. Stateless.
 */
public final class Metadata {
    /** The deepest nesting of lists and maps accepted. */
    public static final int MAX_DEPTH = 64;

    private Metadata() {
    }

    /**
     * A deep, unmodifiable, normalised copy of {@code metadata} (insertion order kept).
     *
     * @throws IllegalArgumentException naming the path of the first value that is not JSON-compatible
     */
    public static Map<String, Object> copyOf(Map<String, ?> metadata) {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) normalise(metadata, "metadata", 0);
        return copy;
    }

    private static Object normalise(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger) {
            try {
                return ((BigInteger) value).longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(path + ": integer " + value + " does not fit in 64 bits");
            }
        }
        if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(path + ": " + value + " is not a finite number; JSON has no NaN or Infinity");
            }
            return d;
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException(path + ": map key " + e.getKey() + " is not a String");
                }
                String key = (String) e.getKey();
                out.put(key, normalise(e.getValue(), path + "." + key, depth + 1));
            }
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            int i = 0;
            for (Object o : (List<?>) value) {
                out.add(normalise(o, path + "[" + i++ + "]", depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName()
                + " is not JSON-compatible; use null, String, Boolean, a finite Number, List or Map<String, ?>");
    }
}
