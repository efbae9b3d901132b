package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.metadata.IIOMetadata;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * TIFFs written by Python's Pillow import exactly, and TIFFs we export open in Pillow. Needs
 * {@code /usr/bin/python3} with numpy and PIL; skipped with a message without them, except under CI
 * ({@code CI=true}), where that fails.
 */
class TiffStacksCrossTest {
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeNulls().create();

    @TempDir
    static Path dir;

    private static Path script;
    private final Jpkl jpkl = Jpkl.builder().codecs(TiffStacksTest.codecs()).serializers(ContainerSerializers.load()).build();

    @BeforeAll
    static void requirePython() throws IOException {
        OptionalPieces.python("numpy", "PIL");
        script = script(dir, "tiff_py.py");
    }

    /** Copies this package's test resource {@code name} (a Python script) into {@code dir}. */
    static Path script(Path dir, String name) throws IOException {
        Path script = dir.resolve(name);
        try (InputStream in = TiffStacksCrossTest.class.getResourceAsStream(name)) {
            Files.copy(in, script);
        }
        return script;
    }

    private static void python(String... args) throws IOException, InterruptedException {
        OptionalPieces.run(script, args);
    }

    /** The first ImageDescription in a page's native TIFF metadata, or null. */
    static String description(IIOMetadata metadata) {
        return find(metadata.getAsTree(metadata.getNativeMetadataFormatName()));
    }

    private static String find(Node node) {
        if ("TIFFField".equals(node.getNodeName()) && "270".equals(node.getAttributes().getNamedItem("number").getNodeValue())) {
            Node n = node;
            while (n.getFirstChild() != null) {
                n = n.getFirstChild();
            }
            return n.getAttributes().getNamedItem("value").getNodeValue();
        }
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            String found = find(children.item(i));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"L", "I;16", "RGB"})
    void pillowStacksImportExactly(String mode) throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("mode", mode);
        spec.put("pages", 6);
        spec.put("height", 13);
        spec.put("width", 21);
        spec.put("seed", mode.length());
        if (!mode.equals("RGB")) {
            spec.put("description", "ImageJ=1.54f\nimages=6\nslices=3\nframes=2\nhyperstack=true\n");
        }
        String stem = mode.replace(";", "");
        Path json = dir.resolve(stem + ".json");
        Files.writeString(json, GSON.toJson(spec));
        Path tiff = dir.resolve(stem + ".tif");
        Path raw = dir.resolve(stem + ".raw");
        python("write-tiff", json.toString(), tiff.toString(), raw.toString());
        Path target = dir.resolve(stem + ".jpkl");
        TiffStacks.importStack(jpkl, tiff, target, TiffImportOptions.builder()
                .writeOptions(WriteOptions.builder().codec(IdentityCodec.ID).build()).build());
        boolean rgb = mode.equals("RGB");
        int[] shape = rgb ? new int[] {6, 13, 21, 3} : new int[] {2, 3, 13, 21};
        DType dtype = mode.equals("I;16") ? DType.UINT16 : DType.UINT8;
        NdArray pillow = NdArray.copyOf(ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN), dtype, shape);
        try (JpklArray array = jpkl.open(target)) {
            assertArrayEquals(shape, array.shape());
            assertEquals(rgb ? List.of("z", "y", "x", "c") : List.of("t", "z", "y", "x"), array.axisNames());
            assertEquals(pillow, array.get("..."));
        }
    }

    @Test
    void exportedStacksOpenInPillow() throws Exception {
        NdArray stack = NdArray.generate(DType.UINT16, new int[] {3, 2, 8, 10}, i -> (i * 101) % 65536);
        Path file = dir.resolve("czyx.jpkl");
        jpkl.save(stack, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(2, 3))
                .axisNames("z", "c", "y", "x").build());
        Path tiff = dir.resolve("exported.tif");
        try (JpklArray array = jpkl.open(file)) {
            TiffStacks.exportSelection(array, "...", tiff);
        }
        Path json = dir.resolve("exported.json");
        python("read-tiff", tiff.toString(), json.toString());
        JsonObject seen = GSON.fromJson(Files.readString(json), JsonObject.class);
        assertEquals(6, seen.getAsJsonArray("pages").size());
        String mode = seen.getAsJsonArray("pages").get(5).getAsJsonObject().get("mode").getAsString();
        assertTrue(mode.equals("I;16") || mode.equals("I;16B"), "16-bit grey in either byte order: " + mode);
        assertEquals(GSON.toJsonTree(List.of(10, 8)), seen.getAsJsonArray("pages").get(0).getAsJsonObject().get("size"));
        String description = seen.get("description").getAsString();
        assertTrue(description.contains("images=6\nchannels=2\nslices=3\nhyperstack=true\n"), description);
    }

    /** Pillow decodes with libtiff: another LZW and deflate decoder, and another BigTIFF reader. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"uint8 grey", "uint8 rgb", "uint16 grey", "float32 grey"})
    void exportedPagesOfEveryVariantAndCompressionDecodeBitExactInPillow(String kind) throws Exception {
        boolean rgb = kind.endsWith("rgb");
        DType dtype = DType.valueOf(kind.split(" ")[0].toUpperCase(java.util.Locale.ROOT));
        int[] shape = rgb ? new int[] {3, 40, 70, 3} : new int[] {3, 40, 70};
        java.util.Random r = new java.util.Random(kind.hashCode());
        NdArray stack;
        if (dtype == DType.FLOAT32) {
            stack = NdArray.wrapFloat32(TiffExportTifffileTest.specialFloats(3 * 40 * 70, 3), shape);
        } else {
            int range = dtype == DType.UINT8 ? 256 : 65536;
            // Noise on page 0 (LZW fills its table), smooth ramps after (long LZW strings).
            stack = NdArray.generate(dtype, shape, i -> i < 40 * 70 * (rgb ? 3 : 1) ? r.nextInt(range) : (i / 7) % range);
        }
        Path file = dir.resolve("pillow-" + kind.replace(' ', '-') + ".jpkl");
        jpkl.save(stack, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(rgb ? PlaneLayout.of(1, 2, 3) : PlaneLayout.of(1, 2))
                .axisNames(rgb ? List.of("z", "y", "x", "c") : List.of("z", "y", "x")).build());
        for (TiffExportOptions.Variant variant : List.of(TiffExportOptions.Variant.CLASSIC, TiffExportOptions.Variant.BIG)) {
            for (TiffExportOptions.Compression compression : TiffExportOptions.Compression.values()) {
                String what = kind + " " + variant + " " + compression;
                Path tiff = dir.resolve("pillow.tif");
                try (JpklArray array = jpkl.open(file)) {
                    TiffStacks.exportSelection(array, "...", tiff, TiffExportOptions.builder().variant(variant).compression(compression).build());
                }
                Path json = dir.resolve("pillow.json");
                Path raw = dir.resolve("pillow.raw");
                python("read-tiff", tiff.toString(), json.toString(), raw.toString());
                byte[] expected = new byte[(int) (stack.size() * dtype.byteSize())];
                ByteBuffer e = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
                switch (dtype) {
                    case UINT8:
                        e.put(stack.toByteArray());
                        break;
                    case UINT16:
                        e.asShortBuffer().put(stack.toShortArray());
                        break;
                    default:
                        e.asFloatBuffer().put(stack.toFloatArray());
                        break;
                }
                assertArrayEquals(expected, Files.readAllBytes(raw), what);
            }
        }
    }
}
