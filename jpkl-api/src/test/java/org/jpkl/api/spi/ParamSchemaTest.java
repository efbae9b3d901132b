package org.jpkl.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.junit.jupiter.api.Test;

/** The typed parameter schema: parsing, defaults, canonical form, byte relevance and the exact messages. */
class ParamSchemaTest {
    private static final ParamSchema SCHEMA = ParamSchema.of(
            ParamSpec.of("level", ParamType.integer(-7, 22), "1", "effort"),
            ParamSpec.of("filter", ParamType.oneOf("none", "shuffle", "delta"), "shuffle", "transform"),
            ParamSpec.of("gamma", ParamType.number(0.5, 4), "1", "curve").ignoredFor(ChannelLayout.RGB),
            ParamSpec.of("window", ParamType.keywordOrRange("slice", "global"), "slice", "range").ignoredFor(DType.UINT8),
            ParamSpec.of("threads", ParamType.integer(1, 64), "4", "parallelism").bytesUnchanged());

    private static String message(Map<String, String> values) {
        return assertThrows(IllegalArgumentException.class, () -> SCHEMA.parse("demo", values)).getMessage();
    }

    @Test
    void absentKeysTakeTheirDefaultsInCanonicalFormAndDeclarationOrder() {
        TypedParams p = SCHEMA.parse("demo", Map.of());
        assertEquals("demo", p.codecId());
        assertEquals(List.of("level", "filter", "gamma", "window", "threads"), List.copyOf(p.toMap().keySet()));
        assertEquals(Map.of("level", "1", "filter", "shuffle", "gamma", "1", "window", "slice", "threads", "4"), p.toMap());
        assertEquals(p.toMap(), SCHEMA.defaults());
        assertEquals(1, p.intValue("level"));
        assertEquals("shuffle", p.text("filter"));
        assertEquals(1.0, p.doubleValue("gamma"));
    }

    /** A parameter added after files were written is stored only when set, so default files stay as they were. */
    @Test
    void aParameterStoredOnlyWhenSetIsLeftOutAtItsDefault() {
        ParamSchema schema = ParamSchema.of(ParamSpec.of("level", ParamType.integer(0, 9), "1", "level"),
                ParamSpec.of("tables", ParamType.oneOf("inline", "shared"), "inline", "where tables go").storedOnlyWhenSet());
        TypedParams defaults = schema.parse("demo", Map.of());
        assertEquals(Map.of("level", "1"), defaults.toMap());
        assertEquals(defaults, schema.parse("demo", Map.of("tables", "inline")), "given at its default, stored as absent");
        assertEquals(Map.of("level", "1"), schema.parse("demo", Map.of("tables", "inline")).toMap());
        TypedParams shared = schema.parse("demo", Map.of("tables", "SHARED"));
        assertEquals(Map.of("level", "1", "tables", "shared"), shared.toMap());
        assertEquals(shared, schema.parse("demo", shared.toMap()));
        assertNotEquals(defaults.encodingParams(DType.UINT8, ChannelLayout.GREY), shared.encodingParams(DType.UINT8, ChannelLayout.GREY));
        assertTrue(schema.param("tables").orElseThrow().isStoredOnlyWhenSet());
        assertFalse(schema.param("level").orElseThrow().isStoredOnlyWhenSet());
        assertNotEquals(ParamSpec.of("t", ParamType.oneOf("a", "b"), "a", "d"), ParamSpec.of("t", ParamType.oneOf("a", "b"), "a", "d")
                .storedOnlyWhenSet());
        assertTrue(ParamSpec.of("t", ParamType.oneOf("a", "b"), "a", "d").storedOnlyWhenSet().ignoredFor(DType.UINT8).isStoredOnlyWhenSet(),
                "kept by the other builders");
    }

