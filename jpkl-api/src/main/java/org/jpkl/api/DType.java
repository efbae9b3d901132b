package org.jpkl.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Element type of an array, named as in NumPy.
 *
 * <p>Each dtype is stored in one Java primitive array type: {@code uint8} in {@code byte[]} (read as
 * unsigned), {@code uint16} and {@code int16} in {@code short[]} ({@code uint16} read as unsigned),
 * {@code int32} in {@code int[]}, {@code float32} in {@code float[]}, {@code float64} in
 * {@code double[]}.
 *
 * <p>Thread safety: immutable.
 */
public enum DType {
    /** Unsigned 8-bit integer, 0..255, stored in {@code byte[]}. */
    UINT8("uint8", 1, false, true, 0, 255),
    /** Unsigned 16-bit integer, 0..65535, stored in {@code short[]}. */
    UINT16("uint16", 2, false, true, 0, 65535),
    /** Signed 16-bit integer, stored in {@code short[]}. */
    INT16("int16", 2, true, true, Short.MIN_VALUE, Short.MAX_VALUE),
    /** Signed 32-bit integer, stored in {@code int[]}. */
    INT32("int32", 4, true, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
    /** IEEE 754 binary32, stored in {@code float[]}. */
    FLOAT32("float32", 4, true, false, -Float.MAX_VALUE, Float.MAX_VALUE),
    /** IEEE 754 binary64, stored in {@code double[]}. */
    FLOAT64("float64", 8, true, false, -Double.MAX_VALUE, Double.MAX_VALUE);

    private final String numpyName;
    private final int byteSize;
    private final boolean signed;
    private final boolean integral;
    private final double minValue;
    private final double maxValue;

    DType(String numpyName, int byteSize, boolean signed, boolean integral, double minValue, double maxValue) {
        this.numpyName = numpyName;
        this.byteSize = byteSize;
        this.signed = signed;
        this.integral = integral;
        this.minValue = minValue;
        this.maxValue = maxValue;
    }

    /** The NumPy name, e.g. {@code "uint16"}; also the name stored in files. */
    public String numpyName() {
        return numpyName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether negative values are representable. */
    public boolean isSigned() {
        return signed;
    }

    /** Whether this is an integer type (as opposed to floating point). */
    public boolean isIntegral() {
        return integral;
    }

    /** Smallest finite value. */
    public double minValue() {
        return minValue;
    }

    /** Largest finite value. */
    public double maxValue() {
        return maxValue;
    }

    /** The primitive component type of the Java array that holds elements of this dtype. */
    public Class<?> primitiveType() {
        switch (this) {
            case UINT8:
                return byte.class;
            case UINT16:
            case INT16:
                return short.class;
            case INT32:
                return int.class;
            case FLOAT32:
                return float.class;
            default:
                return double.class;
        }
    }

    /** Allocates a zeroed primitive array of this dtype's storage type. */
    Object newStorage(int length) {
        switch (this) {
            case UINT8:
                return new byte[length];
            case UINT16:
            case INT16:
                return new short[length];
            case INT32:
                return new int[length];
            case FLOAT32:
                return new float[length];
            default:
                return new double[length];
        }
    }

    /**
     * Parses a NumPy dtype name (case-insensitive), e.g. {@code "uint8"} or {@code "float32"}.
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static DType parse(String name) {
        if (name != null) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            for (DType d : values()) {
                if (d.numpyName.equals(lower)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("dtype '" + name + "' is not supported; allowed: " + allowedNames());
    }

    /** The names accepted by {@link #parse}, e.g. {@code [uint8, uint16, ...]}. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(DType::numpyName).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
