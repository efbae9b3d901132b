package org.jpkl.jpeg;

import static org.jpkl.jpeg.JpegSharedTablesTest.QUALITIES;
import static org.jpkl.jpeg.JpegSharedTablesTest.codecs;
import static org.jpkl.jpeg.JpegSharedTablesTest.decode;
import static org.jpkl.jpeg.JpegSharedTablesTest.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
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
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tables=header}: slices hold only their scan data and the header bytes that differ between
 * slices ({@link JpegHeader}); the rebuilt stream is byte for byte the complete stream
 * {@code tables=inline} stores, on every backend, quality, dtype, layout and subsampling; slices of
 * another kind and hostile slices are refused or decoded within the plane; files written with
 * {@code tables=shared} before {@code header} existed keep decoding.
 */
class JpegSharedHeaderTest {
    private static final DType[] DTYPES = {DType.UINT8, DType.UINT16, DType.INT16, DType.FLOAT32};

    private static CodecParams params(JpegCodec codec, String tables, int quality, String subsampling) {
        return codec.params(Map.of("quality", Integer.toString(quality), "subsampling", subsampling, "tables", tables));
    }

    private static byte[] rebuild(JpegHeader header, byte[] slice) throws IOException {
        byte[] out = new byte[header.completeLength(slice.length)];
        header.rebuild(ByteBuffer.wrap(slice), out);
        return out;
    }

