package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The array model: factories, accessors, typed copies, byte buffers, equality and plane extraction. */
class NdArrayTest {

    @Test
    void stepsBeyondIntSelectingOnePositionAreExactNotWrapped() {
        NdArray a = NdArray.generate(DType.INT32, new int[] {3, 4, 5}, i -> i);
        NdArray got = a.get("1::4294967296, 3:-9223372036854775808:-9223372036854775807, 2:4:2");
        assertArrayEquals(new int[] {1, 1, 1}, got.shape());
        assertEquals(1 * 20 + 3 * 5 + 2, got.getIntFlat(0));
        assertEquals(NdArray.wrapInt32(new int[] {2 * 20 + 3 * 5 + 4}, 1), a.get("2, ::-4294967296, 4"));
    }

    @Test
    void wrapFactoriesKeepDtypeShapeAndData() {
        NdArray u8 = NdArray.wrapUint8(new byte[] {0, 1, -1, -128, 127, 5}, 2, 3);
        assertEquals(DType.UINT8, u8.dtype());
        assertArrayEquals(new int[] {2, 3}, u8.shape());
        assertArrayEquals(new int[] {0, 1, 255, 128, 127, 5}, u8.toIntArray());
        assertArrayEquals(new int[] {0, 1, 65535, 32768}, NdArray.wrapUint16(new short[] {0, 1, -1, Short.MIN_VALUE}, 4).toIntArray());
        assertArrayEquals(new int[] {0, 1, -1, -32768}, NdArray.wrapInt16(new short[] {0, 1, -1, Short.MIN_VALUE}, 2, 2).toIntArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
                NdArray.wrapInt32(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, 1, 2).toIntArray());
        assertArrayEquals(new float[] {1.5f, -0f}, NdArray.wrapFloat32(new float[] {1.5f, -0f}, 2).toFloatArray());
        assertArrayEquals(new double[] {Math.PI}, NdArray.wrapFloat64(new double[] {Math.PI}).toDoubleArray());
        assertEquals(0, NdArray.wrapFloat64(new double[] {Math.PI}).ndim());
    }

