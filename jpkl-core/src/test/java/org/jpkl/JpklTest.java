package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jpkl.api.DType;
import org.jpkl.api.Index;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.RestrictedCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The facade end to end with the exact test codec: what {@code get} returns from a saved container
 * equals what NumPy-style indexing returns from the array in memory, for every dtype and layout.
 */
class JpklTest {
    @TempDir
    Path dir;

    /** Serial, so that "the 3rd encode call fails" names one slice; parallel paths have their own tests. */
    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec(), new RestrictedCodec("only-u8", -1, DType.UINT8),
            new RestrictedCodec("fails-3rd", 2, DType.values()))).serializers(ContainerSerializers.load()).parallelism(1).build();

    private static final List<String> EXPRESSIONS = List.of("", "...", ":", "0", "-1", "1:3", "::-1", "::2, ::-3",
            "..., 1", "..., ::-1", "1, ..., 2", "None, 2", "2:0:-1, 1::2", ":, :, 0", "3:3", "-2:, :-1, ...", "..., None",
            "1, 2", ":, ::3, -1", "0, 0, ...", ":, :, 1, 2", ":, :, -1, -1", "5:1:-2, :, 1:", ":, 1:2, None, ...");

    private static NdArray sample(DType dtype, int... shape) {
        long seed = dtype.ordinal() * 1000L + shape.length;
        Random r = new Random(seed);
        return NdArray.generate(dtype, shape, i -> {
            switch (dtype) {
                case UINT8:
                    return r.nextInt(256);
                case UINT16:
                    return r.nextInt(65536);
                case INT16:
                    return r.nextInt(65536) - 32768;
                case INT32:
                    return r.nextInt();
                default:
                    return r.nextGaussian() * 1e3;
            }
        });
    }

    private WriteOptions identity() {
        return WriteOptions.builder().codec(IdentityCodec.ID).build();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void getFromAFileEqualsGetInMemoryForEveryDtype(DType dtype) throws IOException {
        NdArray array = sample(dtype, 6, 7, 3, 4);
        Path file = dir.resolve(dtype + ".jpkl");
        jpkl.save(array, file, identity());
        try (JpklArray stored = jpkl.open(file)) {
            assertArrayEquals(new int[] {6, 7, 3, 4}, stored.shape());
            assertEquals(4, stored.ndim());
            assertEquals(6 * 7 * 3 * 4, stored.size());
            assertEquals(dtype, stored.dtype());
            assertEquals(12, stored.sliceCount());
            for (String e : EXPRESSIONS) {
                assertEquals(array.get(e), stored.get(e), "get(\"" + e + "\")");
            }
            assertEquals(array.get(Index.range(1, 5, 2), Index.all(), Index.at(-1)),
                    stored.get(Index.range(1, 5, 2), Index.all(), Index.at(-1)));
        }
    }

    @Test
    void microscopyLayoutWithPlaneAxesLast() throws IOException {
        NdArray tczyx = sample(DType.UINT16, 2, 3, 4, 9, 11);
        Path file = dir.resolve("tczyx.jpkl");
        jpkl.save(tczyx, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(3, 4))
                .axisNames("t", "c", "z", "y", "x").build());
        try (JpklArray stored = jpkl.open(file)) {
            assertEquals(List.of("t", "c", "z", "y", "x"), stored.axisNames());
            assertEquals(24, stored.sliceCount());
            for (String e : List.of("...", "1, 2, 3", "0, :, 1", "..., 4:8, ::2", "-1, :, ::-1, 0", ":, 1, :, :, -1")) {
                assertEquals(tczyx.get(e), stored.get(e), e);
            }
        }
    }

    @Test
    void wholePlanesAreDecodedStraightIntoTheResult() throws IOException {
        NdArray tczyx = sample(DType.FLOAT32, 2, 3, 5, 6);
        org.jpkl.api.PlaneAssembly direct = new org.jpkl.api.PlaneAssembly(
                org.jpkl.api.Selection.resolve("1, ...", tczyx.shape()), DType.FLOAT32, PlaneLayout.of(2, 3));
        assertTrue(direct.planesAreContiguousInResult());
        assertEquals(30, direct.directTarget(1).offset(), "second touched plane starts after one 5x6 plane");
        org.jpkl.api.PlaneAssembly strided = new org.jpkl.api.PlaneAssembly(
                org.jpkl.api.Selection.resolve("1, ..., ::2", tczyx.shape()), DType.FLOAT32, PlaneLayout.of(2, 3));
        assertFalse(strided.planesAreContiguousInResult());
        assertThrows(IllegalStateException.class, () -> strided.directTarget(0));
    }

    @Test
    void rgbPlanesInJpklLayout() throws IOException {
        NdArray rgb = sample(DType.UINT8, 8, 10, 3, 5);
        Path file = dir.resolve("rgb.jpkl");
        jpkl.save(rgb, file, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.jpkl(true)).build());
        try (JpklArray stored = jpkl.open(file)) {
            assertEquals(List.of("y", "x", "c", "axis3"), stored.axisNames());
            assertEquals(5, stored.sliceCount());
            for (String e : List.of("...", ":, :, 0", "2, 3, :, 4", "::-1, :, ::2, 1:3", ":, :, -1, ::-1")) {
                assertEquals(rgb.get(e), stored.get(e), e);
            }
        }
    }

    @Test
    void metadataAxisNamesAndCodecParamsSurvive() throws IOException {
        Map<String, Object> meta = Map.of("objective", "60x/1.4 oil", "pixel_size_um", 0.108, "frames", 400L,
                "channels", List.of("DAPI", "GFP"), "stage", Map.of("x", 1.5, "y", -2L), "ok", true);
        Path file = dir.resolve("meta.jpkl");
        jpkl.save(sample(DType.UINT8, 4, 4, 2), file, WriteOptions.builder().codec(IdentityCodec.ID).axisNames("y", "x", "z")
                .metadata(meta).build());
        try (JpklArray stored = jpkl.open(file)) {
            assertEquals(meta, stored.metadata());
            assertEquals(List.of("y", "x", "z"), stored.axisNames());
            assertEquals(IdentityCodec.ID, stored.codecId());
            assertEquals(Map.of(), stored.codecParams());
            assertEquals("jpkl", stored.serializerId());
            assertEquals(Files.size(file), stored.byteSize());
        }
    }

    @Test
    void getReadsOnlyTheSlicesItTouches() throws IOException {
        NdArray array = sample(DType.UINT8, 16, 16, 10, 10);
        Path file = dir.resolve("lazy.jpkl");
        jpkl.save(array, file, identity());
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (JpklArray stored = jpkl.open(counting)) {
            long atOpen = counting.reads();
            stored.get(":, :, 3, 7");
            assertEquals(atOpen + 1, counting.reads(), "one slice read for one key");
            stored.get("2:5, 1, 1:9:3, ::-4");
            assertEquals(atOpen + 1 + 3 * 3, counting.reads(), "3 x 3 keys touched");
            stored.get("0:0, :, :, :");
            assertEquals(atOpen + 10, counting.reads(), "an empty selection reads nothing");
        }
    }

    @Test
    void convertCopiesBytesWhenParamsMeanTheSameAndMovesPlaneAxes() throws IOException {
        NdArray zyx = sample(DType.UINT16, 4, 6, 7);
        Path source = dir.resolve("zyx.jpkl");
        jpkl.save(zyx, source, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(1, 2))
                .axisNames("z", "y", "x").metadata("from", "tiff").build());
        Path target = dir.resolve("yxz.jpkl");
        assertTrue(jpkl.convert(source, target, WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.jpkl(false))
                .metadata("converted", true).build()));
        try (JpklArray in = jpkl.open(source); JpklArray out = jpkl.open(target)) {
            assertArrayEquals(new int[] {6, 7, 4}, out.shape());
            assertEquals(List.of("y", "x", "z"), out.axisNames());
            assertEquals(Map.of("from", "tiff", "converted", true), out.metadata());
            for (int z = 0; z < 4; z++) {
                assertEquals(zyx.get(z + ", :, :"), out.get(":, :, " + z));
                assertEquals(in.readEncodedSlice(z), out.readEncodedSlice(z), "slice bytes copied unchanged");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jpkl.convert(source, dir.resolve("rgb.jpkl"),
                WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.jpkl(true)).build()));
        assertEquals("layout y=0, x=1, channel=2 adds a colour axis; the source layout is y=1, x=2 (convert moves plane axes, "
                + "it cannot add or drop one)", e.getMessage());
    }

    @Test
    void unknownCodecIdListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jpkl.save(sample(DType.UINT8, 4, 4), dir.resolve("x.jpkl"), WriteOptions.builder().codec("jp2").build()));
        assertEquals("No SliceCodec with id 'jp2'; available: [fails-3rd, only-u8, test-identity]. Add its jar to the class path.",
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.jpkl")));
    }

    @Test
    void unknownSerializerIdListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jpkl.save(sample(DType.UINT8, 4, 4),
                dir.resolve("x.jpkl"), WriteOptions.builder().codec(IdentityCodec.ID).serializer("hdf5").build()));
        assertTrue(e.getMessage().startsWith("No ContainerSerializer with id 'hdf5'; available: [jpkl"), e.getMessage());
    }

    @Test
    void wrongDtypeForACodecNamesTheCodecsThatCanTakeIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jpkl.save(sample(DType.FLOAT32, 4, 4),
                dir.resolve("f.jpkl"), WriteOptions.builder().codec("only-u8").build()));
        assertEquals("codec 'only-u8' cannot encode float32 grey planes (it takes dtypes [uint8], channels [grey, rgb]); "
                + "codecs that can: [fails-3rd (lossless), test-identity (lossless)]", e.getMessage());
    }

    @Test
    void aFileWhoseCodecIsMissingNamesIt() throws IOException {
        Path file = dir.resolve("u8.jpkl");
        jpkl.save(sample(DType.UINT8, 4, 4, 2), file, WriteOptions.builder().codec("only-u8").build());
        Jpkl without = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());
        MissingProviderException e = assertThrows(MissingProviderException.class, () -> without.open(file));
        assertEquals("only-u8", e.providerId());
        assertEquals(List.of(IdentityCodec.ID), e.availableIds());
        assertTrue(e.getMessage().startsWith(file + ": needs codec 'only-u8', which is not available; available: [test-identity]."),
                e.getMessage());
    }

    @Test
    void aFailingEncoderLeavesNoFileAndKeepsTheOldOne() throws IOException {
        Path file = dir.resolve("old.jpkl");
        NdArray old = sample(DType.UINT8, 4, 4, 2);
        jpkl.save(old, file, identity());
        byte[] before = Files.readAllBytes(file);
        IOException e = assertThrows(IOException.class,
                () -> jpkl.save(sample(DType.UINT8, 4, 4, 5), file, WriteOptions.builder().codec("fails-3rd").build()));
        assertEquals("codec 'fails-3rd' failed to encode slice (2,): simulated encoder failure on call 2", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void notAContainerAndClosedContainerFailClearly() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "just some text, long enough to pass the length checks of the format reader");
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(text));
        assertEquals(text + ": preamble: no serializer recognises this file; serializers tried: [jpkl]", e.getMessage());

        Path file = dir.resolve("c.jpkl");
        jpkl.save(sample(DType.UINT8, 4, 4, 2), file, identity());
        JpklArray stored = jpkl.open(file);
        stored.close();
        stored.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> stored.get("0"));
        assertEquals("container " + file + " is closed", closed.getMessage());
    }

    @Test
    void badIndexesQuoteTheExpressionAndAxis() throws IOException {
        Path file = dir.resolve("c.jpkl");
        jpkl.save(sample(DType.UINT8, 4, 5, 6), file, identity());
        try (JpklArray stored = jpkl.open(file)) {
            IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> stored.get(":, :, 6"));
            assertEquals("index ':, :, 6': index 6 is out of bounds for axis 2 with size 6", oob.getMessage());
            IllegalArgumentException many = assertThrows(IllegalArgumentException.class, () -> stored.get("0, 0, 0, 0"));
            assertEquals("index '0, 0, 0, 0': too many indices for array: array is 3-dimensional, but 4 were indexed", many.getMessage());
            IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> stored.get("..., 1, ..."));
            assertTrue(two.getMessage().startsWith("index '..., 1, ...': an index can only have a single ellipsis"), two.getMessage());
            IllegalArgumentException step = assertThrows(IllegalArgumentException.class, () -> stored.get("::0"));
            assertEquals("bad index expression '::0' at column 0: slice step cannot be zero in '::0'", step.getMessage());
            IllegalArgumentException junk = assertThrows(IllegalArgumentException.class, () -> stored.get("1, x"));
            assertEquals("bad index expression '1, x' at column 3: 'x' is not an integer, a slice (start:stop:step), '...' or None",
                    junk.getMessage());
        }
    }

    @Test
    void concurrentGetsReturnWhatOneThreadReturns() throws Exception {
        NdArray array = sample(DType.UINT16, 12, 13, 6, 5);
        Path file = dir.resolve("mt.jpkl");
        jpkl.save(array, file, identity());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (JpklArray stored = jpkl.open(file)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 200; i++) {
                        String e = r.nextInt(12) + ", ::" + (1 + r.nextInt(3)) + ", " + r.nextInt(6) + ", " + (r.nextInt(10) - 5) + ":";
                        assertEquals(array.get(e), stored.get(e), e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void arraysWithMoreThanTwoBillionElementsAreReadPieceByPiece() throws IOException {
        Jpkl constant = Jpkl.of(SliceCodecs.of(new org.jpkl.api.testing.ConstantCodec()), ContainerSerializers.load());
        int planes = 2200;
        Path file = dir.resolve("huge.jpkl");
        try (JpklWriter w = constant.newWriter(file, DType.UINT8, new int[] {1000, 1000, planes},
                WriteOptions.builder().codec(org.jpkl.api.testing.ConstantCodec.ID).build())) {
            org.jpkl.api.PlaneBuffer plane = org.jpkl.api.PlaneBuffer.allocate(w.header().planeSpec());
            for (long n = 0; n < planes; n++) {
                java.util.Arrays.fill(plane.bytes(), (byte) n);
                w.write(n, plane);
            }
            w.commit();
        }
        try (JpklArray huge = constant.open(file)) {
            assertEquals(2_200_000_000L, huge.size());
            assertTrue(huge.size() > Integer.MAX_VALUE);
            assertEquals(2199 & 0xFF, huge.get("999, 999, -1").getInt());
            assertEquals(NdArray.generate(DType.UINT8, new int[] {3}, i -> (1000 + i) & 0xFF), huge.get("5, 7, 1000:1003"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> huge.get("..."));
            assertEquals("index '...' selects 2200000000 elements (shape [1000, 1000, 2200]), more than the 2147483639 one array "
                    + "can hold; select fewer elements per get", e.getMessage());
        }
    }

    @Test
    void aResultTooLargeForOneArrayIsRefusedBeforeReading() {
        org.jpkl.api.Selection s = org.jpkl.api.Selection.resolve("...", new int[] {100_000, 100_000});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::checkFitsInArray);
        assertEquals("index '...' selects 10000000000 elements (shape [100000, 100000]), more than the 2147483639 one array can hold; "
                + "select fewer elements per get", e.getMessage());
    }
}
