package org.jpkl.jpeg;

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
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tables=shared}: slices are abbreviated streams whose tables ({@link JpegTables}) are spliced
 * back before decoding. The spliced stream is byte for byte the complete stream {@code tables=inline}
 * stores, on every backend, quality, dtype and layout; decoders refuse a slice of the other kind;
 * the file-size saving is printed.
 */
class JpegSharedTablesTest {
    static final int[] QUALITIES = {0, 1, 10, 25, 49, 50, 51, 75, 90, 99, 100};

    static List<JpegCodec> codecs() {
        List<JpegCodec> codecs = new ArrayList<>();
        codecs.add(new JpegCodec(JpegBackend.IMAGEIO));
        if (TurboJpeg.unavailableReason().isEmpty()) {
            codecs.add(new JpegCodec(JpegBackend.TURBOJPEG));
        } else {
            System.out.println("JpegSharedTablesTest: TurboJPEG not checked: " + TurboJpeg.unavailableReason().get());
        }
        return codecs;
    }

    static byte[] encode(JpegCodec codec, CodecParams params, PlaneBuffer plane) throws IOException {
        try (SliceEncoder encoder = codec.newEncoder(params, plane.spec())) {
            return encoder.encode(plane);
        }
    }

    static PlaneBuffer decode(JpegCodec codec, CodecParams params, PlaneSpec spec, byte[] slice) throws IOException {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = codec.newDecoder(params, spec)) {
            decoder.decode(ByteBuffer.wrap(slice), out);
        }
        return out;
    }

    private static byte[] complete(byte[] abbreviated, int quality, ChannelLayout channels) throws IOException {
        JpegTables tables = JpegTables.standard(quality, channels.samplesPerPixel());
        ByteBuffer data = ByteBuffer.wrap(abbreviated);
        byte[] out = new byte[abbreviated.length + tables.length()];
        tables.complete(data, JpegStructure.scan(data), out);
        return out;
    }

    @Test
    void splicedSliceIsTheInlineStreamAndDecodesToTheSameSamples() throws IOException {
        for (JpegCodec codec : codecs()) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
                    PlaneSpec spec = new PlaneSpec(dtype, 37, 53, channels);
                    PlaneBuffer plane = TestPlanes.smooth(spec, 7, true, false);
                    for (int quality : QUALITIES) {
                        String what = codec + " " + spec + " quality " + quality;
                        CodecParams inline = codec.params(Map.of("quality", Integer.toString(quality)));
                        CodecParams shared = codec.params(Map.of("quality", Integer.toString(quality), "tables", "shared"));
                        byte[] full = encode(codec, inline, plane);
                        byte[] abbreviated = encode(codec, shared, plane);
                        int tables = channels == ChannelLayout.RGB ? 138 + 432 : 69 + 216;
                        assertEquals(full.length - tables, abbreviated.length, what);
                        assertArrayEquals(full, complete(abbreviated, quality, channels), what);
                        assertTrue(TestPlanes.bitEqual(decode(codec, inline, spec, full), decode(codec, shared, spec, abbreviated)), what);
                    }
                }
            }
        }
    }

    @Test
    void eachBackendReadsTheOthersAbbreviatedSlices() throws IOException {
        assertEachBackendReadsTheOthers(new PlaneSpec(DType.UINT8, 64, 64, ChannelLayout.RGB), "shared");
    }

    /**
     * Encodes one plane of {@code spec} with {@code tables} on every backend and checks that every
     * backend decodes each slice to the same samples.
     *
     * @return the slice each backend wrote
     */
    static Map<JpegCodec, byte[]> assertEachBackendReadsTheOthers(PlaneSpec spec, String tables) throws IOException {
        List<JpegCodec> codecs = codecs();
        PlaneBuffer plane = TestPlanes.smooth(spec, 3, false, false);
        CodecParams params = codecs.get(0).params(Map.of("tables", tables));
        Map<JpegCodec, byte[]> slices = new java.util.LinkedHashMap<>();
        for (JpegCodec writer : codecs) {
            byte[] slice = encode(writer, params, plane);
            PlaneBuffer first = decode(codecs.get(0), params, spec, slice);
            for (JpegCodec reader : codecs) {
                assertTrue(TestPlanes.bitEqual(first, decode(reader, params, spec, slice)), writer + " read by " + reader);
            }
            slices.put(writer, slice);
        }
        return slices;
    }

    @Test
    void aSliceOfTheOtherKindIsRefused() throws IOException {
        for (JpegCodec codec : codecs()) {
            PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
            PlaneBuffer plane = TestPlanes.smooth(spec, 1, false, false);
            CodecParams inline = codec.params(Map.of());
            CodecParams shared = codec.params(Map.of("tables", "shared"));
            byte[] abbreviated = encode(codec, shared, plane);
            JpklFormatException missing = assertThrows(JpklFormatException.class, () -> decode(codec, inline, spec, abbreviated));
            assertEquals("jpeg: slice data: JPEG slice has 0 DQT and 0 DHT segments: it is an abbreviated stream without its"
                    + " tables, which only a container with tables=shared holds", missing.getMessage());
            byte[] full = encode(codec, inline, plane);
            JpklFormatException own = assertThrows(JpklFormatException.class, () -> decode(codec, shared, spec, full));
            assertEquals("jpeg: slice data: JPEG slice has tables of its own (1 DQT and 2 DHT segments), but its container"
                    + " stores them once (tables=shared)", own.getMessage());
        }
    }

    @Test
    void aLibraryThatWritesOtherTablesFailsTheEncodeLoudly() throws IOException {
        JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);
        PlaneBuffer plane = TestPlanes.smooth(new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY), 4, false, false);
        byte[] quality80 = encode(codec, codec.params(Map.of("quality", "80")), plane);
        IOException e = assertThrows(IOException.class, () -> JpegTables.standard(90, 1).abbreviate(quality80));
        assertEquals("the JPEG library did not write the standard tables of quality 90 where tables=shared expects them"
                + " (1 DQT and 2 DHT segments); use tables=inline", e.getMessage());
    }

    @Test
    void tablesOfAnotherQualityGiveOtherSamplesNotAnError() throws IOException {
        // The tables are fixed by the stored quality: a header whose quality was changed decodes with
        // the wrong tables, as a TIFF with a changed JPEGTables would. This pins down that the stored
        // quality is what selects them.
        JpegCodec codec = codecs().get(0);
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 32, 32, ChannelLayout.GREY);
        PlaneBuffer plane = TestPlanes.smooth(spec, 2, false, false);
        byte[] slice = encode(codec, codec.params(Map.of("tables", "shared", "quality", "90")), plane);
        PlaneBuffer right = decode(codec, codec.params(Map.of("tables", "shared", "quality", "90")), spec, slice);
        PlaneBuffer wrong = decode(codec, codec.params(Map.of("tables", "shared", "quality", "20")), spec, slice);
        assertFalse(TestPlanes.bitEqual(right, wrong));
    }

    @Test
    void hostileOrUnknownTablesValuesAreRefused() {
        JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.params(Map.of("tables", "FFDB0043")));
        assertEquals("codec 'jpeg': tables (FFDB0043) must be one of [inline, shared, header]", e.getMessage());
    }

    @Test
    void theDefaultStoresNoTablesKeySoOldFilesAndBytesStayTheSame() {
        JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);
        assertEquals(List.of("quality", "subsampling", "window", "transfer"), List.copyOf(codec.params(Map.of()).toMap().keySet()));
        assertEquals(Map.of("quality", "90", "subsampling", "420", "window", "slice", "transfer", "linear", "tables", "shared"),
                codec.params(Map.of("tables", "shared")).toMap());
        assertEquals(codec.params(Map.of()), codec.params(Map.of("tables", "inline")));
        assertFalse(codec.encodesAlike(Map.of(), Map.of("tables", "shared"), DType.UINT8, ChannelLayout.GREY));
        assertEquals(Map.of("quality", "90", "subsampling", "420", "window", "slice", "transfer", "linear", "tables", "header"),
                codec.params(Map.of("tables", "header")).toMap());
        // slices are never copied between files of different tables settings: each stores other bytes
        assertFalse(codec.encodesAlike(Map.of("tables", "shared"), Map.of("tables", "header"), DType.UINT8, ChannelLayout.GREY));
        assertFalse(codec.encodesAlike(Map.of(), Map.of("tables", "header"), DType.UINT16, ChannelLayout.RGB));
    }

    /**
     * Prints (does not time) the file sizes with {@code tables=shared}, {@code tables=header},
     * {@code tables=header, huffman=optimized} (the container's own Huffman tables) and
     * {@code tables=header, coding=arithmetic} over
     * {@code inline} on 64 x 64 and 512 x 512 planes: the contract's test content (smooth + 2% noise per
     * sample), camera-like counts with photon shot noise ({@link CameraPlanes}) and their noise-free
     * means; the table in docs/CODECS.md. Sizes are deterministic (one backend, one thread), so the
     * ratios are asserted: arithmetic below optimized below header below shared below inline everywhere, header at
     * most 0.6x inline on 64 x 64 camera planes at quality 75, and RGB ones at 90, and arithmetic at most 0.6x
     * inline on those and on noise-free grey camera planes at quality 90 too (0.579x uint8, which header and
     * optimized miss). Grey quality 90 camera planes with shot noise (0.636x arithmetic) and the noisy test
     * planes stay above 0.6x: their scan data alone (plus the container's 20-byte index entry) is more than
     * 0.6x the inline file.
     */
    @Test
    void fileSizeWithSharedTables(@TempDir Path dir) throws IOException {
        Jpkl jpkl = Jpkl.builder().providerOption("jpeg.backend", "imageio").parallelism(1).build();
        StringBuilder report = new StringBuilder("JPEG file size over tables=inline (ImageIO; 64 slices of 64x64, 8 of 512x512):\n");
        for (int size : new int[] {64, 512}) {
            int slices = size == 64 ? 64 : 8;
            for (String content : new String[] {"test planes", "camera shot noise", "camera noise-free"}) {
                for (ChannelLayout channels : ChannelLayout.values()) {
                    for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
                        NdArray array = stack(content, dtype, channels, size, slices);
                        for (int quality : new int[] {90, 75}) {
                            long inline = save(jpkl, array, dir.resolve("inline.jpkl"), quality, "inline");
                            long shared = save(jpkl, array, dir.resolve("shared.jpkl"), quality, "shared");
                            long header = save(jpkl, array, dir.resolve("header.jpkl"), quality, "header");
                            long optimized = save(jpkl, array, dir.resolve("optimized.jpkl"), quality, "header", "optimized");
                            long arithmetic = save(jpkl, array, dir.resolve("arithmetic.jpkl"), quality, "header", "standard",
                                    "arithmetic");
                            try (JpklArray a = jpkl.open(dir.resolve("inline.jpkl"));
                                    JpklArray b = jpkl.open(dir.resolve("shared.jpkl"));
                                    JpklArray c = jpkl.open(dir.resolve("header.jpkl"));
                                    JpklArray d = jpkl.open(dir.resolve("optimized.jpkl"));
                                    JpklArray e = jpkl.open(dir.resolve("arithmetic.jpkl"))) {
                                NdArray samples = a.get("...");
                                assertEquals(samples, b.get("..."), "same samples");
                                assertEquals(samples, c.get("..."), "same samples");
                                assertEquals(samples, d.get("..."), "same samples");
                                assertEquals(samples, e.get("..."), "same samples");
                            }
                            String row = String.format("  %3dx%-3d %-17s %-6s %-4s q%d: inline %8d, shared %8d (%.3fx), header %8d (%.3fx),"
                                    + " optimized %8d (%.3fx), arithmetic %8d (%.3fx)", size, size, content, dtype, channels, quality, inline,
                                    shared, shared / (double) inline, header, header / (double) inline, optimized, optimized / (double) inline,
                                    arithmetic, arithmetic / (double) inline);
                            report.append(row).append('\n');
                            assertTrue(arithmetic < optimized && optimized < header && header < shared && shared < inline, row);
                            if (size == 64 && content.startsWith("camera") && (quality == 75 || channels == ChannelLayout.RGB)) {
                                assertTrue(header <= 0.6 * inline, row);
                            }
                            if (size == 64 && content.startsWith("camera")
                                    && (content.endsWith("noise-free") || quality == 75 || channels == ChannelLayout.RGB)) {
                                assertTrue(arithmetic <= 0.6 * inline, row);
                            }
                        }
                    }
                }
            }
        }
        System.out.print(report);
    }

    /** {@code slices} planes of one kind of content in the default layout (y, x[, c], n). */
    private static NdArray stack(String content, DType dtype, ChannelLayout channels, int size, int slices) {
        if (content.equals("test planes")) {
            return channels == ChannelLayout.RGB ? TestPlanes.smoothArray(dtype, channels, 5, size, size, 3, slices)
                    : TestPlanes.smoothArray(dtype, channels, 5, size, size, slices);
        }
        int samples = channels.samplesPerPixel();
        PlaneBuffer[] planes = new PlaneBuffer[slices];
        for (int n = 0; n < slices; n++) {
            double[] counts;
            if (content.equals("camera shot noise")) {
                counts = channels == ChannelLayout.RGB ? CameraPlanes.rgbCounts(size, size, n) : CameraPlanes.greyCounts(size, size, n);
            } else {
                java.util.Random random = new java.util.Random(n);
                counts = new double[size * size * samples];
                for (int c = 0; c < samples; c++) {
                    double[] means = CameraPlanes.means(size, size, random, 8);
                    for (int i = 0; i < means.length; i++) {
                        counts[i * samples + c] = Math.round(means[i]);
                    }
                }
            }
            planes[n] = CameraPlanes.as(dtype, counts, size, size, channels);
        }
        int[] shape = channels == ChannelLayout.RGB ? new int[] {size, size, 3, slices} : new int[] {size, size, slices};
        return NdArray.generate(dtype, shape, flat -> {
            int n = (int) (flat % slices);
            return TestPlanes.get(planes[n], (int) (flat / slices));
        });
    }

    private static long save(Jpkl jpkl, NdArray array, Path file, int quality, String tables) throws IOException {
        return save(jpkl, array, file, quality, tables, "standard");
    }

    private static long save(Jpkl jpkl, NdArray array, Path file, int quality, String tables, String huffman) throws IOException {
        return save(jpkl, array, file, quality, tables, huffman, "huffman");
    }

    private static long save(Jpkl jpkl, NdArray array, Path file, int quality, String tables, String huffman, String coding)
            throws IOException {
        jpkl.save(array, file, WriteOptions.builder().codec("jpeg").param("quality", quality).param("tables", tables)
                .param("huffman", huffman).param("coding", coding).layout(PlaneLayout.jpkl(array.shape().length == 4)).build());
        return Files.size(file);
    }
}
