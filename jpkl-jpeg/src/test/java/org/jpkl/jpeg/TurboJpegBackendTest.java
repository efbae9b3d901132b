package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TurboJPEG backend against the ImageIO one on the same planes and the same bytes: each decodes
 * what the other writes, both decoders give the same samples, and the streams are the same apart from
 * the JFIF APP0 segment. Skipped where libturbojpeg is missing, except on CI ({@link TurboJpegTests}).
 */
class TurboJpegBackendTest {
    private static final JpegCodec TURBO = new JpegCodec(JpegBackend.TURBOJPEG);
    private static final JpegCodec IMAGEIO = new JpegCodec(JpegBackend.IMAGEIO);

    @BeforeEach
    void needsTurboJpeg() {
        TurboJpegTests.assumeTurboJpeg();
    }

    private static byte[] encode(JpegCodec codec, Map<String, String> params, PlaneBuffer plane) throws IOException {
        try (SliceEncoder e = codec.newEncoder(codec.params(params), plane.spec())) {
            return e.encode(plane);
        }
    }

    private static PlaneBuffer decode(JpegCodec codec, PlaneSpec spec, byte[] bytes) throws IOException {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder d = codec.newDecoder(codec.params(Map.of()), spec)) {
            d.decode(ByteBuffer.wrap(bytes), out);
        }
        return out;
    }

    @Test
    void forcedAndAutoBackendsUseTurboJpegAndSaySo() {
        assertEquals(JpegBackend.TURBOJPEG, TURBO.backend());
        assertTrue(TURBO.availability().isAvailable(), TURBO.availability().toString());
        assertTrue(TURBO.implementation().startsWith("libjpeg-turbo TurboJPEG via JNA "), TURBO.implementation());
        JpegCodec auto = new JpegCodec(JpegBackend.AUTO);
        assertEquals(JpegBackend.TURBOJPEG, auto.backend());
        assertEquals(TURBO.implementation(), auto.implementation());
        System.out.println("jpeg backend auto uses " + auto.implementation());
    }

    /** The planes compared: camera content, grey and RGB, uint8 and uint16 (mapped), one MCU-aligned and one odd shape. */
    private static List<PlaneBuffer> planes() {
        List<PlaneBuffer> planes = new ArrayList<>();
        for (int[] hw : new int[][] {{256, 320}, {17, 33}}) {
            int h = hw[0];
            int w = hw[1];
            planes.add(CameraPlanes.uint8(CameraPlanes.greyCounts(h, w, 11), h, w, ChannelLayout.GREY));
            planes.add(CameraPlanes.uint8(CameraPlanes.rgbCounts(h, w, 12), h, w, ChannelLayout.RGB));
            planes.add(CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(h, w, 13), h, w, ChannelLayout.GREY));
            planes.add(CameraPlanes.as(DType.UINT16, CameraPlanes.rgbCounts(h, w, 14), h, w, ChannelLayout.RGB));
        }
        return planes;
    }

    /**
     * Each backend decodes the other's slices, and on the same bytes both decoders give the same samples
     * (max abs difference 0, measured and required), for grey, RGB 4:2:0 and RGB 4:4:4, uint8 and
     * uint16 through the 8-bit mapping, at quality 90 and 50.
     */
    @Test
    void bothDecodersGiveIdenticalSamplesForSlicesEitherWrote() throws IOException {
        int compared = 0;
        for (PlaneBuffer plane : planes()) {
            for (String subsampling : List.of("420", "444")) {
                if (plane.spec().channels() == ChannelLayout.GREY && subsampling.equals("444")) {
                    continue;
                }
                for (String quality : List.of("90", "50")) {
                    Map<String, String> params = Map.of("subsampling", subsampling, "quality", quality);
                    for (JpegCodec writer : List.of(TURBO, IMAGEIO)) {
                        byte[] bytes = encode(writer, params, plane);
                        PlaneBuffer byTurbo = decode(TURBO, plane.spec(), bytes);
                        PlaneBuffer byImageIo = decode(IMAGEIO, plane.spec(), bytes);
                        String what = plane.spec() + " " + params + " written by " + writer.backend();
                        assertEquals(0.0, ErrorMetrics.between(byImageIo, byTurbo).maxAbsError(), what + ": max abs difference of the decoders");
                        compared++;
                    }
                }
            }
        }
        assertEquals(48, compared);
    }

    /**
     * The two encoders write the same stream apart from the JFIF APP0 segment (ImageIO and TurboJPEG set
     * its density fields differently): same quantisation tables, same DCT, same Huffman coding. Measured
     * with Debian's OpenJDK 17, whose ImageIO links the system libjpeg-turbo 2.1.5 (libjpeg.so.62).
     */
    @Test
    void bothEncodersWriteTheSameStreamApartFromTheJfifSegment() throws IOException {
        for (PlaneBuffer plane : planes()) {
            for (String subsampling : List.of("420", "444")) {
                Map<String, String> params = Map.of("subsampling", subsampling);
                byte[] turbo = encode(TURBO, params, plane);
                byte[] imageIo = encode(IMAGEIO, params, plane);
                JpegSegments.Segment app0 = JpegSegments.first(turbo, 0xE0);
                assertEquals(2, app0.offset(), "JFIF APP0 right after SOI");
                assertEquals(app0, JpegSegments.first(imageIo, 0xE0), "APP0 of the same length at the same place");
                int after = app0.payload() + app0.length();
                assertTrue(Arrays.equals(turbo, after, turbo.length, imageIo, after, imageIo.length),
                        plane.spec() + " " + params + ": the streams differ after APP0 (" + turbo.length + " vs " + imageIo.length
                                + " bytes)");
            }
        }
    }

    /** Sizes and PSNR of both encoders at quality 90 on 512x512 camera planes (printed; equal, as the streams are). */
    @Test
    void sizesAndPsnrAtQuality90MatchImageIo() throws IOException {
        int n = 512;
        for (PlaneBuffer plane : List.of(CameraPlanes.uint8(CameraPlanes.greyCounts(n, n, 1), n, n, ChannelLayout.GREY),
                CameraPlanes.uint8(CameraPlanes.rgbCounts(n, n, 2), n, n, ChannelLayout.RGB))) {
            byte[] turbo = encode(TURBO, Map.of(), plane);
            byte[] imageIo = encode(IMAGEIO, Map.of(), plane);
            double psnrTurbo = ErrorMetrics.between(plane, decode(TURBO, plane.spec(), turbo)).psnr(255);
            double psnrImageIo = ErrorMetrics.between(plane, decode(IMAGEIO, plane.spec(), imageIo)).psnr(255);
            System.out.printf(Locale.ROOT, "jpeg q90 %s: TurboJPEG %d bytes, PSNR %.3f dB; ImageIO %d bytes, PSNR %.3f dB%n",
                    plane.spec(), turbo.length, psnrTurbo, imageIo.length, psnrImageIo);
            assertEquals(imageIo.length, turbo.length, plane.spec() + ": sizes");
            assertEquals(psnrImageIo, psnrTurbo, 1e-9, plane.spec() + ": PSNR");
            assertTrue(psnrTurbo > 35, plane.spec() + ": PSNR " + psnrTurbo);
        }
    }

    @Test
    void damagedStreamsAreRefusedByTurboJpegWithItsMessage() throws IOException {
        PlaneBuffer plane = CameraPlanes.uint8(CameraPlanes.rgbCounts(64, 80, 3), 64, 80, ChannelLayout.RGB);
        byte[] bytes = encode(TURBO, Map.of(), plane);
        JpegSegments.Segment sos = JpegSegments.first(bytes, 0xDA);
        int scan = sos.payload() + sos.length();
        byte[] cut = Arrays.copyOf(bytes, scan + 100);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        byte[] corrupt = bytes.clone();
        corrupt[scan + 40] = (byte) 0xFF;
        corrupt[scan + 41] = (byte) 0xD3;
        try (SliceDecoder d = TURBO.newDecoder(TURBO.params(Map.of()), plane.spec())) {
            PlaneBuffer out = PlaneBuffer.allocate(plane.spec());
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(cut), out));
            assertTrue(e.getMessage().contains("libjpeg-turbo (TurboJPEG) warned") && e.getMessage().contains("damaged or truncated"),
                    e.getMessage());
            e = assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(corrupt), out));
            assertTrue(e.getMessage().contains("libjpeg-turbo (TurboJPEG)"), e.getMessage());
            System.out.println("TurboJPEG on a cut scan: " + e.getMessage());
            // The handle is reusable after an error.
            d.decode(ByteBuffer.wrap(bytes), out);
            assertTrue(TestPlanes.bitEqual(decode(IMAGEIO, plane.spec(), bytes), out));
        }
    }

    /** Slices bigger than the first one (the native input buffer grows) and decoding into offsets of big arrays. */
    @Test
    void decoderGrowsItsInputBufferAndWritesOnlyThePlane() throws IOException {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 48, 64, ChannelLayout.GREY);
        PlaneBuffer flat = PlaneBuffer.allocate(spec);
        Arrays.fill(flat.bytes(), (byte) 90);
        PlaneBuffer noisy = CameraPlanes.uint8(CameraPlanes.greyCounts(48, 64, 8), 48, 64, ChannelLayout.GREY);
        byte[] small = encode(TURBO, Map.of(), flat);
        byte[] large = encode(TURBO, Map.of("quality", "100"), noisy);
        assertTrue(large.length > 4 * small.length, small.length + " vs " + large.length);
        byte[] big = new byte[3 * spec.sampleCount()];
        Arrays.fill(big, (byte) 7);
        try (SliceDecoder d = TURBO.newDecoder(TURBO.params(Map.of()), spec)) {
            for (byte[] bytes : List.of(small, large, small)) {
                d.decode(ByteBuffer.wrap(bytes), PlaneBuffer.wrap(spec, big, spec.sampleCount()));
                PlaneBuffer expected = decode(IMAGEIO, spec, bytes);
                assertTrue(Arrays.equals(expected.bytes(), 0, spec.sampleCount(), big, spec.sampleCount(), 2 * spec.sampleCount()));
                for (int i = 0; i < spec.sampleCount(); i++) {
                    assertEquals(7, big[i], "before the plane");
                    assertEquals(7, big[2 * spec.sampleCount() + i], "after the plane");
                }
            }
        }
    }

    /**
     * Streams from other writers that the slice rules allow (progressive, optimised Huffman tables,
     * restart markers, luma sampling factors 2x1, 1x2, 4x1, 2x2, 1x1): both decoders give the same
     * samples. Written with the JDK's ImageIO writer and its JPEG metadata.
     */
    @Test
    void bothDecodersAgreeOnStreamsFromOtherWriters() throws IOException {
        PlaneBuffer plane = CameraPlanes.uint8(CameraPlanes.rgbCounts(50, 70, 21), 50, 70, ChannelLayout.RGB);
        List<String> variants = new ArrayList<>();
        for (int[] hv : new int[][] {{2, 1}, {1, 2}, {4, 1}, {2, 2}, {1, 1}}) {
            for (int mode = 0; mode < 4; mode++) {
                byte[] bytes = OtherWriters.jdkJpeg(plane, hv[0], hv[1], mode == 1, mode == 2, mode == 3 ? 3 : 0);
                String what = "luma " + hv[0] + "x" + hv[1] + (mode == 1 ? " progressive" : mode == 2 ? " optimised" : mode == 3
                        ? " restart interval 3" : "");
                List<Integer> markers = JpegSegments.markers(bytes);
                assertEquals(mode == 1, markers.contains(0xC2), what + ": progressive frame (SOF2) " + markers);
                assertEquals(mode == 3, markers.contains(0xDD), what + ": restart interval (DRI) " + markers);
                int sof = JpegSegments.first(bytes, mode == 1 ? 0xC2 : 0xC0).payload();
                assertEquals(hv[0] << 4 | hv[1], bytes[sof + 7] & 0xFF, what + ": luma sampling factors");
                PlaneBuffer byImageIo = decode(IMAGEIO, plane.spec(), bytes);
                PlaneBuffer byTurbo = decode(TURBO, plane.spec(), bytes);
                assertEquals(0.0, ErrorMetrics.between(byImageIo, byTurbo).maxAbsError(), what);
                assertTrue(ErrorMetrics.between(plane, byTurbo).psnr(255) > 30, what);
                variants.add(what);
            }
        }
        assertEquals(20, variants.size());
    }
}
