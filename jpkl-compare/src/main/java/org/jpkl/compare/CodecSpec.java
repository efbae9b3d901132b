package org.jpkl.compare;

import org.jpkl.api.ProviderIds;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jpkl.api.spi.SliceCodecs;

/**
 * One codec to compare: its id and the parameters to give it (absent keys take the codec's
 * defaults). The text form is {@code ID[:KEY=VALUE,KEY=VALUE...]}, e.g. {@code jpeg:quality=95} or
 * {@code deflate}, as {@code jpkl compare --codec} takes it.
 *
 * <p>A spec is only a request: the codec checks the parameters when a {@link CodecComparison} is
 * built.
 *
 * <p>Thread safety: immutable.
 *
 * @param id the codec id, e.g. {@code "jpeg"}
 * @param params parameters as strings, in the order given (unmodifiable copy)
 */
public record CodecSpec(String id, Map<String, String> params) {
    /**
     * @throws IllegalArgumentException if {@code id} is not a valid provider id
     * @throws NullPointerException for a null id, map, key or value
     */
    public CodecSpec {
        ProviderIds.check(Objects.requireNonNull(id, "id"));
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Objects.requireNonNull(params, "params").entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "parameter name"),
                    Objects.requireNonNull(e.getValue(), () -> "value of parameter '" + e.getKey() + "'"));
        }
        params = Collections.unmodifiableMap(copy);
    }

    /** The codec with its default parameters. */
    public static CodecSpec of(String id) {
        return new CodecSpec(id, Map.of());
    }

    /** The codec with these parameters. */
    public static CodecSpec of(String id, Map<String, String> params) {
        return new CodecSpec(id, params);
    }

    /**
     * Parses {@code ID[:KEY=VALUE,KEY=VALUE...]}, e.g. {@code jpeg:quality=95} or
     * {@code deflate:level=6,filter=shuffle}. Values cannot contain commas.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it (bad id, an entry
     *     without {@code =}, an empty key, a key given twice)
     */
    public static CodecSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.trim();
        int colon = trimmed.indexOf(':');
        String id = colon < 0 ? trimmed : trimmed.substring(0, colon);
        try {
            ProviderIds.check(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("codec spec '" + text + "': " + e.getMessage()
                    + "; expected ID[:KEY=VALUE,...], e.g. jpeg:quality=95", e);
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String entry : trimmed.substring(colon + 1).split(",", -1)) {
                int eq = entry.indexOf('=');
                String key = eq < 0 ? "" : entry.substring(0, eq).trim();
                if (eq < 0 || key.isEmpty()) {
                    throw new IllegalArgumentException("codec spec '" + text + "': parameter '" + entry
                            + "' is not KEY=VALUE; expected ID[:KEY=VALUE,...], e.g. jpeg:quality=95");
                }
                if (params.put(key, entry.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("codec spec '" + text + "': parameter '" + key + "' is given twice");
                }
            }
        }
        return new CodecSpec(id, params);
    }

    /** The parameters as {@code k=v,k=v} in the order given; empty for the defaults. */
    public String paramsText() {
        StringJoiner j = new StringJoiner(",");
        params.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /** The text form, e.g. {@code jpeg:quality=95}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return params.isEmpty() ? id : id + ":" + paramsText();
    }
}