    @Test
    void wrapChecksTheStorageType() {
        for (DType dtype : DType.values()) {
            Object storage = dtype.newStorage(6);
            assertEquals(dtype, NdArray.wrap(storage, dtype, 3, 2).dtype());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NdArray.wrap(new int[6], DType.UINT16, 6));
        assertEquals("dtype uint16 is stored in short[], not int[]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.wrap(new double[6], DType.FLOAT32, 6));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("double[]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.wrap("not an array", DType.UINT8, 1));
        assertTrue(e.getMessage().contains("uint8") && e.getMessage().contains("java.lang.String"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.wrap(new Integer[1], DType.INT32, 1));
        assertTrue(e.getMessage().contains("int32"), e.getMessage());
        assertThrows(NullPointerException.class, () -> NdArray.wrap(null, DType.UINT8, 1));
        assertThrows(NullPointerException.class, () -> NdArray.wrapUint8(null, 1));
        assertThrows(NullPointerException.class, () -> NdArray.wrapInt32(new int[1], (int[]) null));
    }

    @Test
    void shapeMustMatchTheData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NdArray.wrapInt32(new int[5], 2, 3));
        assertEquals("data length (5) does not match shape [2, 3] (6 elements)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.wrapInt16(new short[6], 2, -3));
        assertEquals("shape [2, -3] has a negative length at axis 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NdArray.zeros(DType.UINT8, -1));
        assertThrows(IllegalArgumentException.class, () -> NdArray.generate(DType.UINT8, new int[] {4, -2}, i -> 0));
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.zeros(DType.UINT8, new int[Shapes.MAX_NDIM + 1]));
        assertTrue(e.getMessage().contains("33 axes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.zeros(DType.UINT8, 65536, 65536));
        assertTrue(e.getMessage().contains("4294967296 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NdArray.zeros(DType.UINT8, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        assertEquals(0, NdArray.zeros(DType.UINT8, new int[Shapes.MAX_NDIM]).size());
    }

    @Test
    void accessorsReadUnsignedTypesUnsigned() {
        NdArray u8 = NdArray.wrapUint8(new byte[] {(byte) 200, (byte) 255, 0, 17}, 2, 2);
        assertEquals(200, u8.getInt(0, 0));
        assertEquals(255.0, u8.getDouble(0, 1));
        assertEquals(17, u8.getIntFlat(3));
        NdArray u16 = NdArray.wrapUint16(new short[] {(short) 65535, (short) 40000}, 2);
        assertEquals(65535, u16.getInt(0));
        assertEquals(40000.0, u16.getDoubleFlat(1));
        NdArray i16 = NdArray.wrapInt16(new short[] {(short) 65535, (short) 40000}, 2);
        assertEquals(-1, i16.getInt(0));
        assertEquals(-25536.0, i16.getDouble(1));
        NdArray f32 = NdArray.wrapFloat32(new float[] {0.1f}, 1);
        assertEquals((double) 0.1f, f32.getDouble(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f32.getInt(0));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> NdArray.wrapFloat64(new double[1], 1).getIntFlat(0));
    }

    @Test
    void accessorsCheckPositions() {
        NdArray a = NumpyFixture.arange(DType.INT32, 2, 3, 4);
        assertEquals(23, a.getInt(1, 2, 3));
        assertEquals(12.0, a.getDouble(1, 0, 0));
        IllegalArgumentException wrongRank = assertThrows(IllegalArgumentException.class, () -> a.getInt(1, 2));
        assertEquals("index has 2 positions; this array has 3 axes", wrongRank.getMessage());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> a.getDouble(1, 3, 0));
        assertEquals("index 3 is out of bounds for axis 1 with size 3", oob.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.getInt(-1, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.getDoubleFlat(24));
        assertThrows(IndexOutOfBoundsException.class, () -> a.getIntFlat(-1));
        assertEquals(4, a.shape(2));
        IndexOutOfBoundsException axis = assertThrows(IndexOutOfBoundsException.class, () -> a.shape(3));
        assertEquals("axis 3 is out of range for a 3-dimensional array", axis.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.shape(-1));
        assertEquals(3, a.ndim());
        assertEquals(24, a.size());
        assertEquals(96, a.byteSize());
        assertArrayEquals(new long[] {12, 4, 1}, a.strides());
        assertEquals("NdArray[int32, shape=(2, 3, 4)]", a.toString());
        int[] shape = a.shape();
        shape[0] = 99;
        assertEquals(2, a.shape(0), "shape() returns a copy");
    }

    @Test
    void typedCopiesCheckTheDtype() {
        NdArray u16 = NdArray.wrapUint16(new short[] {-1, 2}, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, u16::toByteArray);
        assertEquals("toByteArray() needs dtype uint8; this array is uint16", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> NdArray.wrapInt32(new int[1], 1).toShortArray());
        assertEquals("toShortArray() needs dtype uint16 or int16; this array is int32", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> NdArray.wrapFloat64(new double[1], 1).toFloatArray());
        assertEquals("toFloatArray() needs dtype float32; this array is float64", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> NdArray.wrapFloat32(new float[1], 1).toIntArray());
        assertEquals("toIntArray() needs an integer dtype; this array is float32; use toFloatArray() or toDoubleArray()",
                e.getMessage());
        assertArrayEquals(new short[] {-1, 2}, u16.toShortArray());
        assertArrayEquals(new double[] {65535, 2}, u16.toDoubleArray());

        byte[] data = {1, 2, 3};
        NdArray u8 = NdArray.wrapUint8(data, 3);
        byte[] copy = u8.toByteArray();
        assertNotSame(data, copy);
        copy[0] = 99;
        assertEquals(1, u8.getInt(0), "toByteArray returns a copy");
        double[] doubles = {1, 2};
        NdArray f64 = NdArray.wrapFloat64(doubles, 2);
        f64.toDoubleArray()[0] = 99;
        assertEquals(1.0, f64.getDouble(0), "toDoubleArray returns a copy");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void byteBufferRoundTripInBothByteOrders(DType dtype) {
        NdArray a = NdArray.generate(dtype, new int[] {3, 4, 5},
                i -> dtype.isIntegral() ? (i * 7919L) % (long) (dtype.maxValue() - dtype.minValue() + 1) + dtype.minValue()
                        : (i - 30) * 1.0e-3 + i * 1.0e30 * (i % 2 == 0 ? 1 : -1));
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer bytes = a.toByteBuffer(order);
            assertEquals(order, bytes.order());
            assertEquals(0, bytes.position());
            assertEquals(a.byteSize(), bytes.remaining());
            assertEquals(60L * dtype.byteSize(), bytes.capacity());
            // Read back from the middle of a larger buffer: the position advances by exactly the bytes read.
            ByteBuffer framed = ByteBuffer.allocate(bytes.remaining() + 10).order(order);
            framed.position(3);
            framed.put(bytes.duplicate());
            framed.position(3);
            NdArray back = NdArray.copyOf(framed, dtype, 3, 4, 5);
            assertEquals(a, back, order.toString());
            assertEquals(3 + a.byteSize(), framed.position());
            // The other byte order reads something else (for dtypes wider than a byte).
            if (dtype.byteSize() > 1) {
                ByteBuffer swapped = a.toByteBuffer(order).order(order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                assertNotEquals(a, NdArray.copyOf(swapped, dtype, 3, 4, 5));
            }
        }
        assertEquals(a, NdArray.copyOf(a.toByteBuffer(ByteOrder.nativeOrder()), dtype, a.shape()));
    }

    @Test
    void byteBufferLayoutIsExplicit() {
        byte[] raw = {1, 2, 3, 4};
        assertArrayEquals(new int[] {258, 772}, NdArray.copyOf(ByteBuffer.wrap(raw), DType.UINT16, 2).toIntArray());
        assertArrayEquals(new int[] {513, 1027},
                NdArray.copyOf(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN), DType.UINT16, 2).toIntArray());
        assertArrayEquals(new int[] {0x01020304}, NdArray.copyOf(ByteBuffer.wrap(raw), DType.INT32, 1).toIntArray());
        byte[] ff = {(byte) 0xFF, (byte) 0xFE};
        assertArrayEquals(new int[] {-2}, NdArray.copyOf(ByteBuffer.wrap(ff), DType.INT16, 1).toIntArray());
        assertArrayEquals(new int[] {65534}, NdArray.copyOf(ByteBuffer.wrap(ff), DType.UINT16, 1).toIntArray());
        assertArrayEquals(new int[] {255, 254}, NdArray.copyOf(ByteBuffer.wrap(ff), DType.UINT8, 2).toIntArray());
        ByteBuffer le = NdArray.wrapFloat64(new double[] {1.0}, 1).toByteBuffer(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x3F, le.get(7));
        assertEquals(0, le.get(0));

        ByteBuffer small = ByteBuffer.allocate(7);
        small.position(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NdArray.copyOf(small, DType.INT16, 3));
        assertEquals("buffer has 5 bytes remaining; shape [3] of int16 needs 6", e.getMessage());
        assertEquals(2, small.position(), "a rejected read consumes nothing");
        assertEquals(0, NdArray.copyOf(ByteBuffer.allocate(0), DType.FLOAT64, 0, 4).size());
        assertEquals(0, NdArray.zeros(DType.FLOAT64, 4, 0).toByteBuffer(ByteOrder.BIG_ENDIAN).remaining());
        ByteBuffer ro = ByteBuffer.wrap(raw).asReadOnlyBuffer();
        assertArrayEquals(new int[] {258, 772}, NdArray.copyOf(ro, DType.UINT16, 2).toIntArray());
        assertEquals(4, ro.position());
    }

    @Test
    void equalityComparesDtypeShapeAndElementBits() {
        NdArray a = NdArray.wrapInt16(new short[] {1, 2, 3, 4}, 2, 2);
        assertEquals(a, NdArray.wrapInt16(new short[] {1, 2, 3, 4}, 2, 2));
        assertEquals(a.hashCode(), NdArray.wrapInt16(new short[] {1, 2, 3, 4}, 2, 2).hashCode());
        assertNotEquals(a, NdArray.wrapUint16(new short[] {1, 2, 3, 4}, 2, 2), "dtype");
        assertNotEquals(a, NdArray.wrapInt16(new short[] {1, 2, 3, 4}, 4), "shape");
        assertNotEquals(a, NdArray.wrapInt16(new short[] {1, 2, 3, 5}, 2, 2), "values");
        assertNotEquals(a, "not an array");
        assertNotEquals(NdArray.zeros(DType.UINT8, 0, 3), NdArray.zeros(DType.UINT8, 3, 0));

        NdArray nan = NdArray.wrapFloat64(new double[] {Double.NaN, 1}, 2);
        assertEquals(nan, NdArray.wrapFloat64(new double[] {Double.NaN, 1}, 2));
        assertEquals(nan.hashCode(), NdArray.wrapFloat64(new double[] {Double.NaN, 1}, 2).hashCode());
        double otherNan = Double.longBitsToDouble(0x7ff8000000000123L);
        assertEquals(nan, NdArray.wrapFloat64(new double[] {otherNan, 1}, 2), "every NaN equals every NaN");
        assertEquals(nan.hashCode(), NdArray.wrapFloat64(new double[] {otherNan, 1}, 2).hashCode());
        assertNotEquals(NdArray.wrapFloat64(new double[] {0.0}, 1), NdArray.wrapFloat64(new double[] {-0.0}, 1), "0.0 and -0.0 differ");
        NdArray nan32 = NdArray.wrapFloat32(new float[] {Float.NaN, -0f}, 2);
        assertEquals(nan32, NdArray.wrapFloat32(new float[] {Float.intBitsToFloat(0x7fc00001), -0f}, 2));
        assertNotEquals(nan32, NdArray.wrapFloat32(new float[] {Float.NaN, 0f}, 2));
        // The hash samples elements; arrays differing only in unsampled elements may collide, never unequal hashes for equal arrays.
        NdArray big = NumpyFixture.arange(DType.INT32, 1000);
        assertEquals(big.hashCode(), NumpyFixture.arange(DType.INT32, 1000).hashCode());
    }

    @Test
    void generateRoundsAndChecksTheRange() {
        assertArrayEquals(new int[] {0, 2, 2, 4, -2, 255}, NdArray.generate(DType.INT16, new int[] {6},
                i -> new double[] {0.4, 1.5, 2.5, 3.6, -2.5, 255}[(int) i]).toIntArray());
        assertArrayEquals(new int[] {0, 255}, NdArray.generate(DType.UINT8, new int[] {2}, i -> i * 255).toIntArray());
        assertArrayEquals(new int[] {65535}, NdArray.generate(DType.UINT16, new int[] {1}, i -> 65535.4).toIntArray());
        assertArrayEquals(new float[] {(float) 0.1}, NdArray.generate(DType.FLOAT32, new int[] {1}, i -> 0.1).toFloatArray());
        assertTrue(Double.isNaN(NdArray.generate(DType.FLOAT64, new int[] {1}, i -> Double.NaN).getDouble(0)));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NdArray.generate(DType.UINT8, new int[] {3}, i -> i == 2 ? 256 : 0));
        assertEquals("value 256.0 at flat index 2 is not representable as uint8 [0, 255]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.generate(DType.UINT16, new int[] {1}, i -> -0.6));
        assertTrue(e.getMessage().contains("uint16 [0, 65535]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NdArray.generate(DType.INT32, new int[] {1}, i -> Double.NaN));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("int32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NdArray.generate(DType.INT16, new int[] {1}, i -> 32767.5));
        assertThrows(IllegalArgumentException.class, () -> NdArray.generate(DType.INT32, new int[] {1}, i -> Double.POSITIVE_INFINITY));
        assertArrayEquals(new int[] {-32768}, NdArray.generate(DType.INT16, new int[] {1}, i -> -32768.5).toIntArray());
    }

    @Test
    void zeroDimensionalArrays() {
        NdArray scalar = NdArray.wrapInt32(new int[] {42});
        assertEquals(0, scalar.ndim());
        assertEquals(1, scalar.size());
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new long[0], scalar.strides());
        assertEquals(42, scalar.getInt());
        assertEquals("NdArray[int32, shape=()]", scalar.toString());
        assertEquals(scalar, scalar.get(""));
        assertEquals(scalar, scalar.get("..."));
        assertEquals(NdArray.wrapInt32(new int[] {42}, 1), scalar.get("None"));
        assertEquals(NdArray.wrapInt32(new int[] {42}, 1, 1), scalar.get("None, ..., None"));
        assertThrows(IllegalArgumentException.class, () -> scalar.get("0"));
        assertEquals(1, NdArray.zeros(DType.UINT8).size());
        NdArray fromInts = NumpyFixture.arange(DType.FLOAT32, 2, 3).get("1, 2");
        assertEquals(0, fromInts.ndim());
        assertEquals(5.0, fromInts.getDouble());
        assertArrayEquals(new byte[] {0, 0, 0, 42}, scalar.toByteBuffer(ByteOrder.BIG_ENDIAN).array());
    }

    @Test
    void zeroLengthAxes() {
        NdArray empty = NdArray.zeros(DType.UINT16, 0, 3);
        assertEquals(0, empty.size());
        assertEquals(0, empty.byteSize());
        assertEquals(2, empty.ndim());
        assertArrayEquals(new int[] {0}, empty.get(":, 1").shape());
        assertArrayEquals(new int[] {0, 1, 3}, empty.get(":, None").shape());
        assertThrows(IndexOutOfBoundsException.class, () -> empty.get("0"));
        assertThrows(IndexOutOfBoundsException.class, () -> empty.getInt(0, 0));
        assertEquals(0, empty.toShortArray().length);
        NdArray middle = NdArray.zeros(DType.FLOAT64, 3, 0, 2);
        assertArrayEquals(new int[] {0, 2}, middle.get("1").shape());
        assertArrayEquals(new int[] {3, 0}, middle.get("..., 1").shape());
        assertEquals(NdArray.zeros(DType.FLOAT64, 2, 0, 2), middle.get("::2"));
        assertEquals("NdArray[float64, shape=(3, 0, 2)]", middle.toString());
    }

    @Test
    void getReturnsAnIndependentCopy() {
        int[] data = {1, 2, 3, 4, 5, 6};
        NdArray a = NdArray.wrapInt32(data, 2, 3);
        NdArray all = a.get("...");
        assertEquals(a, all);
        NdArray row = a.get("1");
        data[3] = 40;
        assertEquals(1, all.getInt(0, 0));
        assertArrayEquals(new int[] {4, 5, 6}, row.toIntArray(), "the result does not alias the source");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void copyPlaneForEveryLayout(DType dtype) {
        checkCopyPlane(dtype, new int[] {3, 4, 2, 5}, PlaneLayout.jpkl(false));
        checkCopyPlane(dtype, new int[] {3, 4, 3, 2}, PlaneLayout.jpkl(true));
        checkCopyPlane(dtype, new int[] {2, 3, 2, 3, 4}, PlaneLayout.of(3, 4));
        checkCopyPlane(dtype, new int[] {3, 2, 4}, PlaneLayout.of(2, 0));
        checkCopyPlane(dtype, new int[] {2, 3, 4, 2}, PlaneLayout.of(2, 0, 1));
        checkCopyPlane(dtype, new int[] {2, 3, 2, 3, 4}, PlaneLayout.of(4, 1, 3));
        checkCopyPlane(dtype, new int[] {5, 3}, PlaneLayout.of(1, 0));
        checkCopyPlane(dtype, new int[] {1, 1, 3}, PlaneLayout.jpkl(true));
    }

    /**
     * Planes gathered in groups ({@link NdArray#copyPlanes}) equal the same planes copied one by one,
     * also when their rows span several bands ({@code StridedCopy.BAND_BYTES}: rows of 48 kB here)
     * and for groups that start mid-array or cross a key axis.
     */
    @Test
    void copyPlanesEqualsCopyPlaneOneByOne() {
        int[] shape = {37, 1000, 3, 2, 3};
        PlaneLayout layout = PlaneLayout.jpkl(true);
        NdArray source = NdArray.generate(DType.FLOAT64, shape, i -> i);
        PlaneSpec spec = new PlaneSpec(DType.FLOAT64, 37, 1000, ChannelLayout.RGB);
        int[][] groups = {{0, 6}, {1, 4}, {2, 3}, {5, 1}};
        for (int[] g : groups) {
            PlaneBuffer[] planes = new PlaneBuffer[g[1]];
            for (int j = 0; j < planes.length; j++) {
                planes[j] = PlaneBuffer.wrap(spec, new double[spec.sampleCount() + 3], 3);
            }
            source.copyPlanes(layout, g[0], planes);
            for (int j = 0; j < planes.length; j++) {
                PlaneBuffer one = PlaneBuffer.allocate(spec);
                source.copyPlane(layout, g[0] + j, one);
                assertArrayEquals(one.doubles(), Arrays.copyOfRange(planes[j].doubles(), 3, 3 + spec.sampleCount()),
                        "plane " + (g[0] + j) + " of the group from " + g[0]);
            }
        }
        PlaneBuffer[] tooFar = {PlaneBuffer.allocate(spec), PlaneBuffer.allocate(spec)};
        assertThrows(IndexOutOfBoundsException.class, () -> source.copyPlanes(layout, 5, tooFar));
    }

    /** Each plane sample at (r, c, s) must be the source element at the position the layout gives. */
    private static void checkCopyPlane(DType dtype, int[] shape, PlaneLayout layout) {
        NdArray source = NdArray.generate(dtype, shape, i -> i % 200);
        KeySpace keys = new KeySpace(shape, layout);
        PlaneSpec spec = new PlaneSpec(dtype, shape[layout.yAxis()], shape[layout.xAxis()], layout.channels());
        int samples = layout.channels().samplesPerPixel();
        int offset = 7;
        for (long n = 0; n < keys.sliceCount(); n++) {
            Object storage = dtype.newStorage(spec.sampleCount() + 2 * offset);
            fill(storage, dtype);
            PlaneBuffer plane = PlaneBuffer.wrap(spec, storage, offset);
            source.copyPlane(layout, n, plane);
            NdArray got = NdArray.wrap(storage, dtype, spec.sampleCount() + 2 * offset);
            int[] key = keys.key(n);
            int[] keyAxes = keys.keyAxes();
            int[] position = new int[shape.length];
            for (int k = 0; k < keyAxes.length; k++) {
                position[keyAxes[k]] = key[k];
            }
            for (int r = 0; r < spec.height(); r++) {
                for (int c = 0; c < spec.width(); c++) {
                    for (int s = 0; s < samples; s++) {
                        position[layout.yAxis()] = r;
                        position[layout.xAxis()] = c;
                        if (layout.channelAxis().isPresent()) {
                            position[layout.channelAxis().getAsInt()] = s;
                        }
                        assertEquals(source.getDouble(position), got.getDoubleFlat(offset + (r * spec.width() + c) * samples + s),
                                layout + " slice " + n + " at " + Arrays.toString(position));
                    }
                }
            }
            for (int i = 0; i < offset; i++) {
                assertEquals(201.0, got.getDoubleFlat(i), "before the plane");
                assertEquals(201.0, got.getDoubleFlat(offset + spec.sampleCount() + i), "after the plane");
            }
        }
    }

    private static void fill(Object storage, DType dtype) {
        switch (dtype) {
            case UINT8:
                Arrays.fill((byte[]) storage, (byte) 201);
                break;
            case UINT16:
            case INT16:
                Arrays.fill((short[]) storage, (short) 201);
                break;
            case INT32:
                Arrays.fill((int[]) storage, 201);
                break;
            case FLOAT32:
                Arrays.fill((float[]) storage, 201f);
                break;
            default:
                Arrays.fill((double[]) storage, 201.0);
                break;
        }
    }

    @Test
    void copyPlaneRejectsMismatches() {
        NdArray a = NumpyFixture.arange(DType.UINT16, 4, 5, 2);
        PlaneLayout layout = PlaneLayout.jpkl(false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.copyPlane(layout, 0, PlaneBuffer.allocate(new PlaneSpec(DType.UINT16, 5, 4, ChannelLayout.GREY))));
        assertEquals("destination plane is uint16 5x4 grey, this array's planes are uint16 4x5 grey", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> a.copyPlane(layout, 0, PlaneBuffer.allocate(new PlaneSpec(DType.INT16, 4, 5, ChannelLayout.GREY))));
        PlaneBuffer ok = PlaneBuffer.allocate(new PlaneSpec(DType.UINT16, 4, 5, ChannelLayout.GREY));
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> a.copyPlane(layout, 2, ok));
        assertEquals("slice number 2 is out of range [0, 2)", oob.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.copyPlane(layout, -1, ok));
        assertThrows(IllegalArgumentException.class, () -> a.copyPlane(PlaneLayout.jpkl(true), 0, ok), "colour axis of length 2");
        a.copyPlane(layout, 1, ok);
        assertEquals(a.get("..., 1"), ok.toNdArray());
    }
}
