package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jpkl's indexing against NumPy: every expression of the NumPy-generated fixture (see
 * {@code indexing/generate_fixture.py}) must give NumPy's shape and values, through the string API,
 * the typed API and a format/re-parse round trip; every expression NumPy rejects must be rejected
 * with the mapped exception, quoting the expression and naming NumPy's axis. A naive per-element
 * evaluator ({@link NaiveIndexing}) cross-checks thousands of random expressions.
 */
class IndexConformanceTest {
    private static NumpyFixture fixture;

    @BeforeAll
    static void loadFixture() {
        fixture = NumpyFixture.load();
    }

    @Test
    void fixtureCoversTheRequiredGround() {
        Set<String> expressions = new HashSet<>();
        int multiDim = 0;
        int empty = 0;
        for (NumpyFixture.Case c : fixture.cases) {
            expressions.add(c.expression);
            if (c.shape.length >= 3) {
                multiDim++;
            }
            if (c.values.length == 0) {
                empty++;
            }
        }
        int[] ndims = fixture.cases.stream().mapToInt(c -> c.shape.length).distinct().sorted().toArray();
        System.out.printf("NumPy %s fixture: %d cases (%d distinct expressions, %d empty results), %d errors, %d deviations%n",
                fixture.numpyVersion, fixture.cases.size(), expressions.size(), empty, fixture.errors.size(),
                fixture.deviations.size());
        assertTrue(fixture.cases.size() >= 80, "cases: " + fixture.cases.size());
        assertTrue(multiDim >= 40, "cases on 3-D to 5-D arrays: " + multiDim);
        assertArrayEquals(new int[] {0, 3, 4, 5}, ndims);
        assertTrue(empty >= 10, "empty results: " + empty);
        Set<String> kinds = new HashSet<>();
        for (NumpyFixture.ErrorCase e : fixture.errors) {
            kinds.add(e.numpyError);
        }
        assertTrue(kinds.containsAll(List.of("IndexError", "ValueError", "SyntaxError", "TypeError", "NameError")), kinds.toString());
    }

