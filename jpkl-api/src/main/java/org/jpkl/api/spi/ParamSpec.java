package org.jpkl.api.spi;

import java.util.Objects;

/**
 * Describes one codec parameter for users and tools: its name, default value, allowed values and
 * what it does. Values are strings because that is how parameters are given (command line, maps)
 * and stored (container header).
 *
 * <p>Thread safety: immutable.
 */
public final class ParamSpec {
    private final String name;
    private final String defaultValue;
    private final String allowed;
    private final String description;

    /**
     * @param name the key, e.g. {@code "quality"}
     * @param defaultValue the value used when the key is absent
     * @param allowed the allowed values in words, e.g. {@code "integer in [0, 100]"}
     * @param description what the parameter does
     */
    public ParamSpec(String name, String defaultValue, String allowed, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The key. */
    public String name() {
        return name;
    }

    /** The value used when the key is absent. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The allowed values, in words. */
    public String allowed() {
        return allowed;
    }

    /** What the parameter does. */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ParamSpec)) {
            return false;
        }
        ParamSpec p = (ParamSpec) o;
        return p.name.equals(name) && p.defaultValue.equals(defaultValue) && p.allowed.equals(allowed)
                && p.description.equals(description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, defaultValue, allowed, description);
    }

    /** E.g. {@code quality=90 (integer in [0, 100])}. */
    @Override
    public String toString() {
        return name + "=" + defaultValue + " (" + allowed + ")";
    }
}
