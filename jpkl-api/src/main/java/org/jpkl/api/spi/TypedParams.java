package org.jpkl.api.spi;

import java.util.Map;
import java.util.Objects;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;

/**
 * Parameters validated by a {@link ParamSchema}: what {@link ParamSchema#parse} returns, so that a
 * codec whose parameters are plain values needs no parameter class of its own. Equal when the codec
 * and every value are equal.
 *
 * <p>Thread safety: immutable.
 */
public final class TypedParams implements CodecParams {
    private final String codecId;
    private final ParamSchema schema;
    private final Map<String, Object> values;

    TypedParams(String codecId, ParamSchema schema, Map<String, Object> values) {
        this.codecId = codecId;
        this.schema = schema;
        this.values = values;
    }

    @Override
    public String codecId() {
        return codecId;
    }

    /** Every parameter in canonical string form, in declaration order; unmodifiable. */
    @Override
    public Map<String, String> toMap() {
        return schema.format(values);
    }

    /** The parameters that change the bytes of planes of this dtype and layout, as the schema declares. */
    @Override
    public Map<String, String> encodingParams(DType dtype, ChannelLayout channels) {
        return schema.encodingParams(toMap(), dtype, channels);
    }

    /**
     * The typed value of a parameter: an {@link Integer}, {@link Double}, {@link String} or
     * {@link ParamType.Range}, as its {@link ParamType} says.
     *
     * @throws IllegalArgumentException if the schema declares no parameter {@code name}
     */
    public Object value(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("codec '" + codecId + "' has no parameter '" + name + "'; allowed: " + schema.names());
        }
        return v;
    }

    /** The value of an {@link ParamType#integer} parameter. */
    public int intValue(String name) {
        return (Integer) value(name);
    }

    /** The value of a {@link ParamType#number} parameter. */
    public double doubleValue(String name) {
        return (Double) value(name);
    }

    /** The value of a parameter in canonical string form, e.g. the word of a {@link ParamType#oneOf} parameter. */
    public String text(String name) {
        return schema.param(name).orElseThrow().format(value(name));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TypedParams)) {
            return false;
        }
        TypedParams p = (TypedParams) o;
        return p.codecId.equals(codecId) && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(codecId, values);
    }

    /** E.g. {@code png{level=1, filter=up}}. */
    @Override
    public String toString() {
        return codecId + toMap();
    }
}
