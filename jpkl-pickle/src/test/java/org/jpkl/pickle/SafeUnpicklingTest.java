package org.jpkl.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
                new Object[] {"protocol 0 INT", (Consumer<PickleTestData.Ops>) m -> m.raw('I').text("5\n"), "protocol 0 text opcode"},
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
                new Object[] {"LONG4 with negative length", (Consumer<PickleTestData.Ops>) m -> m.raw(0x8b, 0xff, 0xff, 0xff, 0xff),
                        "runs past the end of the file"});
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
    void protocolsOutsideTwoToFiveAreRefused() {
        JpklPickleFormat format = new JpklPickleFormat();
        JpklFormatException e = assertThrows(JpklFormatException.class,
                () -> format.openReader(RandomAccessSource.of("p0", new PickleTestData.Ops().raw('(', 'd', '.').build())));
        assertTrue(e.getMessage().contains("does not start with a PROTO opcode"), e.getMessage());
        e = assertThrows(JpklFormatException.class, () -> format.openReader(RandomAccessSource.of("p6", jpklPickle(6, m -> m.raw('N')))));
        assertTrue(e.getMessage().contains("pickle protocol 6 is not supported"), e.getMessage());
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
