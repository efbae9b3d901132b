package org.jpkl.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;

/**
 * A codec's parameters, each declared once as a {@link ParamSpec}: parses and validates the string
 * form, fills in defaults, renders the canonical stored form, and tells which parameters change
 * the encoded bytes. Every message names the codec, the parameter, the value and what is allowed;
 * an unknown key is refused listing the known ones. Part of {@link CodecCapabilities}.
 *
 * <p>Thread safety: immutable.
 */
public final class ParamSchema {
    private static final ParamSchema EMPTY = new ParamSchema(Map.of());

    private final Map<String, ParamSpec> specs;

    private ParamSchema(Map<String, ParamSpec> specs) {
        this.specs = specs;
    }

    /**
     * The schema of these parameters, in this order.
     *
     * @throws IllegalArgumentException if a name is declared twice
     */
    public static ParamSchema of(List<ParamSpec> params) {
        Map<String, ParamSpec> map = new LinkedHashMap<>();
        for (ParamSpec s : params) {
            if (map.put(Objects.requireNonNull(s, "param").name(), s) != null) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' is declared twice");
            }
        }
        return map.isEmpty() ? EMPTY : new ParamSchema(Collections.unmodifiableMap(map));
    }

    /** As {@link #of(List)}. */
    public static ParamSchema of(ParamSpec... params) {
        return of(List.of(params));
    }

    /** The parameters, in declaration order. */
    public List<ParamSpec> params() {
        return List.copyOf(specs.values());
    }

    /** One parameter by name. */
    public Optional<ParamSpec> param(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /** The parameter names, in declaration order. */
    public List<String> names() {
        return List.copyOf(specs.keySet());
    }

    /**
     * Validated parameters of codec {@code codecId} from their string form; absent keys take their defaults.
     *
     * @throws IllegalArgumentException for an unknown key ({@code codec 'ID' has no parameter 'KEY';
     *     allowed: [NAMES]}) or a bad value (see {@link ParamSpec#parse})
     */
    public TypedParams parse(String codecId, Map<String, String> values) {
        Objects.requireNonNull(codecId, "codecId");
        Objects.requireNonNull(values, "values");
        for (String key : values.keySet()) {
            if (!specs.containsKey(key)) {
                throw new IllegalArgumentException("codec '" + codecId + "' has no parameter '" + key + "'; allowed: " + names());
            }
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (ParamSpec s : specs.values()) {
            typed.put(s.name(), values.containsKey(s.name()) ? s.parse(codecId, values.get(s.name())) : s.typedDefault());
        }
        return new TypedParams(codecId, this, Collections.unmodifiableMap(typed));
    }

    /** Every parameter's default, in canonical string form and declaration order; unmodifiable. */
    public Map<String, String> defaults() {
        Map<String, String> map = new LinkedHashMap<>();
        specs.values().forEach(s -> map.put(s.name(), s.defaultValue()));
        return Collections.unmodifiableMap(map);
    }

    /**
     * The entries of {@code stored} (a {@link CodecParams#toMap()}) that change the encoded bytes of
     * planes of this dtype and layout; keys the schema does not declare are kept. Unmodifiable.
     */
    public Map<String, String> encodingParams(Map<String, String> stored, DType dtype, ChannelLayout channels) {
        Map<String, String> map = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            ParamSpec s = specs.get(k);
            if (s == null || s.changesBytes(dtype, channels)) {
                map.put(k, v);
            }
        });
        return Collections.unmodifiableMap(map);
    }

    /**
     * The canonical string form of typed values, in declaration order, as stored: without the
     * {@link ParamSpec#storedOnlyWhenSet()} parameters that have their default.
     */
    Map<String, String> format(Map<String, Object> typed) {
        Map<String, String> map = new LinkedHashMap<>();
        typed.forEach((k, v) -> {
            ParamSpec s = specs.get(k);
            if (s.isStored(v)) {
                map.put(k, s.format(v));
            }
        });
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSchema && ((ParamSchema) o).params().equals(params());
    }

    @Override
    public int hashCode() {
        return params().hashCode();
    }

    /** The parameters, e.g. {@code [level=1 (integer in [0, 9]), filter=up (one of [none, sub, up])]}. */
    @Override
    public String toString() {
        return new ArrayList<>(specs.values()).toString();
    }
}
