package org.jpkl.api.spi;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;

/**
 * One codec parameter, declared once: its name, {@link ParamType type}, default, description, and
 * for which planes it changes the encoded bytes. Parsing, validation, defaults, the allowed values
 * shown by {@code jpkl codecs} and every error message come from this declaration (see
 * {@link ParamSchema}). Values are given and stored as strings (command line, maps, container
 * header); {@link #parse} turns them into typed values.
 *
 * <p>Thread safety: immutable.
 */
public final class ParamSpec {
    private final String name;
    private final ParamType type;
    private final Object defaultValue;
    private final String description;
    private final boolean changesBytes;
    private final Set<DType> ignoredDtypes;
    private final Set<ChannelLayout> ignoredChannels;
    private final boolean storedOnlyWhenSet;

    private ParamSpec(String name, ParamType type, Object defaultValue, String description, boolean changesBytes,
            Set<DType> ignoredDtypes, Set<ChannelLayout> ignoredChannels) {
        this(name, type, defaultValue, description, changesBytes, ignoredDtypes, ignoredChannels, false);
    }

    private ParamSpec(String name, ParamType type, Object defaultValue, String description, boolean changesBytes,
            Set<DType> ignoredDtypes, Set<ChannelLayout> ignoredChannels, boolean storedOnlyWhenSet) {
        this.storedOnlyWhenSet = storedOnlyWhenSet;
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.changesBytes = changesBytes;
        this.ignoredDtypes = ignoredDtypes;
        this.ignoredChannels = ignoredChannels;
    }

