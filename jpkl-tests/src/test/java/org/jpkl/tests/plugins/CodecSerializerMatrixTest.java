package org.jpkl.tests.plugins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.TileGrid;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.ContainerFuzzer;
import org.jpkl.testing.LibraryMutantCheck;
import org.jpkl.tests.NativeCodecs;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every installed codec (the built-in ones and the third-party plugin's), with each dtype and channel
 * layout it encodes, through every installed serializer that can hold it (built-in and third-party):
 * conversion from and back to the default format copies the encoded bytes (the file comes back byte
 * for byte); the saved array reads back with the header it was given, its encoded slices are those of the default
 * format byte for byte, its data is the default format's (so exact for lossless codecs, and within
 * {@value #MIN_PSNR_DB} dB PSNR of the original for lossy ones, whose stated error bound per dtype and layout
 * is checked by the codec's own {@code AbstractSliceCodecTest}), a selection reads as the same part of
 * the whole, the file (named without an extension) is recognised by content, and a short fuzz pass
 * ({@link LibraryMutantCheck}: {@code jpkl.fuzz.mutants}, default 40, fixed seed) gets back only the
 * original data or a format error naming the file. The default {@code jpkl} and {@code zip} serializers
 * must hold every combination; combinations a serializer refuses are reported as skipped. Run a longer fuzz pass with {@code -Djpkl.fuzz.mutants=N}.
 *
 * <p>A codec unavailable here (its native library missing) is one test that skips with the reason
 * and the Debian package, or fails under CI ({@code CI=true}), where every codec must run.
 *
 * <p>Tiles: every codec lossless with its defaults ({@link SliceCodec#isLossless}), on one dtype and channel layout it encodes, through every serializer
 * that holds tiles ({@link ContainerSerializer#supportsTiles()}: at least {@code jpkl} and {@code zip})
 * with planes of 40 x 70 in tiles of 16 x 32 (edge tiles of 8 rows and 6 columns): exact round trip,
 * every tile's encoded bytes those of the default format, and conversion from and back to the default
 * format copies the tiles (the file comes back byte for byte, tiling kept).
 */
class CodecSerializerMatrixTest {
    private static final double MIN_PSNR_DB = 30;
    private static final Set<String> HOLD_EVERYTHING = Set.of("jpkl", "zip");

    @TempDir
    static Path jars;

    @TempDir
    Path dir;

    private static URLClassLoader plugins;

    @BeforeAll
    static void buildThePluginJars() throws IOException {
        plugins = PluginJars.loader(PluginJars.build("textraw-serializer", jars), PluginJars.build("rle-codec", jars));
    }

    @AfterAll
    static void closeTheLoader() throws IOException {
        plugins.close();
    }

    @TestFactory
    List<DynamicTest> everyCodecDtypeAndLayoutThroughEverySerializerThatHoldsIt() {
        Jpkl jpkl = Jpkl.create(plugins);
        assertTrue(jpkl.serializers().ids().containsAll(List.of("jpkl", "zip", "jpkl-pickle", "example-textraw")),
                jpkl.serializers().ids().toString());
        assertTrue(jpkl.codecs().ids().contains("example-rle"), jpkl.codecs().ids().toString());
        List<DynamicTest> tests = requirements(jpkl.codecs().all());
        for (SliceCodec codec : jpkl.codecs().all()) {
            if (!codec.availability().isAvailable()) {
                continue;
            }
            for (DType dtype : codec.capabilities().dtypes()) {
                for (ChannelLayout channels : codec.capabilities().channels()) {
                    for (ContainerSerializer serializer : jpkl.serializers().all()) {
                        String name = codec.id() + " " + dtype + " " + channels + " in " + serializer.id();
                        tests.add(DynamicTest.dynamicTest(name, () -> check(jpkl, codec, dtype, channels, serializer)));
                    }
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyLosslessCodecInTilesThroughEverySerializerThatHoldsTiles() {
        Jpkl jpkl = Jpkl.create(plugins);
        List<String> tiling = jpkl.serializers().all().stream().filter(ContainerSerializer::supportsTiles).map(ContainerSerializer::id)
                .toList();
        assertTrue(tiling.containsAll(HOLD_EVERYTHING), "serializers holding tiles: " + tiling);
        List<DynamicTest> tests = requirements(jpkl.codecs().all());
        for (SliceCodec codec : jpkl.codecs().all()) {
            // Exact with the defaults the tiled files are written with (jpegls, lerc and zfp too), where available.
            if (!codec.isLossless(codec.params(Map.of())) || !codec.availability().isAvailable()) {
                continue;
            }
            Set<DType> dtypes = codec.capabilities().dtypes();
            DType dtype = dtypes.contains(DType.UINT16) ? DType.UINT16 : dtypes.iterator().next();
            Set<ChannelLayout> layouts = codec.capabilities().channels();
            ChannelLayout channels = layouts.contains(ChannelLayout.GREY) ? ChannelLayout.GREY : layouts.iterator().next();
            for (ContainerSerializer serializer : jpkl.serializers().all()) {
                if (serializer.supportsTiles()) {
                    String name = codec.id() + " " + dtype + " " + channels + " tiled in " + serializer.id();
                    tests.add(DynamicTest.dynamicTest(name, () -> checkTiled(jpkl, codec, dtype, channels, serializer)));
                }
            }
        }
        assertTrue(tests.size() >= 2 * 3, "tiled cases: " + tests.size());
        return tests;
    }

    /**
     * One test per codec unavailable here (a native library missing): it skips naming the codec, the
     * reason and the Debian package, or fails under CI ({@link NativeCodecs}), so that a CI run that
     * passes has run every codec and serializer combination.
     */
    static List<DynamicTest> requirements(List<SliceCodec> codecs) {
        List<DynamicTest> tests = new ArrayList<>();
        for (SliceCodec codec : codecs) {
            if (!codec.availability().isAvailable()) {
                tests.add(DynamicTest.dynamicTest(codec.id() + " is available here", () -> NativeCodecs.require(codec)));
            }
        }
        return tests;
    }

    private void checkTiled(Jpkl jpkl, SliceCodec codec, DType dtype, ChannelLayout channels, ContainerSerializer serializer)
            throws IOException {
        boolean rgb = channels == ChannelLayout.RGB;
        int[] shape = rgb ? new int[] {40, 70, 3, 2} : new int[] {40, 70, 2};
        TileGrid grid = new TileGrid(40, 70, 16, 32);
        NdArray array = TestPlanes.smoothArray(dtype, channels, 13, shape);
        WriteOptions options = WriteOptions.builder().codec(codec.id()).layout(PlaneLayout.jpkl(rgb)).build();
        Path reference = dir.resolve("reference.jpkl");
        jpkl.save(array, reference, options.toBuilder().tiles(16, 32).build());
        Path file = dir.resolve("tiled-" + serializer.id());
        Path back = dir.resolve("back.jpkl");
        try (JpklArray ref = jpkl.open(reference)) {
            assertEquals(grid, ref.tiling().orElseThrow());
            assertTrue(jpkl.convert(ref, file, options.toBuilder().serializer(serializer.id()).params(ref.codecParams()).build()),
                    "jpkl -> " + serializer.id() + " copies the encoded tiles");
        }
        try (JpklArray stored = jpkl.open(file)) {
            assertEquals(grid, stored.tiling().orElseThrow(), "the conversion keeps the tiles");
            assertTrue(jpkl.convert(stored, back, options.toBuilder().params(stored.codecParams()).build()),
                    serializer.id() + " -> jpkl copies the encoded tiles");
        }
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(back), "jpkl -> " + serializer.id() + " -> jpkl, tiled");
        jpkl.save(array, file, options.toBuilder().serializer(serializer.id()).tiles(16, 32).build());
        try (JpklArray ref = jpkl.open(reference); JpklArray stored = jpkl.open(file)) {
            assertEquals(serializer.id(), stored.serializerId());
            assertEquals(grid, stored.tiling().orElseThrow());
            assertEquals(2 * 9, stored.chunkCount());
            for (long n = 0; n < ref.chunkCount(); n++) {
                assertEquals(ref.readEncodedSlice(n), stored.readEncodedSlice(n), "encoded tile " + n);
            }
            assertEquals(array, stored.get("..."), "a lossless codec gives back the original, tiled");
            assertEquals(array.get("10:35, 20:70:3, ..., 1"), stored.get("10:35, 20:70:3, ..., 1"), "a region across tiles");
            assertTrue(stored.verify().isIntact());
        }
    }

    private void check(Jpkl jpkl, SliceCodec codec, DType dtype, ChannelLayout channels, ContainerSerializer serializer)
            throws IOException {
        boolean rgb = channels == ChannelLayout.RGB;
        int[] shape = rgb ? new int[] {13, 17, 3, 2, 2} : new int[] {13, 17, 2, 2};
        List<String> names = rgb ? List.of("y", "x", "c", "z", "t") : List.of("y", "x", "z", "t");
        Map<String, String> settings = settings(codec, dtype);
        ContainerHeader header = new ContainerHeader(shape, dtype, PlaneLayout.jpkl(rgb), names, codec.id(),
                codec.params(settings).toMap(), Map.of("codec", codec.id()));
        if (!holds(serializer, header, codec)) {
            assertTrue(!HOLD_EVERYTHING.contains(serializer.id()), serializer.id() + " must hold " + header);
            Assumptions.abort(serializer.id() + " does not hold " + codec.id() + " " + dtype + " " + channels);
        }
        NdArray array = TestPlanes.smoothArray(dtype, channels, 11, shape);
        WriteOptions options = WriteOptions.builder().codec(codec.id()).params(settings).layout(PlaneLayout.jpkl(rgb)).axisNames(names)
                .metadata("codec", codec.id()).build();
        Path reference = dir.resolve("reference.jpkl");
        jpkl.save(array, reference, options);
        // No extension: reading detects the serializer by content.
        Path file = dir.resolve("matrix-" + serializer.id());
        Path back = dir.resolve("back.jpkl");
        try (JpklArray ref = jpkl.open(reference)) {
            assertTrue(jpkl.convert(ref, file, options.toBuilder().serializer(serializer.id()).params(ref.codecParams()).build()),
                    "jpkl -> " + serializer.id() + " copies the encoded bytes");
        }
        try (JpklArray stored = jpkl.open(file)) {
            assertTrue(jpkl.convert(stored, back, options.toBuilder().params(stored.codecParams()).build()),
                    serializer.id() + " -> jpkl copies the encoded bytes");
        }
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(back), "jpkl -> " + serializer.id() + " -> jpkl");
        jpkl.save(array, file, options.toBuilder().serializer(serializer.id()).build());
        NdArray expected;
        try (JpklArray ref = jpkl.open(reference); JpklArray stored = jpkl.open(file)) {
            assertEquals(serializer.id(), stored.serializerId());
            assertEquals(ref.shape().length, stored.shape().length);
            assertEquals(java.util.Arrays.toString(shape), java.util.Arrays.toString(stored.shape()));
            assertEquals(dtype, stored.dtype());
            assertEquals(names, stored.axisNames());
            assertEquals(Map.of("codec", codec.id()), stored.metadata());
            for (long n = 0; n < ref.sliceCount(); n++) {
                assertEquals(ref.readEncodedSlice(n), stored.readEncodedSlice(n), "encoded slice " + n);
            }
            expected = ref.get("...");
            NdArray got = stored.get("...");
            assertEquals(expected, got, "the data read differs from the default format's");
            assertEquals(got.get("5:9, ::-3, ..., 1"), stored.get("5:9, ::-3, ..., 1"), "a selection reads as the same part of the whole");
            if (codec.isLossless(codec.params(header.codecParams()))) {
                assertEquals(array, got, "a codec lossless at the settings used gives back the original");
            } else {
                ErrorMetrics errors = ErrorMetrics.between(array, got);
                double psnr = dtype.isIntegral() ? errors.psnrOverDtypePeak() : errors.psnr(2000);
                assertTrue(psnr >= MIN_PSNR_DB, "PSNR " + psnr + " dB: " + errors);
            }
        }
        boolean checksums;
        try (ContainerReader r = serializer.openReader(RandomAccessSource.open(file))) {
            checksums = r.hasSliceChecksums();
        }
        ContainerFuzzer.Result result = LibraryMutantCheck.fuzzer(jpkl, Files.readAllBytes(file), 10_000)
                .run(new LibraryMutantCheck(jpkl, expected, checksums), ContainerFuzzer.mutantCount(40), 31);
        assertEquals(List.of(), result.failures, result.toString());
    }

    /**
     * The settings each codec is checked at: its defaults, except for a dtype a codec refuses at its
     * defaults (jpegxl takes float32 planes only lossy, at a distance above 0).
     */
    private static Map<String, String> settings(SliceCodec codec, DType dtype) {
        return codec.id().equals("jpegxl") && dtype == DType.FLOAT32 ? Map.of("distance", "1") : Map.of();
    }

    /** Whether {@code serializer} accepts the header: its writer opens (and is discarded) or refuses with IllegalArgumentException. */
    private boolean holds(ContainerSerializer serializer, ContainerHeader header, SliceCodec codec) throws IOException {
        try (ContainerWriter w = serializer.openWriter(dir.resolve("probe"), header, codec.params(header.codecParams()))) {
            return true;
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }
}
