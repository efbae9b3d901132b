package org.jpkl.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-assembled pickles: a valid JPkl dict opens; anything that would name or call Python code,
 * or that lies about lengths, is refused with a {@link JpklFormatException} naming the problem.
 */
class SafeUnpicklingTest {
    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.load()).serializers(ContainerSerializers.load()).build();
    private final byte[] jpeg = jpeg(13, 9);

    private static byte[] jpeg(int h, int w) {
        SliceCodec codec = SliceCodecs.load().require("jpeg");
        PlaneSpec spec = new PlaneSpec(DType.UINT8, h, w, ChannelLayout.GREY);
        try (var encoder = codec.newEncoder(codec.params(Map.of("quality", "90")), spec)) {
            return encoder.encode(TestPlanes.smooth(spec, 1, false, false));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A JPkl dict with 2 grey slices along one axis; {@code metadataValue} writes the metadata value. */
    private byte[] jpklPickle(int protocol, Consumer<PickleTestData.Ops> metadataValue) {
        PickleTestData.Ops ops = new PickleTestData.Ops().raw(0x80, protocol, '}', '(');
        ops.str("header").str("JPkl").str("1").raw(0x86);
        ops.str("color").raw(0x89);
        ops.str("jpeg_quality").raw('K', 90);
        ops.str("images").raw('}', '(');
        ops.raw('K', 0, 0x85).bytes(jpeg);
        ops.raw('K', 1, 0x85).bytes(jpeg);
        ops.raw('u');
        ops.str("dim_names").raw(']').str("z").raw('a');
        ops.str("dim_sizes").raw('K', 2, 0x85);
        ops.str("metadata");
        metadataValue.accept(ops);
        return ops.raw('u', '.').build();
    }

    @Test
    void aHandMadeJpklDictOpens() throws IOException {
        byte[] file = jpklPickle(4, m -> m.raw('}', '(').str("tuple").raw('K', 1, 'K', 2, 0x86).str("big")
                .raw(0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0x80).raw('u'));
        try (JpklArray array = jpkl.open(RandomAccessSource.of("hand.pkl", file))) {
            assertArrayEquals(new int[] {13, 9, 2}, array.shape());
            assertEquals(List.of("y", "x", "z"), array.axisNames());
            assertEquals(Map.of("tuple", List.of(1L, 2L), "big", Long.MIN_VALUE), array.metadata(), "tuples read as lists");
            assertEquals(ByteBuffer.wrap(jpeg), array.readEncodedSlice(1));
        }
    }

    /**
     * A JPkl pickle as Python 2 wrote it by default: protocol 0 text opcodes, memo PUT/GET as text,
     * the JPEG bytes as a Python 2 str literal with escapes. Python 3 loads the same stream (with
     * {@code encoding='latin1'}) as the dict asserted here.
     */
    @Test
    void aProtocolZeroPickleAsPython2WroteItOpensWithExactValues() throws IOException {
        StringBuilder escaped = new StringBuilder();
        for (byte b : jpeg) {
            escaped.append(String.format("\\x%02x", b & 0xFF));
        }
        String p0 = "(dp0\nS'header'\np1\n(S'JPkl'\np2\nS'1'\np3\ntp4\nsS'color'\np5\nI00\nsS'jpeg_quality'\nI90\n"
                + "sS'images'\n(dp6\n(I0\ntp7\nS'" + escaped + "'\np8\ns(I1\ntp9\ng8\n"
                + "ssS'dim_names'\n(lp10\nVz\nasS'dim_sizes'\n(I2\ntp11\n"
                + "sS'metadata'\n(dp12\nS'float'\nF0.108\nsS'neg'\nF-1e-05\nsS'long'\nL9223372036854775807L\nsS'int'\nI-7\n"
                + "sS'bool'\nI01\nsS'text'\nVtab\\u005c \\u00b5m \\U0001f600 \\\\u0041\nsS'esc'\nS'a\\'b\\\\c\\n\\x00\\xff\\101\"'\n"
                + "sS'list'\n(lp13\nI1\naF2.5\naNag2\nasS'tuple'\n(I1\nI2\ntp14\nsS'shared'\ng14\nss.";
        byte[] file = p0.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(new PickleSerializer().canRead(RandomAccessSource.of("p0.pkl", file)), "recognised by content");
        assertFalse(new PickleSerializer().canRead(RandomAccessSource.of("note.txt", "(dear reader)\n".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII))), "text that starts like MARK DICT is not taken for a pickle");
        try (JpklArray array = jpkl.open(RandomAccessSource.of("p0.pkl", file))) {
            assertEquals(PickleSerializer.ID, array.serializerId());
            assertArrayEquals(new int[] {13, 9, 2}, array.shape());
            assertEquals(List.of("y", "x", "z"), array.axisNames());
            assertEquals("90", array.codecParams().get("quality"));
            Map<String, Object> expected = new java.util.LinkedHashMap<>();
            expected.put("float", 0.108);
            expected.put("neg", -1e-05);
            expected.put("long", Long.MAX_VALUE);
            expected.put("int", -7L);
            expected.put("bool", true);
            expected.put("text", "tab\\ \u00b5m \ud83d\ude00 \\\\u0041");
            expected.put("esc", "a'b\\c\n\u0000\u00ffA\"");
            expected.put("list", java.util.Arrays.asList(1L, 2.5, null, "JPkl"));
            expected.put("tuple", List.of(1L, 2L));
            expected.put("shared", List.of(1L, 2L));
            assertEquals(expected, array.metadata());
            assertEquals(ByteBuffer.wrap(jpeg), array.readEncodedSlice(0));
            assertEquals(ByteBuffer.wrap(jpeg), array.readEncodedSlice(1), "memo GET of the same str");
        }
    }

    /** Protocol 1 as Python 2 wrote it: binary opcodes, no PROTO, the JPEG as a BINSTRING. */
    @Test
    void aProtocolOnePickleWithoutProtoOpcodeOpens() throws IOException {
        PickleTestData.Ops p1 = new PickleTestData.Ops().raw('}', 'q', 0, '(');
        p1.raw('U', 6).text("header").raw('(', 'U', 4).text("JPkl").raw('U', 1).text("1").raw('t');
        p1.raw('U', 5).text("color").raw('I').text("00\n").raw('U', 12).text("jpeg_quality").raw('K', 75);
        p1.raw('U', 6).text("images").raw('}', 'q', 1, ')');
        p1.raw('T', jpeg.length & 0xFF, (jpeg.length >> 8) & 0xFF, 0, 0).raw(jpeg).raw('s');
        p1.raw('U', 9).text("dim_names").raw(']').raw('U', 9).text("dim_sizes").raw(')');
        p1.raw('U', 8).text("metadata").raw('}', 'u', '.');
        byte[] file = p1.build();
        assertTrue(new PickleSerializer().canRead(RandomAccessSource.of("p1.pkl", file)), "recognised by content");
        try (JpklArray array = jpkl.open(RandomAccessSource.of("p1.pkl", file))) {
            assertArrayEquals(new int[] {13, 9}, array.shape());
            assertEquals("75", array.codecParams().get("quality"));
            assertEquals(ByteBuffer.wrap(jpeg), array.readEncodedSlice(0));
        }
    }

    static List<Object[]> hostile() {
        return List.of(
                new Object[] {"GLOBAL os.system + REDUCE", (Consumer<PickleTestData.Ops>) m -> m.raw('c').text("os\nsystem\n")
                        .str("echo pwned").raw(0x85, 'R'), "'os.system'"},
                new Object[] {"STACK_GLOBAL builtins.eval", (Consumer<PickleTestData.Ops>) m -> m.str("builtins").str("eval")
                        .raw(0x93).str("1+1").raw(0x85, 'R'), "'builtins.eval'"},
                new Object[] {"GLOBAL of a harmless-looking class", (Consumer<PickleTestData.Ops>) m -> m.raw('c')
                        .text("collections\nOrderedDict\n").raw(')', 'R'), "'collections.OrderedDict'"},
                new Object[] {"BUILD", (Consumer<PickleTestData.Ops>) m -> m.raw('}', '}', 'b'), "opcode BUILD"},
                new Object[] {"INST", (Consumer<PickleTestData.Ops>) m -> m.raw('(').raw('i').text("os\nsystem\n"), "opcode INST"},
                new Object[] {"NEWOBJ", (Consumer<PickleTestData.Ops>) m -> m.raw('N', ')', 0x81), "opcode NEWOBJ"},
                new Object[] {"EXT1", (Consumer<PickleTestData.Ops>) m -> m.raw(0x82, 1), "opcode EXT1"},
                new Object[] {"BINPERSID", (Consumer<PickleTestData.Ops>) m -> m.str("id").raw('Q'), "opcode BINPERSID"},
                new Object[] {"REDUCE of a non-global", (Consumer<PickleTestData.Ops>) m -> m.str("print").raw(')', 'R'),
                        "opcode REDUCE calls a Python object"},
                new Object[] {"set", (Consumer<PickleTestData.Ops>) m -> m.raw(0x8f), "opcode EMPTY_SET"},
                new Object[] {"bytes in metadata", (Consumer<PickleTestData.Ops>) m -> m.raw('}').str("raw").raw('C', 1, 7, 's'),
                        "metadata.raw: is a bytes object"},
                new Object[] {"self-containing list", (Consumer<PickleTestData.Ops>) m -> m.raw('}').str("l").raw(']', 0x94, 'h', 0, 'a', 's'),
                        "nested deeper than"},
                new Object[] {"non-str metadata key", (Consumer<PickleTestData.Ops>) m -> m.raw('}', 'K', 1, 'N', 's'),
                        "has the key 1"},
                new Object[] {"BINBYTES8 claiming 2^62 bytes", (Consumer<PickleTestData.Ops>) m -> m.raw(0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40),
                        "bytes runs past the end of the file"},
                new Object[] {"BINUNICODE claiming 4 GiB", (Consumer<PickleTestData.Ops>) m -> m.raw('X', 0xff, 0xff, 0xff, 0xff),
                        "runs past the end of the file"},
                new Object[] {"shared references: a list of two references to the list before, 50 deep",
                        (Consumer<PickleTestData.Ops>) m -> doubling(m.raw('}').str("l"), ']', 'l', 50).raw('s'),
                        "its objects expand to more than"},
                new Object[] {"one memoised 20,000-character str referenced 1,000 times",
                        (Consumer<PickleTestData.Ops>) m -> {
                            m.raw('}').str("s").raw(']').text("X").raw(20_000 & 0xFF, 20_000 >> 8, 0, 0).text("s".repeat(20_000))
                                    .raw('q', 0, '0', '(');
                            for (int i = 0; i < 1000; i++) {
                                m.raw('h', 0);
                            }
                            m.raw('e', 's');
                        }, "its strings and bytes objects expand to more than"},
                new Object[] {"a memoised nested list, 100 deep, as a dict key",
                        (Consumer<PickleTestData.Ops>) m -> doubling(m.raw('}'), ']', 'l', 100).raw('N', 's'),
                        "a dict key is a list, which Python cannot hash (unhashable type: 'list')"},
                new Object[] {"a dict as a dict key", (Consumer<PickleTestData.Ops>) m -> m.raw('}', '}', 'N', 's'),
                        "a dict key is a dict, which Python cannot hash (unhashable type: 'dict')"},
                new Object[] {"a memoised nested tuple, 60 deep, as a dict key",
                        (Consumer<PickleTestData.Ops>) m -> doubling(m.raw('}'), ')', 't', 60).raw('N', 's'),
                        "its objects expand to more than"},
                new Object[] {"a tuple key nested 200,000 deep", (Consumer<PickleTestData.Ops>) m -> {
                    m.raw('}', ')');
                    for (int i = 0; i < 200_000; i++) {
                        m.raw(0x85);
                    }
                    m.raw('N', 's');
                }, "a dict key is a tuple nested deeper than 64 levels"},
                new Object[] {"lists nested 200,000 deep", (Consumer<PickleTestData.Ops>) m -> {
                    m.raw('}').str("deep");
                    for (int i = 0; i < 200_000; i++) {
                        m.raw(']');
                    }
                    for (int i = 1; i < 200_000; i++) {
                        m.raw('a');
                    }
                    m.raw('s');
                }, "is nested deeper than 64 levels"},
                new Object[] {"_codecs.encode repeated on one memoised 1 MB str",
                        (Consumer<PickleTestData.Ops>) m -> {
                            m.raw(']').raw('c').text("_codecs\nencode\n").raw('q', 1).raw('X', 0, 0, 0x10, 0).text("a".repeat(1 << 20))
                                    .raw('q', 2).str("latin1").raw('q', 3, '0', '0', '0', '(');
                            for (int i = 0; i < 50; i++) {
                                m.raw('h', 1, 'h', 2, 'h', 3, 0x86, 'R');
                            }
                            m.raw('e');
                        }, "its strings and bytes objects expand to more than"},
                new Object[] {"a 4,000-byte int used as a dict key 100,000 times", (Consumer<PickleTestData.Ops>) m -> {
                    m.raw('}', 0x8b, 4000 & 0xFF, 4000 >> 8, 0, 0).raw(new byte[3999]).raw(1, 'q', 0, '0', '(');
                    for (int i = 0; i < 100_000; i++) {
                        m.raw('h', 0, 'N');
                    }
                    m.raw('u');
                }, "its strings and bytes objects expand to more than"},
                new Object[] {"LONG4 of 5,000 bytes", (Consumer<PickleTestData.Ops>) m -> m.raw(0x8b, 5000 & 0xFF, 5000 >> 8, 0, 0)
                        .raw(new byte[5000]), "an int of 5000 bytes; a JPkl pickle holds ints of at most 4096 bytes"},
                new Object[] {"INT of 5,000 digits", (Consumer<PickleTestData.Ops>) m -> m.raw('I').text("9".repeat(5000) + "\n"),
                        "the text of opcode INT is longer than 4301 bytes"},
                new Object[] {"LONG4 with negative length", (Consumer<PickleTestData.Ops>) m -> m.raw(0x8b, 0xff, 0xff, 0xff, 0xff),
                        "runs past the end of the file"});
    }

    /**
     * Memoises the empty {@code open} container as entry 0, then {@code levels} times builds
     * {@code (previous, previous)} with {@code close} (MARK-based LIST or TUPLE) and memoises it:
     * a structure of 2^levels leaves in a few bytes per level. Leaves the last one on the stack.
     */
    private static PickleTestData.Ops doubling(PickleTestData.Ops m, int open, int close, int levels) {
        m.raw(open, 'r', 0, 0, 0, 0, '0');
        for (int i = 0; i < levels; i++) {
            m.raw('(', 'j', i, 0, 0, 0, 'j', i, 0, 0, 0, close, 'r', i + 1, 0, 0, 0, '0');
        }
        return m.raw('j', levels, 0, 0, 0);
    }

    /** Dicts nested 10 deep under one memoised 1 MB key: refused, and the message names a short path. */
    @Test
    void aLongKeyRepeatedInDepthIsRefusedWithAShortPath() {
        byte[] file = jpklPickle(4, m -> {
            m.raw('X', 0, 0, 0x10, 0).text("k".repeat(1 << 20)).raw('q', 0, '0');
            for (int i = 0; i < 10; i++) {
                m.raw('}', 'h', 0);
            }
            m.raw('N');
            for (int i = 0; i < 10; i++) {
                m.raw('s');
            }
        });
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(RandomAccessSource.of("keys.pkl", file)));
        String k = "k".repeat(40) + "...";
        assertTrue(e.getMessage().startsWith("keys.pkl: metadata." + k + "." + k + "." + k + ": its strings and bytes objects expand"
                + " to more than "), e.getMessage().substring(0, Math.min(300, e.getMessage().length())));
        assertTrue(e.getMessage().length() < 600, "message of " + e.getMessage().length() + " characters");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostilePicklesAreRefusedBeforeAnythingIsUsed(String what, Consumer<PickleTestData.Ops> metadata, String fragment) {
        byte[] file = jpklPickle(4, metadata);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(RandomAccessSource.of("evil.pkl", file)),
                what);
        assertTrue(e.getMessage().startsWith("evil.pkl: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void protocolSixAndDictsThatAreNotJpklAreRefused() {
        PickleSerializer format = new PickleSerializer();
        JpklFormatException e = assertThrows(JpklFormatException.class,
                () -> format.openReader(RandomAccessSource.of("p0", new PickleTestData.Ops().raw('(', 'd', '.').build())));
        assertEquals("p0: pickle: is a dict without a 'header' entry, so not a JPkl pickle", e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> format.openReader(RandomAccessSource.of("p6", jpklPickle(6, m -> m.raw('N')))));
        assertEquals("p6: pickle opcode at offset 0: pickle protocol 6 is not supported; pickles of protocols 0 to 5 are read",
                e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> format.openReader(RandomAccessSource.of("list",
                new PickleTestData.Ops().raw(0x80, 2, ']', '.').build())));
        assertTrue(e.getMessage().contains("not the dict a JPkl pickle is"), e.getMessage());
    }

    @Test
    void protocolTwoBytesSpelledAsLatin1TextAreAccepted() throws IOException {
        StringBuilder latin1 = new StringBuilder();
        for (byte b : jpeg) {
            latin1.append((char) (b & 0xFF));
        }
        PickleTestData.Ops p2 = new PickleTestData.Ops().raw(0x80, 2, '}', '(');
        p2.str("header").str("JPkl").str("1").raw(0x86).str("color").raw(0x89).str("jpeg_quality").raw('K', 80);
        p2.str("images").raw('}', '(', 'K', 0, 0x85).raw('c').text("_codecs\nencode\n");
        byte[] utf8 = latin1.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        p2.raw('X', utf8.length & 0xFF, (utf8.length >> 8) & 0xFF, 0, 0).raw(utf8).str("latin1").raw(0x86, 'R');
        p2.raw('K', 1, 0x85).raw('c').text("__builtin__\nbytes\n").raw(')', 'R', 'u');
        p2.str("dim_names").raw('N').str("dim_sizes").raw('K', 2, 0x85).str("metadata").raw('}', 'u', '.');
        try (JpklArray array = jpkl.open(RandomAccessSource.of("p2.pkl", p2.build()))) {
            assertEquals(ByteBuffer.wrap(jpeg), array.readEncodedSlice(0));
            assertEquals(0, array.readEncodedSlice(1).remaining(), "bytes() is the empty bytes object");
            assertEquals("80", array.codecParams().get("quality"));
            PlaneBuffer plane = PlaneBuffer.allocate(array.header().planeSpec());
            array.decodeSlice(0, plane);
            JpklFormatException empty = assertThrows(JpklFormatException.class, () -> array.get("..."));
            assertTrue(empty.getMessage().contains("slice (1,)"), "the empty slice is refused by the codec: " + empty.getMessage());
        }
    }
}
