package org.jpkl.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-implementation tests against Python (NumPy + Pillow), in the spirit of zarr-java's Python
 * tests: {@code jpkl_py.py} (test resources), written from the JPkl README's format description,
 * writes JPkl pickles that Java reads and reads pickles that Java writes. Shapes, axis names and
 * metadata must agree exactly; decoded samples within {@link #DECODER_TOLERANCE}. Measured: the
 * two decoders (Pillow's libjpeg-turbo and Java's) agree bit for bit (difference 0) on Pillow's
 * grey and 4:2:0 colour JPEGs and on ours; the tolerance of 1 leaves room for a JPEG implementation
 * that rounds its IDCT or upsampling differently. The measured maximum is printed.
 *
 * <p>Needs {@code /usr/bin/python3} with numpy and PIL ({@code apt-get install python3-numpy
 * python3-pil}). Without them the tests are skipped with a message, except under CI
 * ({@code CI=true}), where they fail.
 */
class PythonJpklCrossTest {
    /** Largest difference allowed between Pillow's and Java's decoding of the same JPEG bytes. */
    static final int DECODER_TOLERANCE = 1;
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeNulls().create();

    @TempDir
    static Path dir;

    private static Path script;
    private static int worstDifference;
    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.load()).serializers(ContainerSerializers.load()).build();

    @BeforeAll
    static void requirePython() throws IOException {
        OptionalPieces.python("numpy", "PIL");
        script = dir.resolve("jpkl_py.py");
        try (InputStream in = PythonJpklCrossTest.class.getResourceAsStream("jpkl_py.py")) {
            Files.copy(in, script);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("Pillow vs Java JPEG decoding of the same bytes: max abs difference " + worstDifference
                + " over all cross tests (tolerance " + DECODER_TOLERANCE + ")");
    }

    static void python(String... args) throws IOException, InterruptedException {
        OptionalPieces.run(script, args);
    }

    private static Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instrument", "Zeiss LSM 980 \u00b5m");
        m.put("pixel_size", 0.108);
        m.put("frames", 3L);
        m.put("live", true);
        m.put("note", null);
        m.put("channels", List.of("DAPI", "GFP"));
        m.put("nested", Map.of("a", List.of(1L, 2.5, "x")));
        return m;
    }

    private static synchronized void record(double difference) {
        worstDifference = Math.max(worstDifference, (int) difference);
    }

    /** Every pickle protocol Python writes (0 and 1 are text-based, Python 2's default is 0): same data exactly. */
    @ParameterizedTest(name = "protocol {0}, color {1}")
    @CsvSource({"0, false", "0, true", "1, false", "1, true", "2, false", "2, true", "3, false", "3, true", "4, false", "4, true",
        "5, false", "5, true"})
    void picklesWrittenByPythonOpenWithTheirShapeNamesAndMetadata(int protocol, boolean color) throws Exception {
        Path spec = dir.resolve("spec-" + protocol + color + ".json");
        Map<String, Object> specMap = new LinkedHashMap<>();
        specMap.put("height", 33);
        specMap.put("width", 47);
        specMap.put("color", color);
        specMap.put("dim_sizes", List.of(3, 2));
        specMap.put("dim_names", List.of("z", "t"));
        specMap.put("quality", 85);
        specMap.put("protocol", protocol);
        specMap.put("metadata", metadata());
        specMap.put("seed", protocol);
        Files.writeString(spec, GSON.toJson(specMap));
        Path pkl = dir.resolve("py-" + protocol + color + ".pkl");
        Path raw = dir.resolve("py-" + protocol + color + ".raw");
        Path slices = dir.resolve("py-" + protocol + color + ".slices");
        python("write-pickle", spec.toString(), pkl.toString(), raw.toString(), slices.toString());

        try (JpklArray array = jpkl.open(pkl)) {
            int[] shape = color ? new int[] {33, 47, 3, 3, 2} : new int[] {33, 47, 3, 2};
            assertEquals(PickleSerializer.ID, array.serializerId());
            assertArrayEquals(shape, array.shape());
            assertEquals(DType.UINT8, array.dtype());
            assertEquals(color ? List.of("y", "x", "c", "z", "t") : List.of("y", "x", "z", "t"), array.axisNames());
            assertEquals(metadata(), array.metadata());
            assertEquals("85", array.codecParams().get("quality"));
            java.nio.ByteBuffer stored = java.nio.ByteBuffer.wrap(Files.readAllBytes(slices)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (long n = 0; n < array.header().sliceCount(); n++) {
                byte[] jpeg = new byte[stored.getInt()];
                stored.get(jpeg);
                assertEquals(java.nio.ByteBuffer.wrap(jpeg), array.readEncodedSlice(n), "slice " + n + ": the bytes Python stored");
            }
            assertEquals(0, stored.remaining());
            NdArray pillow = NdArray.wrapUint8(Files.readAllBytes(raw), shape);
            double difference = ErrorMetrics.between(pillow, array.get("...")).maxAbsError();
            System.out.println("Python protocol " + protocol + (color ? " rgb" : " grey") + ": Pillow vs Java decoding differ by at most "
                    + difference);
            record(difference);
            assertTrue(difference <= DECODER_TOLERANCE, "Pillow and Java decodings differ by " + difference);
        }
    }

    @ParameterizedTest(name = "color {0}")
    @CsvSource({"false", "true"})
    void picklesWrittenByJavaLoadInPythonAsJpklWouldLoadThem(boolean color) throws Exception {
        int[] shape = color ? new int[] {29, 41, 3, 2, 3} : new int[] {29, 41, 2, 3};
        NdArray array = PickleTestData.smoothUint8(11, shape);
        Path pkl = dir.resolve("java-" + color + ".pkl");
        List<String> names = new ArrayList<>(color ? List.of("y", "x", "c") : List.of("y", "x"));
        names.addAll(List.of("t", "z"));
        jpkl.save(array, pkl, WriteOptions.builder().serializer(PickleSerializer.ID).codec("jpeg").param("quality", 88)
                .layout(PlaneLayout.jpkl(color)).axisNames(names).metadata(metadata()).build());
        Path raw = dir.resolve("java-" + color + ".raw");
        Path json = dir.resolve("java-" + color + ".json");
        python("read-pickle", pkl.toString(), raw.toString(), json.toString());

        JsonObject seen = GSON.fromJson(Files.readString(json), JsonObject.class);
        assertEquals(GSON.toJsonTree(shape), seen.get("shape"));
        assertEquals(color, seen.get("color").getAsBoolean());
        assertEquals(88, seen.get("jpeg_quality").getAsInt());
        assertEquals(GSON.toJsonTree(List.of("t", "z")), seen.get("dim_names"));
        assertEquals(GSON.toJsonTree(List.of(2, 3)), seen.get("dim_sizes"));
        assertTrue(seen.get("dim_sizes_is_tuple").getAsBoolean(), "dim_sizes is a tuple");
        assertTrue(seen.get("keys_are_int_tuples").getAsBoolean(), "image keys are tuples of int");
        assertEquals(GSON.toJsonTree(List.of("header", "color", "jpeg_quality", "images", "dim_names", "dim_sizes", "metadata")),
                seen.get("dict_keys"));
        assertEquals(GSON.toJsonTree(metadata()), seen.get("metadata"));
        assertEquals(6, seen.get("image_count").getAsInt());
        try (JpklArray java = jpkl.open(pkl)) {
            assertEquals(java.readEncodedSlice(0).remaining(), seen.get("first_image_bytes").getAsInt());
            double difference = ErrorMetrics.between(NdArray.wrapUint8(Files.readAllBytes(raw), shape), java.get("...")).maxAbsError();
            System.out.println("Java-written " + (color ? "rgb" : "grey") + " pickle: Pillow vs Java decoding differ by at most "
                    + difference);
            record(difference);
            assertTrue(difference <= DECODER_TOLERANCE, "Pillow and Java decodings differ by " + difference);
        }
    }

    /**
     * Issue 19.5: a pickle of a few hundred bytes whose metadata shares references (10^12 leaves)
     * loads at once in Python; copying it out would never end, so it is refused by the node limit.
     */
    @ParameterizedTest(name = "protocol {0}")
    @CsvSource({"0", "2", "4"})
    void sharedReferencesWrittenByPythonAreRefusedByTheWorkLimit(int protocol) throws Exception {
        Path pkl = dir.resolve("shared-" + protocol + ".pkl");
        python("write-shared", Integer.toString(protocol), pkl.toString());
        long size = Files.size(pkl);
        org.jpkl.api.JpklFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.jpkl.api.JpklFormatException.class, () -> jpkl.open(pkl));
        System.out.println("protocol " + protocol + ", " + size + " bytes: " + e.getMessage().substring(0, 160) + "...");
        assertTrue(e.getMessage().startsWith(pkl + ": metadata.shared[0][0]"), e.getMessage());
        assertTrue(e.getMessage().contains(": its objects expand to more than " + (PickleBudget.FREE_NODES
                + PickleBudget.NODES_PER_FILE_BYTE * size) + " nodes"), e.getMessage());
    }

    /**
     * The interpreter against Python's pickler, value by value: every opcode Python writes for
     * None, bool, int (every size), float (bits compared), str (escapes of protocol 0 included),
     * bytes and bytearray (empty, binary, large), tuples of every length, lists, dicts with keys of
     * every hashable kind, and shared references, in every protocol.
     */
    @ParameterizedTest(name = "protocol {0}")
    @CsvSource({"0", "1", "2", "3", "4", "5"})
    void everyPlainValuePythonPicklesIsReadExactly(int protocol) throws Exception {
        Path pkl = dir.resolve("values-" + protocol + ".pkl");
        Path txt = dir.resolve("values-" + protocol + ".txt");
        python("write-values", Integer.toString(protocol), pkl.toString(), txt.toString());
        byte[] file = Files.readAllBytes(pkl);
        org.jpkl.api.io.RandomAccessSource source = org.jpkl.api.io.RandomAccessSource.of(pkl.toString(), file);
        Object value = new SafeUnpickler(source.openStream(0), pkl.toString(), PickleBudget.forFile(file.length)).loadAll();
        assertEquals(Files.readString(txt), canonical(value, file));
    }

    /** The form {@code canonical()} in jpkl_py.py prints. */
    private static String canonical(Object v, byte[] file) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? "True" : "False";
        }
        if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            return v.toString();
        }
        if (v instanceof Double) {
            return "f" + String.format("%016x", Double.doubleToRawLongBits((Double) v));
        }
        if (v instanceof String) {
            return "s" + java.util.HexFormat.of().formatHex(((String) v).getBytes(StandardCharsets.UTF_8));
        }
        if (v instanceof StoredBytes) {
            StoredBytes b = (StoredBytes) v;
            return "b" + java.util.HexFormat.of().formatHex(file, (int) b.offset(), (int) (b.offset() + b.length()));
        }
        if (v instanceof byte[]) {
            return "b" + java.util.HexFormat.of().formatHex((byte[]) v);
        }
        StringBuilder sb = new StringBuilder();
        if (v instanceof Object[]) {
            sb.append('(');
            for (Object x : (Object[]) v) {
                sb.append(sb.length() > 1 ? "," : "").append(canonical(x, file));
            }
            return sb.append(')').toString();
        }
        if (v instanceof List) {
            sb.append('[');
            for (Object x : (List<?>) v) {
                sb.append(sb.length() > 1 ? "," : "").append(canonical(x, file));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map) {
            sb.append('{');
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                sb.append(sb.length() > 1 ? "," : "").append(canonical(e.getKey(), file)).append(':').append(canonical(e.getValue(), file));
            }
            return sb.append('}').toString();
        }
        throw new AssertionError("unexpected " + v.getClass());
    }

    @Test
    void pythonScriptIsThere() {
        assertTrue(Files.isRegularFile(script));
    }
}
