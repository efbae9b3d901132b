package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of the {@code jpeg} codec on uint8 planes: quality, standard output, channel order, errors.
 * Runs on the default backend (TurboJPEG where libturbojpeg is installed, else ImageIO); the subclass
 * {@link JpegCodecImageIoBehaviourTest} runs the same checks on ImageIO.
 */
class JpegCodecBehaviourTest {
    static final int H = 256;
    static final int W = 320;

    private final JpegCodec codec = newCodec();

    /** The codec under test: the ServiceLoader default here; subclasses force a backend. */
    protected JpegCodec newCodec() {
        return new JpegCodec();
    }

    private byte[] encode(Map<String, String> params, PlaneBuffer plane) throws IOException {
        try (SliceEncoder e = codec.newEncoder(codec.params(params), plane.spec())) {
            return e.encode(plane);
        }
    }

    private PlaneBuffer decode(Map<String, String> params, PlaneSpec spec, byte[] bytes) throws IOException {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder d = codec.newDecoder(codec.params(params), spec)) {
            d.decode(ByteBuffer.wrap(bytes), out);
        }
        return out;
    }

    private static PlaneBuffer greyCamera() {
        return CameraPlanes.uint8(CameraPlanes.greyCounts(H, W, 12345), H, W, ChannelLayout.GREY);
    }

    private static PlaneBuffer rgbCamera() {
        return CameraPlanes.uint8(CameraPlanes.rgbCounts(H, W, 12345), H, W, ChannelLayout.RGB);
    }

    @Test
    void quality90KeepsSmoothCameraContentAbove35Db() throws IOException {
        for (PlaneBuffer plane : List.of(greyCamera(), rgbCamera())) {
            byte[] bytes = encode(Map.of(), plane);
            double psnr = ErrorMetrics.between(plane, decode(Map.of(), plane.spec(), bytes)).psnr(255);
            System.out.printf(Locale.ROOT, "jpeg q90 %s: %d bytes, ratio %.2f, PSNR %.2f dB%n", plane.spec(), bytes.length,
                    plane.spec().byteSize() / (double) bytes.length, psnr);
            assertTrue(psnr >= 35, "PSNR " + psnr + " dB for " + plane.spec());
        }
    }

    @Test
    void higherQualityGivesHigherPsnrAndLargerSlices() throws IOException {
        for (PlaneBuffer plane : List.of(greyCamera(), rgbCamera())) {
            byte[] q50 = encode(Map.of("quality", "50"), plane);
            byte[] q95 = encode(Map.of("quality", "95"), plane);
            double psnr50 = ErrorMetrics.between(plane, decode(Map.of(), plane.spec(), q50)).psnr(255);
            double psnr95 = ErrorMetrics.between(plane, decode(Map.of(), plane.spec(), q95)).psnr(255);
            assertTrue(psnr95 > psnr50 + 1, "q95 " + psnr95 + " dB vs q50 " + psnr50 + " dB for " + plane.spec());
            assertTrue(q95.length > q50.length, "q95 " + q95.length + " bytes vs q50 " + q50.length + " for " + plane.spec());
        }
    }

    @Test
    void extremeQualitiesWork() throws IOException {
        PlaneBuffer plane = greyCamera();
        byte[] q0 = encode(Map.of("quality", "0"), plane);
        byte[] q100 = encode(Map.of("quality", "100"), plane);
        assertTrue(q100.length > 3 * q0.length, q0.length + " vs " + q100.length);
        assertTrue(ErrorMetrics.between(plane, decode(Map.of(), plane.spec(), q100)).maxAbsError() <= 2);
    }

    @Test
    void slicesAreStandardJfifJpegsThatPlainImageIoReads() throws IOException {
        for (PlaneBuffer plane : List.of(greyCamera(), rgbCamera())) {
            byte[] bytes = encode(Map.of(), plane);
            assertEquals(0xFF, bytes[0] & 0xFF);
            assertEquals(0xD8, bytes[1] & 0xFF);
            assertEquals(0xFF, bytes[bytes.length - 2] & 0xFF);
            assertEquals(0xD9, bytes[bytes.length - 1] & 0xFF);
            JpegSegments.Segment app0 = JpegSegments.of(bytes).get(0);
            assertEquals(0xE0, app0.marker());
            assertEquals("JFIF\0", new String(bytes, app0.payload(), 5, StandardCharsets.US_ASCII));

            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(image, "ImageIO.read found no reader");
            assertEquals(W, image.getWidth());
            assertEquals(H, image.getHeight());
            PlaneBuffer ours = decode(Map.of(), plane.spec(), bytes);
            byte[] theirs = interleavedRgbOrGrey(image, plane.spec().channels());
            assertArrayEquals(theirs, ours.bytes(), "plain ImageIO.read and the codec decode to the same samples");
        }
    }

    /** Samples of an image from ImageIO.read, through its raster (TYPE_BYTE_GRAY or TYPE_3BYTE_BGR). */
    private static byte[] interleavedRgbOrGrey(BufferedImage image, ChannelLayout channels) {
        int bands = channels.samplesPerPixel();
        byte[] out = new byte[image.getWidth() * image.getHeight() * bands];
        int[] pixel = new int[bands];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.getRaster().getPixel(x, y, pixel);
                for (int b = 0; b < bands; b++) {
                    out[(y * image.getWidth() + x) * bands + b] = (byte) pixel[b];
                }
            }
        }
        return out;
    }

    @Test
    void rgbChannelOrderIsKept() throws IOException {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 32, 48, ChannelLayout.RGB);
        for (int channel = 0; channel < 3; channel++) {
            PlaneBuffer plane = PlaneBuffer.allocate(spec);
            for (int i = channel; i < spec.sampleCount(); i += 3) {
                plane.bytes()[i] = (byte) 255;
            }
            PlaneBuffer out = decode(Map.of(), spec, encode(Map.of(), plane));
            for (int i = 0; i < spec.sampleCount(); i++) {
                int v = out.bytes()[i] & 0xFF;
                if (i % 3 == channel) {
                    assertTrue(v >= 240, "channel " + channel + " sample " + i + " = " + v + ", expected high");
                } else {
                    assertTrue(v <= 15, "channel " + i % 3 + " of a pure channel-" + channel + " plane = " + v + ", expected low");
                }
            }
        }
    }

    @Test
    void plainSlicesHaveOnlyJfifAndNoExif() throws IOException {
        for (PlaneBuffer plane : List.of(greyCamera(), rgbCamera())) {
            List<Integer> markers = JpegSegments.markers(encode(Map.of(), plane));
            assertFalse(markers.contains(0xE1), "EXIF/XMP APP1 segment in " + markers);
            long appSegments = markers.stream().filter(m -> m >= 0xE0 && m <= 0xEF).count();
            assertEquals(1, appSegments, "only the JFIF APP0 segment: " + markers);
            assertFalse(markers.contains(0xFE), "no comment segment: " + markers);
        }
    }

    @Test
    void subsamplingSetsTheFrameSamplingFactorsAndHelpsColourDetail() throws IOException {
        PlaneBuffer plane = rgbCamera();
        byte[] s420 = encode(Map.of("subsampling", "420"), plane);
        byte[] s444 = encode(Map.of("subsampling", "444"), plane);
        assertEquals(0x22, lumaSampling(s420), "4:2:0 luma sampling factors H=2 V=2");
        assertEquals(0x11, lumaSampling(s444), "4:4:4 luma sampling factors H=1 V=1");
        double psnr420 = ErrorMetrics.between(plane, decode(Map.of(), plane.spec(), s420)).psnr(255);
        double psnr444 = ErrorMetrics.between(plane, decode(Map.of(), plane.spec(), s444)).psnr(255);
        assertTrue(psnr444 > psnr420, "444 " + psnr444 + " dB vs 420 " + psnr420 + " dB");
        assertTrue(s444.length > s420.length);
        // Grey planes have no chroma: the parameter changes nothing.
        PlaneBuffer grey = greyCamera();
        assertArrayEquals(encode(Map.of("subsampling", "420"), grey), encode(Map.of("subsampling", "444"), grey));
    }

    private static int lumaSampling(byte[] jpeg) {
        JpegSegments.Segment sof = JpegSegments.first(jpeg, 0xC0);
        return jpeg[sof.payload() + 7] & 0xFF; // P, Y(2), X(2), Nf, then C1 id, C1 H<<4|V
    }

    @Test
    void reportsItsBackendAndIsAvailable() {
        String implementation = codec.implementation();
        System.out.println("jpeg codec (" + codec + ") uses " + implementation);
        assertTrue(codec.availability().isAvailable());
        assertTrue(codec.backend() == JpegBackend.TURBOJPEG ? implementation.startsWith("libjpeg-turbo TurboJPEG via JNA")
                : implementation.startsWith("javax.imageio reader "), codec.backend() + ": " + implementation);
    }

    @Test
    void decodesFromDirectAndOffsetBuffersWithoutTouchingThem() throws IOException {
        PlaneBuffer plane = greyCamera();
        byte[] bytes = encode(Map.of(), plane);
        PlaneBuffer expected = decode(Map.of(), plane.spec(), bytes);

        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 20);
        direct.position(13);
        direct.put(bytes);
        direct.position(13).limit(13 + bytes.length);
        byte[] padded = new byte[bytes.length + 30];
        System.arraycopy(bytes, 0, padded, 11, bytes.length);
        ByteBuffer offset = ByteBuffer.wrap(padded, 11, bytes.length).slice().asReadOnlyBuffer();
        try (SliceDecoder d = codec.newDecoder(codec.params(Map.of()), plane.spec())) {
            for (ByteBuffer in : List.of(direct, offset)) {
                PlaneBuffer out = PlaneBuffer.allocate(plane.spec());
                d.decode(in, out);
                assertTrue(TestPlanes.bitEqual(expected, out), "decoded from " + in);
            }
        }
        assertEquals(13, direct.position());
        assertEquals(13 + bytes.length, direct.limit());
    }

    @Test
    void aGreySliceIsNotAnRgbPlaneAndViceVersa() throws IOException {
        PlaneBuffer grey = greyCamera();
        PlaneSpec asRgb = new PlaneSpec(DType.UINT8, H, W, ChannelLayout.RGB);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(Map.of(), asRgb, encode(Map.of(), grey)));
        assertTrue(e.getMessage().contains("1 component") && e.getMessage().contains("expected"), e.getMessage());
        PlaneBuffer rgb = rgbCamera();
        PlaneSpec asGrey = new PlaneSpec(DType.UINT8, H, W, ChannelLayout.GREY);
        e = assertThrows(JpklFormatException.class, () -> decode(Map.of(), asGrey, encode(Map.of(), rgb)));
        assertTrue(e.getMessage().contains("3 components"), e.getMessage());
    }

    @Test
    void corruptEntropyDataIsRejectedNotReturnedAsPartialData() throws IOException {
        PlaneBuffer plane = greyCamera();
        byte[] bytes = encode(Map.of(), plane);
        JpegSegments.Segment sos = JpegSegments.first(bytes, 0xDA);
        int scan = sos.payload() + sos.length();
        // A marker in the middle of the entropy-coded data: libjpeg warns "Corrupt JPEG data".
        byte[] marker = bytes.clone();
        int mid = scan + (bytes.length - scan) / 3;
        marker[mid] = (byte) 0xFF;
        marker[mid + 1] = (byte) 0xD5;
        assertThrows(JpklFormatException.class, () -> decode(Map.of(), plane.spec(), marker));
        // The scan cut short, but the stream still ends with EOI.
        byte[] cut = new byte[scan + 200 + 2];
        System.arraycopy(bytes, 0, cut, 0, scan + 200);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(Map.of(), plane.spec(), cut));
        assertTrue(e.getMessage().contains("warned") && e.getMessage().contains("damaged or truncated"), e.getMessage());
    }

    @Test
    void streamsLyingAboutTheirHeaderAreRejectedBeforeDecoding() throws IOException {
        PlaneBuffer plane = greyCamera();
        byte[] bytes = encode(Map.of(), plane);
        JpegSegments.Segment sof = JpegSegments.first(bytes, 0xC0);
        byte[] huge = bytes.clone();
        huge[sof.payload() + 1] = (byte) 0xFF; // height 65535-ish
        huge[sof.payload() + 3] = (byte) 0xFF;
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(Map.of(), plane.spec(), huge));
        assertTrue(e.getMessage().contains("expected " + H + "x" + W), e.getMessage());
        byte[] twelveBit = bytes.clone();
        twelveBit[sof.payload()] = 12;
        e = assertThrows(JpklFormatException.class, () -> decode(Map.of(), plane.spec(), twelveBit));
        assertTrue(e.getMessage().contains("12-bit"), e.getMessage());
        byte[] longSegment = bytes.clone();
        longSegment[sof.offset() + 2] = (byte) 0x7F;
        e = assertThrows(JpklFormatException.class, () -> decode(Map.of(), plane.spec(), longSegment));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void encoderAndDecoderRefuseUseAfterCloseAndCloseTwice() throws IOException {
        PlaneBuffer plane = greyCamera();
        SliceEncoder e = codec.newEncoder(codec.params(Map.of()), plane.spec());
        byte[] bytes = e.encode(plane);
        e.close();
        e.close();
        assertThrows(IllegalStateException.class, () -> e.encode(plane));
        SliceDecoder d = codec.newDecoder(codec.params(Map.of()), plane.spec());
        d.close();
        d.close();
        assertThrows(IllegalStateException.class, () -> d.decode(ByteBuffer.wrap(bytes), PlaneBuffer.allocate(plane.spec())));
    }

    @Test
    void decoderRefusesADestinationOfAnotherSpec() throws IOException {
        PlaneBuffer plane = greyCamera();
        byte[] bytes = encode(Map.of(), plane);
        try (SliceDecoder d = codec.newDecoder(codec.params(Map.of()), plane.spec())) {
            PlaneBuffer other = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, H, W + 1, ChannelLayout.GREY));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.decode(ByteBuffer.wrap(bytes), other));
            assertTrue(e.getMessage().contains("this decoder is for"), e.getMessage());
        }
    }

    @Test
    void paramsHaveDefaultsAndClearErrors() {
        assertEquals(Map.of("quality", "90", "subsampling", "420", "window", "slice", "transfer", "linear"),
                codec.params(Map.of()).toMap());
        assertEquals(JpegParams.defaults(), codec.params(Map.of()));
        // One message shape for every codec (ParamSpec): codec, parameter, value and the allowed values.
        String window = " must be slice, global or LO:HI (finite numbers, LO <= HI)";
        assertMessage("codec 'jpeg': quality (high) must be an integer in [0, 100]", Map.of("quality", "high"));
        assertMessage("codec 'jpeg': quality (-1) must be an integer in [0, 100]", Map.of("quality", "-1"));
        assertMessage("codec 'jpeg': subsampling (422) must be one of [420, 444]", Map.of("subsampling", "422"));
        assertMessage("codec 'jpeg': transfer (log) must be one of [linear, sqrt]", Map.of("transfer", "log"));
        assertMessage("codec 'jpeg': window (everything)" + window, Map.of("window", "everything"));
        assertMessage("codec 'jpeg': window (0:NaN)" + window, Map.of("window", "0:NaN"));
        assertMessage("codec 'jpeg': window (1:2:3)" + window, Map.of("window", "1:2:3"));
        assertMessage("codec 'jpeg': window (10:1)" + window, Map.of("window", "10:1"));
        assertMessage("codec 'jpeg' has no parameter 'qualty'; allowed: [quality, subsampling, window, transfer, tables, huffman, coding]",
                Map.of("qualty", "90"));
    }

    private void assertMessage(String message, Map<String, String> params) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.params(params));
        assertEquals(message, e.getMessage());
    }

    @Test
    void fixedWindowsRoundTripThroughTheirStoredForm() {
        for (String window : List.of("0:4095", "-1.5:2000000000", "1.0E-7:0.25", "-0:0", "3:3")) {
            CodecParams p = codec.params(Map.of("window", window, "transfer", "SQRT", "quality", " 75 "));
            assertEquals(p, codec.params(p.toMap()), window);
        }
        assertEquals("-1.5:2000000000", codec.params(Map.of("window", "-1.5:2e9")).toMap().get("window"));
        assertEquals("0:0", codec.params(Map.of("window", "-0.0:0")).toMap().get("window"));
    }

    @Test
    void paramsOfAnotherCodecAreRefused() {
        CodecParams foreign = new CodecParams() {
            @Override
            public String codecId() {
                return "png";
            }

            @Override
            public Map<String, String> toMap() {
                return Map.of("level", "6");
            }
        };
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.newEncoder(foreign, spec));
        assertTrue(e.getMessage().contains("'png'") && e.getMessage().contains("'jpeg'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.newDecoder(foreign, spec));
    }

    @Test
    void encodingCopiesSamplesWithoutSetRgbColourConversion() throws IOException {
        // A flat grey plane must decode to exactly its value: a grey colour conversion (as setRGB
        // applies to TYPE_BYTE_GRAY) would shift it.
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        for (int value : new int[] {0, 1, 37, 128, 200, 254, 255}) {
            PlaneBuffer plane = PlaneBuffer.allocate(spec);
            Arrays.fill(plane.bytes(), (byte) value);
            PlaneBuffer out = decode(Map.of(), spec, encode(Map.of(), plane));
            assertTrue(TestPlanes.bitEqual(plane, out), "flat " + value + " came back with error "
                    + ErrorMetrics.between(plane, out).maxAbsError());
        }
    }
}
