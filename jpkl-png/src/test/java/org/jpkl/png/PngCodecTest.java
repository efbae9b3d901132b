package org.jpkl.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.jpkl.api.testing.HeapUse;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code png} codec: the contract, every filter, interoperability with the JDK's PNG reader and
 * writer, and the strict decoder (IHDR, CRCs, zlib completeness, bombs).
 */
class PngCodecTest extends AbstractSliceCodecTest {
    private static final PlaneSpec SMALL = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);

    @Override
    protected SliceCodec codec() {
        return new PngCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("level", "6", "filter", "adaptive");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("level", "10");
    }

    @Override
    protected String invalidParamsMessage() {
        return "level (10) must be an integer in [0, 9]";
    }

    private static CodecParams params(String filter) {
        return new PngCodec().params(Map.of("filter", filter));
    }

    private static byte[] encode(CodecParams params, PlaneBuffer plane) throws Exception {
        try (SliceEncoder encoder = new PngCodec().newEncoder(params, plane.spec())) {
            return encoder.encode(plane);
        }
    }

    private static PlaneBuffer decode(PlaneSpec spec, byte[] png) throws Exception {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = new PngCodec().newDecoder(params("up"), spec)) {
            decoder.decode(ByteBuffer.wrap(png), out);
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> everyFilterAndLevelIsExact() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PngFilter filter : PngFilter.values()) {
            for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
                for (ChannelLayout channels : ChannelLayout.values()) {
                    PlaneSpec spec = new PlaneSpec(dtype, 21, 34, channels);
                    tests.add(DynamicTest.dynamicTest(filter + " " + spec, () -> {
                        PlaneBuffer plane = TestPlanes.smooth(spec, 17, true, false);
                        for (int level : new int[] {0, 1, 9}) {
                            CodecParams p = codec().params(Map.of("level", Integer.toString(level), "filter", filter.id()));
                            PlaneBuffer decoded = decode(spec, encode(p, plane));
                            assertTrue(TestPlanes.bitEqual(plane, decoded), filter + " level " + level + " " + spec);
                        }
                    }));
                }
            }
        }
        return tests;
    }

    @Test
    void defaultsAreLevelOneAndFilterUp() {
        assertEquals(Map.of("level", "1", "filter", "up"), codec().params(Map.of()).toMap());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec().params(Map.of("filter", "median")));
        assertTrue(e.getMessage().contains("median") && e.getMessage().contains("[none, sub, up, average, paeth, adaptive]"),
                e.getMessage());
    }

    /** The filter type byte of each row, read back by inflating the IDAT data. */
    private static int[] rowFilters(byte[] png, PlaneSpec spec) throws Exception {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.wrap(png, 8, png.length - 8);
        while (in.hasRemaining()) {
            int length = in.getInt();
            int type = in.getInt();
            if (type == 0x49444154) {
                idat.write(png, in.position(), length);
            }
            in.position(in.position() + length + 4);
        }
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(idat.toByteArray());
        int stride = 1 + (int) (spec.byteSize() / spec.height());
        byte[] raw = new byte[stride * spec.height()];
        assertEquals(raw.length, inflater.inflate(raw));
        inflater.end();
        int[] filters = new int[spec.height()];
        for (int r = 0; r < filters.length; r++) {
            filters[r] = raw[r * stride];
        }
        return filters;
    }

    @Test
    void theFilterParameterChoosesThePngRowFilter() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 40, 50, ChannelLayout.RGB);
        PlaneBuffer plane = TestPlanes.smooth(spec, 3, false, false);
        String[] names = {"none", "sub", "up", "average", "paeth"};
        for (int type = 0; type < names.length; type++) {
            int[] filters = rowFilters(encode(params(names[type]), plane), spec);
            // PNGJ may pick another filter for the first row, where "up" has no row above.
            for (int r = 1; r < filters.length; r++) {
                assertEquals(type, filters[r], names[type] + ", row " + r);
            }
        }
        int[] adaptive = rowFilters(encode(params("adaptive"), plane), spec);
        assertTrue(Arrays.stream(adaptive).allMatch(f -> f >= 0 && f <= 4));
    }

    @Test
    void predictionMakesSmoothDataSmallerThanNoFilter() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 128, 128, ChannelLayout.GREY);
        PlaneBuffer plane = PlaneBuffer.allocate(spec);
        for (int y = 0, i = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++, i++) {
                plane.bytes()[i] = (byte) (40 + x + y / 2 + ((x * 7 + y * 13) % 5));
            }
        }
        int none = encode(params("none"), plane).length;
        for (String f : new String[] {"sub", "up", "average", "paeth", "adaptive"}) {
            int size = encode(params(f), plane).length;
            assertTrue(size < none, f + " " + size + " vs none " + none);
        }
    }

    private static BufferedImage wrap(PlaneBuffer plane) {
        PlaneSpec spec = plane.spec();
        int bands = spec.channels().samplesPerPixel();
        DataBuffer buffer = spec.dtype() == DType.UINT8 ? new DataBufferByte(plane.bytes(), spec.sampleCount(), plane.offset())
                : new DataBufferUShort(plane.shorts(), spec.sampleCount(), plane.offset());
        int[] offsets = bands == 1 ? new int[] {0} : new int[] {0, 1, 2};
        WritableRaster raster = Raster.createInterleavedRaster(buffer, spec.width(), spec.height(), spec.width() * bands, bands,
                offsets, null);
        ColorSpace cs = ColorSpace.getInstance(bands == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        return new BufferedImage(new ComponentColorModel(cs, false, false, Transparency.OPAQUE, buffer.getDataType()), raster, false,
                null);
    }

    @TestFactory
    List<DynamicTest> interoperatesWithTheJdkPngReaderAndWriter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : new DType[] {DType.UINT8, DType.UINT16}) {
            for (ChannelLayout channels : ChannelLayout.values()) {
                PlaneSpec spec = new PlaneSpec(dtype, 23, 31, channels);
                tests.add(DynamicTest.dynamicTest(spec.toString(), () -> {
                    PlaneBuffer plane = TestPlanes.smooth(spec, 5, true, false);
                    // Ours -> JDK reader: compare raw samples of the raster.
                    byte[] ours = encode(params("paeth"), plane);
                    ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
                    try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(ours))) {
                        reader.setInput(iis);
                        Raster raster = reader.read(0).getRaster();
                        int[] expected = new int[spec.sampleCount()];
                        for (int i = 0; i < expected.length; i++) {
                            expected[i] = (int) TestPlanes.get(plane, i);
                        }
                        assertArrayEquals(expected, raster.getPixels(0, 0, spec.width(), spec.height(), (int[]) null));
                    } finally {
                        reader.dispose();
                    }
                    // JDK writer -> ours.
                    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
                        writer.setOutput(ios);
                        writer.write(new IIOImage(wrap(plane), null, null));
                    } finally {
                        writer.dispose();
                    }
                    assertTrue(TestPlanes.bitEqual(plane, decode(spec, bytes.toByteArray())));
                }));
            }
        }
        return tests;
    }

    // ---- hand-made PNGs for the strict decoder

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] ihdr(int width, int height, int depth, int colour, int interlace) {
        return chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) depth).put((byte) colour).put((byte) 0)
                .put((byte) 0).put((byte) interlace).array());
    }

    private static byte[] zlib(byte[] data) {
        Deflater deflater = new Deflater(9);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] png(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    /** Unfiltered zero rows (filter byte 0) of {@code rowBytes} each, with {@code extra} bytes more (or fewer, if negative). */
    private static byte[] rows(int rows, int rowBytes, int extra) {
        return new byte[rows * (rowBytes + 1) + extra];
    }

    private static String refusal(PlaneSpec spec, byte[] png) {
        return assertThrows(JpklFormatException.class, () -> decode(spec, png)).getMessage();
    }

    @Test
    void handMadeMinimalPngDecodes() throws Exception {
        byte[] raw = rows(16, 16, 0);
        raw[1] = 7; // row 0, filter 0, first sample 7
        PlaneBuffer plane = decode(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("tEXt", "a\0b".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1)), chunk("IDAT", zlib(raw)), chunk("IEND", new byte[0])));
        assertEquals(7, plane.bytes()[0]);
    }

    @Test
    void headerThatDiffersFromTheSpecIsRefusedNamingBoth() {
        String m = refusal(SMALL, png(ihdr(16, 17, 8, 0, 0), chunk("IDAT", zlib(rows(17, 16, 0))), chunk("IEND", new byte[0])));
        assertTrue(m.contains("IHDR") && m.contains("16x17") && m.contains("expected 16x16"), m);
        m = refusal(SMALL, png(ihdr(16, 16, 16, 0, 0), chunk("IDAT", zlib(rows(16, 32, 0))), chunk("IEND", new byte[0])));
        assertTrue(m.contains("bit depth 16"), m);
        m = refusal(SMALL, png(ihdr(16, 16, 8, 2, 0), chunk("IDAT", zlib(rows(16, 48, 0))), chunk("IEND", new byte[0])));
        assertTrue(m.contains("colour type 2"), m);
        m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 1), chunk("IDAT", zlib(rows(16, 16, 0))), chunk("IEND", new byte[0])));
        assertTrue(m.contains("interlace"), m);
        m = refusal(SMALL, png(chunk("IDAT", zlib(rows(16, 16, 0))), ihdr(16, 16, 8, 0, 0), chunk("IEND", new byte[0])));
        assertTrue(m.contains("first chunk is IDAT"), m);
    }

    @Test
    void damagedChunksAreRefused() throws Exception {
        byte[] good = encode(params("up"), TestPlanes.smooth(SMALL, 1, false, false));
        byte[] flipped = good.clone();
        flipped[45] ^= 1; // inside the first IDAT's data
        assertTrue(refusal(SMALL, flipped).contains("CRC"));
        assertTrue(refusal(SMALL, Arrays.copyOf(good, good.length - 12)).contains("IEND chunk is missing"));
        assertTrue(refusal(SMALL, Arrays.copyOf(good, good.length + 3)).contains("trailing data follow IEND"));
        String m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", zlib(rows(16, 16, 0))), chunk("ABCD", new byte[1]),
                chunk("IEND", new byte[0])));
        assertTrue(m.contains("unknown critical chunk ABCD"), m);
        m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", zlib(rows(16, 16, 0))), chunk("tEXt", new byte[1]),
                chunk("IDAT", new byte[0]), chunk("IEND", new byte[0])));
        assertTrue(m.contains("not consecutive"), m);
        byte[] badFilter = rows(16, 16, 0);
        badFilter[17 * 3] = 9;
        m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", zlib(badFilter)), chunk("IEND", new byte[0])));
        assertTrue(m.contains("row 3 has filter type 9"), m);
    }

    @Test
    void refusedStreamLeavesTheDestinationUntouched() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 20, 20, ChannelLayout.RGB);
        byte[] bad = encode(params("paeth"), TestPlanes.smooth(spec, 2, false, false));
        bad[bad.length - 1] ^= 1; // IEND's CRC: every row inflates, then the last chunk fails
        PlaneBuffer destination = PlaneBuffer.allocate(spec);
        Arrays.fill(destination.shorts(), (short) 77);
        try (SliceDecoder decoder = new PngCodec().newDecoder(params("up"), spec)) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> decoder.decode(ByteBuffer.wrap(bad), destination));
            assertTrue(e.getMessage().contains("IEND") && e.getMessage().contains("CRC"), e.getMessage());
        }
        for (short v : destination.shorts()) {
            assertEquals(77, v, "a refused stream wrote to the destination");
        }
    }

    @Test
    void zlibStreamMustEndExactlyWithTheImage() {
        String m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", zlib(rows(16, 16, -1))), chunk("IEND", new byte[0])));
        assertTrue(m.contains("ends after 271 of the 272 bytes"), m);
        m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", zlib(rows(16, 16, 1))), chunk("IEND", new byte[0])));
        assertTrue(m.contains("holds more than the 272 bytes"), m);
        byte[] stream = zlib(rows(16, 16, 0));
        m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", Arrays.copyOf(stream, stream.length - 4)), chunk("IEND",
                new byte[0])));
        assertTrue(m.contains("truncated"), m);
        m = refusal(SMALL, png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", stream), chunk("IDAT", new byte[] {1, 2}), chunk("IEND",
                new byte[0])));
        assertTrue(m.contains("follow the end of the zlib stream"), m);
    }

    private static void assertRefusedCheaply(PlaneSpec spec, byte[] bomb, String fragment) throws Exception {
        PlaneBuffer out = PlaneBuffer.allocate(spec);
        try (SliceDecoder decoder = new PngCodec().newDecoder(params("up"), spec)) {
            ByteBuffer input = ByteBuffer.wrap(bomb);
            long before = HeapUse.threadAllocatedBytes();
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> decoder.decode(input, out));
            long allocated = HeapUse.threadAllocatedBytes() - before;
            System.out.println("png bomb of " + bomb.length + " bytes refused after allocating " + allocated + " bytes: "
                    + e.getMessage());
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
            assertTrue(allocated < (2 << 20), "decoder allocated " + allocated + " bytes for a 256-pixel plane");
        }
    }

    @Test
    void headerClaimingAHugeImageIsRefusedBeforeAllocating() throws Exception {
        byte[] bomb = png(ihdr(100_000, 100_000, 16, 2, 0), chunk("IDAT", zlib(new byte[1 << 16])), chunk("IEND", new byte[0]));
        assertRefusedCheaply(SMALL, bomb, "100000x100000");
    }

    @Test
    void imageDataYieldingFarMoreThanThePlaneIsRefusedWithoutAllocatingIt() throws Exception {
        byte[] bomb = png(ihdr(16, 16, 8, 0, 0), chunk("IDAT", zlib(new byte[32 << 20])), chunk("IEND", new byte[0]));
        assertRefusedCheaply(SMALL, bomb, "holds more than the 272 bytes");
    }

    @Test
    void chunkLengthBeyondTheDataIsRefused() {
        byte[] header = ihdr(16, 16, 8, 0, 0);
        byte[] lying = png(header, ByteBuffer.allocate(12).putInt(Integer.MAX_VALUE).put("IDAT".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)).array());
        assertTrue(refusal(SMALL, lying).contains("exceeds"));
    }
}