    /**
     * A parameter that changes the encoded bytes of every plane.
     *
     * @param name the key, e.g. {@code "quality"}: not blank
     * @param type the values it accepts
     * @param defaultValue the value used when the key is absent, as a string the type accepts
     * @param description what the parameter does
     * @throws IllegalArgumentException if the name is blank or the type refuses the default
     */
    public static ParamSpec of(String name, ParamType type, String defaultValue, String description) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a parameter name must not be blank");
        }
        Object value;
        try {
            value = type.parse(defaultValue);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("default of parameter '" + name + "' (" + defaultValue + ") must be "
                    + type.requirement(), e);
        }
        return new ParamSpec(name, type, value, description, true, Set.of(), Set.of());
    }

    /**
     * This parameter, declared as never changing the encoded bytes (e.g. a number of threads): two
     * parameter sets that differ only in such parameters encode every plane to the same bytes.
     */
    public ParamSpec bytesUnchanged() {
        return new ParamSpec(name, type, defaultValue, description, false, ignoredDtypes, ignoredChannels, storedOnlyWhenSet);
    }

    /**
     * This parameter, declared as not changing the bytes of planes of these dtypes (e.g. JPEG's
     * {@code window}, which only matters when a non-uint8 plane is mapped to 8 bits).
     */
    public ParamSpec ignoredFor(DType... dtypes) {
        Set<DType> set = EnumSet.noneOf(DType.class);
        set.addAll(ignoredDtypes);
        for (DType d : dtypes) {
            set.add(Objects.requireNonNull(d, "dtype"));
        }
        return new ParamSpec(name, type, defaultValue, description, changesBytes, Collections.unmodifiableSet(set), ignoredChannels,
                storedOnlyWhenSet);
    }

    /**
     * This parameter, declared as not changing the bytes of planes of these channel layouts (e.g.
     * JPEG's chroma {@code subsampling} for grey planes).
     */
    public ParamSpec ignoredFor(ChannelLayout... layouts) {
        Set<ChannelLayout> set = EnumSet.noneOf(ChannelLayout.class);
        set.addAll(ignoredChannels);
        for (ChannelLayout c : layouts) {
            set.add(Objects.requireNonNull(c, "channel layout"));
        }
        return new ParamSpec(name, type, defaultValue, description, changesBytes, ignoredDtypes, Collections.unmodifiableSet(set),
                storedOnlyWhenSet);
    }

    /**
     * This parameter, declared as added to a codec after files were written: the stored form
     * ({@link CodecParams#toMap()}) leaves it out while it has its default, so a file that does not
     * use it is byte for byte what earlier versions wrote, and earlier readers (which refuse a key they
     * do not know) still read it; a file that uses it is refused by them, naming the key.
     */
    public ParamSpec storedOnlyWhenSet() {
        return new ParamSpec(name, type, defaultValue, description, changesBytes, ignoredDtypes, ignoredChannels, true);
    }

    /** Whether {@link CodecParams#toMap()} leaves this parameter out at its default ({@link #storedOnlyWhenSet()}). */
    public boolean isStoredOnlyWhenSet() {
        return storedOnlyWhenSet;
    }

    /** Whether the stored form holds this typed value: always, except the default of a {@link #storedOnlyWhenSet()} parameter. */
    public boolean isStored(Object typedValue) {
        return !storedOnlyWhenSet || !defaultValue.equals(typedValue);
    }

    /** The key. */
    public String name() {
        return name;
    }

    /** The values it accepts. */
    public ParamType type() {
        return type;
    }

    /** The value used when the key is absent, in canonical string form. */
    public String defaultValue() {
        return type.format(defaultValue);
    }

    /** The allowed values in words, derived from the {@link #type()}, e.g. {@code integer in [0, 100]}. */
    public String allowed() {
        return type.allowed();
    }

    /** What the parameter does. */
    public String description() {
        return description;
    }

    /** Whether the parameter changes the encoded bytes of planes of this dtype and channel layout. */
    public boolean changesBytes(DType dtype, ChannelLayout channels) {
        return changesBytes && !ignoredDtypes.contains(Objects.requireNonNull(dtype, "dtype"))
                && !ignoredChannels.contains(Objects.requireNonNull(channels, "channels"));
    }

    /** Whether the parameter changes the encoded bytes of planes of some dtype and layout. */
    public boolean changesBytes() {
        return changesBytes && ignoredDtypes.size() < DType.values().length && ignoredChannels.size() < ChannelLayout.values().length;
    }

    /**
     * The typed value of {@code text}: an {@link Integer}, {@link Double}, {@link String} or
     * {@link ParamType.Range}, as the {@link #type()} says.
     *
     * @param codecId the codec, named in the message
     * @throws IllegalArgumentException {@code codec 'ID': NAME (TEXT) must be REQUIREMENT}, e.g.
     *     {@code codec 'png': level (10) must be an integer in [0, 9]}
     */
    public Object parse(String codecId, String text) {
        if (text == null) {
            throw new IllegalArgumentException("codec '" + codecId + "': " + name + " is null; it must be " + type.requirement());
        }
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("codec '" + codecId + "': " + name + " (" + type.shown(text) + ") must be "
                    + type.requirement() + type.detail(e), e);
        }
    }

    /**
     * Checks a typed value (e.g. given to a codec's parameter constructor).
     *
     * @return {@code value}
     * @throws IllegalArgumentException with the message of {@link #parse}
     */
    public Object check(String codecId, Object value) {
        if (!type.accepts(value)) {
            throw invalid(codecId, String.valueOf(value), null);
        }
        return value;
    }

    /** The canonical string form of a typed value. */
    String format(Object value) {
        return type.format(value);
    }

    /** The typed default. */
    Object typedDefault() {
        return defaultValue;
    }

    private IllegalArgumentException invalid(String codecId, String text, Exception cause) {
        return new IllegalArgumentException("codec '" + codecId + "': " + name + " (" + text + ") must be " + type.requirement(), cause);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ParamSpec)) {
            return false;
        }
        ParamSpec p = (ParamSpec) o;
        return p.name.equals(name) && p.type.allowed().equals(type.allowed()) && p.defaultValue.equals(defaultValue)
                && p.description.equals(description) && p.changesBytes == changesBytes && p.storedOnlyWhenSet == storedOnlyWhenSet
                && p.ignoredDtypes.equals(ignoredDtypes)
                && p.ignoredChannels.equals(ignoredChannels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type.allowed(), defaultValue, description, changesBytes, ignoredDtypes, ignoredChannels,
                storedOnlyWhenSet);
    }

    /** E.g. {@code quality=90 (integer in [0, 100])}. */
    @Override
    public String toString() {
        return name + "=" + defaultValue() + " (" + allowed() + ")";
    }
}