    @Test
    void valuesAreTrimmedMatchedIgnoringCaseAndStoredCanonically() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("level", " -7 ");
        given.put("filter", "DELTA");
        given.put("gamma", "2.50");
        given.put("window", " -0:4095.0 ");
        TypedParams p = SCHEMA.parse("demo", given);
        assertEquals(Map.of("level", "-7", "filter", "delta", "gamma", "2.5", "window", "0:4095", "threads", "4"), p.toMap());
        assertEquals(new ParamType.Range(0, 4095), p.value("window"));
        assertEquals(p, SCHEMA.parse("demo", p.toMap()), "the stored form parses back to equal parameters");
        assertNotEquals(p, SCHEMA.parse("other", p.toMap()), "parameters of another codec differ");
        assertEquals("global", SCHEMA.parse("demo", Map.of("window", "Global")).text("window"));
    }

    @Test
    void badValuesAreRefusedNamingCodecParameterValueAndAllowedValues() {
        assertEquals("codec 'demo': level (23) must be an integer in [-7, 22]", message(Map.of("level", "23")));
        assertEquals("codec 'demo': level (1.5) must be an integer in [-7, 22]", message(Map.of("level", "1.5")));
        assertEquals("codec 'demo': filter (zip) must be one of [none, shuffle, delta]", message(Map.of("filter", "zip")));
        assertEquals("codec 'demo': gamma (5) must be a number in [0.5, 4]", message(Map.of("gamma", "5")));
        assertEquals("codec 'demo': gamma (NaN) must be a number in [0.5, 4]", message(Map.of("gamma", "NaN")));
        assertEquals("codec 'demo': window (10:1) must be slice, global or LO:HI (finite numbers, LO <= HI)",
                message(Map.of("window", "10:1")));
        assertEquals("codec 'demo': window (0:Infinity) must be slice, global or LO:HI (finite numbers, LO <= HI)",
                message(Map.of("window", "0:Infinity")));
        assertEquals("codec 'demo': window (everything) must be slice, global or LO:HI (finite numbers, LO <= HI)",
                message(Map.of("window", "everything")));
        assertEquals("codec 'demo': window (1:2:3) must be slice, global or LO:HI (finite numbers, LO <= HI)",
                message(Map.of("window", "1:2:3")));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("level", null);
        assertEquals("codec 'demo': level is null; it must be an integer in [-7, 22]", message(nullValue));
    }

    @Test
    void unknownKeysAreRefusedListingTheKnownOnes() {
        assertEquals("codec 'demo' has no parameter 'speed'; allowed: [level, filter, gamma, window, threads]",
                message(Map.of("speed", "3")));
    }

    @Test
    void typedValuesAreCheckedWithTheSameMessage() {
        ParamSpec level = SCHEMA.param("level").orElseThrow();
        assertEquals(22, level.check("demo", 22));
        assertEquals("codec 'demo': level (-8) must be an integer in [-7, 22]",
                assertThrows(IllegalArgumentException.class, () -> level.check("demo", -8)).getMessage());
    }

    @Test
    void allowedTextAndDescriptionComeFromTheType() {
        assertEquals(List.of("integer in [-7, 22]", "one of [none, shuffle, delta]", "number in [0.5, 4]",
                "slice, global or LO:HI (finite numbers, LO <= HI)", "integer in [1, 64]"),
                SCHEMA.params().stream().map(ParamSpec::allowed).toList());
        assertEquals(Map.of("kind", "integer", "min", -7, "max", 22), ParamType.integer(-7, 22).describe());
        assertEquals(Map.of("kind", "enum", "values", List.of("none", "shuffle", "delta")),
                ParamType.oneOf("none", "shuffle", "delta").describe());
        assertEquals(Map.of("kind", "keyword-or-range", "keywords", List.of("slice", "global")),
                ParamType.keywordOrRange("slice", "global").describe());
        assertEquals("level=1 (integer in [-7, 22])", SCHEMA.param("level").orElseThrow().toString());
    }

    /** A codec-defined value: a hex byte string here; its parser's message is appended, a long text shortened. */
    @Test
    void keywordOrValueTakesTheKeywordsOrWhatTheParserMakes() {
        ParamType hex = ParamType.keywordOrValue("an even number of hex digits", java.math.BigInteger.class, text -> {
            if (text.isEmpty() || text.length() % 2 != 0 || !text.matches("[0-9A-F]+")) {
                throw new IllegalArgumentException("'" + (text.length() > 3 ? text.substring(0, 3) : text) + "...' is not it");
            }
            return new java.math.BigInteger(text, 16);
        }, "none", "auto");
        ParamSpec key = ParamSpec.of("key", hex, "none", "a key").storedOnlyWhenSet();
        assertEquals("auto", key.parse("demo", " AUTO "));
        assertEquals(java.math.BigInteger.valueOf(0xABCD), key.parse("demo", "ABCD"));
        assertEquals("none, auto or an even number of hex digits", key.allowed());
        assertEquals(Map.of("kind", "keyword-or-value", "keywords", List.of("none", "auto"), "value", "an even number of hex digits"),
                hex.describe());
        assertEquals("codec 'demo': key (ABC) must be none, auto or an even number of hex digits: 'ABC...' is not it",
                assertThrows(IllegalArgumentException.class, () -> key.parse("demo", "ABC")).getMessage());
        String longText = "0123456789".repeat(5) + "x";
        assertEquals("codec 'demo': key (" + longText.substring(0, 40) + "... (51 characters)) must be none, auto or an even number"
                + " of hex digits: '012...' is not it",
                assertThrows(IllegalArgumentException.class, () -> key.parse("demo", longText)).getMessage());
        assertEquals("codec 'demo': key (12) must be none, auto or an even number of hex digits",
                assertThrows(IllegalArgumentException.class, () -> key.check("demo", 12)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParamType.keywordOrValue("x", String.class, t -> t));
    }

    @Test
    void declarationsAreCheckedWhenMade() {
        assertEquals("default of parameter 'level' (10) must be an integer in [0, 9]", assertThrows(IllegalArgumentException.class,
                () -> ParamSpec.of("level", ParamType.integer(0, 9), "10", "effort")).getMessage());
        assertEquals("parameter 'a' is declared twice", assertThrows(IllegalArgumentException.class,
                () -> ParamSchema.of(ParamSpec.of("a", ParamType.integer(0, 1), "0", "x"), ParamSpec.of("a", ParamType.integer(0, 1), "0",
                        "y"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParamType.integer(2, 1));
        assertThrows(IllegalArgumentException.class, () -> ParamType.oneOf("a", "A"));
        assertThrows(IllegalArgumentException.class, () -> ParamType.keywordOrRange());
    }

    @Test
    void encodingParamsLeaveOutWhatCannotChangeTheBytes() {
        TypedParams p = SCHEMA.parse("demo", Map.of("window", "0:255"));
        assertEquals(Map.of("level", "1", "filter", "shuffle", "gamma", "1", "window", "0:255"),
                p.encodingParams(DType.UINT16, ChannelLayout.GREY));
        assertEquals(Map.of("level", "1", "filter", "shuffle", "gamma", "1"), p.encodingParams(DType.UINT8, ChannelLayout.GREY));
        assertEquals(Map.of("level", "1", "filter", "shuffle"), p.encodingParams(DType.UINT8, ChannelLayout.RGB));
        assertFalse(SCHEMA.param("threads").orElseThrow().changesBytes());
        assertTrue(SCHEMA.param("window").orElseThrow().changesBytes());
    }

    @Test
    void paramsOfAnotherCodecAreRefusedInOnePlace() {
        TypedParams own = SCHEMA.parse("demo", Map.of());
        assertEquals(own, CodecParams.requireOwn("demo", TypedParams.class, own));
        assertEquals("codec 'other' needs its own parameters (from its params(Map)), got parameters of codec 'demo' "
                + own.toMap(), assertThrows(IllegalArgumentException.class,
                        () -> CodecParams.requireOwn("other", TypedParams.class, own)).getMessage());
        assertEquals("codec 'other' needs its own parameters (from its params(Map)), got null",
                assertThrows(IllegalArgumentException.class, () -> CodecParams.requireOwn("other", TypedParams.class, null))
                        .getMessage());
    }
}
