package org.jpkl.jpeg;

import static org.jpkl.jpeg.JpegSharedTablesTest.QUALITIES;
import static org.jpkl.jpeg.JpegSharedTablesTest.codecs;
import static org.jpkl.jpeg.JpegSharedTablesTest.decode;
import static org.jpkl.jpeg.JpegSharedTablesTest.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tables=header, huffman=optimized}: the container's own Huffman tables, built from sample
 * planes ({@link JpegCodec#bindToArray}), code every slice's scan ({@link JpegScanTranscoder}); the
 * coefficients are unchanged, so every backend decodes the rebuilt stream to exactly the samples of the
 * standard-table stream; the tables parameter is validated strictly ({@link JpegHuffman}).
 */
class JpegHuffmanTest {
    private static Map<String, String> map(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], String.valueOf(kv[i + 1]));
        }
        return m;
    }

    /** A stack of {@code n} smooth test planes of {@code spec} in JPkl's layout. */
    private static NdArray stack(PlaneSpec spec, int n, long seed) {
        return spec.channels() == ChannelLayout.RGB ? TestPlanes.smoothArray(spec.dtype(), spec.channels(), seed, spec.height(),
                spec.width(), 3, n) : TestPlanes.smoothArray(spec.dtype(), spec.channels(), seed, spec.height(), spec.width(), n);
    }

    private static PlaneLayout layout(PlaneSpec spec) {
        return PlaneLayout.jpkl(spec.channels() == ChannelLayout.RGB);
    }

    private static JpegParams optimized(JpegCodec codec, PlaneSpec spec, int quality, String subsampling, NdArray sample) {
        CodecParams p = codec.params(map("quality", quality, "subsampling", subsampling, "tables", "header", "huffman", "optimized"));
        JpegParams bound = (JpegParams) codec.bindToArray(p, sample, layout(spec));
        assertEquals(JpegParams.Huffman.Kind.TABLES, bound.huffman().kind());
        return bound;
    }

    /**
     * {@code huffman=optimized} and {@code coding=arithmetic} re-code the library's scan losslessly: back
     * to the standard tables they give its bytes, every backend decodes them to the samples of the
     * standard-table slice, and libjpeg-turbo decodes the rebuilt arithmetic-coded (SOF9) stream itself
     * to the same levels.
     */
    @Test
    void transcodedSlicesDecodeToTheSamplesOfStandardTablesOnEveryBackend() throws IOException {
        for (JpegCodec codec : codecs()) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
                    for (int[] size : new int[][] {{37, 53}, {64, 64}, {9, 17}}) {
                        PlaneSpec spec = new PlaneSpec(dtype, size[0], size[1], channels);
                        NdArray sample = stack(spec, 3, 11);
                        PlaneBuffer plane = TestPlanes.smooth(spec, 7, true, false);
                        for (String subsampling : channels == ChannelLayout.RGB ? new String[] {"420", "444"} : new String[] {"420"}) {
                            for (int quality : QUALITIES) {
                                String what = codec + " " + spec + " " + subsampling + " quality " + quality;
                                JpegParams standard = (JpegParams) codec.params(map("quality", quality, "subsampling", subsampling,
                                        "tables", "header"));
                                JpegParams own = optimized(codec, spec, quality, subsampling, sample);
                                byte[] plain = encode(codec, standard, plane);
                                byte[] recoded = encode(codec, own, plane);
                                // Lossless: re-coding back with the standard tables gives the library's scan, byte for byte.
                                int prefix = JpegHeader.of(spec, standard).prefixLength();
                                JpegScanTranscoder back = new JpegScanTranscoder(spec.width(), spec.height(),
                                        channels.samplesPerPixel(), subsampling.equals("420"));
                                assertArrayEquals(plain, back.transcode(recoded, prefix, own.huffman().jpegHuffman(),
                                        JpegHuffman.standard(channels.samplesPerPixel())), what);
                                PlaneBuffer expected = decode(codec, standard, spec, plain);
                                for (JpegCodec reader : codecs()) {
                                    assertTrue(TestPlanes.bitEqual(expected, decode(reader, own, spec, recoded)), what + " read by " + reader);
                                }
                                // coding=arithmetic: lossless too, read by every backend (re-coded to Huffman in Java).
                                JpegParams arithmetic = (JpegParams) codec.params(map("quality", quality, "subsampling", subsampling,
                                        "tables", "header", "coding", "arithmetic"));
                                byte[] coded = encode(codec, arithmetic, plane);
                                assertArrayEquals(plain, new JpegArithmetic(back).toHuffman(coded, prefix + JpegArithmetic.CHECK_BYTES,
                                        JpegHuffman.standard(channels.samplesPerPixel())), what + " arithmetic");
                                for (JpegCodec reader : codecs()) {
                                    assertTrue(TestPlanes.bitEqual(expected, decode(reader, arithmetic, spec, coded)),
                                            what + " arithmetic, read by " + reader);
                                }
                                if (codec.backend() == JpegBackend.TURBOJPEG) {
                                    // The rebuilt SOF9 stream (what other readers get) decodes in libjpeg-turbo to the same levels.
                                    assertArrayEquals(JpegArithmeticTest.levels(new TurboJpegDecompressor(spec), spec, standard, plain),
                                            JpegArithmeticTest.levels(new TurboJpegDecompressor(spec), spec, arithmetic, coded),
                                            what + " arithmetic, SOF9 decoded by libjpeg-turbo");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aDamagedScanIsRefusedByTheTranscoder() throws IOException {
        JpegCodec codec = codecs().get(0);
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        byte[] slice = encode(codec, codec.params(map("tables", "header")), TestPlanes.smooth(spec, 3, true, false));
        JpegScanTranscoder t = new JpegScanTranscoder(16, 16, 1, false);
        JpegHuffman standard = JpegHuffman.standard(1);
        assertArrayEquals(slice, t.transcode(slice, 1, standard, standard));
        Map<String, byte[]> damaged = new LinkedHashMap<>();
        damaged.put("JPEG scan data of a 16x16 grey plane: the scan data ends before its last MCU (truncated)",
                java.util.Arrays.copyOf(slice, 3));
        byte[] longer = java.util.Arrays.copyOf(slice, slice.length + 2);
        damaged.put("JPEG scan data of a 16x16 grey plane: 2 bytes follow the last MCU", longer);
        byte[] marker = slice.clone();
        marker[2] = (byte) 0xFF;
        marker[3] = (byte) 0xD9;
        damaged.put("JPEG scan data of a 16x16 grey plane: marker FFD9 inside the scan data at byte 2", marker);
        for (Map.Entry<String, byte[]> d : damaged.entrySet()) {
            IOException e = assertThrows(IOException.class, () -> t.transcode(d.getValue(), 1, standard, standard), d.getKey());
            assertEquals(d.getKey(), e.getMessage());
        }
        for (int n = 1; n < slice.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(slice, n);
            assertThrows(IOException.class, () -> t.transcode(cut, 1, standard, standard), "cut to " + n + " bytes");
        }
        assertArrayEquals(slice, t.transcode(slice, 1, standard, standard), "usable after a refusal");
    }

    @Test
    void aSymbolAbsentFromTheSamplePlanesStillHasACode() throws IOException {
        JpegCodec codec = codecs().get(0);
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 64, 64, ChannelLayout.GREY);
        // Constant sample planes: DC category 0 and EOB only.
        NdArray flat = NdArray.generate(DType.UINT8, new int[] {64, 64, 4}, i -> 100);
        JpegParams own = optimized(codec, spec, 100, "420", flat);
        JpegScanTranscoder scans = new JpegScanTranscoder(64, 64, 1, false);
        long[][] counts = new long[2][256];
        JpegParams standard = (JpegParams) codec.params(map("quality", 100, "tables", "header"));
        PlaneBuffer noise = PlaneBuffer.allocate(spec);
        new Random(5).nextBytes(noise.bytes());
        byte[] plain = encode(codec, standard, noise);
        scans.count(plain, 1, JpegHuffman.standard(1), counts);
        int absent = 0;
        PlaneBuffer sampled = PlaneBuffer.allocate(spec);
        flat.copyPlane(PlaneLayout.jpkl(false), 0, sampled);
        long[][] sampleCounts = new long[2][256];
        scans.count(encode(codec, standard, sampled), 1, JpegHuffman.standard(1), sampleCounts);
        for (int t = 0; t < 2; t++) {
            for (int s = 0; s < 256; s++) {
                if (counts[t][s] > 0 && sampleCounts[t][s] == 0) {
                    absent++;
                }
            }
        }
        assertTrue(absent >= 20, absent + " symbols of the noise plane are absent from the samples");
        byte[] recoded = encode(codec, own, noise);
        assertTrue(TestPlanes.bitEqual(decode(codec, standard, spec, plain), decode(codec, own, spec, recoded)));
    }

    @Test
    void optimalTablesCodeEverySymbolWithinSixteenBitsWhateverTheCounts() {
        long[][] skewed = new long[4][256];
        for (int t = 0; t < 4; t++) {
            long f = 1;
            for (int s = 0; s < 256; s++) {
                if (JpegHuffman.isSymbol(t % 2 == 1, s)) {
                    skewed[t][s] = f; // Fibonacci-like growth: the unlimited code would be over 100 bits long
                    f = Math.min(f * 2, Long.MAX_VALUE / 1024);
                }
            }
        }
        JpegHuffman h = JpegHuffman.optimal(skewed);
        JpegHuffman again = JpegHuffman.parse(h.toString());
        assertEquals(h, again);
        for (int t = 0; t < 4; t++) {
            for (int s = 0; s < 256; s++) {
                if (JpegHuffman.isSymbol(t % 2 == 1, s)) {
                    int size = h.table(t).size(s);
                    assertTrue(size >= 1 && size <= 16, "symbol " + s + " of table " + t + ": " + size + " bits");
                }
            }
        }
        assertEquals(JpegHuffman.standard(3), JpegHuffman.parse(JpegHuffman.standard(3).toString()));
    }

    @Test
    void hostileHuffmanValuesAreRefusedNamingTheParameter() {
        JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);
        byte[] good = JpegHuffman.standard(1).segments();
        String prefix = "codec 'jpeg': huffman (";
        String allowed = ") must be standard, optimized or Huffman tables (base64 of the DHT segments DC 0, AC 0[, DC 1, AC 1]): ";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("not!base64", "not base64: Illegal base64 character 21");
        cases.put("QUJD", "byte 0 of 3 does not start a DHT segment (FFC4 and its length)");
        cases.put("QUI", null); // "AB" without its padding
        byte[] b = good.clone();
        b[3] += 1; // segment longer than its table
        cases.put(b64(b), "DC table 0: its code length counts add up to 12 symbols, but its segment holds 13");
        b = good.clone();
        b[2] = 0x10; // segment longer than the value
        cases.put(b64(b), "the DHT segment at byte 0 has length 4127, which does not fit in the 216 bytes or holds no table");
        b = good.clone();
        b[4] = 0x20; // class 2
        cases.put(b64(b), "the DHT segment at byte 0 is for table class 2 id 0; baseline tables are class 0 (DC) or 1 (AC), id 0 or 1");
        b = good.clone();
        b[21 + 11] = 12; // DC symbol 12
        cases.put(b64(b), "DC table 0 has symbol 0x0C, which baseline DC coding (categories 0..11) never uses");
        b = good.clone();
        b[21 + 11] = 10; // symbol 10 twice
        cases.put(b64(b), "DC table 0 has symbol 0x0A twice");
        b = good.clone();
        b[4 + 2] = 4; // 4 codes of length 2 and 1 fewer of length 3: counts move, lengths overflow? 0 + 4 of 2 bits
        b[4 + 3] = 2;
        cases.put(b64(b), "DC table 0 has more codes of 2 bits or less than a prefix code holds (the all-ones code is not allowed)");
        b = good.clone();
        b[4 + 10] = 1; // one more DC code than symbols
        cases.put(b64(b), "DC table 0: its code length counts add up to 13 symbols, but its segment holds 12");
        byte[] swapped = new byte[good.length];
        System.arraycopy(good, 33, swapped, 0, good.length - 33);
        System.arraycopy(good, 0, swapped, good.length - 33, 33);
        cases.put(b64(swapped), "the DHT segments must come in the order DC 0, AC 0, DC 1, AC 1; AC table 0 is segment 1");
        byte[] dcOnly = java.util.Arrays.copyOf(good, 33);
        cases.put(b64(dcOnly), "the DHT segments must hold DC table 0 and AC table 0");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> codec.params(map("tables", "header", "huffman", c.getKey())), c.getKey());
            String shown = c.getKey().length() <= 40 ? c.getKey() : c.getKey().substring(0, 40) + "... (" + c.getKey().length() + " characters)";
            String expected = prefix + shown + allowed
                    + (c.getValue() == null ? "not in canonical base64 (RFC 4648 with padding, no line breaks)" : c.getValue());
            assertEquals(expected, e.getMessage());
        }
        IllegalArgumentException inline = assertThrows(IllegalArgumentException.class,
                () -> codec.params(map("huffman", "optimized")));
        assertEquals("codec 'jpeg': huffman=optimized needs tables=header (the container stores the tables in place of every"
                + " slice's header), not tables=inline", inline.getMessage());
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * The sample planes {@code huffman=optimized} names ({@code SliceCodec.samplePlanes}, which
     * {@code jpkl encode} and {@code convert} gather in a first pass): 16 evenly spaced, first and last
     * included; every plane of a shorter array, so binding with just those planes picks them all; none
     * for standard tables.
     */
    @Test
    void samplePlanesAreSixteenEvenlySpacedOnes() {
        JpegCodec codec = codecs().get(0);
        CodecParams p = codec.params(map("tables", "header", "huffman", "optimized"));
        assertArrayEquals(new long[] {0, 6, 13, 19, 26, 33, 39, 46, 52, 59, 66, 72, 79, 85, 92, 99}, codec.samplePlanes(p, 100));
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, codec.samplePlanes(p, 16));
        assertArrayEquals(new long[] {0, 1, 2}, codec.samplePlanes(p, 3));
        assertArrayEquals(new long[] {0}, codec.samplePlanes(p, 1));
        assertArrayEquals(new long[0], codec.samplePlanes(p, 0));
        assertArrayEquals(new long[0], codec.samplePlanes(codec.params(map("tables", "header")), 100));
    }

    @Test
    void anUnboundOptimizedModeIsRefusedByStreamingWriters(@TempDir Path dir) throws IOException {
        JpegCodec codec = codecs().get(0);
        CodecParams p = codec.params(map("tables", "header", "huffman", "optimized"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.newEncoder(p, new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY)));
        assertEquals("huffman=optimized chooses the tables from sample planes of the whole array, which a plane-by-plane writer"
                + " never sees: save with Jpkl.save (it builds them via SliceCodec.bindToArray), bind them with an array of the planes"
                + " SliceCodec.samplePlanes names (as 'jpkl encode' does for file inputs), or give tables stored by another"
                + " container (its huffman parameter value), or use huffman=standard", e.getMessage());
        Jpkl jpkl = Jpkl.builder().providerOption("jpeg.backend", "imageio").build();
        WriteOptions options = WriteOptions.builder().codec("jpeg").param("tables", "header").param("huffman", "optimized").build();
        IllegalArgumentException we = assertThrows(IllegalArgumentException.class,
                () -> jpkl.newWriter(dir.resolve("s.jpkl"), DType.UINT8, new int[] {8, 8, 1}, options).close());
        assertEquals(e.getMessage(), we.getMessage());
        assertTrue(Files.notExists(dir.resolve("s.jpkl")));
        // Greyscale tables cannot code RGB planes: refused, not guessed.
        JpegParams grey = optimized(codec, new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY), 90, "420",
                NdArray.zeros(DType.UINT8, 8, 8, 2));
        IllegalArgumentException rgb = assertThrows(IllegalArgumentException.class,
                () -> codec.newEncoder(grey, new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.RGB)));
        assertEquals("codec 'jpeg': huffman holds 2 tables (DC 0, AC 0), but RGB planes need 4 (also DC 1, AC 1 for Cb and Cr)",
                rgb.getMessage());
    }

    @Test
    void savedFilesStoreTheTablesAndReadBackAsStandardTablesDo(@TempDir Path dir) throws IOException {
        for (JpegCodec codec : codecs()) {
            Jpkl jpkl = Jpkl.builder().providerOption("jpeg.backend", codec.backend().text()).parallelism(1).build();
            for (ChannelLayout channels : ChannelLayout.values()) {
                PlaneSpec spec = new PlaneSpec(DType.UINT16, 40, 33, channels);
                NdArray array = stack(spec, 20, 3);
                Path standard = dir.resolve("standard.jpkl");
                Path own = dir.resolve("own.jpkl");
                jpkl.save(array, standard, WriteOptions.builder().codec("jpeg").param("tables", "header").layout(layout(spec)).build());
                jpkl.save(array, own, WriteOptions.builder().codec("jpeg").param("tables", "header").param("huffman", "optimized")
                        .layout(layout(spec)).build());
                try (JpklArray a = jpkl.open(standard); JpklArray b = jpkl.open(own)) {
                    String stored = b.header().codecParams().get("huffman");
                    assertEquals(channels == ChannelLayout.RGB ? 4 : 2, JpegHuffman.parse(stored).tableCount());
                    assertEquals(a.get("..."), b.get("..."), codec + " " + channels);
                }
                assertTrue(Files.size(own) < Files.size(standard), Files.size(own) + " vs " + Files.size(standard));
            }
        }
    }

    /**
     * Prints (does not assert) the encode speed with {@code huffman} optimized vs standard, same run,
     * same planes, each backend: slices per second of {@code tables=header} encoders, 64 x 64 and
     * 512 x 512 grey uint8 camera-like planes at quality 90, passes alternating, the best of 5 after a
     * warm-up; and the transcoder alone (re-coding the standard slices), in slices and scan MB per second.
     */
    @Test
    void encodeSpeedOfTheTranscoderIsPrinted() throws IOException {
        StringBuilder report = new StringBuilder("JPEG encode, tables=header, huffman standard vs optimized (best of 5 passes):\n");
        for (int size : new int[] {64, 512}) {
            PlaneSpec spec = new PlaneSpec(DType.UINT8, size, size, ChannelLayout.GREY);
            int n = size == 64 ? 2000 : 40;
            PlaneBuffer[] planes = CameraPlanes.greyUint8(size, 8);
            NdArray sample = NdArray.generate(DType.UINT8, new int[] {size, size, planes.length},
                    flat -> TestPlanes.get(planes[(int) (flat % planes.length)], (int) (flat / planes.length)));
            for (JpegCodec codec : codecs()) {
                CodecParams standard = codec.params(map("tables", "header"));
                JpegParams own = optimized(codec, spec, 90, "420", sample);
                double[] rate = new double[3];
                long[] bytes = new long[2];
                byte[][] plain = new byte[planes.length][];
                for (int i = 0; i < planes.length; i++) {
                    plain[i] = encode(codec, standard, planes[i]);
                }
                JpegScanTranscoder transcoder = new JpegScanTranscoder(size, size, 1, false);
                JpegHuffman from = JpegHuffman.standard(1);
                long scanBytes = 0;
                for (int pass = 0; pass < 6; pass++) {
                    for (int k = 0; k < 2; k++) {
                        try (var encoder = codec.newEncoder(k == 0 ? standard : own, spec)) {
                            long total = 0;
                            long t0 = System.nanoTime();
                            for (int i = 0; i < n; i++) {
                                total += encoder.encode(planes[i % planes.length]).length;
                            }
                            double perSecond = n / ((System.nanoTime() - t0) / 1e9);
                            rate[k] = pass == 0 ? 0 : Math.max(rate[k], perSecond);
                            bytes[k] = total;
                        }
                    }
                    long t0 = System.nanoTime();
                    scanBytes = 0;
                    for (int i = 0; i < n; i++) {
                        byte[] slice = plain[i % planes.length];
                        scanBytes += slice.length;
                        transcoder.transcode(slice, 1, from, own.huffman().jpegHuffman());
                    }
                    double perSecond = n / ((System.nanoTime() - t0) / 1e9);
                    rate[2] = pass == 0 ? 0 : Math.max(rate[2], perSecond);
                }
                report.append(String.format("  %-9s %3dx%-3d: standard %7.0f slices/s, optimized %7.0f slices/s (%.2fx time),"
                        + " transcoder alone %7.0f slices/s (%.0f MB/s of scan data); bytes %.3fx%n", codec.backend().text(), size,
                        size, rate[0], rate[1], rate[0] / rate[1], rate[2], rate[2] * scanBytes / n / 1e6,
                        bytes[1] / (double) bytes[0]));
                assertTrue(bytes[1] < bytes[0], report.toString());
            }
        }
        System.out.print(report);
    }
}