    @Test
    void rebuiltSliceIsTheInlineStreamAndDecodesToTheSameSamples() throws IOException {
        for (JpegCodec codec : codecs()) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                for (DType dtype : DTYPES) {
                    PlaneSpec spec = new PlaneSpec(dtype, 37, 53, channels);
                    PlaneBuffer plane = TestPlanes.smooth(spec, 7, true, false);
                    for (String subsampling : channels == ChannelLayout.RGB ? new String[] {"420", "444"} : new String[] {"420"}) {
                        for (int quality : QUALITIES) {
                            String what = codec + " " + spec + " " + subsampling + " quality " + quality;
                            CodecParams inline = params(codec, "inline", quality, subsampling);
                            CodecParams header = params(codec, "header", quality, subsampling);
                            byte[] full = encode(codec, inline, plane);
                            byte[] stored = encode(codec, header, plane);
                            JpegHeader h = JpegHeader.of(spec, (JpegParams) header);
                            int kept = dtype == DType.UINT8 ? 1 : 17;
                            assertEquals(full.length - h.template().length - 2 + kept, stored.length, what);
                            assertArrayEquals(full, rebuild(h, stored), what);
                            assertTrue(TestPlanes.bitEqual(decode(codec, inline, spec, full), decode(codec, header, spec, stored)), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void eachBackendReadsTheOthersSlicesWhichDifferOnlyInTheJfifVersion() throws IOException {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 64, 64, ChannelLayout.RGB);
        for (Map.Entry<JpegCodec, byte[]> e : JpegSharedTablesTest.assertEachBackendReadsTheOthers(spec, "header").entrySet()) {
            byte minor = e.getValue()[0];
            assertEquals(e.getKey().backend() == JpegBackend.IMAGEIO ? 2 : 1, minor, e.getKey() + " writes JFIF 1.0" + minor);
        }
    }

    @Test
    void aSliceOfAnotherKindIsRefused() throws IOException {
        for (JpegCodec codec : codecs()) {
            PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
            PlaneBuffer plane = TestPlanes.smooth(spec, 1, false, false);
            CodecParams header = codec.params(Map.of("tables", "header"));
            for (String other : new String[] {"inline", "shared"}) {
                CodecParams params = codec.params(Map.of("tables", other));
                byte[] slice = encode(codec, params, plane);
                JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(codec, header, spec, slice));
                assertEquals("jpeg: slice data: JPEG slice starts with FF, which is no JFIF minor version (0..2) as tables=header"
                        + " stores first; it looks like a complete or abbreviated JPEG stream (tables=inline or shared)", e.getMessage());
                byte[] stored = encode(codec, header, plane);
                JpklFormatException back = assertThrows(JpklFormatException.class, () -> decode(codec, params, spec, stored));
                assertTrue(back.getMessage().startsWith("jpeg: slice data: not a JPEG stream: it starts with 0"), back.getMessage());
            }
            JpklFormatException shortGrey = assertThrows(JpklFormatException.class, () -> decode(codec, header, spec, new byte[] {1}));
            assertEquals("jpeg: slice data: JPEG slice of 1 bytes is too short for tables=header, which stores the JFIF minor version"
                    + " (1 byte) and at least 1 byte of scan data", shortGrey.getMessage());
            PlaneSpec wide = new PlaneSpec(DType.FLOAT64, 16, 16, ChannelLayout.RGB);
            JpklFormatException shortRgb = assertThrows(JpklFormatException.class, () -> decode(codec, header, wide, new byte[17]));
            assertEquals("jpeg: slice data: JPEG slice of 17 bytes is too short for tables=header, which stores the JFIF minor version"
                    + " (1 byte), the 8-bit mapping's window (16 bytes) and at least 1 byte of scan data", shortRgb.getMessage());
            byte[] version3 = encode(codec, header, plane);
            version3[0] = 3;
            JpklFormatException e3 = assertThrows(JpklFormatException.class, () -> decode(codec, header, spec, version3));
            assertEquals("jpeg: slice data: JPEG slice starts with 03, which is no JFIF minor version (0..2) as tables=header stores"
                    + " first", e3.getMessage());
        }
    }

    @Test
    void aLibraryThatWritesAnotherHeaderFailsTheEncodeLoudly() throws IOException {
        JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        PlaneBuffer plane = TestPlanes.smooth(spec, 4, false, false);
        JpegHeader quality90 = JpegHeader.of(spec, (JpegParams) codec.params(Map.of("tables", "header")));
        byte[] quality80 = encode(codec, codec.params(Map.of("quality", "80")), plane);
        // DQT starts at byte 20 (after SOI and the 18-byte APP0); its first value, at 25, is 3 at quality 90 and 6 at 80.
        IOException e = assertThrows(IOException.class, () -> quality90.strip(quality80));
        assertEquals("the JPEG library's stream of " + quality80.length + " bytes differs at byte 25 (06) from the header that"
                + " tables=header rebuilds for uint8 16x16 grey at quality 90 (03); use tables=inline", e.getMessage());
        byte[] full = encode(codec, codec.params(Map.of()), plane);
        byte[] version3 = full.clone();
        version3[JpegHeader.MINOR_AT] = 3;
        IOException v = assertThrows(IOException.class, () -> quality90.strip(version3));
        assertEquals("the JPEG library's stream of " + full.length + " bytes differs at byte 12 (03) from the header that"
                + " tables=header rebuilds for uint8 16x16 grey at quality 90 (a JFIF minor version 0..2); use tables=inline",
                v.getMessage());
        byte[] trailing = Arrays.copyOf(full, full.length + 1);
        IOException t = assertThrows(IOException.class, () -> quality90.strip(trailing));
        assertEquals("the JPEG library's stream of " + trailing.length + " bytes differs at byte " + (trailing.length - 2) + " (D9)"
                + " from the header that tables=header rebuilds for uint8 16x16 grey at quality 90 (scan data and the EOI marker FFD9);"
                + " use tables=inline", t.getMessage());
        byte[] headerOnly = Arrays.copyOf(full, quality90.template().length + 2);
        IOException h = assertThrows(IOException.class, () -> quality90.strip(headerOnly));
        assertTrue(h.getMessage().startsWith("the JPEG library's stream of " + headerOnly.length + " bytes differs at byte "
                + headerOnly.length + " (the end of the stream)"), h.getMessage());
        assertEquals("a JPEG frame holds at most 65535 x 65535 samples; the plane is uint8 1x65536 grey",
                assertThrows(IllegalArgumentException.class, () -> JpegHeader.of(new PlaneSpec(DType.UINT8, 1, 65536, ChannelLayout.GREY),
                        JpegParams.defaults())).getMessage());
    }

    /**
     * Hostile slices: every truncation is refused (the scan data runs short, which libjpeg warns of);
     * every single-byte change, markers (SOI, SOS, EOI, DHT, DQT, SOF, RST, DRI) injected into or
     * replacing the scan data, and garbage reach the JPEG library inside a header that matches the plane,
     * so they are refused or decode to a plane of the expected size, never another exception; the
     * decoder still decodes good slices afterwards.
     */
    @Test
    void hostileSlicesAreRefusedOrDecodedWithinThePlane() throws IOException {
        byte[][] markers = {
            {(byte) 0xFF, (byte) 0xD8}, {(byte) 0xFF, (byte) 0xD9}, {(byte) 0xFF, (byte) 0xD0},
            {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0},
            {(byte) 0xFF, (byte) 0xDA, (byte) 0xFF, (byte) 0xFF, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0},
            {(byte) 0xFF, (byte) 0xC4, 0, 3, 0}, {(byte) 0xFF, (byte) 0xDB, 0, 67, 0},
            {(byte) 0xFF, (byte) 0xC0, 0, 11, 8, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 1, 0x11, 0},
            {(byte) 0xFF, (byte) 0xDD, 0, 4, 0, 1}};
        for (JpegCodec codec : codecs()) {
            for (PlaneSpec spec : new PlaneSpec[] {new PlaneSpec(DType.UINT8, 24, 24, ChannelLayout.GREY),
                new PlaneSpec(DType.UINT16, 24, 24, ChannelLayout.RGB)}) {
                CodecParams header = codec.params(Map.of("tables", "header"));
                byte[] good = encode(codec, header, TestPlanes.smooth(spec, 8, false, false));
                PlaneBuffer expected = decode(codec, header, spec, good);
                int prefix = spec.dtype() == DType.UINT8 ? 1 : 17;
                Random random = new Random(17);
                int refused = 0;
                int others = 0;
                try (SliceDecoder d = codec.newDecoder(header, spec)) {
                    // the scan data runs short: libjpeg warns, which is an error
                    everyTruncationIsRefused(d, spec, good, codec + " " + spec);
                    for (int i = 0; i < good.length; i++) {
                        byte[] bad = good.clone();
                        bad[i] ^= (byte) (1 + random.nextInt(255));
                        others++;
                        refused += refusedOrDecoded(d, spec, bad, codec + " " + spec + " byte " + i + " changed") ? 1 : 0;
                    }
                    for (byte[] marker : markers) {
                        for (int at : new int[] {prefix, prefix + 1, (prefix + good.length) / 2, good.length - 1, good.length}) {
                            byte[] injected = new byte[good.length + marker.length];
                            System.arraycopy(good, 0, injected, 0, at);
                            System.arraycopy(marker, 0, injected, at, marker.length);
                            System.arraycopy(good, at, injected, at + marker.length, good.length - at);
                            others++;
                            String what = codec + " " + spec + " marker injected at " + at;
                            refused += refusedOrDecoded(d, spec, injected, what) ? 1 : 0;
                        }
                        byte[] only = Arrays.copyOf(good, prefix + marker.length);
                        System.arraycopy(marker, 0, only, prefix, marker.length);
                        others++;
                        refused += refusedOrDecoded(d, spec, only, codec + " " + spec + " scan data replaced by a marker") ? 1 : 0;
                    }
                    for (int round = 0; round < 50; round++) {
                        byte[] garbage = new byte[prefix + 1 + random.nextInt(2 * good.length)];
                        random.nextBytes(garbage);
                        garbage[0] = (byte) random.nextInt(3);
                        others++;
                        String what = codec + " " + spec + " garbage scan data, round " + round;
                        refused += refusedOrDecoded(d, spec, garbage, what) ? 1 : 0;
                    }
                    System.out.printf("JpegSharedHeaderTest: %s %s: refused all %d truncations and %d of %d other hostile slices;"
                            + " the rest decoded to a %s plane%n", codec, spec, good.length, refused, others, spec);
                    PlaneBuffer again = PlaneBuffer.allocate(spec);
                    d.decode(ByteBuffer.wrap(good), again);
                    assertTrue(TestPlanes.bitEqual(expected, again), codec + " " + spec + ": still decodes good slices");
                }
            }
        }
    }

    /** Decoding each proper prefix of {@code good} (every truncation) is refused with a JpklFormatException. */
    static void everyTruncationIsRefused(SliceDecoder d, PlaneSpec spec, byte[] good, String what) {
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(cut), PlaneBuffer.allocate(spec)),
                    what + " truncated to " + n);
        }
    }

