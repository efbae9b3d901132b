package org.jpkl.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;

/**
 * What a codec can encode, as data: dtypes, channel layouts, whether it is lossless, and its
 * parameters. Built with {@link #builder()}.
 *
 * <p>Thread safety: immutable.
 */
public final class CodecCapabilities {
    private final boolean lossless;
    private final Set<DType> dtypes;
    private final Set<ChannelLayout> channels;
    private final Map<String, ParamSpec> params;
    private final String description;

    private CodecCapabilities(Builder b) {
        if (b.dtypes.isEmpty() || b.channels.isEmpty()) {
            throw new IllegalArgumentException("a codec must support at least one dtype and one channel layout");
        }
        this.lossless = b.lossless;
        this.dtypes = Collections.unmodifiableSet(EnumSet.copyOf(b.dtypes));
        this.channels = Collections.unmodifiableSet(EnumSet.copyOf(b.channels));
        Map<String, ParamSpec> p = new LinkedHashMap<>();
        for (ParamSpec s : b.params) {
            if (p.put(s.name(), s) != null) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' is declared twice");
            }
        }
        this.params = Collections.unmodifiableMap(p);
        this.description = b.description;
    }

    /** A builder; lossless defaults to false. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether decode(encode(x)) equals x exactly for every supported input. */
    public boolean lossless() {
        return lossless;
    }

    /** The dtypes the codec encodes. */
    public Set<DType> dtypes() {
        return dtypes;
    }

    /** The channel layouts the codec encodes. */
    public Set<ChannelLayout> channels() {
        return channels;
    }

    /** Whether the codec encodes planes of this dtype and channel layout. */
    public boolean supports(DType dtype, ChannelLayout layout) {
        return dtypes.contains(dtype) && channels.contains(layout);
    }

    /** The parameters, in declaration order. */
    public List<ParamSpec> params() {
        return List.copyOf(params.values());
    }

    /** One parameter by name. */
    public Optional<ParamSpec> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** One line on what the codec is for. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return (lossless ? "lossless" : "lossy") + ", dtypes " + dtypes + ", channels " + channels + ", params " + params.values();
    }

    /** Builds {@link CodecCapabilities}. Not thread-safe. */
    public static final class Builder {
        private boolean lossless;
        private final Set<DType> dtypes = EnumSet.noneOf(DType.class);
        private final Set<ChannelLayout> channels = EnumSet.noneOf(ChannelLayout.class);
        private final List<ParamSpec> params = new ArrayList<>();
        private String description = "";

        private Builder() {
        }

        /** Whether the codec is lossless. */
        public Builder lossless(boolean lossless) {
            this.lossless = lossless;
            return this;
        }

        /** Adds supported dtypes. */
        public Builder dtypes(DType... supported) {
            for (DType d : supported) {
                dtypes.add(Objects.requireNonNull(d, "dtype"));
            }
            return this;
        }

        /** Adds supported channel layouts. */
        public Builder channels(ChannelLayout... supported) {
            for (ChannelLayout c : supported) {
                channels.add(Objects.requireNonNull(c, "channel layout"));
            }
            return this;
        }

        /** Declares a parameter. */
        public Builder param(String name, String defaultValue, String allowed, String description) {
            params.add(new ParamSpec(name, defaultValue, allowed, description));
            return this;
        }

        /** One line on what the codec is for. */
        public Builder description(String text) {
            this.description = Objects.requireNonNull(text, "description");
            return this;
        }

        /** The immutable capabilities. */
        public CodecCapabilities build() {
            return new CodecCapabilities(this);
        }
    }
}
