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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.CountingSource;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pickle serializer with the real JPEG codec: round trips, byte-exact conversion, refusals. */
class JpklPickleFormatTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.builder().codecs(codecs()).serializers(ContainerSerializers.load()).parallelism(2).build();

    static SliceCodecs codecs() {
        List<SliceCodec> all = new ArrayList<>(SliceCodecs.load().all());
        all.add(new IdentityCodec());
        return SliceCodecs.of(all.toArray(new SliceCodec[0]));
    }

    private static WriteOptions pickle(int quality) {
        return WriteOptions.builder().serializer(JpklPickleFormat.ID).codec("jpeg").param("quality", quality).build();
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
            assertEquals(JpklPickleFormat.ID, opened.serializerId());
            assertArrayEquals(shape, opened.shape());
            assertEquals(DType.UINT8, opened.dtype());
            assertEquals(names, opened.axisNames());
            assertEquals(metadata, opened.metadata());
            assertEquals("90", opened.codecParams().get("quality"));
            NdArray all = opened.get("...");
            double error = PickleTestData.maxAbsDiff(array, all);
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
            assertEquals(JpklPickleFormat.ID, p.serializerId());
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
                WriteOptions.builder().serializer(JpklPickleFormat.ID).codec(IdentityCodec.ID).build()));
        assertTrue(e.getMessage().contains("codec '" + IdentityCodec.ID + "'") && e.getMessage().contains("JPEG slices only"),
                e.getMessage());

        NdArray tzyx = PickleTestData.smoothUint8(1, 2, 3, 8, 8);
        e = assertThrows(IllegalArgumentException.class, () -> jpkl.save(tzyx, dir.resolve("tzyx.pkl"),
                pickle(90).toBuilder().layout(PlaneLayout.of(2, 3)).build()));
        assertTrue(e.getMessage().endsWith("the plane layout (y=2, x=3): JPkl pickles hold height, width on axes 0, 1; save this"
                + " array in format 'jpkl' (or 'zip'), which keep any layout"), e.getMessage());
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
        JpklPickleFormat format = new JpklPickleFormat();
        try (RandomAccessSource a = RandomAccessSource.open(pkl); RandomAccessSource b = RandomAccessSource.open(native_)) {
            assertTrue(format.canRead(a));
            assertFalse(format.canRead(b), "a .jpkl file of the default format is not a pickle");
        }
        byte[] pickledList = new PickleTestData.Ops().raw(0x80, 4, ']', '.').build();
        assertFalse(format.canRead(RandomAccessSource.of("list", pickledList)), "a pickled list is not claimed");
        assertFalse(format.canRead(RandomAccessSource.of("short", new byte[] {(byte) 0x80})));
        try (JpklArray opened = jpkl.open(pkl)) {
            assertEquals(JpklPickleFormat.ID, opened.serializerId(), "a pickle named .jpkl opens by content");
        }
    }

    @Test
    void openingReadsNoSliceAndAGetReadsOnlyTheSlicesItTouches() throws IOException {
        NdArray array = PickleTestData.smoothUint8(5, 160, 200, 4, 5);
        Path file = dir.resolve("lazy.pkl");
        jpkl.save(array, file, pickle(95));
        long size = Files.size(file);
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (JpklArray opened = jpkl.open(counting)) {
            long atOpen = counting.bytesRead();
            System.out.println("opening a " + size + "-byte pickle of 20 slices read " + atOpen + " bytes in " + counting.reads()
                    + " reads");
            long slice = opened.readEncodedSlice(0).remaining();
            assertTrue(atOpen < size / 10, "open read " + atOpen + " of " + size + " bytes");
            long before = counting.bytesRead();
            opened.get(":, :, 3, 4");
            long oneSlice = counting.bytesRead() - before;
            assertTrue(oneSlice <= 2 * slice, "one get read " + oneSlice + " bytes; a slice is about " + slice);
        }
    }

    @Test
    void twoDimensionalArrayHasTheEmptyKey() throws IOException {
        NdArray plane = PickleTestData.smoothUint8(9, 17, 19);
        Path file = dir.resolve("plane.pkl");
        jpkl.save(plane, file, pickle(90));
        try (JpklArray opened = jpkl.open(file)) {
            assertArrayEquals(new int[] {17, 19}, opened.shape());
            assertTrue(PickleTestData.maxAbsDiff(plane, opened.get("...")) <= 24);
        }
    }

    @Test
    void writerRejectsMisuseAndDiscardsWithoutCommit() throws IOException {
        NdArray u8 = PickleTestData.smoothUint8(1, 8, 8, 3);
        Path target = dir.resolve("partial.pkl");
        try (var writer = jpkl.newWriter(target, DType.UINT8, u8.shape(), pickle(90))) {
            org.jpkl.api.PlaneBuffer plane = org.jpkl.api.PlaneBuffer.allocate(writer.header().planeSpec());
            u8.copyPlane(PlaneLayout.jpkl(false), 0, plane);
            writer.write(0, plane);
            IllegalStateException missing = assertThrows(IllegalStateException.class, writer::commit);
            assertTrue(missing.getMessage().contains("slice (1,) (number 1) was never written"), missing.getMessage());
        }
        assertFalse(Files.exists(target));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left");
        }
        assertThrows(IllegalStateException.class, () -> {
            try (var container = new JpklPickleFormat().openWriter(target, new org.jpkl.api.spi.ContainerHeader(u8.shape(),
                    DType.UINT8, PlaneLayout.jpkl(false), List.of(), "jpeg", Map.of("quality", "90"), Map.of()))) {
                container.writeSlice(0, ByteBuffer.wrap(new byte[] {1}));
                container.writeSlice(0, ByteBuffer.wrap(new byte[] {1}));
            }
        });
    }

    @Test
    void moreSlicesThanAWriterCanNumberAreRefusedBeforeAnythingIsWritten() {
        Path target = dir.resolve("huge.pkl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JpklPickleFormat().openWriter(target,
                new org.jpkl.api.spi.ContainerHeader(new int[] {8, 8, 65536, 65537}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
                        "jpeg", Map.of("quality", "90"), Map.of())));
        assertEquals("writing " + target + ": the key axes (65536, 65537) make 4295032832 slices; a writer takes at most 2147483639",
                e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(0, dir.toFile().list().length, "no temporary file left");
    }

    @Test
    void everyDamagedOrTruncatedPickleFailsWithAFormatExceptionNamingTheFile() throws IOException {
        NdArray array = PickleTestData.smoothUint8(2, 16, 16, 3, 2);
        Path file = dir.resolve("good.pkl");
        jpkl.save(array, file, pickle(90).toBuilder().metadata("k", List.of(1L, "two", 3.5)).build());
        mutantsAreRejectedOrRead(Files.readAllBytes(file), 42);
    }

    /** The same for protocol 0 text opcodes: a pickle spelled as Python 3 writes protocol 0, bytes as _codecs.encode. */
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
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("p0.pkl", p0))) {
            assertEquals(ByteBuffer.wrap(slices.get(1)), opened.readEncodedSlice(1));
            assertEquals(Map.of("k", List.of(1L, "two\\\u00b5", 3.5)), opened.metadata());
        }
        mutantsAreRejectedOrRead(p0, 43);
    }

    private void mutantsAreRejectedOrRead(byte[] good, long seed) throws IOException {
        NdArray expected;
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("good", good))) {
            expected = opened.get("...");
        }
        java.util.Random rnd = new java.util.Random(seed);
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int m = 0; m < 600; m++) {
            byte[] mutant;
            if (m % 3 == 0) {
                mutant = Arrays.copyOf(good, rnd.nextInt(good.length));
            } else {
                mutant = good.clone();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    mutant[rnd.nextInt(mutant.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            String name = "mutant-" + m;
            String outcome;
            try (JpklArray opened = jpkl.open(RandomAccessSource.of(name, mutant))) {
                NdArray got = opened.get("...");
                outcome = got.equals(expected) ? "read intact" : "read changed data (the format has no checksums)";
            } catch (JpklFormatException e) {
                assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
                outcome = "rejected";
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.println("pickle mutants: " + outcomes);
        assertTrue(outcomes.getOrDefault("rejected", 0) > 200, outcomes.toString());
    }
}