    @TestFactory
    Stream<DynamicTest> matchesNumpy() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < fixture.cases.size(); k++) {
            NumpyFixture.Case c = fixture.cases.get(k);
            DType dtype = NumpyFixture.dtypeFor(k, c.shape);
            tests.add(dynamicTest(c.name() + " as " + dtype, () -> checkCase(c, dtype)));
        }
        return tests.stream();
    }

    private static void checkCase(NumpyFixture.Case c, DType dtype) {
        NdArray source = NumpyFixture.arange(dtype, c.shape);
        NdArray result = source.get(c.expression);
        assertEquals(dtype, result.dtype());
        assertArrayEquals(c.resultShape, result.shape(), "shape");
        assertArrayEquals(c.values, NumpyFixture.valuesOf(result), "values");

        Selection selection = Selection.resolve(c.expression, c.shape);
        assertArrayEquals(c.resultShape, selection.resultShape());
        assertEquals(c.values.length, selection.resultSize());
        assertArrayEquals(c.shape, selection.sourceShape());

        List<Index> items = Index.parse(c.expression);
        assertEquals(result, source.get(items), "typed API");
        assertEquals(result, source.get(items.toArray(new Index[0])), "typed varargs API");

        String formatted = Index.format(items);
        assertEquals(items, Index.parse(formatted), "re-parse of '" + formatted + "'");
        assertEquals(result, source.get(formatted), "result of formatted '" + formatted + "'");
    }

    @TestFactory
    Stream<DynamicTest> rejectsWhatNumpyRejects() {
        return fixture.errors.stream().map(e -> dynamicTest(e.name(), () -> checkError(e)));
    }

    private static void checkError(NumpyFixture.ErrorCase e) {
        NdArray source = NumpyFixture.arange(DType.INT32, e.shape);
        Class<? extends RuntimeException> expected = e.expectedJpklException();
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> source.get(e.expression));
        assertEquals(expected, thrown.getClass(), "exception for NumPy's " + e.numpyError + ": " + thrown);
        String message = thrown.getMessage();
        assertTrue(message.contains("'" + e.expression + "'"), "quotes the expression: " + message);
        int axis = e.numpyAxis();
        if (axis >= 0) {
            assertTrue(message.matches("(?s).*\\baxis " + axis + "\\b.*"), "names axis " + axis + ": " + message);
        }
        if (e.numpyError.equals("IndexError") && !e.numpyMessage.startsWith("only integers")
                || e.numpyError.equals("ValueError")) {
            assertTrue(message.contains(e.numpyMessage), "contains NumPy's message '" + e.numpyMessage + "': " + message);
        }
        // The typed API: either parsing fails (syntax), or resolving fails the same way.
        List<Index> items;
        try {
            items = Index.parse(e.expression);
        } catch (IllegalArgumentException parseError) {
            assertEquals(IllegalArgumentException.class, expected, "only syntax errors fail in parse: " + parseError);
            assertTrue(parseError.getMessage().contains("'" + e.expression + "'"), parseError.getMessage());
            return;
        }
        RuntimeException typed = assertThrows(RuntimeException.class, () -> source.get(items));
        assertEquals(expected, typed.getClass(), typed.toString());
        if (axis >= 0) {
            assertTrue(typed.getMessage().contains("axis " + axis), typed.getMessage());
        }
    }

    @TestFactory
    Stream<DynamicTest> documentedDeviationsFromNumpy() {
        return fixture.deviations.stream().map(d -> dynamicTest(d.name() + " (" + d.reason + ")", () -> {
            NdArray source = NumpyFixture.arange(DType.INT32, d.shape);
            if (d.jpkl.equals("ok")) {
                assertEquals(source.get(""), source.get(d.expression));
            } else {
                assertEquals("IllegalArgumentException", d.jpkl);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> source.get(d.expression));
                assertTrue(e.getMessage().contains("'" + d.expression + "'"), e.getMessage());
            }
        }));
    }

    @ParameterizedTest(name = "[{0}] at column {1}")
    @CsvSource(delimiter = ';', value = {
        "1, 2.5;3;'2.5' is not an integer",
        "1:2:3:4;0;a slice has at most two ':'",
        "'1,  ,2';4;empty index item",
        "1, ::0;3;slice step cannot be zero in '::0'",
        "0_1;0;leading zeros",
        "99999999999999999999;0;out of range",
    })
    void syntaxErrorsPointAtTheColumn(String expression, int column, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Index.parse(expression));
        assertEquals("bad index expression '" + expression + "' at column " + column + ": ",
                e.getMessage().substring(0, e.getMessage().indexOf(": ") + 2));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void sliceBoundsBeyondTheLongRangeSaturateAsInCPython() {
        assertEquals(List.of(Index.from(Long.MAX_VALUE)), Index.parse("100000000000000000000:"));
        assertEquals(List.of(Index.to(Long.MIN_VALUE)), Index.parse(":-100000000000000000000"));
        assertEquals(List.of(Index.every(Long.MAX_VALUE)), Index.parse("::100000000000000000000"));
        // CPython clamps a step below -PY_SSIZE_T_MAX to -PY_SSIZE_T_MAX.
        assertEquals(List.of(Index.every(-Long.MAX_VALUE)), Index.parse("::-9223372036854775808"));
        assertEquals(List.of(Index.every(-Long.MAX_VALUE)), Index.parse("::-100000000000000000000"));
        assertEquals(List.of(Index.every(Long.MIN_VALUE + 1)), Index.parse("::-9223372036854775807"));
        // An integer index beyond the long range is not clamped.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Index.parse("9223372036854775808"));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertEquals(List.of(Index.at(Long.MIN_VALUE)), Index.parse("-9223372036854775808"));
    }

    @Test
    void pythonIntegerLiterals() {
        assertEquals(List.of(Index.at(-1)), Index.parse("- 1"));
        assertEquals(List.of(Index.at(1)), Index.parse("+\t1"));
        assertEquals(List.of(Index.at(0)), Index.parse("-0"));
        assertEquals(List.of(Index.at(0)), Index.parse("000"));
        assertEquals(List.of(Index.at(0)), Index.parse("0_0"));
        assertEquals(List.of(Index.at(1000)), Index.parse("1_000"));
        assertEquals(List.of(Index.range(-3, 10, -2)), Index.parse("- 3 : 1_0 : - 2"));
        for (String bad : new String[] {"01", "-01", "0_1", "1_", "_1", "1__0", "+-1", "- -1", "1 0", "0x10", "1e2", "١"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Index.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void typedItems() {
        assertEquals(Index.all(), Index.parse(":").get(0));
        assertEquals(Index.all(), Index.parse("::").get(0));
        assertEquals(Index.all(), Index.parse("None:None:None").get(0));
        assertEquals(Index.all(), Index.slice(null, null, 1));
        assertEquals(Index.to(3), Index.slice(null, 3L, 1));
        assertEquals(Index.from(3), Index.slice(3L, null, 1));
        assertEquals(Index.range(1, 2), Index.slice(1L, 2L, 1));
        assertEquals(Index.range(1, 2).hashCode(), Index.slice(1L, 2L, 1).hashCode());
        assertNotEquals(Index.from(0), Index.all());
        assertNotEquals(Index.to(0), Index.from(0));
        assertNotEquals(Index.at(1), Index.range(1, 2));
        assertEquals(Index.at(-3), Index.at(-3));
        assertEquals(Index.at(-3).hashCode(), Index.at(-3).hashCode());
        assertEquals(List.of(Index.ellipsis(), Index.newAxis(), Index.ellipsis(), Index.newAxis()),
                Index.parse("..., None, Ellipsis, np.newaxis"));
        assertEquals("-3, :, 1:, :2, 1:2, ::-1, 5:-5:3, ..., None",
                Index.format(List.of(Index.at(-3), Index.all(), Index.from(1), Index.to(2), Index.range(1, 2),
                        Index.every(-1), Index.range(5, -5, 3), Index.ellipsis(), Index.newAxis())));
        assertEquals("", Index.format(List.of()));
        assertEquals(List.of(), Index.parse(""));

        Index.Range r = (Index.Range) Index.range(-4, 7, -2);
        assertEquals(-4, r.start().getAsLong());
        assertEquals(7, r.stop().getAsLong());
        assertEquals(-2, r.step());
        Index.Range open = (Index.Range) Index.every(3);
        assertTrue(open.start().isEmpty());
        assertTrue(open.stop().isEmpty());
        assertEquals(-9, ((Index.At) Index.at(-9)).position());

        for (Runnable bad : List.<Runnable>of(() -> Index.range(0, 1, 0), () -> Index.every(0), () -> Index.slice(null, null, 0))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
            assertTrue(e.getMessage().contains("step cannot be zero"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Index.every(Long.MIN_VALUE));
        assertTrue(e.getMessage().contains(Long.toString(Long.MIN_VALUE)), e.getMessage());
        assertThrows(NullPointerException.class, () -> Index.parse(null));
        NdArray a = NumpyFixture.arange(DType.INT32, 2, 3);
        assertThrows(NullPointerException.class, () -> a.get(Arrays.asList(Index.at(0), null)));
    }

    @Test
    void typedMessagesQuoteTheFormattedIndex() {
        NdArray a = NumpyFixture.arange(DType.INT16, 4, 5, 6);
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> a.get(Index.newAxis(), Index.all(), Index.at(-6)));
        assertEquals("index [None, :, -6]: index -6 is out of bounds for axis 1 with size 5", oob.getMessage());
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
                () -> a.get(Index.at(0), Index.at(0), Index.at(0), Index.at(0)));
        assertEquals("index [0, 0, 0, 0]: too many indices for array: array is 3-dimensional, but 4 were indexed",
                many.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> a.get(Index.ellipsis(), Index.ellipsis()));
        assertTrue(two.getMessage().startsWith("index [..., ...]: an index can only have a single ellipsis ('...')"),
                two.getMessage());
        // The string form quotes the expression as written, spaces and all.
        IndexOutOfBoundsException quoted = assertThrows(IndexOutOfBoundsException.class, () -> a.get("None,:,  -6"));
        assertEquals("index 'None,:,  -6': index -6 is out of bounds for axis 1 with size 5", quoted.getMessage());
    }

    @Test
    void resultsTooLargeForOneArrayAreRefusedQuotingTheIndex() {
        int[] shape = {100_000, 100_000, 3};
        Selection fromText = Selection.resolve(" ..., ::-1", shape);
        assertEquals(" ..., ::-1", fromText.expression());
        assertEquals(30_000_000_000L, fromText.resultSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fromText::checkFitsInArray);
        assertEquals("index ' ..., ::-1' selects 30000000000 elements (shape [100000, 100000, 3]), more than the "
                + Selection.MAX_RESULT_ELEMENTS + " one array can hold; select fewer elements per get", e.getMessage());
        Selection typed = Selection.resolve(List.of(Index.ellipsis(), Index.every(-1)), shape);
        assertEquals("..., ::-1", typed.expression());
        e = assertThrows(IllegalArgumentException.class, typed::checkFitsInArray);
        assertTrue(e.getMessage().startsWith("index [..., ::-1] selects 30000000000 elements"), e.getMessage());
        Selection fits = Selection.resolve("99999, ::7, 1", shape);
        fits.checkFitsInArray();
        assertArrayEquals(new int[] {14286}, fits.resultShape());
        assertEquals(99999, fits.start(0));
        assertEquals(-1, fits.resultAxis(0));
        assertEquals(0, fits.resultAxis(1));
        assertEquals(7, fits.step(1));
        assertEquals(14286, fits.count(1));
        assertEquals(99995, fits.position(1, 14285));
        assertEquals("Selection[99999, ::7, 1 on [100000, 100000, 3] -> [14286]]", fits.toString());
    }

    /** Random expressions (seeded) against the naive per-element evaluator, via text and typed items. */
    @Test
    void randomExpressionsMatchTheNaiveEvaluator() {
        int checked = 0;
        int errors = 0;
        int emptyResults = 0;
        int typedChecked = 0;
        List<NaiveIndexing.RandomCase> cases = NaiveIndexing.conformanceCases();
        for (int iteration = 0; iteration < cases.size(); iteration++) {
            int[] shape = cases.get(iteration).shape;
            List<NaiveIndexing.Item> items = cases.get(iteration).items;
            String expression = cases.get(iteration).expression;
            String where = "iteration " + iteration + ": a" + Shapes.format(shape) + "[" + NumpyFixture.visible(expression) + "]";
            NaiveIndexing.Outcome expected = NaiveIndexing.evaluate(shape, items);
            DType dtype = NumpyFixture.dtypeFor(iteration, shape);
            NdArray source = NumpyFixture.arange(dtype, shape);
            List<Index> typed = new ArrayList<>();
            for (NaiveIndexing.Item item : items) {
                typed.add(item.typed());
            }
            boolean typedPossible = !typed.contains(null);
            if (expected.error != null) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> source.get(expression), where);
                assertEquals(expected.error, e.getClass(), where + ": " + e);
                assertTrue(e.getMessage().contains("'" + expression + "'"), where + ": " + e.getMessage());
                if (expected.errorAxis >= 0) {
                    assertTrue(e.getMessage().contains("for axis " + expected.errorAxis + " with size "), where + ": " + e.getMessage());
                }
                if (typedPossible) {
                    assertEquals(expected.error, assertThrows(RuntimeException.class, () -> source.get(typed), where).getClass());
                }
                errors++;
                continue;
            }
            NdArray result;
            try {
                result = source.get(expression);
            } catch (RuntimeException e) {
                throw new AssertionError(where + " threw " + e, e);
            }
            assertArrayEquals(expected.resultShape, result.shape(), where);
            assertArrayEquals(expected.sourceFlat, NumpyFixture.valuesOf(result), where);
            if (typedPossible) {
                assertEquals(result, source.get(typed), where + " typed");
                typedChecked++;
            }
            List<Index> parsed = Index.parse(expression);
            assertEquals(parsed, Index.parse(Index.format(parsed)), where);
            checked++;
            if (result.size() == 0) {
                emptyResults++;
            }
        }
        System.out.printf("random expressions: %d results checked element by element (%d empty, %d also typed), %d errors%n",
                checked, emptyResults, typedChecked, errors);
        assertTrue(checked > 3000 && errors > 100 && emptyResults > 100 && typedChecked > 2000,
                "the generator must cover results, errors and empty results");
    }

    /** The naive evaluator itself, on slices whose answers are written out by hand. */
    @Test
    void naiveSlicesFollowPython() {
        assertEquals(List.of(0, 1, 2, 3), NaiveIndexing.slicePositions(4, null, null, null));
        assertEquals(List.of(3, 2, 1, 0), NaiveIndexing.slicePositions(4, null, null, big(-1)));
        assertEquals(List.of(0, 2), NaiveIndexing.slicePositions(4, big(-7), null, big(2)));
        assertEquals(List.of(), NaiveIndexing.slicePositions(4, big(3), big(1), null));
        assertEquals(List.of(3), NaiveIndexing.slicePositions(4, big(10), null, big(-5)));
        assertEquals(List.of(1, 3), NaiveIndexing.slicePositions(5, big(-4), big(-1), big(2)));
        assertEquals(List.of(4, 1), NaiveIndexing.slicePositions(5, big(-1), big(-10), big(-3)));
        assertEquals(List.of(0), NaiveIndexing.slicePositions(5, NaiveIndexing.LONG_MIN, NaiveIndexing.LONG_MAX, NaiveIndexing.LONG_MAX));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NaiveIndexing.slicePositions(3, null, null, BigInteger.ZERO));
        assertEquals("step 0", e.getMessage());
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }
}
