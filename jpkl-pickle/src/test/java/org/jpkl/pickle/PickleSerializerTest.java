package org.jpkl.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.testing.AbstractContainerSerializerTest;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pickle serializer with the real JPEG codec: the serializer contract, round trips, byte-exact conversion, refusals. */
class PickleSerializerTest extends AbstractContainerSerializerTest {
    private final Jpkl jpkl = Jpkl.builder().codecs(codecs()).build();

    @Override
    protected PickleSerializer serializer() {
        return new PickleSerializer();
    }

    /** A pickle holds JPEG slices of uint8 planes only. */
    @Override
    protected String codecId() {
        return "jpeg";
    }

    @Override
    protected Map<String, String> codecParams() {
        return Map.of("quality", "90");
    }

    @Override
    protected DType dtype() {
        return DType.UINT8;
    }

    private static WriteOptions pickle(int quality) {
        return WriteOptions.builder().serializer(PickleSerializer.ID).codec("jpeg").param("quality", quality).build();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void savedArrayOpensWithSameShapeNamesMetadataAndJpegAccuracy(boolean rgb) throws IOException {
        int[] shape = rgb ? new int[] {37, 53, 3, 4, 2} : new int[] {37, 53, 4, 2};
        NdArray array = PickleTestData.smoothUint8(7, shape);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("microscope", "spinning disk");
        metadata.put("pixel_um", 0.108);
        metadata.put("channels", List.of("GFP", "mCherry"));
        metadata.put("nested", Map.of("count", 3L, "ok", true));
        metadata.put("nothing", null);
        List<String> names = new ArrayList<>(rgb ? List.of("y", "x", "c") : List.of("y", "x"));
        names.addAll(List.of("z", "t"));
        Path file = dir.resolve("stack.pkl");
        jpkl.save(array, file, pickle(90).toBuilder().layout(PlaneLayout.jpkl(rgb)).axisNames(names).metadata(metadata).build());

        try (JpklArray opened = jpkl.open(file)) {
            assertEquals(PickleSerializer.ID, opened.serializerId());
            assertArrayEquals(shape, opened.shape());
            assertEquals(DType.UINT8, opened.dtype());
            assertEquals(names, opened.axisNames());
            assertEquals(metadata, opened.metadata());
            assertEquals("90", opened.codecParams().get("quality"));
            NdArray all = opened.get("...");
            double error = ErrorMetrics.between(array, all).maxAbsError();
            System.out.println("pickle round trip " + (rgb ? "rgb" : "grey") + " q90: max abs error " + error);
            assertTrue(error <= 24, "JPEG q90 error " + error);
            assertEquals(all.get("5:9, ::-3, ..., 1"), opened.get("5:9, ::-3, ..., 1"));
        }
    }

    @Test
    void conversionCopiesJpegBytesUnchangedInBothDirections() throws IOException {
        NdArray array = PickleTestData.smoothUint8(3, 24, 40, 3, 5);
        Path original = dir.resolve("original.jpkl");
        jpkl.save(array, original, WriteOptions.builder().codec("jpeg").param("quality", 77).layout(PlaneLayout.jpkl(true)).build());
        Path pickled = dir.resolve("converted.pkl");
        Path back = dir.resolve("back.jpkl");
        Path zipped = dir.resolve("converted.zip");

        assertTrue(jpkl.convert(original, pickled, pickle(77)), "jpkl -> pickle copies");
        assertTrue(jpkl.convert(pickled, back, WriteOptions.builder().codec("jpeg").param("quality", 77).build()),
                "pickle -> jpkl copies");
        assertTrue(jpkl.convert(pickled, zipped, WriteOptions.builder().serializer("zip").codec("jpeg").param("quality", 77).build()),
                "pickle -> zip copies");
        try (JpklArray a = jpkl.open(original); JpklArray p = jpkl.open(pickled); JpklArray b = jpkl.open(back);
             JpklArray z = jpkl.open(zipped)) {
            assertEquals(PickleSerializer.ID, p.serializerId());
            for (long n = 0; n < a.sliceCount(); n++) {
                ByteBuffer expected = a.readEncodedSlice(n);
                assertEquals(expected, p.readEncodedSlice(n), "slice " + n + " in the pickle");
                assertEquals(expected, b.readEncodedSlice(n), "slice " + n + " back in a jpkl file");
                assertEquals(expected, z.readEncodedSlice(n), "slice " + n + " in the zip");
            }
            assertEquals(a.get("..."), p.get("..."));
            assertEquals(a.axisNames(), p.axisNames());
        }
        assertFalse(jpkl.convert(pickled, dir.resolve("requantised.pkl"), pickle(50)), "another quality re-encodes");
    }

    @Test
    void whatAPickleCannotHoldIsRefusedNamingWhatWouldBeLost() throws IOException {
        NdArray u16 = NdArray.generate(DType.UINT16, new int[] {8, 8, 2}, i -> i * 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jpkl.save(u16, dir.resolve("u16.pkl"), pickle(90)));
        assertTrue(e.getMessage().contains("uint16") && e.getMessage().contains("16-bit data would lose its low bits"), e.getMessage());

        NdArray u8 = PickleTestData.smoothUint8(1, 8, 8, 2);
        e = assertThrows(IllegalArgumentException.class, () -> jpkl.save(u8, dir.resolve("raw.pkl"),
                WriteOptions.builder().serializer(PickleSerializer.ID).codec(IdentityCodec.ID).build()));
        assertTrue(e.getMessage().contains("codec '" + IdentityCodec.ID + "'") && e.getMessage().contains("JPEG slices only"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> jpkl.save(u8, dir.resolve("shared.pkl"),
                pickle(90).toBuilder().param("tables", "shared").build()));
        assertTrue(e.getMessage().endsWith("codec parameter tables='shared' (a JPkl pickle records only jpeg_quality)"),
                "abbreviated JPEG slices are not standalone images: " + e.getMessage());

        NdArray tzyx = PickleTestData.smoothUint8(1, 2, 3, 8, 8);
        e = assertThrows(IllegalArgumentException.class, () -> jpkl.save(tzyx, dir.resolve("tzyx.pkl"),
                pickle(90).toBuilder().layout(PlaneLayout.of(2, 3)).build()));
        assertTrue(e.getMessage().endsWith("the plane layout (y=2, x=3): JPkl pickles hold height, width on axes 0, 1; save this"
                + " array with serializer 'jpkl' (or 'zip'), which keep any layout"), e.getMessage());
        assertFalse(e.getMessage().contains("transpose"), "no advice that no command can follow");

        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "a refused write leaves no file");
        }
        NdArray rgb = PickleTestData.smoothUint8(1, 16, 16, 3);
        jpkl.save(rgb, dir.resolve("444.pkl"), pickle(90).toBuilder().layout(PlaneLayout.jpkl(true)).param("transfer", "sqrt")
                .param("subsampling", "444").build());
        try (JpklArray opened = jpkl.open(dir.resolve("444.pkl"))) {
            assertEquals("444", opened.codecParams().get("subsampling"), "an encoder setting loses nothing, and is seen again");
        }
    }

