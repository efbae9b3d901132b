package org.jpkl.api;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongToDoubleFunction;

/**
 * An immutable, dense N-D array in C (row-major) order over one Java primitive array.
 *
 * <p>The storage type follows the {@link DType}: {@code byte[]} for uint8, {@code short[]} for
 * uint16/int16, {@code int[]} for int32, {@code float[]} for float32, {@code double[]} for float64.
 * Unsigned types are stored in their signed Java counterpart and read back unsigned by the typed
 * accessors. A 0-dimensional array (shape {@code []}) holds one element, as in NumPy.
 *
 * <p>Ownership: the {@code wrap…} factories take ownership of the array passed in (no copy); the
 * caller must not modify it afterwards, or the array is no longer immutable. The {@code to…Array}
 * methods always return fresh copies. {@link #copyOf(ByteBuffer, DType, int...)} copies.
 *
 * <p>Indexing ({@link #get(String)}, {@link #get(Index...)}) follows NumPy's basic indexing
 * exactly and returns a new array (a copy, not a view).
 *
 * <p>Thread safety: immutable; safe to share between threads.
 */
public final class NdArray {
    private final DType dtype;
    private final int[] shape;
    private final Object data;
    private final int size;

    private NdArray(DType dtype, int[] shape, Object data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = checkShape(shape);
        this.data = data;
        long n = elementCount(this.shape);
        if (n > Selection.MAX_RESULT_ELEMENTS) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements; an NdArray holds at most " + Selection.MAX_RESULT_ELEMENTS);
        }
        int length = Array.getLength(data);
        if (length != n) {
            throw new IllegalArgumentException("data length (" + length + ") does not match shape "
                    + Arrays.toString(shape) + " (" + n + " elements)");
        }
        this.size = Math.toIntExact(n);
    }

    /** Wraps (without copying) uint8 data; the caller gives up the array. */
    public static NdArray wrapUint8(byte[] data, int... shape) {
        return new NdArray(DType.UINT8, shape, Objects.requireNonNull(data, "data"));
    }

    /** Wraps (without copying) uint16 data stored in {@code short}s; the caller gives up the array. */
    public static NdArray wrapUint16(short[] data, int... shape) {
        return new NdArray(DType.UINT16, shape, Objects.requireNonNull(data, "data"));
    }

    /** Wraps (without copying) int16 data; the caller gives up the array. */
    public static NdArray wrapInt16(short[] data, int... shape) {
        return new NdArray(DType.INT16, shape, Objects.requireNonNull(data, "data"));
    }

    /** Wraps (without copying) int32 data; the caller gives up the array. */
    public static NdArray wrapInt32(int[] data, int... shape) {
        return new NdArray(DType.INT32, shape, Objects.requireNonNull(data, "data"));
    }

    /** Wraps (without copying) float32 data; the caller gives up the array. */
    public static NdArray wrapFloat32(float[] data, int... shape) {
        return new NdArray(DType.FLOAT32, shape, Objects.requireNonNull(data, "data"));
    }

    /** Wraps (without copying) float64 data; the caller gives up the array. */
    public static NdArray wrapFloat64(double[] data, int... shape) {
        return new NdArray(DType.FLOAT64, shape, Objects.requireNonNull(data, "data"));
    }

    /**
     * Wraps a primitive array whose type matches {@code dtype}'s storage type.
     *
     * @throws IllegalArgumentException if the array type does not match the dtype
     */
    public static NdArray wrap(Object primitiveArray, DType dtype, int... shape) {
        Objects.requireNonNull(primitiveArray, "primitiveArray");
        Class<?> component = primitiveArray.getClass().getComponentType();
        if (component != dtype.primitiveType()) {
            throw new IllegalArgumentException("dtype " + dtype + " is stored in " + dtype.primitiveType() + "[], not "
                    + (component == null ? primitiveArray.getClass().getName() : component + "[]"));
        }
        return new NdArray(dtype, shape, primitiveArray);
    }

    /** A zero-filled array. */
    public static NdArray zeros(DType dtype, int... shape) {
        return new NdArray(dtype, shape, dtype.newStorage(checkedSize(shape)));
    }

    /**
     * Copies elements from {@code buffer} (from its position, in its byte order) into a new array;
     * the buffer's position advances by the bytes read.
     *
     * @throws IllegalArgumentException if the buffer has fewer bytes remaining than the shape needs
     */
    public static NdArray copyOf(ByteBuffer buffer, DType dtype, int... shape) {
        int n = checkedSize(shape);
        long bytes = (long) n * dtype.byteSize();
        if (buffer.remaining() < bytes) {
            throw new IllegalArgumentException("buffer has " + buffer.remaining() + " bytes remaining; shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
        }
        Object data = dtype.newStorage(n);
        switch (dtype) {
            case UINT8:
                buffer.get((byte[]) data);
                break;
            case UINT16:
            case INT16:
                buffer.asShortBuffer().get((short[]) data);
                break;
            case INT32:
                buffer.asIntBuffer().get((int[]) data);
                break;
            case FLOAT32:
                buffer.asFloatBuffer().get((float[]) data);
                break;
            default:
                buffer.asDoubleBuffer().get((double[]) data);
                break;
        }
        if (dtype != DType.UINT8) {
            buffer.position(buffer.position() + Math.toIntExact(bytes));
        }
        return new NdArray(dtype, shape, data);
    }

    /**
     * An array whose element at C-order flat index {@code i} is {@code values.applyAsDouble(i)},
     * converted to {@code dtype} (integers are rounded to nearest).
     *
     * @throws IllegalArgumentException if a value is not representable in {@code dtype}
     *     (out of range, or NaN for an integer dtype)
     */
    public static NdArray generate(DType dtype, int[] shape, LongToDoubleFunction values) {
        int n = checkedSize(shape);
        Object data = dtype.newStorage(n);
        for (int i = 0; i < n; i++) {
            store(data, dtype, i, values.applyAsDouble(i));
        }
        return new NdArray(dtype, shape, data);
    }

    private static void store(Object data, DType dtype, int i, double v) {
        if (dtype.isIntegral()) {
            double r = Math.rint(v);
            if (!(r >= dtype.minValue() && r <= dtype.maxValue())) {
                throw new IllegalArgumentException("value " + v + " at flat index " + i + " is not representable as "
                        + dtype + " [" + (long) dtype.minValue() + ", " + (long) dtype.maxValue() + "]");
            }
            long l = (long) r;
            switch (dtype) {
                case UINT8:
                    ((byte[]) data)[i] = (byte) l;
                    return;
                case UINT16:
                case INT16:
                    ((short[]) data)[i] = (short) l;
                    return;
                default:
                    ((int[]) data)[i] = (int) l;
                    return;
            }
        }
        if (dtype == DType.FLOAT32) {
            ((float[]) data)[i] = (float) v;
        } else {
            ((double[]) data)[i] = v;
        }
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Length of one axis. */
    public int shape(int axis) {
        return shape[checkAxis(axis)];
    }

    /** Number of axes. */
    public int ndim() {
        return shape.length;
    }

    /** Number of elements (product of the shape; 1 for a 0-d array). */
    public long size() {
        return size;
    }

    /** Bytes the elements occupy ({@code size() * dtype().byteSize()}). */
    public long byteSize() {
        return (long) size * dtype.byteSize();
    }

    /** C-order strides in elements (not bytes), one per axis. */
    public long[] strides() {
        return Arrays.stream(cOrderStrides(shape)).asLongStream().toArray();
    }

    /** The element at a position as a double (exact for every dtype; unsigned types read unsigned). */
    public double getDouble(int... index) {
        return getDoubleFlat(flatIndex(index));
    }

    /**
     * The element at a position as an int, for integer dtypes (unsigned types read unsigned).
     *
     * @throws IllegalStateException for float dtypes
     */
    public int getInt(int... index) {
        return getIntFlat(flatIndex(index));
    }

    /** The element at a C-order flat index as a double. */
    public double getDoubleFlat(int flatIndex) {
        checkFlat(flatIndex);
        switch (dtype) {
            case FLOAT32:
                return ((float[]) data)[flatIndex];
            case FLOAT64:
                return ((double[]) data)[flatIndex];
            default:
                return getIntFlat(flatIndex);
        }
    }

    /**
     * The element at a C-order flat index as an int, for integer dtypes.
     *
     * @throws IllegalStateException for float dtypes
     */
    public int getIntFlat(int flatIndex) {
        checkFlat(flatIndex);
        switch (dtype) {
            case UINT8:
                return ((byte[]) data)[flatIndex] & 0xFF;
            case UINT16:
                return ((short[]) data)[flatIndex] & 0xFFFF;
            case INT16:
                return ((short[]) data)[flatIndex];
            case INT32:
                return ((int[]) data)[flatIndex];
            default:
                throw new IllegalStateException("getInt needs an integer dtype; this array is " + dtype + "; use getDouble");
        }
    }

    /** A copy of the uint8 elements (as stored: read them with {@code & 0xFF}). */
    public byte[] toByteArray() {
        requireStorage(byte[].class, "toByteArray", "uint8");
        return ((byte[]) data).clone();
    }

    /** A copy of the uint16/int16 elements (as stored: read uint16 with {@code & 0xFFFF}). */
    public short[] toShortArray() {
        requireStorage(short[].class, "toShortArray", "uint16 or int16");
        return ((short[]) data).clone();
    }

    /** The elements as ints, for every integer dtype (unsigned values widened, never negative). */
    public int[] toIntArray() {
        if (!dtype.isIntegral()) {
            throw new IllegalStateException("toIntArray() needs an integer dtype; this array is " + dtype
                    + "; use toFloatArray() or toDoubleArray()");
        }
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = getIntFlat(i);
        }
        return out;
    }

    /** The float32 elements (a copy). */
    public float[] toFloatArray() {
        requireStorage(float[].class, "toFloatArray", "float32");
        return ((float[]) data).clone();
    }

    /** The elements as doubles, for every dtype (exact). */
    public double[] toDoubleArray() {
        if (dtype == DType.FLOAT64) {
            return ((double[]) data).clone();
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = getDoubleFlat(i);
        }
        return out;
    }

    /** The elements' bytes in C order and the given byte order, in a new heap buffer positioned at 0. */
    public ByteBuffer toByteBuffer(ByteOrder order) {
        Objects.requireNonNull(order, "order"); // ByteBuffer.order(null) would silently mean little-endian
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(byteSize())).order(order);
        switch (dtype) {
            case UINT8:
                out.put((byte[]) data);
                break;
            case UINT16:
            case INT16:
                out.asShortBuffer().put((short[]) data);
                break;
            case INT32:
                out.asIntBuffer().put((int[]) data);
                break;
            case FLOAT32:
                out.asFloatBuffer().put((float[]) data);
                break;
            default:
                out.asDoubleBuffer().put((double[]) data);
                break;
        }
        out.rewind();
        return out;
    }

    /**
     * Selects with NumPy syntax, e.g. {@code get("1:3, ..., ::-1")}.
     *
     * @throws IllegalArgumentException for bad syntax, two ellipses or too many indices
     * @throws IndexOutOfBoundsException for an integer index outside its axis
     */
    public NdArray get(String expression) {
        return get(Selection.resolve(expression, shape));
    }

    /** Selects with typed index items; see {@link Index}. */
    public NdArray get(Index... items) {
        return get(List.of(items));
    }

    /** Selects with typed index items; see {@link Index}. */
    public NdArray get(List<? extends Index> items) {
        return get(Selection.resolve(items, shape));
    }

    private NdArray get(Selection sel) {
        sel.checkFitsInArray();
        int n = Math.toIntExact(sel.resultSize());
        Object out = dtype.newStorage(n);
        int[] strides = cOrderStrides(shape);
        int[] srcStrides = new int[shape.length];
        long offset = 0;
        for (int a = 0; a < shape.length; a++) {
            srcStrides[a] = sel.elementStride(a, strides[a]);
            offset += sel.elementOffset(a, strides[a]);
        }
        int[] counts = new int[shape.length];
        for (int a = 0; a < shape.length; a++) {
            counts[a] = sel.count(a);
        }
        StridedCopy.copy(data, Math.toIntExact(offset), srcStrides, out, 0, sel.resultStridesBySourceAxis(), counts);
        return new NdArray(dtype, sel.resultShape(), out);
    }

    /**
     * Copies the plane with slice number {@code sliceNumber} (see {@link KeySpace}) into {@code dest},
     * row-major with samples interleaved.
     *
     * @throws IllegalArgumentException if {@code dest}'s spec does not match this array's plane
     * @throws IndexOutOfBoundsException if the slice number is out of range
     */
    public void copyPlane(PlaneLayout layout, long sliceNumber, PlaneBuffer dest) {
        copyPlanes(layout, sliceNumber, new PlaneBuffer[] {dest});
    }

    /**
     * As {@link #copyPlane} for the planes with slice numbers {@code first, first + 1, ...,
     * first + dests.length - 1} ({@code dests[j]} gets plane {@code first + j}), copied band of rows by
     * band of rows across all of them. Same result as copying each in turn; faster when the planes
     * are interleaved in this array (JPkl's {@code (h, w, ...)} layout, key axes last), where one
     * plane's copy alone reads every cache line of the array.
     *
     * @throws IllegalArgumentException if a destination's spec does not match this array's plane
     * @throws IndexOutOfBoundsException if a slice number is out of range
     */
    public void copyPlanes(PlaneLayout layout, long first, PlaneBuffer[] dests) {
        copyPlaneRows(layout, first, dests, 0, shape[layout.yAxis()]);
    }

    /**
     * As {@link #copyPlanes}, only rows {@code [fromRow, toRow)} of the planes, each into the same
     * rows of its destination (the other rows are left as they are). Calls for disjoint row ranges
     * may run concurrently: threads can gather one group of planes together, band by band.
     *
     * @throws IllegalArgumentException if a destination's spec does not match this array's plane
     * @throws IndexOutOfBoundsException if a slice number is out of range, or the rows are not
     *     within the plane's height
     */
    public void copyPlaneRows(PlaneLayout layout, long first, PlaneBuffer[] dests, int fromRow, int toRow) {
        KeySpace keys = new KeySpace(shape, layout);
        PlaneSpec expected = new PlaneSpec(dtype, shape[layout.yAxis()], shape[layout.xAxis()], layout.channels());
        if (fromRow < 0 || toRow < fromRow || toRow > expected.height()) {
            throw new IndexOutOfBoundsException("rows [" + fromRow + ", " + toRow + ") are not within the plane's " + expected.height()
                    + " rows");
        }
        int n = dests.length;
        int[] strides = cOrderStrides(shape);
        int[] keyAxes = keys.keyAxes();
        Object[] srcs = new Object[n];
        int[] srcOffsets = new int[n];
        Object[] dsts = new Object[n];
        int[] dstOffsets = new int[n];
        for (int j = 0; j < n; j++) {
            if (!dests[j].spec().equals(expected)) {
                throw new IllegalArgumentException("destination plane is " + dests[j].spec() + ", this array's planes are " + expected);
            }
            int[] key = keys.key(first + j);
            int offset = 0;
            for (int k = 0; k < keyAxes.length; k++) {
                offset += key[k] * strides[keyAxes[k]];
            }
            srcs[j] = data;
            srcOffsets[j] = offset + fromRow * strides[layout.yAxis()];
            dsts[j] = dests[j].array();
            dstOffsets[j] = dests[j].offset() + fromRow * expected.width() * layout.channels().samplesPerPixel();
        }
        int samples = layout.channels().samplesPerPixel();
        int w = expected.width();
        boolean rgb = layout.channelAxis().isPresent();
        int[] counts = rgb ? new int[] {toRow - fromRow, w, samples} : new int[] {toRow - fromRow, w};
        int[] src = rgb ? new int[] {strides[layout.yAxis()], strides[layout.xAxis()], strides[layout.channelAxis().getAsInt()]}
                : new int[] {strides[layout.yAxis()], strides[layout.xAxis()]};
        int[] dst = rgb ? new int[] {w * samples, samples, 1} : new int[] {w, 1};
        StridedCopy.copyBanded(srcs, srcOffsets, src, dsts, dstOffsets, dst, counts, dtype.byteSize());
    }

    /** The storage array itself (no copy), for this package's copy kernels. */
    Object storage() {
        return data;
    }

    static int[] cOrderStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            strides[a] = s;
            s *= Math.max(shape[a], 1);
        }
        return strides;
    }

    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more than " + Long.MAX_VALUE + " elements", e);
            }
        }
        return n;
    }

    private static int checkedSize(int[] shape) {
        long n = elementCount(checkShape(shape));
        if (n > Selection.MAX_RESULT_ELEMENTS) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements; an NdArray holds at most " + Selection.MAX_RESULT_ELEMENTS);
        }
        return Math.toIntExact(n);
    }

    private static int[] checkShape(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        if (shape.length > Shapes.MAX_NDIM) {
            throw new IllegalArgumentException("shape has " + shape.length + " axes; at most " + Shapes.MAX_NDIM + " are allowed");
        }
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative length at axis " + a);
            }
        }
        return shape.clone();
    }

    private int checkAxis(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " is out of range for a " + shape.length + "-dimensional array");
        }
        return axis;
    }

    private void checkFlat(int flatIndex) {
        if (flatIndex < 0 || flatIndex >= size) {
            throw new IndexOutOfBoundsException("flat index " + flatIndex + " is out of range for size " + size);
        }
    }

    private int flatIndex(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index has " + index.length + " positions; this array has " + shape.length + " axes");
        }
        int flat = 0;
        for (int a = 0; a < shape.length; a++) {
            int i = index[a];
            if (i < 0 || i >= shape[a]) {
                throw new IndexOutOfBoundsException("index " + i + " is out of bounds for axis " + a + " with size " + shape[a]);
            }
            flat = flat * shape[a] + i;
        }
        return flat;
    }

    private void requireStorage(Class<?> storage, String method, String dtypes) {
        if (data.getClass() != storage) {
            throw new IllegalStateException(method + "() needs dtype " + dtypes + "; this array is " + dtype);
        }
    }

    /**
     * Equal when dtype, shape and every element are equal. Float elements compare as
     * {@link Arrays#equals(float[], float[])} does (by {@link Float#floatToIntBits}, likewise for
     * doubles): every NaN equals every other NaN whatever its payload, and {@code 0.0} differs from
     * {@code -0.0}. Compare raw bits yourself when NaN payloads matter.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NdArray)) {
            return false;
        }
        NdArray other = (NdArray) o;
        if (dtype != other.dtype || !Arrays.equals(shape, other.shape)) {
            return false;
        }
        switch (dtype) {
            case UINT8:
                return Arrays.equals((byte[]) data, (byte[]) other.data);
            case UINT16:
            case INT16:
                return Arrays.equals((short[]) data, (short[]) other.data);
            case INT32:
                return Arrays.equals((int[]) data, (int[]) other.data);
            case FLOAT32:
                return Arrays.equals((float[]) data, (float[]) other.data);
            default:
                return Arrays.equals((double[]) data, (double[]) other.data);
        }
    }

    @Override
    public int hashCode() {
        int h = 31 * dtype.hashCode() + Arrays.hashCode(shape);
        int step = Math.max(1, size / 64);
        for (int i = 0; i < size; i += step) {
            h = 31 * h + Double.hashCode(getDoubleFlat(i));
        }
        return h;
    }

    /** E.g. {@code NdArray[uint8, shape=(512, 512, 10)]}. */
    @Override
    public String toString() {
        return "NdArray[" + dtype + ", shape=" + Shapes.format(shape) + "]";
    }
}