    /** Decodes {@code slice}: true if refused with a JpklFormatException, false if decoded; fails on any other exception. */
    static boolean refusedOrDecoded(SliceDecoder d, PlaneSpec spec, byte[] slice, String what) {
        try {
            d.decode(ByteBuffer.wrap(slice), PlaneBuffer.allocate(spec));
            return false;
        } catch (JpklFormatException refused) {
            return true;
        } catch (IOException | RuntimeException e) {
            fail(what + " gave " + e, e);
            return false;
        }
    }

    /**
     * Files written with {@code tables=shared} (abbreviated streams, before {@code header} existed;
     * frozen in the test resources, written by the ImageIO backend from {@code TestPlanes.smoothArray})
     * decode on every backend to the samples of the same content written with {@code tables=inline} now.
     */
    @Test
    void filesWrittenWithSharedTablesKeepDecoding(@TempDir Path dir) throws IOException {
        Object[][] frozen = {
            {"shared-v1-grey-uint8.jpkl", TestPlanes.smoothArray(DType.UINT8, ChannelLayout.GREY, 5, 16, 16, 2), 90},
            {"shared-v1-rgb-uint16.jpkl", TestPlanes.smoothArray(DType.UINT16, ChannelLayout.RGB, 6, 16, 16, 3, 2), 75}};
        for (String backend : new String[] {"imageio", "auto"}) {
            Jpkl jpkl = Jpkl.builder().providerOption("jpeg.backend", backend).parallelism(1).build();
            for (Object[] f : frozen) {
                Path file = dir.resolve((String) f[0]);
                try (InputStream in = JpegSharedHeaderTest.class.getResourceAsStream((String) f[0])) {
                    Files.write(file, in.readAllBytes());
                }
                NdArray content = (NdArray) f[1];
                Path inline = dir.resolve("inline.jpkl");
                jpkl.save(content, inline, WriteOptions.builder().codec("jpeg").param("quality", (Integer) f[2])
                        .layout(PlaneLayout.jpkl(content.shape().length == 4)).build());
                try (JpklArray old = jpkl.open(file); JpklArray now = jpkl.open(inline)) {
                    assertEquals("shared", old.codecParams().get("tables"), (String) f[0]);
                    assertEquals(now.get("..."), old.get("..."), backend + " " + f[0]);
                }
            }
        }
    }
}
