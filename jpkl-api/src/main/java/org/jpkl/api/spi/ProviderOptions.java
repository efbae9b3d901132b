package org.jpkl.api.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Options handed to providers when a registry ({@link SliceCodecs#load(ClassLoader, ProviderOptions)})
 * or a {@code Jpkl} is built, e.g. {@code jpeg.backend=imageio}: how a provider runs here, per
 * instance, never what it writes (that is a codec parameter, stored in files). Keys are namespaced:
 * {@code NAMESPACE.NAME}, the namespace normally being the provider's id (e.g.
 * {@code jpeg.turbojpeg.library}); a provider declares the keys it takes
 * ({@link SliceCodec#optionKeys()}), and the registry refuses any other key, naming it and the keys
 * taken, so a misspelt option never passes silently.
 *
 * <p>Keys: 1 to 128 of {@code [a-z0-9._-]}, at least two dot-separated non-empty parts. Values: any
 * non-null string (the provider validates them).
 *
 * <p>Thread safety: immutable.
 */
public final class ProviderOptions {
    private static final Pattern KEY = Pattern.compile("(?=.{1,128}$)[a-z0-9_-]+(\\.[a-z0-9_-]+)+");
    private static final ProviderOptions EMPTY = new ProviderOptions(new TreeMap<>());

    private final Map<String, String> values;

    private ProviderOptions(TreeMap<String, String> values) {
        this.values = java.util.Collections.unmodifiableMap(values);
    }

    /** No options. */
    public static ProviderOptions empty() {
        return EMPTY;
    }

    /**
     * These options.
     *
     * @throws NullPointerException if the map, a key or a value is null
     * @throws IllegalArgumentException naming a key that is not of the form {@code namespace.name}
     */
    public static ProviderOptions of(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            copy.put(checkKey(e.getKey()), Objects.requireNonNull(e.getValue(), () -> "value of provider option '" + e.getKey() + "'"));
        }
        return copy.isEmpty() ? EMPTY : new ProviderOptions(copy);
    }

    /** A builder, for options given one at a time. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks a key: 1 to 128 of {@code [a-z0-9._-]} in at least two non-empty dot-separated parts.
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException naming the key and the rule
     */
    public static String checkKey(String key) {
        Objects.requireNonNull(key, "provider option key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("provider option key '" + key
                    + "' is not valid: use NAMESPACE.NAME, 1 to 128 of [a-z0-9._-] with non-empty dot-separated parts, e.g. jpeg.backend");
        }
        return key;
    }

    /** The namespace of a valid key: the part before its first dot, e.g. {@code jpeg}. */
    public static String namespace(String key) {
        return checkKey(key).substring(0, key.indexOf('.'));
    }

    /** The value of {@code key}, if given. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The keys given, sorted. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** Whether no option is given. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The options as an unmodifiable map sorted by key. */
    public Map<String, String> toMap() {
        return values;
    }

    /** Only the options whose keys are in {@code keys}. */
    public ProviderOptions only(Set<String> keys) {
        TreeMap<String, String> out = new TreeMap<>(values);
        out.keySet().retainAll(keys);
        return out.isEmpty() ? EMPTY : new ProviderOptions(out);
    }

    /** These options, with {@code other}'s replacing those of the same key. */
    public ProviderOptions with(ProviderOptions other) {
        if (other.isEmpty()) {
            return this;
        }
        TreeMap<String, String> out = new TreeMap<>(values);
        out.putAll(other.values);
        return new ProviderOptions(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderOptions && ((ProviderOptions) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** E.g. {@code {jpeg.backend=imageio}}. */
    @Override
    public String toString() {
        return values.toString();
    }

    /**
     * Collects options one at a time; a later value for a key replaces the earlier one.
     *
     * <p>Thread safety: not thread-safe.
     */
    public static final class Builder {
        private final TreeMap<String, String> values = new TreeMap<>();

        private Builder() {
        }

        /**
         * Sets {@code key} to {@code value}.
         *
         * @throws NullPointerException if either is null
         * @throws IllegalArgumentException if the key is not valid ({@link #checkKey})
         */
        public Builder put(String key, String value) {
            values.put(checkKey(key), Objects.requireNonNull(value, () -> "value of provider option '" + key + "'"));
            return this;
        }

        /** The options. */
        public ProviderOptions build() {
            return values.isEmpty() ? EMPTY : new ProviderOptions(new TreeMap<>(values));
        }
    }
}