    /** Issue 13.8: plane axes named y, x, rgb are written; they read back as y, x, c, and the renaming is logged. */
    @Test
    void rgbPlaneAxesWithOtherNamesAreWrittenAndTheRenamingIsLogged() throws IOException {
        NdArray rgb = PickleTestData.smoothUint8(3, 16, 16, 3, 2);
        Path file = dir.resolve("rgb.pkl");
        List<java.util.logging.LogRecord> records = new ArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(PickleWriter.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            jpkl.save(rgb, file, pickle(90).toBuilder().layout(PlaneLayout.jpkl(true)).axisNames("y", "x", "rgb", "t").build());
        } finally {
            logger.removeHandler(handler);
        }
        try (JpklArray opened = jpkl.open(file)) {
            assertEquals(List.of("y", "x", "c", "t"), opened.axisNames());
            assertArrayEquals(new int[] {16, 16, 3, 2}, opened.shape());
        }
        assertEquals(1, records.size(), records.toString());
        assertEquals(java.util.logging.Level.INFO, records.get(0).getLevel());
        assertEquals(file + ": the plane axes [y, x, rgb] read back from a JPkl pickle as [y, x, c] (a pickle names only the axes"
                + " after the plane)", java.text.MessageFormat.format(records.get(0).getMessage(), records.get(0).getParameters()));
    }

