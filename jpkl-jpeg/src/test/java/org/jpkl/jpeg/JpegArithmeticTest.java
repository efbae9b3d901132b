package org.jpkl.jpeg;

import static org.jpkl.jpeg.JpegSharedTablesTest.codecs;
import static org.jpkl.jpeg.JpegSharedTablesTest.decode;
import static org.jpkl.jpeg.JpegSharedTablesTest.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coding=arithmetic}: the QM-coder ({@link JpegArithmetic}) writes exactly the scan that
 * libjpeg-turbo's {@code jpegtran -arithmetic} writes for the same Huffman JPEG, and its decoder gives
 * back the Huffman scan byte for byte.
 *
 * <p>{@code jpegtran} (Debian {@code libjpeg-turbo-progs}) is found through the system property
 * {@value #JPEGTRAN_PROPERTY}, else the environment variable {@value #JPEGTRAN_ENV}, else on the
 * {@code PATH}; where it is missing the comparison is skipped with a message (failed under {@code CI=true}).
 */
class JpegArithmeticTest {
    /** System property naming the jpegtran executable. */
    static final String JPEGTRAN_PROPERTY = "jpkl.test.jpegtran";
    /** Environment variable naming the jpegtran executable. */
    static final String JPEGTRAN_ENV = "JPKL_JPEGTRAN";

    /** The jpegtran executable, or why there is none. */
    private static Optional<Path> jpegtran() {
        String named = System.getProperty(JPEGTRAN_PROPERTY, System.getenv(JPEGTRAN_ENV));
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "jpegtran"))) {
                return Optional.of(Path.of(dir, "jpegtran"));
            }
        }
        return Optional.empty();
    }

    private static Path requireJpegtran() {
        Optional<Path> found = jpegtran();
        String named = System.getProperty(JPEGTRAN_PROPERTY, System.getenv(JPEGTRAN_ENV));
        OptionalPieces.require("jpegtran", found.isPresent() ? Optional.empty() : Optional.of(named != null && !named.isBlank()
                ? named + " (from " + JPEGTRAN_PROPERTY + " or " + JPEGTRAN_ENV + ") is not executable"
                : "no jpegtran on the PATH (or name it with -D" + JPEGTRAN_PROPERTY + " or " + JPEGTRAN_ENV + ")"), "libjpeg-turbo-progs");
        return found.orElseThrow();
    }

    static PlaneBuffer constant(PlaneSpec spec, double value) {
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        for (int i = 0; i < spec.sampleCount(); i++) {
            TestPlanes.set(plane, i, value);
        }
        return plane;
    }

    /** The entropy-coded data of a stream's only scan: after its SOS segment, before the final EOI. */
    static byte[] scanData(byte[] stream) {
        int at = 2;
        while (true) {
            int marker = stream[at + 1] & 0xFF;
            int length = ((stream[at + 2] & 0xFF) << 8) | (stream[at + 3] & 0xFF);
            if (marker == 0xDA) {
                return Arrays.copyOfRange(stream, at + 2 + length, stream.length - 2);
            }
            at += 2 + length;
        }
    }

    private static byte[] run(Path jpegtran, Path dir, byte[] jpeg) throws IOException, InterruptedException {
        Path in = dir.resolve("in.jpg");
        Path out = dir.resolve("out.jpg");
        Files.write(in, jpeg);
        Process p = new ProcessBuilder(jpegtran.toString(), "-arithmetic", "-outfile", out.toString(), in.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !said.isEmpty()) {
            throw new IOException(jpegtran + " failed: " + said);
        }
        return Files.readAllBytes(out);
    }

    /**
     * The arithmetic scan of every plane kind (grey, YCbCr 4:2:0 and 4:4:4; sizes with partial MCUs;
     * smooth, noisy and constant content, mid-grey giving an empty scan; qualities 1..100) is byte for byte jpegtran's, and decodes
     * back to the Huffman scan it came from.
     */
    @Test
    void theArithmeticScanIsJpegtransByteForByte(@TempDir Path dir) throws IOException, InterruptedException {
        Path jpegtran = requireJpegtran();
        JpegCodec codec = codecs().get(0);
        int checked = 0;
        for (ChannelLayout channels : ChannelLayout.values()) {
            for (int[] size : new int[][] {{37, 53}, {64, 64}, {9, 17}, {1, 1}, {128, 96}}) {
                for (String subsampling : channels == ChannelLayout.RGB ? new String[] {"420", "444"} : new String[] {"420"}) {
                    for (int quality : new int[] {1, 50, 75, 90, 100}) {
                        for (int content = 0; content < 4; content++) {
                            PlaneSpec spec = new PlaneSpec(DType.UINT8, size[0], size[1], channels);
                            PlaneBuffer plane = content == 0 ? TestPlanes.smooth(spec, 7, true, false)
                                    : content == 1 ? TestPlanes.noise(spec, 3) : constant(spec, content == 2 ? 77 : 128); // 128: all coefficients 0, an empty arithmetic scan
                            String what = spec + " " + subsampling + " quality " + quality + " content " + content;
                            CodecParams p = codec.params(Map.of("quality", Integer.toString(quality), "subsampling", subsampling,
                                    "tables", "header"));
                            byte[] slice = encode(codec, p, plane);
                            JpegHeader header = JpegHeader.of(spec, (JpegParams) p);
                            byte[] full = new byte[header.completeLength(slice.length)];
                            header.rebuild(ByteBuffer.wrap(slice), full);
                            JpegScanTranscoder scans = new JpegScanTranscoder(spec.width(), spec.height(), channels.samplesPerPixel(),
                                    subsampling.equals("420"));
                            JpegArithmetic arithmetic = new JpegArithmetic(scans);
                            JpegHuffman standard = JpegHuffman.standard(channels.samplesPerPixel());
                            byte[] ours = arithmetic.encode(slice, 1, standard);
                            int check = JpegArithmetic.CHECK_BYTES;
                            assertArrayEquals(scanData(run(jpegtran, dir, full)), Arrays.copyOfRange(ours, 1 + check, ours.length), what);
                            assertArrayEquals(slice, arithmetic.toHuffman(ours, 1 + check, standard), what + ": back to Huffman");
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(300, checked);
    }

    private static final Map<String, String> ARITHMETIC = Map.of("tables", "header", "coding", "arithmetic");

    @Test
    void theParameterIsStoredOnlyWhenSetAndNeedsHeaderTablesAndStandardHuffman() {
        JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);
        assertEquals(Map.of("quality", "90", "subsampling", "420", "window", "slice", "transfer", "linear", "tables", "header"),
                codec.params(Map.of("tables", "header", "coding", "huffman")).toMap());
        assertEquals(List.of("quality", "subsampling", "window", "transfer", "tables", "coding"),
                List.copyOf(codec.params(ARITHMETIC).toMap().keySet()));
        assertEquals("arithmetic", codec.params(ARITHMETIC).toMap().get("coding"));
        assertFalse(codec.encodesAlike(Map.of("tables", "header"), ARITHMETIC, DType.UINT8, ChannelLayout.GREY));
        Map<Map<String, String>, String> refused = new LinkedHashMap<>();
        refused.put(Map.of("coding", "arithmetic"), "codec 'jpeg': coding=arithmetic needs tables=header (the container rebuilds the"
                + " arithmetic-coded frame's header), not tables=inline");
        refused.put(Map.of("coding", "arithmetic", "tables", "shared"), "codec 'jpeg': coding=arithmetic needs tables=header (the"
                + " container rebuilds the arithmetic-coded frame's header), not tables=shared");
        refused.put(Map.of("coding", "arithmetic", "tables", "header", "huffman", "optimized"), "codec 'jpeg': coding=arithmetic codes"
                + " the scans without Huffman tables, so huffman must be standard, not optimized");
        refused.put(Map.of("coding", "arithmetic", "tables", "header", "huffman", JpegCodecOwnHuffmanTest.TABLES), "codec 'jpeg':"
                + " coding=arithmetic codes the scans without Huffman tables, so huffman must be standard, not <tables>");
        refused.put(Map.of("coding", "arith", "tables", "header"), "codec 'jpeg': coding (arith) must be one of [huffman,"
                + " arithmetic]");
        for (Map.Entry<Map<String, String>, String> r : refused.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.params(r.getKey()), r.getKey().toString());
            assertEquals(r.getValue(), e.getMessage());
        }
    }

    /** The 8-bit levels that {@code engine} (closed after) decodes the rebuilt stream of {@code slice} to. */
    static byte[] levels(LevelDecompressor engine, PlaneSpec spec, JpegParams params, byte[] slice) throws IOException {
        try (engine) {
            byte[] out = new byte[spec.sampleCount()];
            engine.decompress(rebuilt(spec, params, slice), out, 0);
            return out;
        }
    }

    private static ByteBuffer rebuilt(PlaneSpec spec, JpegParams params, byte[] slice) throws IOException {
        JpegHeader header = JpegHeader.of(spec, params);
        byte[] out = new byte[header.completeLength(slice.length)];
        header.rebuild(ByteBuffer.wrap(slice), out);
        return ByteBuffer.wrap(out);
    }

    /**
     * The rebuilt stream of a {@code coding=arithmetic} slice (SOF9, no DHT or DAC) is standard arithmetic-coded
     * JPEG: libjpeg-turbo (TurboJPEG, and Pillow, PythonReaderCrossTest) decodes it to the levels of the
     * Huffman-coded slice, and so does javax.imageio where its JDK uses a libjpeg with arithmetic decoding
     * (Debian's OpenJDK links the system libjpeg-turbo; a JDK with its own libjpeg 6b refuses SOF9, which is
     * why the codec decodes arithmetic scans itself on every backend); printed.
     */
    @Test
    void theRebuiltArithmeticStreamIsStandardJpeg() throws IOException {
        for (ChannelLayout channels : ChannelLayout.values()) {
            PlaneSpec spec = new PlaneSpec(DType.UINT16, 40, 56, channels);
            PlaneBuffer plane = TestPlanes.smooth(spec, 12, false, false);
            for (JpegCodec codec : codecs()) {
                JpegParams huffman = (JpegParams) codec.params(Map.of("tables", "header", "subsampling", "444"));
                JpegParams arithmetic = huffman.withCoding(JpegParams.Coding.ARITHMETIC);
                byte[] plain = encode(codec, huffman, plane);
                byte[] coded = encode(codec, arithmetic, plane);
                if (codec.backend() == JpegBackend.TURBOJPEG) {
                    assertArrayEquals(levels(new TurboJpegDecompressor(spec), spec, huffman, plain),
                            levels(new TurboJpegDecompressor(spec), spec, arithmetic, coded), spec.toString());
                    System.out.println("JpegArithmeticTest: " + TurboJpeg.describe() + " decodes the rebuilt SOF9 stream");
                } else {
                    byte[] expected = levels(new ImageIoDecompressor(ImageIoJpeg.find().newReader(), spec), spec, huffman, plain);
                    try {
                        byte[] got = levels(new ImageIoDecompressor(ImageIoJpeg.find().newReader(), spec), spec, arithmetic, coded);
                        assertArrayEquals(expected, got, "javax.imageio decoded SOF9, so to the same levels");
                        System.out.println("JpegArithmeticTest: javax.imageio here decodes the rebuilt SOF9 stream");
                    } catch (JpklFormatException e) {
                        System.out.println("JpegArithmeticTest: javax.imageio here cannot decode SOF9: " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * Scans of only zero coefficients (mid-grey planes) are a few bytes or, for one 8 x 8 block, none at
     * all (the encoder drops trailing zero bytes); every backend reads them.
     */
    @Test
    void anEmptyScanDecodesOnEveryBackend() throws IOException {
        for (PlaneSpec spec : new PlaneSpec[] {new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY),
            new PlaneSpec(DType.UINT8, 24, 40, ChannelLayout.GREY), new PlaneSpec(DType.UINT8, 24, 40, ChannelLayout.RGB)}) {
            JpegScanTranscoder scans = new JpegScanTranscoder(spec.width(), spec.height(), spec.channels().samplesPerPixel(), true);
            int blocks = scans.mcuCount() * scans.blockTables().length;
            byte[] slice = new JpegArithmetic(scans).encodeCoefficients(new byte[] {1}, 1, new int[64 * blocks]);
            if (blocks == 1) {
                assertEquals(1 + JpegArithmetic.CHECK_BYTES, slice.length, spec.toString());
            }
            for (JpegCodec reader : codecs()) {
                assertTrue(TestPlanes.bitEqual(constant(spec, 128), decode(reader, reader.params(ARITHMETIC), spec, slice)),
                        reader + " " + spec);
            }
        }
    }

    /**
     * Hostile arithmetic slices, on every backend: each truncation and each change of a byte of the check
     * value or the scan data is refused with a {@link JpklFormatException} (arithmetic-coded data ends
     * silently in zeros, so the check value catches what the data cannot show); appended bytes and a
     * slice read as a wider plane fail the check value, injected markers are refused with exact messages;
     * random scan data is refused or decoded within the plane; the decoder still decodes good slices after.
     */
    @Test
    void hostileArithmeticSlicesAreRefused() throws IOException {
        for (JpegCodec codec : codecs()) {
            for (PlaneSpec spec : new PlaneSpec[] {new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY),
                new PlaneSpec(DType.UINT16, 24, 24, ChannelLayout.RGB)}) {
                CodecParams params = codec.params(ARITHMETIC);
                byte[] good = encode(codec, params, TestPlanes.smooth(spec, 8, false, false));
                PlaneBuffer expected = decode(codec, params, spec, good);
                int fields = spec.dtype() == DType.UINT8 ? 1 : 17;
                int prefix = fields + JpegArithmetic.CHECK_BYTES;
                Random random = new Random(29);
                int decoded = 0;
                try (SliceDecoder d = codec.newDecoder(params, spec)) {
                    JpegSharedHeaderTest.everyTruncationIsRefused(d, spec, good, codec + " " + spec);
                    for (int i = 0; i < good.length; i++) {
                        byte[] bad = good.clone();
                        bad[i] ^= (byte) (1 + random.nextInt(255));
                        if (i >= fields) {
                            assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(bad), PlaneBuffer.allocate(spec)),
                                    codec + " " + spec + " byte " + i + " changed");
                        } else {
                            decoded += JpegSharedHeaderTest.refusedOrDecoded(d, spec, bad, codec + " " + spec + " byte " + i + " changed") ? 0 : 1;
                        }
                    }
                    for (int round = 0; round < 100; round++) {
                        byte[] garbage = Arrays.copyOf(good, prefix + random.nextInt(2 * good.length));
                        for (int i = prefix; i < garbage.length; i++) {
                            garbage[i] = (byte) random.nextInt(256);
                        }
                        decoded += JpegSharedHeaderTest.refusedOrDecoded(d, spec, garbage, codec + " " + spec + " garbage, round " + round) ? 0 : 1;
                    }
                    String what = "jpeg: slice data: JPEG arithmetic-coded scan data of a " + spec.height() + "x" + spec.width()
                            + (spec.channels() == ChannelLayout.RGB ? " YCbCr 4:2:0" : " grey") + " plane: ";
                    byte[] longer = Arrays.copyOf(good, good.length + 3);
                    longer[good.length] = 0x35;
                    String longerMessage = message(d, spec, longer);
                    assertTrue(longerMessage.matches(java.util.regex.Pattern.quote(what) + "its check value is [0-9A-F]{4}, but the slice"
                            + " stores [0-9A-F]{4}: the scan data is truncated, extended or altered, or belongs to a plane of another"
                            + " size"), longerMessage);
                    PlaneSpec wider = new PlaneSpec(spec.dtype(), spec.height(), spec.width() + 16, spec.channels()); // more MCUs
                    JpklFormatException widerError = assertThrows(JpklFormatException.class, () -> decode(codec, params, wider, good));
                    assertTrue(widerError.getMessage().contains(": its check value is "), widerError.getMessage());
                    byte[] marker = good.clone();
                    marker[prefix] = 0x12;
                    marker[prefix + 1] = (byte) 0xFF;
                    marker[prefix + 2] = (byte) 0xD9;
                    assertEquals(what + "marker FFD9 inside the scan data at byte 1", message(d, spec, marker));
                    byte[] lastFf = Arrays.copyOf(good, good.length + 1);
                    lastFf[good.length] = (byte) 0xFF;
                    assertEquals(what + "marker FF inside the scan data at byte " + (good.length - prefix), message(d, spec, lastFf));
                    System.out.printf("JpegArithmeticTest: %s %s: refused all %d truncations and all %d changes of the check value"
                            + " or scan data; %d changes of other fields and garbage decoded to a %s plane%n", codec, spec, good.length,
                            good.length - fields, decoded, spec);
                    PlaneBuffer again = PlaneBuffer.allocate(spec);
                    d.decode(ByteBuffer.wrap(good), again);
                    assertTrue(TestPlanes.bitEqual(expected, again), codec + " " + spec + ": still decodes good slices");
                }
            }
        }
    }

    /** Values that 8-bit baseline JPEG cannot hold, coded by the model (which can), are refused when decoded. */
    @Test
    void valuesOutsideBaselineAreRefused() throws IOException {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 8, 16, ChannelLayout.GREY);
        JpegScanTranscoder scans = new JpegScanTranscoder(16, 8, 1, false);
        String what = "jpeg: slice data: JPEG arithmetic-coded scan data of a 8x16 grey plane: ";
        Map<String, int[]> cases = new LinkedHashMap<>();
        cases.put(what + "block 1 has a DC difference beyond +-2047, outside 8-bit baseline JPEG", values(64, 2048));
        cases.put(what + "block 0 has a DC difference beyond +-2047, outside 8-bit baseline JPEG", values(0, -32768));
        cases.put(what + "block 1 has an AC coefficient beyond +-1023, outside 8-bit baseline JPEG", values(64 + 9, -1024));
        cases.put(what + "block 0 has an AC coefficient beyond +-1023, outside 8-bit baseline JPEG", values(63, 32768));
        for (JpegCodec codec : codecs()) {
            for (Map.Entry<String, int[]> c : cases.entrySet()) {
                byte[] slice = new JpegArithmetic(scans).encodeCoefficients(new byte[] {1}, 1, c.getValue());
                JpklFormatException e = assertThrows(JpklFormatException.class,
                        () -> decode(codec, codec.params(ARITHMETIC), spec, slice), c.getKey());
                assertEquals(c.getKey(), e.getMessage(), codec.toString());
            }
            int[] edge = values(0, -2047);
            edge[64] = 2047;
            edge[1] = 1023;
            edge[64 + 63] = -1023;
            byte[] slice = new JpegArithmetic(scans).encodeCoefficients(new byte[] {1}, 1, edge);
            decode(codec, codec.params(ARITHMETIC), spec, slice); // the largest values are fine
        }
    }

    private static int[] values(int at, int value) {
        int[] v = new int[2 * 64];
        v[at] = value;
        return v;
    }

    private static String message(SliceDecoder d, PlaneSpec spec, byte[] slice) {
        return assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(slice), PlaneBuffer.allocate(spec))).getMessage();
    }

    /**
     * Prints (does not assert) the decode speed of {@code coding=arithmetic} against Huffman-coded
     * {@code tables=header} slices, same run, same planes, each backend: slices per second of 64 x 64 and
     * 512 x 512 grey uint8 camera planes with shot noise at quality 90, passes alternating, the best of 5
     * after a warm-up; arithmetic as the codec decodes it (decoded and checked in Java, re-coded to Huffman,
     * then the engine) and, for comparison, with the engine's own arithmetic decoding after the same Java check.
     */
    @Test
    void decodeSpeedIsPrinted() throws IOException {
        StringBuilder report = new StringBuilder("JPEG decode, tables=header, Huffman (standard tables) vs arithmetic (best of 5 passes):\n");
        for (int size : new int[] {64, 512}) {
            PlaneSpec spec = new PlaneSpec(DType.UINT8, size, size, ChannelLayout.GREY);
            int n = size == 64 ? 2000 : 40;
            PlaneBuffer[] planes = CameraPlanes.greyUint8(size, 8);
            for (JpegCodec codec : codecs()) {
                JpegParams huffman = (JpegParams) codec.params(Map.of("tables", "header"));
                JpegParams arithmetic = (JpegParams) codec.params(ARITHMETIC);
                byte[][][] slices = new byte[2][planes.length][];
                long[] bytes = new long[2];
                for (int i = 0; i < planes.length; i++) {
                    slices[0][i] = encode(codec, huffman, planes[i]);
                    slices[1][i] = encode(codec, arithmetic, planes[i]);
                    bytes[0] += slices[0][i].length;
                    bytes[1] += slices[1][i].length;
                }
                double[] rate = new double[3];
                PlaneBuffer out = PlaneBuffer.allocate(spec);
                JpegHeader header = JpegHeader.of(spec, arithmetic);
                JpegArithmetic checker = new JpegArithmetic(new JpegScanTranscoder(size, size, 1, false));
                for (int pass = 0; pass < 6; pass++) {
                    for (int k = 0; k < 3; k++) {
                        byte[][] of = slices[k == 0 ? 0 : 1];
                        try (SliceDecoder d = codec.newDecoder(k == 0 ? huffman : arithmetic, spec);
                                LevelDecompressor engine = codec.backend() == JpegBackend.TURBOJPEG ? new TurboJpegDecompressor(spec)
                                        : new ImageIoDecompressor(ImageIoJpeg.find().newReader(), spec)) {
                            long t0 = System.nanoTime();
                            for (int i = 0; i < n; i++) {
                                byte[] slice = of[i % of.length];
                                if (k < 2) {
                                    d.decode(ByteBuffer.wrap(slice), out);
                                } else { // the SOF9 stream decoded by the engine itself, after the same Java check
                                    int prefix = header.prefixLength();
                                    checker.check(slice, prefix, slice.length, JpegArithmetic.checkValue(slice, prefix - 2));
                                    engine.decompress(rebuilt(spec, arithmetic, slice), out.bytes(), out.offset());
                                }
                            }
                            double perSecond = n / ((System.nanoTime() - t0) / 1e9);
                            rate[k] = pass == 0 ? 0 : Math.max(rate[k], perSecond);
                        } catch (JpklFormatException e) {
                            rate[k] = Double.NaN; // this engine cannot decode SOF9
                        }
                    }
                }
                report.append(String.format(java.util.Locale.ROOT, "  %-9s %3dx%-3d: Huffman %7.0f slices/s, arithmetic %7.0f slices/s"
                        + " (%.2fx time); if the engine decoded SOF9 itself %7.0f slices/s (%.2fx time); bytes %.3fx%n", codec.backend().text(), size,
                        size, rate[0], rate[1], rate[0] / rate[1], rate[2], rate[0] / rate[2], bytes[1] / (double) bytes[0]));
            }
        }
        System.out.print(report);
    }
}
