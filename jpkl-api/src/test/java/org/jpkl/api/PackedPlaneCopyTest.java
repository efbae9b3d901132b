package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Groups of uint8 planes interleaved in an array are gathered ({@link NdArray#copyPlanes}) and
 * scattered ({@link PlaneAssembly#scatter(long, PlaneBuffer[])}) as packed 2- and 4-byte words
 * (the planes' neighbouring bytes copied together); every value must equal the plane-by-plane copy,
 * for groups of every size 1-11 (packed runs of 4 and 2 plus a rest), at every start, with odd
 * shapes, strided and reversed selections, the dense {@code x[:, :, k, m]} case and RGB planes.
 */
class PackedPlaneCopyTest {
    /** Every element a different value modulo 256 along any short run, so a swapped byte shows. */
    private static NdArray source(DType dtype, int[] shape) {
        return NdArray.generate(dtype, shape, i -> (i * 37 + i / 251) % 256);
    }

    @Test
    void gatheredGroupsEqualPlaneByPlane() {
        for (int[] shape : new int[][] {{7, 13, 11}, {3, 5, 4, 3}, {9, 1, 16}, {1, 9, 8}, {5, 3, 3, 2}, {3, 5, 3, 9}, {5, 7, 4}, {6, 3, 2}, {4, 5, 2, 4},
                {3, 21, 4}, {2, 17, 2, 2}, {2, 8, 4}}) {
            for (boolean rgb : new boolean[] {false, true}) {
                if (rgb && (shape.length < 4 || shape[2] != 3)) {
                    continue;
                }
                PlaneLayout layout = PlaneLayout.jpkl(rgb);
                NdArray a = source(DType.UINT8, shape);
                KeySpace keys = new KeySpace(shape, layout);
                PlaneSpec spec = new PlaneSpec(DType.UINT8, shape[0], shape[1], layout.channels());
                long count = keys.sliceCount();
                for (int size = 1; size <= Math.min(11, count); size++) {
                    for (long first = 0; first + size <= count; first++) {
                        PlaneBuffer[] planes = new PlaneBuffer[size];
                        for (int j = 0; j < size; j++) {
                            planes[j] = PlaneBuffer.wrap(spec, new byte[spec.sampleCount() + 5], 2);
                        }
                        a.copyPlanes(layout, first, planes);
                        for (int j = 0; j < size; j++) {
                            PlaneBuffer one = PlaneBuffer.wrap(spec, new byte[spec.sampleCount() + 5], 2);
                            a.copyPlane(layout, first + j, one);
                            assertEquals(NdArray.wrapUint8(one.bytes().clone(), spec.sampleCount() + 5),
                                    NdArray.wrapUint8(planes[j].bytes().clone(), spec.sampleCount() + 5),
                                    "plane " + (first + j) + " of a group of " + size + " from " + first + " of " + java.util.Arrays.toString(shape)
                                            + (rgb ? " rgb" : ""));
                        }
                    }
                }
            }
        }
    }

    @Test
    void scatteredGroupsEqualPlaneByPlane() {
        Object[][] cases = {
            {new int[] {7, 13, 11}, "...", false},
            {new int[] {7, 13, 11}, "::-1, 1::2, :", false},
            {new int[] {5, 9, 4, 4}, ":, :, 2, :", false},
            {new int[] {5, 9, 10, 4}, ":, :, 3", false},
            {new int[] {6, 7, 3, 8}, ":, :, 2", false},
            {new int[] {6, 7, 3, 8}, "1:, ::-2, :, 1:", false},
            {new int[] {3, 5, 3, 9}, "...", true},
            {new int[] {3, 5, 3, 9}, ":, :, :, 2:", true},
            {new int[] {4, 3, 2, 3, 8}, ":, :, 1, ...", false},
            {new int[] {3, 21, 3, 4}, ":, :, 1", false},
            {new int[] {4, 19, 2, 4}, "::-1, 2:, 0", false},
            {new int[] {2, 16, 4}, "...", false},
        };
        for (Object[] c : cases) {
            int[] shape = (int[]) c[0];
            String expression = (String) c[1];
            PlaneLayout layout = PlaneLayout.jpkl((Boolean) c[2]);
            NdArray a = source(DType.UINT8, shape);
            Selection selection = Selection.resolve(expression, shape);
            NdArray expected = a.get(expression);
            long touched = new PlaneAssembly(selection, DType.UINT8, layout).touchedCount();
            for (int size = 1; size <= 11; size++) {
                PlaneAssembly grouped = new PlaneAssembly(selection, DType.UINT8, layout);
                for (long i = 0; i < touched; i += size) {
                    PlaneBuffer[] planes = new PlaneBuffer[(int) Math.min(size, touched - i)];
                    for (int j = 0; j < planes.length; j++) {
                        planes[j] = PlaneBuffer.wrap(grouped.planeSpec(), new byte[grouped.planeSpec().sampleCount() + 3], 3);
                        a.copyPlane(layout, grouped.sliceNumber(i + j), planes[j]);
                    }
                    grouped.scatter(i, planes);
                }
                assertEquals(expected, grouped.result(), expression + " of " + java.util.Arrays.toString(shape) + " in groups of " + size);
            }
        }
    }

    /**
     * The register transposition behind 4-plane packed copies of 8 pixels and more: 4 x 8 bytes in,
     * each pixel's 4 bytes together out (plane 0 lowest), and back.
     */
    @Test
    void transposesFourPlanesOfEightBytesAndBack() {
        long[] w = {0x0706050403020100L, 0x1716151413121110L, 0x2726252423222120L, 0x3736353433323130L};
        StridedCopy.transpose4x8(w);
        assertArrayEquals(new long[] {0x3121110130201000L, 0x3323130332221202L, 0x3525150534241404L, 0x3727170736261606L}, w);
        StridedCopy.untranspose4x8(w);
        assertArrayEquals(new long[] {0x0706050403020100L, 0x1716151413121110L, 0x2726252423222120L, 0x3736353433323130L}, w);
    }

    /** Row ranges scattered separately, in any order, give the whole scatter; ranges outside the selected rows are refused. */
    @Test
    void scatterRowsInBandsEqualsTheWholeScatter() {
        int[] shape = {11, 6, 4, 2};
        NdArray a = source(DType.UINT8, shape);
        for (String expression : new String[] {":, :, 1", "::-2, 1:, :, 0", "3:, :, 2:, :"}) {
            PlaneAssembly banded = new PlaneAssembly(Selection.resolve(expression, shape), DType.UINT8, PlaneLayout.jpkl(false));
            PlaneBuffer[] planes = new PlaneBuffer[(int) banded.touchedCount()];
            for (int j = 0; j < planes.length; j++) {
                planes[j] = PlaneBuffer.allocate(banded.planeSpec());
                a.copyPlane(PlaneLayout.jpkl(false), banded.sliceNumber(j), planes[j]);
            }
            int rows = banded.selectedRows();
            for (int from = rows - rows % 3 == rows ? rows - 3 : rows - rows % 3; from >= 0; from -= 3) {
                banded.scatterRows(0, planes, from, Math.min(rows, from + 3));
            }
            assertEquals(a.get(expression), banded.result(), expression);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> banded.scatterRows(0, planes, 1, rows + 1));
            assertEquals("rows [1, " + (rows + 1) + ") are not within the " + rows + " selected rows", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> banded.scatterRows(0, planes, 2, 1));
        }
    }

    /** Row ranges gathered separately, in any order, give the whole gather; ranges outside the plane are refused. */
    @Test
    void copyPlaneRowsInBandsEqualsTheWholeGather() {
        int[] shape = {11, 6, 3, 4};
        for (boolean rgb : new boolean[] {false, true}) {
            PlaneLayout layout = PlaneLayout.jpkl(rgb);
            NdArray a = source(DType.UINT8, shape);
            PlaneSpec spec = new PlaneSpec(DType.UINT8, 11, 6, layout.channels());
            PlaneBuffer[] whole = new PlaneBuffer[4];
            PlaneBuffer[] banded = new PlaneBuffer[4];
            for (int j = 0; j < 4; j++) {
                whole[j] = PlaneBuffer.allocate(spec);
                banded[j] = PlaneBuffer.allocate(spec);
            }
            long first = rgb ? 0 : 5;
            a.copyPlanes(layout, first, whole);
            for (int from = 9; from >= 0; from -= 3) {
                a.copyPlaneRows(layout, first, banded, from, Math.min(11, from + 3));
            }
            for (int j = 0; j < 4; j++) {
                assertEquals(NdArray.wrapUint8(whole[j].bytes(), spec.sampleCount()), NdArray.wrapUint8(banded[j].bytes(), spec.sampleCount()),
                        "plane " + (first + j) + (rgb ? " rgb" : ""));
            }
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> a.copyPlaneRows(layout, first, banded, 3, 12));
            assertEquals("rows [3, 12) are not within the plane's 11 rows", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> a.copyPlaneRows(layout, first, banded, -1, 2));
        }
    }
}