    /** Issue 19 (Low): a pickle has no checksums, so its verification report says only decoding was checked. */
    @Test
    void verifyingAPickleReportsThatNoChecksumsWereChecked() throws IOException {
        NdArray u8 = PickleTestData.smoothUint8(1, 8, 8, 2);
        Path pkl = dir.resolve("v.pkl");
        jpkl.save(u8, pkl, pickle(90));
        try (JpklArray opened = jpkl.open(pkl)) {
            var report = opened.verify();
            assertTrue(report.isIntact());
            assertFalse(report.checksumsChecked());
            assertEquals(pkl + ": 2 slices checked, all decode (the format stores no checksums: only decoding was checked, so"
                    + " damage that still decodes cannot be seen)", report.toString());
        }
        Path jpklFile = dir.resolve("v.jpkl");
        jpkl.save(u8, jpklFile, WriteOptions.builder().codec("jpeg").param("quality", 90).build());
        try (JpklArray opened = jpkl.open(jpklFile)) {
            assertTrue(opened.verify().checksumsChecked());
            assertEquals(jpklFile + ": 2 slices checked, all intact", opened.verify().toString());
        }
    }

    @Test
    void picklesAreDetectedByContentAndOtherFilesAreNot() throws IOException {
        NdArray u8 = PickleTestData.smoothUint8(1, 8, 8, 2);
        Path pkl = dir.resolve("a.jpkl");
        jpkl.save(u8, pkl, pickle(90));
        Path native_ = dir.resolve("b.jpkl");
        jpkl.save(u8, native_, WriteOptions.builder().codec("jpeg").build());
        PickleSerializer format = new PickleSerializer();
        try (RandomAccessSource a = RandomAccessSource.open(pkl); RandomAccessSource b = RandomAccessSource.open(native_)) {
            assertTrue(format.canRead(a));
            assertFalse(format.canRead(b), "a .jpkl file of the default format is not a pickle");
        }
        byte[] pickledList = new PickleTestData.Ops().raw(0x80, 4, ']', '.').build();
        assertFalse(format.canRead(RandomAccessSource.of("list", pickledList)), "a pickled list is not claimed");
        assertFalse(format.canRead(RandomAccessSource.of("short", new byte[] {(byte) 0x80})));
        try (JpklArray opened = jpkl.open(pkl)) {
            assertEquals(PickleSerializer.ID, opened.serializerId(), "a pickle named .jpkl opens by content");
        }
    }

    @Test
    void twoDimensionalArrayHasTheEmptyKey() throws IOException {
        NdArray plane = PickleTestData.smoothUint8(9, 17, 19);
        Path file = dir.resolve("plane.pkl");
        jpkl.save(plane, file, pickle(90));
        try (JpklArray opened = jpkl.open(file)) {
            assertArrayEquals(new int[] {17, 19}, opened.shape());
            assertTrue(ErrorMetrics.between(plane, opened.get("...")).maxAbsError() <= 24);
        }
    }

    @Test
    void moreSlicesThanAWriterCanNumberAreRefusedBeforeAnythingIsWritten() {
        Path target = dir.resolve("huge.pkl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PickleSerializer().openWriter(target,
                new org.jpkl.api.ContainerHeader(new int[] {8, 8, 65536, 65537}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
                        "jpeg", Map.of("quality", "90"), Map.of())));
        assertEquals("writing " + target + ": the key axes (65536, 65537) make 4295032832 slices; a writer takes at most 2147483639",
                e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(0, dir.toFile().list().length, "no temporary file left");
    }

    @Test
    void everyDamagedOrTruncatedProtocolZeroPickleFailsWithAFormatExceptionNamingTheFile() throws IOException {
        NdArray array = PickleTestData.smoothUint8(2, 16, 16, 2);
        Path file = dir.resolve("four.pkl");
        jpkl.save(array, file, pickle(90));
        List<byte[]> slices = new ArrayList<>();
        try (JpklArray opened = jpkl.open(file)) {
            for (int n = 0; n < 2; n++) {
                ByteBuffer b = opened.readEncodedSlice(n);
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                slices.add(bytes);
            }
        }
        byte[] p0 = PickleTestData.protocolZeroJpkl(slices);
        org.jpkl.api.ContainerHeader header;
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("p0.pkl", p0))) {
            assertEquals(ByteBuffer.wrap(slices.get(1)), opened.readEncodedSlice(1));
            assertEquals(Map.of("k", List.of(1L, "two\\\u00b5", 3.5)), opened.metadata());
            header = opened.header();
        }
        var result = assertMutantsAreRefusedOrReadBack(p0, header, slices, 43);
        assertTrue(result.rejected() > result.mutants / 3, result.toString());
    }
}
