package org.jpkl.api;

import java.lang.reflect.Array;
import java.util.Objects;

/**
 * A plane's samples in a caller-owned primitive array, starting at an offset, row-major with
 * samples interleaved (HWC). Codecs encode from it and decode into it without intermediate copies.
 *
 * <p>The array type follows the dtype as in {@link NdArray} ({@code byte[]} for uint8, {@code short[]}
 * for uint16/int16, ...). Exactly {@code spec().sampleCount()} elements from {@link #offset()} belong
 * to the plane; elements outside that range are never touched.
 *
 * <p>Thread safety: not thread-safe; the buffer's contents are shared mutable state owned by the caller.
 */
public final class PlaneBuffer {
    private final PlaneSpec spec;
    private final Object array;
    private final int offset;

    private PlaneBuffer(PlaneSpec spec, Object array, int offset) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.array = Objects.requireNonNull(array, "array");
        Class<?> component = array.getClass().getComponentType();
        if (component != spec.dtype().primitiveType()) {
            throw new IllegalArgumentException("a " + spec.dtype() + " plane needs a " + spec.dtype().primitiveType()
                    + "[] array, got " + (component == null ? array.getClass().getName() : component + "[]"));
        }
        int length = Array.getLength(array);
        if (offset < 0 || (long) offset + spec.sampleCount() > length) {
            throw new IllegalArgumentException("plane " + spec + " needs " + spec.sampleCount() + " elements from offset "
                    + offset + ", but the array has " + length);
        }
        this.offset = offset;
    }

    /** A buffer over {@code array} from {@code offset}; the array's type must match the spec's dtype. */
    public static PlaneBuffer wrap(PlaneSpec spec, Object array, int offset) {
        return new PlaneBuffer(spec, array, offset);
    }

    /** A buffer over a new zeroed array of exactly the plane's size. */
    public static PlaneBuffer allocate(PlaneSpec spec) {
        return new PlaneBuffer(spec, spec.dtype().newStorage(spec.sampleCount()), 0);
    }

    /** The plane's shape and dtype. */
    public PlaneSpec spec() {
        return spec;
    }

    /** The backing array (not a copy). */
    public Object array() {
        return array;
    }

    /** Index of the plane's first sample in {@link #array()}. */
    public int offset() {
        return offset;
    }

    /** The backing array as {@code byte[]} (uint8). */
    public byte[] bytes() {
        return (byte[]) checked(byte[].class);
    }

    /** The backing array as {@code short[]} (uint16, int16). */
    public short[] shorts() {
        return (short[]) checked(short[].class);
    }

    /** The backing array as {@code int[]} (int32). */
    public int[] ints() {
        return (int[]) checked(int[].class);
    }

    /** The backing array as {@code float[]} (float32). */
    public float[] floats() {
        return (float[]) checked(float[].class);
    }

    /** The backing array as {@code double[]} (float64). */
    public double[] doubles() {
        return (double[]) checked(double[].class);
    }

    private Object checked(Class<?> type) {
        if (array.getClass() != type) {
            throw new IllegalStateException("plane " + spec + " is backed by " + array.getClass().getComponentType() + "[], not "
                    + type.getComponentType() + "[]");
        }
        return array;
    }

    /** A copy of the plane as an NdArray of shape {@code [h, w]} or {@code [h, w, 3]}. */
    public NdArray toNdArray() {
        Object copy = spec.dtype().newStorage(spec.sampleCount());
        System.arraycopy(array, offset, copy, 0, spec.sampleCount());
        return NdArray.wrap(copy, spec.dtype(), spec.shape());
    }

    @Override
    public String toString() {
        return "PlaneBuffer[" + spec + ", offset " + offset + "]";
    }
}
