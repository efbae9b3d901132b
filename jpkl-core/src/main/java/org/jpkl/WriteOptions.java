package org.jpkl;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.api.Metadata;
import org.jpkl.api.PlaneLayout;
import org.jpkl.container.JpklFileSerializer;

/**
 * How an array is written: codec and its parameters, plane layout, axis names, metadata and
 * serializer (the container's file layout). Defaults: the codec chosen by the array's dtype ({@link Jpkl#defaultCodec}:
 * {@value #UINT8_DEFAULT_CODEC} for uint8 as in JPkl, lossless {@code zstd} or else {@code deflate}
 * for every other dtype, so 16-bit and float data are never made lossy unless a lossy codec is
 * named) with its default parameters, JPkl's grey layout ({@code images[h, w, d1, d2, ...]}), default
 * axis names, no metadata, the {@code jpkl} single-file format.
 *
 * <p>Thread safety: immutable; the {@link Builder} is not thread-safe.
 */
public final class WriteOptions {
    /** The codec used for uint8 arrays when none is named: JPEG, as in JPkl. */
    public static final String UINT8_DEFAULT_CODEC = "jpeg";

    /**
     * The codecs tried, in order, for arrays of other dtypes when none is named: the first one
     * installed, available here and able to encode the array is used. All lossless.
     */
    public static final List<String> LOSSLESS_DEFAULT_CODECS = List.of("zstd", "deflate");

    private final String codecId;
    private final Map<String, String> codecParams;
    private final PlaneLayout layout;
    private final List<String> axisNames;
    private final Map<String, Object> metadata;
    private final String serializerId;

    private WriteOptions(Builder b) {
        this.codecId = b.codecId;
        this.codecParams = Map.copyOf(b.codecParams);
        this.layout = b.layout;
        this.axisNames = List.copyOf(b.axisNames);
        this.metadata = Metadata.copyOf(b.metadata);
        this.serializerId = b.serializerId;
    }

    /** All defaults. */
    public static WriteOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.codecId = codecId;
        b.codecParams.putAll(codecParams);
        b.layout = layout;
        b.axisNames = axisNames;
        b.metadata.putAll(metadata);
        b.serializerId = serializerId;
        return b;
    }

    /** The codec id; empty when none was named (then the codec is chosen by dtype, see {@link Jpkl#defaultCodec}). */
    public Optional<String> codecId() {
        return Optional.ofNullable(codecId);
    }

    /** Codec parameters as given (validated by the codec when writing). */
    public Map<String, String> codecParams() {
        return codecParams;
    }

    /** The plane layout, empty for the default (JPkl's grey layout). */
    public Optional<PlaneLayout> layout() {
        return Optional.ofNullable(layout);
    }

    /** Axis names, empty for the defaults. */
    public List<String> axisNames() {
        return axisNames;
    }

    /** Metadata (JSON-compatible, unmodifiable). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The serializer id. */
    public String serializerId() {
        return serializerId;
    }

    @Override
    public String toString() {
        return "WriteOptions[codec " + (codecId == null ? "by dtype" : codecId) + codecParams + ", layout " + (layout == null ? "default" : layout)
                + ", axes " + axisNames + ", format " + serializerId + "]";
    }

    /** Builds {@link WriteOptions}. */
    public static final class Builder {
        private String codecId;
        private final Map<String, String> codecParams = new LinkedHashMap<>();
        private PlaneLayout layout;
        private List<String> axisNames = List.of();
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private String serializerId = JpklFileSerializer.ID;

        private Builder() {
        }

        /**
         * The codec id, e.g. {@code "jpeg"}; clears parameters set for a previously named other codec
         * (parameters set before any codec was named are kept).
         */
        public Builder codec(String id) {
            if (codecId != null && !Objects.requireNonNull(id, "codec id").equals(codecId)) {
                codecParams.clear();
            }
            this.codecId = Objects.requireNonNull(id, "codec id");
            return this;
        }

        /** Names no codec: the codec is chosen by the array's dtype (see {@link Jpkl#defaultCodec}); clears the parameters. */
        public Builder defaultCodec() {
            codecId = null;
            codecParams.clear();
            return this;
        }

        /** Removes every codec parameter set so far (the codec's defaults apply). */
        public Builder clearParams() {
            codecParams.clear();
            return this;
        }

        /** One codec parameter, e.g. {@code param("quality", "95")}. */
        public Builder param(String key, String value) {
            codecParams.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, () -> "value of '" + key + "'"));
            return this;
        }

        /** One integer codec parameter. */
        public Builder param(String key, long value) {
            return param(key, Long.toString(value));
        }

        /** Adds codec parameters. */
        public Builder params(Map<String, String> values) {
            values.forEach(this::param);
            return this;
        }

        /** The plane layout; see {@link PlaneLayout}. */
        public Builder layout(PlaneLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** One name per axis, e.g. {@code axisNames("t", "c", "z", "y", "x")}. */
        public Builder axisNames(String... names) {
            return axisNames(Arrays.asList(names));
        }

        /** One name per axis. */
        public Builder axisNames(List<String> names) {
            for (String n : names) {
                Objects.requireNonNull(n, "axis name");
            }
            this.axisNames = List.copyOf(names);
            return this;
        }

        /** Adds one metadata entry (JSON-compatible value). */
        public Builder metadata(String key, Object value) {
            metadata.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** Adds metadata entries (JSON-compatible values). */
        public Builder metadata(Map<String, ?> values) {
            metadata.putAll(values);
            return this;
        }

        /** The serializer id, e.g. {@code "jpkl"}. */
        public Builder serializer(String id) {
            this.serializerId = Objects.requireNonNull(id, "serializer id");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the metadata is not JSON-compatible
         */
        public WriteOptions build() {
            return new WriteOptions(this);
        }
    }
}
