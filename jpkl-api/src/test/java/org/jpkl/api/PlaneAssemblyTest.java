package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Assembling a selection from whole planes ({@link PlaneAssembly}) must give exactly what
 * {@link NdArray#get(String)} gives, for the NumPy fixture's expressions on several plane layouts;
 * the touched planes must be exactly the distinct key tuples of the selected elements, listed in the
 * order they first appear in the result. The expected planes and order are derived from NumPy's
 * values (source flat indices), not from {@link Selection}.
 */
class PlaneAssemblyTest {
    private static NumpyFixture fixture;

    /** A layout and the fixture shapes it fits. */
    private static final class LayoutCase {
        final String name;
        final PlaneLayout layout;
        final List<int[]> shapes;

        LayoutCase(String name, PlaneLayout layout, int[]... shapes) {
            this.name = name;
            this.layout = layout;
            this.shapes = List.of(shapes);
        }
    }

    private static final List<LayoutCase> LAYOUTS = List.of(
            new LayoutCase("jpkl grey (H, W, d1, d2)", PlaneLayout.jpkl(false),
                    new int[] {3, 4, 5, 6}, new int[] {4, 5, 6}, new int[] {2, 3, 4, 3, 5}, new int[] {1, 7, 1}),
            new LayoutCase("jpkl rgb (H, W, 3, d1)", PlaneLayout.jpkl(true), new int[] {4, 5, 3, 6}),
            new LayoutCase("of(3, 4) on (t, c, z, y, x)", PlaneLayout.of(3, 4), new int[] {2, 3, 4, 3, 5}),
            new LayoutCase("of(2, 0): transposed plane", PlaneLayout.of(2, 0),
                    new int[] {4, 5, 6}, new int[] {3, 4, 5, 6}, new int[] {1, 7, 1}),
            new LayoutCase("of(2, 0, 1): colour between", PlaneLayout.of(2, 0, 1), new int[] {2, 3, 4, 3, 5}),
            new LayoutCase("of(4, 1, 3): x before colour before y", PlaneLayout.of(4, 1, 3), new int[] {2, 3, 4, 3, 5}),
            new LayoutCase("of(1, 2) with an empty key axis", PlaneLayout.of(1, 2), new int[] {0, 3, 4}));

    @BeforeAll
    static void loadFixture() {
        fixture = NumpyFixture.load();
    }

    @TestFactory
    Stream<DynamicTest> assemblingFromPlanesEqualsGet() {
        List<DynamicTest> tests = new ArrayList<>();
        int k = 0;
        for (LayoutCase lc : LAYOUTS) {
            for (int[] shape : lc.shapes) {
                int casesForShape = 0;
                for (NumpyFixture.Case c : fixture.cases) {
                    if (!Arrays.equals(c.shape, shape)) {
                        continue;
                    }
                    casesForShape++;
                    DType dtype = NumpyFixture.dtypeFor(k++, shape);
                    tests.add(dynamicTest(lc.name + ": " + c.name() + " as " + dtype, () -> checkAssembly(lc.layout, c, dtype)));
                }
                assertTrue(casesForShape >= 6, lc.name + " has too few fixture cases on " + Shapes.format(shape));
            }
        }
        return tests.stream();
    }

    private static void checkAssembly(PlaneLayout layout, NumpyFixture.Case c, DType dtype) {
        NdArray source = NumpyFixture.arange(dtype, c.shape);
        NdArray expected = source.get(c.expression);
        assertArrayEquals(c.values, NumpyFixture.valuesOf(expected));
        Selection selection = Selection.resolve(c.expression, c.shape);
        List<Long> expectedSlices = touchedSlicesInResultOrder(c.shape, layout, c.values);

        PlaneAssembly assembly = new PlaneAssembly(selection, dtype, layout);
        assertSame(selection, assembly.selection());
        assertEquals(new PlaneSpec(dtype, c.shape[layout.yAxis()], c.shape[layout.xAxis()], layout.channels()), assembly.planeSpec());
        assertEquals(expectedSlices.size(), assembly.touchedCount(), "touched planes");
        long[] slices = LongStream.range(0, assembly.touchedCount()).map(assembly::sliceNumber).toArray();
        assertEquals(expectedSlices, LongStream.of(slices).boxed().collect(Collectors.toList()), "slice order");
        for (long i = 0; i < assembly.touchedCount(); i++) {
            PlaneBuffer plane = PlaneBuffer.allocate(assembly.planeSpec());
            source.copyPlane(layout, assembly.sliceNumber(i), plane);
            assembly.scatter(i, plane);
        }
        NdArray assembled = assembly.result();
        assertEquals(expected, assembled);
        assertArrayEquals(c.resultShape, assembled.shape());

        // Planes decoded into buffers at an offset inside a larger array, scattered in reverse order.
        PlaneAssembly reversed = new PlaneAssembly(selection, dtype, layout);
        for (long i = reversed.touchedCount() - 1; i >= 0; i--) {
            int spare = 5;
            Object storage = dtype.newStorage(reversed.planeSpec().sampleCount() + 2 * spare);
            PlaneBuffer plane = PlaneBuffer.wrap(reversed.planeSpec(), storage, spare);
            source.copyPlane(layout, reversed.sliceNumber(i), plane);
            reversed.scatter(i, plane);
        }
        assertEquals(expected, reversed.result());

        // Planes scattered in groups of 3 (the last group shorter), as one call per group.
        PlaneAssembly grouped = new PlaneAssembly(selection, dtype, layout);
        for (long i = 0; i < grouped.touchedCount(); i += 3) {
            PlaneBuffer[] group = new PlaneBuffer[(int) Math.min(3, grouped.touchedCount() - i)];
            for (int j = 0; j < group.length; j++) {
                group[j] = PlaneBuffer.allocate(grouped.planeSpec());
                source.copyPlane(layout, grouped.sliceNumber(i + j), group[j]);
            }
            grouped.scatter(i, group);
        }
        assertEquals(expected, grouped.result());

        if (assembly.planesAreContiguousInResult()) {
            PlaneAssembly direct = new PlaneAssembly(selection, dtype, layout);
            for (long i = 0; i < direct.touchedCount(); i++) {
                source.copyPlane(layout, direct.sliceNumber(i), direct.directTarget(i));
            }
            assertEquals(expected, direct.result());
        } else if (assembly.touchedCount() > 0) {
            assertThrows(IllegalStateException.class, () -> assembly.directTarget(0));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> assembly.sliceNumber(assembly.touchedCount()));
        assertThrows(IndexOutOfBoundsException.class, () -> assembly.sliceNumber(-1));
    }

    /**
     * The distinct slice numbers of the selected elements, in order of first appearance in the
     * result (C order); computed from the source flat indices NumPy selected.
     */
    private static List<Long> touchedSlicesInResultOrder(int[] shape, PlaneLayout layout, long[] sourceFlat) {
        Set<Long> slices = new LinkedHashSet<>();
        for (long flat : sourceFlat) {
            long rest = flat;
            long[] position = new long[shape.length];
            for (int a = shape.length - 1; a >= 0; a--) {
                position[a] = rest % shape[a];
                rest /= shape[a];
            }
            long slice = 0;
            for (int a = 0; a < shape.length; a++) {
                if (!layout.isPlaneAxis(a)) {
                    slice = slice * shape[a] + position[a];
                }
            }
            slices.add(slice);
        }
        return new ArrayList<>(slices);
    }

    @Test
    void randomSelectionsOnRandomLayouts() {
        Random rnd = new Random(77);
        int checked = 0;
        while (checked < 600) {
            int[] shape = NaiveIndexing.randomShape(rnd, 5);
            if (shape.length < 2) {
                continue;
            }
            int y = rnd.nextInt(shape.length);
            int x = (y + 1 + rnd.nextInt(shape.length - 1)) % shape.length;
            PlaneLayout layout = PlaneLayout.of(y, x);
            if (shape.length > 2 && rnd.nextBoolean()) {
                int c;
                do {
                    c = rnd.nextInt(shape.length);
                } while (c == y || c == x);
                shape[c] = 3;
                layout = PlaneLayout.of(y, x, c);
            }
            if (shape[y] == 0 || shape[x] == 0) {
                continue;
            }
            List<NaiveIndexing.Item> items = NaiveIndexing.randomItems(rnd, shape);
            NaiveIndexing.Outcome expected = NaiveIndexing.evaluate(shape, items);
            if (expected.error != null) {
                continue;
            }
            String expression = NaiveIndexing.text(rnd, items);
            NumpyFixture.Case c = new NumpyFixture.Case(shape, expression, expected.resultShape, expected.sourceFlat);
            try {
                checkAssembly(layout, c, NumpyFixture.dtypeFor(checked, shape));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("layout " + layout + ", " + c.name(), e);
            }
            checked++;
        }
    }

    @Test
    void emptySelectionsTouchNoPlanes() {
        int[] shape = {4, 5, 6, 7};
        for (String expression : new String[] {":, :, 2:2", "1:1", ":, 3:1", "..., 7:", ":, :, ::-1, None, 0:0"}) {
            PlaneAssembly assembly = new PlaneAssembly(Selection.resolve(expression, shape), DType.UINT8, PlaneLayout.jpkl(false));
            assertEquals(0, assembly.touchedCount(), expression);
            assertThrows(IndexOutOfBoundsException.class, () -> assembly.sliceNumber(0));
            assertThrows(IndexOutOfBoundsException.class, () -> assembly.scatter(0, PlaneBuffer.allocate(assembly.planeSpec())));
            NdArray result = assembly.result();
            assertEquals(0, result.size());
            assertArrayEquals(NumpyFixture.arange(DType.UINT16, shape).get(expression).shape(), result.shape());
        }
    }

    @Test
    void planesWithoutKeyAxes() {
        int[] shape = {3, 4};
        NdArray source = NumpyFixture.arange(DType.FLOAT64, shape);
        PlaneAssembly assembly = new PlaneAssembly(Selection.resolve("::-1, 1::2", shape), DType.FLOAT64, PlaneLayout.jpkl(false));
        assertEquals(1, assembly.touchedCount());
        assertEquals(0, assembly.sliceNumber(0));
        assertEquals(1, assembly.keySpace().sliceCount());
        PlaneBuffer plane = PlaneBuffer.allocate(assembly.planeSpec());
        source.copyPlane(PlaneLayout.jpkl(false), 0, plane);
        assembly.scatter(0, plane);
        assertArrayEquals(new double[] {9, 11, 5, 7, 1, 3}, assembly.result().toDoubleArray());
    }

    @Test
    void aDeferredResultExistsOnlyOnceAllocatedAndThenAssemblesAlike() {
        int[] shape = {3, 4};
        NdArray source = NumpyFixture.arange(DType.FLOAT64, shape);
        Selection selection = Selection.resolve("::-1, 1::2", shape);
        PlaneAssembly assembly = PlaneAssembly.withDeferredResult(selection, DType.FLOAT64, PlaneLayout.jpkl(false));
        assertFalse(assembly.hasResult());
        assertEquals(1, assembly.touchedCount(), "planned without the result");
        assembly.allocateResult();
        assertTrue(assembly.hasResult());
        PlaneBuffer plane = PlaneBuffer.allocate(assembly.planeSpec());
        source.copyPlane(PlaneLayout.jpkl(false), 0, plane);
        assembly.scatter(0, plane);
        assembly.allocateResult();
        assertArrayEquals(new double[] {9, 11, 5, 7, 1, 3}, assembly.result().toDoubleArray(), "a second allocateResult keeps the result");
        assertTrue(new PlaneAssembly(selection, DType.FLOAT64, PlaneLayout.jpkl(false)).hasResult());
    }

    @Test
    void wholePlanesLandContiguously() {
        int[] shape = {2, 3, 4, 5};
        PlaneLayout layout = PlaneLayout.of(2, 3);
        NdArray source = NumpyFixture.arange(DType.INT32, shape);
        for (String expression : new String[] {"", "...", "1", "::-1, 1:", "None, :, 2, ...", "0, 0", "..., None", ":, :, None, :, None, :"}) {
            PlaneAssembly assembly = new PlaneAssembly(Selection.resolve(expression, shape), DType.INT32, layout);
            assertTrue(assembly.planesAreContiguousInResult(), expression);
            for (long i = 0; i < assembly.touchedCount(); i++) {
                PlaneBuffer target = assembly.directTarget(i);
                assertEquals(assembly.planeSpec(), target.spec());
                source.copyPlane(layout, assembly.sliceNumber(i), target);
            }
            assertEquals(source.get(expression), assembly.result(), expression);
        }
        for (String expression : new String[] {"..., ::-1", "..., 1:", ":, :, 0", ":, :, :, 1:4", ":, :, ::2, :"}) {
            PlaneAssembly assembly = new PlaneAssembly(Selection.resolve(expression, shape), DType.INT32, layout);
            assertFalse(assembly.planesAreContiguousInResult(), expression);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> assembly.directTarget(0));
            assertTrue(e.getMessage().contains(expression), e.getMessage());
        }
    }

    @Test
    void scatterRunsConcurrentlyForDistinctPlanes() {
        int[] shape = {16, 16, 3, 12, 10};
        PlaneLayout layout = PlaneLayout.jpkl(true);
        NdArray source = NumpyFixture.arange(DType.FLOAT32, shape);
        String expression = "1::3, ::-2, ::-1, 2:11, ...";
        PlaneAssembly assembly = new PlaneAssembly(Selection.resolve(expression, shape), DType.FLOAT32, layout);
        assertEquals(9 * 10, assembly.touchedCount());
        IntStream.range(0, (int) assembly.touchedCount()).parallel().forEach(i -> {
            PlaneBuffer plane = PlaneBuffer.allocate(assembly.planeSpec());
            source.copyPlane(layout, assembly.sliceNumber(i), plane);
            assembly.scatter(i, plane);
        });
        assertEquals(source.get(expression), assembly.result());
    }

    /**
     * A group scatter whose rows span more than one band ({@code StridedCopy.BAND_BYTES}): planes of
     * 1,000 x 3 float64 samples interleaved by 4 keys, 48 kB per row, so a band is a few rows, under
     * a selection with a reversed row step and strided columns.
     */
    @Test
    void groupScatterAcrossManyBandsEqualsGet() {
        int[] shape = {37, 1000, 3, 4};
        PlaneLayout layout = PlaneLayout.jpkl(true);
        NdArray source = NumpyFixture.arange(DType.FLOAT64, shape);
        for (String expression : new String[] {"...", "::-1, 3:990:7, ::-1, 1:", "5:30, ..., ::2"}) {
            PlaneAssembly assembly = new PlaneAssembly(Selection.resolve(expression, shape), DType.FLOAT64, layout);
            PlaneBuffer[] group = new PlaneBuffer[(int) assembly.touchedCount()];
            for (int j = 0; j < group.length; j++) {
                group[j] = PlaneBuffer.allocate(assembly.planeSpec());
                source.copyPlane(layout, assembly.sliceNumber(j), group[j]);
            }
            assembly.scatter(0, group);
            assertEquals(source.get(expression), assembly.result(), expression);
        }
        PlaneAssembly assembly = new PlaneAssembly(Selection.resolve("...", shape), DType.FLOAT64, layout);
        PlaneBuffer ok = PlaneBuffer.allocate(assembly.planeSpec());
        PlaneBuffer grey = PlaneBuffer.allocate(new PlaneSpec(DType.FLOAT64, 37, 1000, ChannelLayout.GREY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assembly.scatter(0, new PlaneBuffer[] {ok, grey}));
        assertEquals("plane is float64 37x1000 grey, expected float64 37x1000 rgb", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> assembly.scatter(3, new PlaneBuffer[] {ok, ok}));
    }

    @Test
    void rejectsMismatchedPlanesAndLayouts() {
        int[] shape = {4, 5, 3, 2};
        PlaneAssembly assembly = new PlaneAssembly(Selection.resolve("...", shape), DType.UINT16, PlaneLayout.jpkl(true));
        PlaneSpec wrongDtype = new PlaneSpec(DType.INT16, 4, 5, ChannelLayout.RGB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> assembly.scatter(0, PlaneBuffer.allocate(wrongDtype)));
        assertTrue(e.getMessage().contains("int16 4x5 rgb") && e.getMessage().contains("uint16 4x5 rgb"), e.getMessage());
        PlaneSpec grey = new PlaneSpec(DType.UINT16, 4, 5, ChannelLayout.GREY);
        assertThrows(IllegalArgumentException.class, () -> assembly.scatter(1, PlaneBuffer.allocate(grey)));
        assertThrows(IllegalArgumentException.class,
                () -> new PlaneAssembly(Selection.resolve("...", new int[] {4, 5, 4}), DType.UINT8, PlaneLayout.jpkl(true)));
        assertThrows(IllegalArgumentException.class,
                () -> new PlaneAssembly(Selection.resolve("...", new int[] {4}), DType.UINT8, PlaneLayout.jpkl(false)));
        assertThrows(NullPointerException.class, () -> new PlaneAssembly(null, DType.UINT8, PlaneLayout.jpkl(false)));
    }
}
