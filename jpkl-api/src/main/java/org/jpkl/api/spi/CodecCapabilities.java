package org.jpkl.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;

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
    private final ParamSchema schema;
    private final String description;

    private CodecCapabilities(Builder b) {
        if (b.dtypes.isEmpty() || b.channels.isEmpty()) {
            throw new IllegalArgumentException("a codec must support at least one dtype and one channel layout");
        }
        this.lossless = b.lossless;
        this.dtypes = Collections.unmodifiableSet(EnumSet.copyOf(b.dtypes));
        this.channels = Collections.unmodifiableSet(EnumSet.copyOf(b.channels));
        this.schema = ParamSchema.of(b.params);
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

    /**
     * Checks that the codec encodes planes of {@code spec}'s dtype and channel layout: the one check
     * every codec's {@code newEncoder}/{@code newDecoder} makes.
     *
     * @throws IllegalArgumentException naming the codec, the plane's dtype and layout and what the codec takes
     */
    public void requireSupported(String codecId, PlaneSpec spec) {
        if (!supports(spec.dtype(), spec.channels())) {
            throw new IllegalArgumentException(unsupportedMessage(codecId, spec.dtype(), spec.channels()));
        }
    }

    /** E.g. {@code codec 'png' cannot encode float32 grey planes (it takes dtypes [uint8, uint16], channels [grey, rgb])}. */
    String unsupportedMessage(String codecId, DType dtype, ChannelLayout layout) {
        return "codec '" + codecId + "' cannot encode " + dtype + " " + layout + " planes (it takes dtypes " + dtypes + ", channels "
                + channels + ")";
    }

    /** The parameters: their types, defaults, and parsing into validated {@link TypedParams}. */
    public ParamSchema schema() {
        return schema;
    }

    /** The parameters, in declaration order. */
    public List<ParamSpec> params() {
        return schema.params();
    }

    /** One parameter by name. */
    public Optional<ParamSpec> param(String name) {
        return schema.param(name);
    }

    /** One line on what the codec is for. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return (lossless ? "lossless" : "lossy") + ", dtypes " + dtypes + ", channels " + channels + ", params " + schema;
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

        /** Declares a parameter (its name must be new). */
        public Builder param(ParamSpec spec) {
            params.add(Objects.requireNonNull(spec, "param"));
            return this;
        }

        /** Declares every parameter of {@code schema}, in its order. */
        public Builder params(ParamSchema schema) {
            schema.params().forEach(this::param);
            return this;
        }

        /** Declares a parameter that changes the encoded bytes of every plane: {@link ParamSpec#of}. */
        public Builder param(String name, ParamType type, String defaultValue, String description) {
            return param(ParamSpec.of(name, type, defaultValue, description));
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
