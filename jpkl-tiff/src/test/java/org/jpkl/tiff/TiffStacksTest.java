package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageWriterSpi;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.pickle.PickleSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TIFF import and export against TIFFs written and read by the JDK's own TIFF plugin (a different implementation). */
class TiffStacksTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.builder().codecs(codecs()).serializers(ContainerSerializers.load()).parallelism(2).build();
    private final WriteOptions exact = WriteOptions.builder().codec(IdentityCodec.ID).build();

    static SliceCodecs codecs() {
        List<SliceCodec> all = new ArrayList<>(SliceCodecs.load().all());
        all.add(new IdentityCodec());
        return SliceCodecs.of(all.toArray(new SliceCodec[0]));
    }

    /** The JDK's TIFF writer (com.sun.imageio.plugins.tiff), not TwelveMonkeys'. */
    static ImageWriter jdkWriter() {
        Iterator<ImageWriterSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageWriterSpi.class, true);
        while (it.hasNext()) {
            ImageWriterSpi spi = it.next();
            if (spi.getClass().getName().startsWith("com.sun.imageio.plugins.tiff")) {
                try {
                    return spi.createWriterInstance();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("the JDK TIFF writer is missing");
    }

    static ImageReader jdkReader() throws IOException {
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            if (spi.getClass().getName().startsWith("com.sun.imageio.plugins.tiff")) {
                return spi.createReaderInstance();
            }
        }
        throw new AssertionError("the JDK TIFF reader is missing");
    }

    static BufferedImage page(int type, int w, int h, long seed) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        if (image.getRaster().getDataBuffer() instanceof DataBufferByte) {
            r.nextBytes(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
        } else {
            short[] data = ((DataBufferUShort) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < data.length; i++) {
                data[i] = (short) r.nextInt(65536);
            }
        }
        return image;
    }

    /** Writes pages with a TIFF writer, the first with an ImageDescription if given. */
    static void write(ImageWriter writer, Path file, List<BufferedImage> pages, String description) throws IOException {
        try (FileImageOutputStream out = new FileImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            writer.prepareWriteSequence(null);
            for (int p = 0; p < pages.size(); p++) {
                IIOMetadata metadata = null;
                if (p == 0 && description != null) {
                    metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(pages.get(0)), param);
                    String format = metadata.getNativeMetadataFormatName();
                    IIOMetadataNode root = new IIOMetadataNode(format);
                    IIOMetadataNode ifd = new IIOMetadataNode("TIFFIFD");
                    IIOMetadataNode field = new IIOMetadataNode("TIFFField");
                    field.setAttribute("number", "270");
                    field.setAttribute("name", "ImageDescription");
                    IIOMetadataNode asciis = new IIOMetadataNode("TIFFAsciis");
                    IIOMetadataNode ascii = new IIOMetadataNode("TIFFAscii");
                    ascii.setAttribute("value", description);
                    asciis.appendChild(ascii);
                    field.appendChild(asciis);
                    ifd.appendChild(field);
                    root.appendChild(ifd);
                    metadata.mergeTree(format, root);
                }
                writer.writeToSequence(new IIOImage(pages.get(p), null, metadata), param);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /** The samples of a page as an NdArray (h, w) or (h, w, 3). */
    static NdArray samples(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int bands = image.getRaster().getNumBands();
        int[] px = image.getRaster().getPixels(0, 0, w, h, (int[]) null);
        DType dtype = image.getRaster().getDataBuffer() instanceof DataBufferByte ? DType.UINT8 : DType.UINT16;
        int[] shape = bands == 1 ? new int[] {h, w} : new int[] {h, w, bands};
        return NdArray.generate(dtype, shape, i -> px[(int) i]);
    }

    @Test
    void jdkWrittenGreyStacksImportPageByPageIntoTheGivenAxes() throws IOException {
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY}) {
            List<BufferedImage> pages = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                pages.add(page(type, 30, 20, p + type * 100L));
            }
            Path tiff = dir.resolve("jdk-" + type + ".tif");
            write(jdkWriter(), tiff, pages, null);
            Path target = dir.resolve("jdk-" + type + ".jpkl");
            ContainerHeader header = TiffStacks.importStack(jpkl, tiff, target,
                    TiffImportOptions.builder().axes("t=2,z").writeOptions(exact).build());
            assertArrayEquals(new int[] {2, 3, 20, 30}, header.shape());
            try (JpklArray array = jpkl.open(target)) {
                assertEquals(List.of("t", "z", "y", "x"), array.axisNames());
                assertEquals(type == BufferedImage.TYPE_BYTE_GRAY ? DType.UINT8 : DType.UINT16, array.dtype());
                for (int p = 0; p < 6; p++) {
                    assertEquals(samples(pages.get(p)), array.get((p / 3) + ", " + (p % 3)), "page " + p);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> info = (Map<String, Object>) array.metadata().get("tiff");
                assertEquals(6L, info.get("pages"));
                assertEquals(tiff.getFileName().toString(), info.get("source"));
            }
        }
    }

    @Test
    void imageJHyperstackDescriptionGivesTheAxes() throws IOException {
        List<BufferedImage> pages = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            pages.add(page(BufferedImage.TYPE_USHORT_GRAY, 8, 5, p));
        }
        Path tiff = dir.resolve("hyper.tif");
        write(jdkWriter(), tiff, pages, "ImageJ=1.54f\nimages=12\nchannels=2\nslices=3\nframes=2\nhyperstack=true\nmode=composite\n"
                + "unit=micron\nspacing=0.5\nloop=false\n");
        Path target = dir.resolve("hyper.jpkl");
        TiffStacks.importStack(jpkl, tiff, target, TiffImportOptions.builder().writeOptions(exact).build());
        try (JpklArray array = jpkl.open(target)) {
            assertArrayEquals(new int[] {2, 3, 2, 5, 8}, array.shape());
            assertEquals(List.of("t", "z", "c", "y", "x"), array.axisNames());
            assertEquals(samples(pages.get(7)), array.get("1, 0, 1"), "ImageJ stores channels fastest, then slices, then frames");
            @SuppressWarnings("unchecked")
            Map<String, Object> imageJ = (Map<String, Object>) ((Map<String, Object>) array.metadata().get("tiff")).get("imagej");
            assertEquals(2L, imageJ.get("channels"));
            assertEquals(0.5, imageJ.get("spacing"));
            assertEquals("micron", imageJ.get("unit"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TiffStacks.importStack(jpkl, tiff,
                dir.resolve("bad.jpkl"), TiffImportOptions.builder().axes("t=5,z=5").writeOptions(exact).build()));
        assertTrue(e.getMessage().contains("hold 25 pages; the TIFF has 12"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TiffStacks.importStack(jpkl, tiff,
                dir.resolve("bad.jpkl"), TiffImportOptions.builder().axes("t=5,z").writeOptions(exact).build()));
        assertTrue(e.getMessage().contains("12 is not a multiple of 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TiffStacks.importStack(jpkl, tiff, dir.resolve("bad.jpkl"),
                TiffImportOptions.builder().axes("a=65536,b=65536,c=65536,d=65536,z").writeOptions(exact).build()));
        assertTrue(e.getMessage().endsWith("with sizes [65536, 65536, 65536, 65536, -1] hold more than the 12 pages of the TIFF"),
                "sizes whose product wraps to 0 in 64 bits: " + e.getMessage());
        assertFalse(Files.exists(dir.resolve("bad.jpkl")));
    }

    @Test
    void rgbStackImportsWithPlaneAxesFirstAsAJpklPickle() throws IOException {
        List<BufferedImage> pages = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            BufferedImage rgb = new BufferedImage(16, 12, BufferedImage.TYPE_3BYTE_BGR);
            int[] px = new int[16 * 12 * 3];
            for (int i = 0; i < px.length; i++) {
                px[i] = 60 + (i % 48) * 2 + p * 10;
            }
            rgb.getRaster().setPixels(0, 0, 16, 12, px);
            pages.add(rgb);
        }
        Path tiff = dir.resolve("rgb.tif");
        write(jdkWriter(), tiff, pages, null);
        Path exactTarget = dir.resolve("rgb.jpkl");
        TiffStacks.importStack(jpkl, tiff, exactTarget, TiffImportOptions.builder().writeOptions(exact).build());
        try (JpklArray array = jpkl.open(exactTarget)) {
            assertArrayEquals(new int[] {3, 12, 16, 3}, array.shape());
            assertEquals(List.of("z", "y", "x", "c"), array.axisNames());
            assertEquals(samples(pages.get(2)), array.get("2"), "R, G, B order although the JDK image is BGR in memory");
        }
        Path pickle = dir.resolve("rgb.pkl");
        TiffStacks.importStack(jpkl, tiff, pickle, TiffImportOptions.builder().planeAxesFirst(true).writeOptions(
                WriteOptions.builder().serializer(PickleSerializer.ID).codec("jpeg").param("quality", 95).build()).build());
        try (JpklArray array = jpkl.open(pickle)) {
            assertEquals(PickleSerializer.ID, array.serializerId());
            assertArrayEquals(new int[] {12, 16, 3, 3}, array.shape());
            NdArray decoded = array.get(":, :, :, 1");
            NdArray original = samples(pages.get(1));
            double worst = ErrorMetrics.between(original, decoded).maxAbsError();
            assertTrue(worst < 40, "JPEG q95 of a smooth RGB ramp; max error " + worst);
        }
    }

    @Test
    void bigTiffImports() throws IOException {
        List<BufferedImage> pages = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            pages.add(page(BufferedImage.TYPE_BYTE_GRAY, 7, 9, p));
        }
        Path tiff = dir.resolve("big.tif");
        write(new BigTIFFImageWriterSpi().createWriterInstance(), tiff, pages, null);
        byte[] head = Files.readAllBytes(tiff);
        assertEquals(43, head[0] == 'I' ? head[2] | head[3] << 8 : head[2] << 8 | head[3], "BigTIFF version number");
        Path target = dir.resolve("big.jpkl");
        TiffStacks.importStack(jpkl, tiff, target, TiffImportOptions.builder().writeOptions(exact).build());
        try (JpklArray array = jpkl.open(target)) {
            assertArrayEquals(new int[] {3, 9, 7}, array.shape());
            assertEquals(samples(pages.get(1)), array.get("1"));
        }
    }

    @Test
    void paletteAndMixedPagesAreRefused() throws IOException {
        byte[] lut = new byte[256];
        BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, lut, lut, lut));
        Path tiff = dir.resolve("palette.tif");
        write(jdkWriter(), tiff, List.of(palette), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TiffStacks.importStack(jpkl, tiff, dir.resolve("p.jpkl"), TiffImportOptions.defaults()));
        assertTrue(e.getMessage().contains("palette colour"), e.getMessage());

        Path mixed = dir.resolve("mixed.tif");
        write(jdkWriter(), mixed, List.of(page(BufferedImage.TYPE_BYTE_GRAY, 4, 4, 1), page(BufferedImage.TYPE_BYTE_GRAY, 5, 4, 2)), null);
        e = assertThrows(IllegalArgumentException.class,
                () -> TiffStacks.importStack(jpkl, mixed, dir.resolve("m.jpkl"), TiffImportOptions.builder().writeOptions(exact).build()));
        assertTrue(e.getMessage().contains("page 1 is uint8 4x5 grey; page 0 is uint8 4x4 grey"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("m.jpkl")), "a failed import leaves no file");
    }

    @Test
    void exportedSelectionsReadBackWithTheJdkReaderAndCarryAnImageJDescription() throws IOException {
        NdArray stack = NdArray.generate(DType.UINT16, new int[] {2, 3, 10, 14}, i -> (i * 37) % 65536);
        Path file = dir.resolve("tzyx.jpkl");
        jpkl.save(stack, file, exact.toBuilder().layout(PlaneLayout.of(2, 3)).axisNames("t", "z", "y", "x").build());
        Path tiff = dir.resolve("export.tif");
        try (JpklArray array = jpkl.open(file)) {
            assertEquals(6, TiffStacks.exportSelection(array, "..., 1:9, ::-2", tiff));
        }
        NdArray expected = stack.get("..., 1:9, ::-2");
        ImageReader reader = jdkReader();
        try (FileImageInputStream in = new FileImageInputStream(tiff.toFile())) {
            reader.setInput(in);
            assertEquals(6, reader.getNumImages(true));
            for (int p = 0; p < 6; p++) {
                assertEquals(expected.get((p / 3) + ", " + (p % 3)), samples(reader.read(p)), "page " + p);
            }
            String description = TiffStacksCrossTest.description(reader.getImageMetadata(0));
            assertTrue(description.startsWith("ImageJ="), description);
            assertTrue(description.contains("images=6\nslices=3\nframes=2\nhyperstack=true\n"), description);
        } finally {
            reader.dispose();
        }
        Path back = dir.resolve("back.jpkl");
        TiffStacks.importStack(jpkl, tiff, back, TiffImportOptions.builder().writeOptions(exact).build());
        try (JpklArray array = jpkl.open(back)) {
            assertEquals(List.of("t", "z", "y", "x"), array.axisNames(), "the ImageJ description brings the axes back");
            assertEquals(expected, array.get("..."));
        }
    }

    @Test
    void exportHandlesRgbGreySamplesCompressionAndRefusesWhatTiffCannotHold() throws IOException {
        NdArray rgb = NdArray.generate(DType.UINT8, new int[] {9, 11, 3, 4}, i -> (i * 7) % 256);
        Path file = dir.resolve("rgb.jpkl");
        jpkl.save(rgb, file, exact.toBuilder().layout(PlaneLayout.jpkl(true)).build());
        try (JpklArray array = jpkl.open(file)) {
            Path colour = dir.resolve("rgb.tif");
            assertEquals(2, TiffStacks.exportSelection(array, "..., 1:3", colour,
                    TiffExportOptions.builder().compression(TiffExportOptions.Compression.LZW).build()));
            Path green = dir.resolve("green.tif");
            assertEquals(4, TiffStacks.exportSelection(array, ":, :, 1", green,
                    TiffExportOptions.builder().compression(TiffExportOptions.Compression.DEFLATE).imageJ(false).build()));
            ImageReader reader = jdkReader();
            try (FileImageInputStream in = new FileImageInputStream(colour.toFile())) {
                reader.setInput(in);
                assertEquals(rgb.get(":, :, :, 2"), samples(reader.read(1)));
            }
            try (FileImageInputStream in = new FileImageInputStream(green.toFile())) {
                reader.setInput(in);
                assertEquals(rgb.get(":, :, 1, 3"), samples(reader.read(3)));
                assertEquals(null, TiffStacksCrossTest.description(reader.getImageMetadata(0)));
            } finally {
                reader.dispose();
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TiffStacks.exportSelection(array, "3", dir.resolve("x.tif")));
            assertTrue(e.getMessage().contains("drops axis 0 ('y')"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> TiffStacks.exportSelection(array, ":, :, 0:2", dir.resolve("x.tif")));
            assertTrue(e.getMessage().contains("keeps 2 of the 3 colour samples"), e.getMessage());
        }
        NdArray ints = NdArray.generate(DType.INT32, new int[] {4, 4}, i -> i);
        jpkl.save(ints, dir.resolve("i.jpkl"), exact);
        try (JpklArray array = jpkl.open(dir.resolve("i.jpkl"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TiffStacks.exportSelection(array, "...", dir.resolve("i.tif")));
            assertTrue(e.getMessage().contains("dtype int32 is not written"), e.getMessage());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".partial")).count());
        }
        assertFalse(Files.exists(dir.resolve("x.tif")));
    }

    @Test
    void float32PagesOfEveryVariantAndCompressionReadBackBitExact() throws IOException {
        // Random bits (incompressible: LZW passes every code width and fills its table repeatedly) and a smooth ramp.
        int h = 64;
        int w = 96;
        float[] samples = TiffExportTifffileTest.specialFloats(3 * h * w, 21);
        for (int i = 2 * h * w; i < samples.length; i++) {
            samples[i] = (i % w) * 0.125f + (i / w % 7);
        }
        Path file = dir.resolve("floats.jpkl");
        jpkl.save(NdArray.wrapFloat32(samples.clone(), 3, h, w), file, exact.toBuilder().layout(PlaneLayout.of(1, 2))
                .axisNames("z", "y", "x").build());
        for (TiffExportOptions.Variant variant : TiffExportOptions.Variant.values()) {
            for (TiffExportOptions.Compression compression : TiffExportOptions.Compression.values()) {
                String what = variant + " " + compression;
                Path tiff = dir.resolve("floats-" + variant + "-" + compression + ".tif");
                try (JpklArray array = jpkl.open(file)) {
                    assertEquals(3, TiffStacks.exportSelection(array, "...", tiff,
                            TiffExportOptions.builder().variant(variant).compression(compression).build()), what);
                }
                byte[] head = Files.readAllBytes(tiff);
                assertEquals(variant == TiffExportOptions.Variant.BIG ? 43 : 42, head[2] | head[3] << 8, what);
                if (variant != TiffExportOptions.Variant.BIG) {
                    // The JDK's reader (another implementation, which has no BigTIFF) decodes every page.
                    ImageReader reader = jdkReader();
                    try (FileImageInputStream in = new FileImageInputStream(tiff.toFile())) {
                        reader.setInput(in);
                        assertEquals(3, reader.getNumImages(true), what);
                        for (int p = 0; p < 3; p++) {
                            float[] page = ((java.awt.image.DataBufferFloat) reader.read(p).getRaster().getDataBuffer()).getData();
                            assertArrayEquals(TiffExportTifffileTest.bits(java.util.Arrays.copyOfRange(samples, p * h * w, (p + 1) * h * w)),
                                    TiffExportTifffileTest.bits(page), what + " page " + p);
                        }
                        assertTrue(TiffStacksCrossTest.description(reader.getImageMetadata(0)).contains("images=3\nslices=3\n"), what);
                    } finally {
                        reader.dispose();
                    }
                }
                Path back = dir.resolve("floats-back.jpkl");
                TiffStacks.importStack(jpkl, tiff, back, TiffImportOptions.builder().writeOptions(exact).build());
                try (JpklArray array = jpkl.open(back)) {
                    assertEquals(List.of("z", "y", "x"), array.axisNames(), what);
                    assertArrayEquals(TiffExportTifffileTest.bits(samples), TiffExportTifffileTest.bits(array.get("...").toFloatArray()), what);
                }
            }
        }
    }

    @Test
    void bigTiffIsChosenWhenAClassicTiffCouldPass4GiBAtTheCompressionsWorstCase() {
        PlaneSpec page = new PlaneSpec(DType.UINT16, 2048, 2048, org.jpkl.api.ChannelLayout.GREY); // 8 MiB
        TiffExportOptions auto = TiffExportOptions.defaults();
        TiffExportOptions autoLzw = TiffExportOptions.builder().compression(TiffExportOptions.Compression.LZW).build();
        TiffExportOptions autoDeflate = TiffExportOptions.builder().compression(TiffExportOptions.Compression.DEFLATE).build();
        TiffExportOptions classic = TiffExportOptions.builder().variant(TiffExportOptions.Variant.CLASSIC).build();
        TiffExportOptions big = TiffExportOptions.builder().variant(TiffExportOptions.Variant.BIG).build();
        assertFalse(TiffStacks.bigTiff(auto, page, 511, "ImageJ=1.11a\nimages=511\n"));
        assertTrue(TiffStacks.bigTiff(auto, page, 512, null), "512 pages of 8 MiB are 4 GiB of samples");
        assertFalse(TiffStacks.bigTiff(autoDeflate, page, 500, null));
        assertTrue(TiffStacks.bigTiff(autoLzw, page, 400, null), "LZW can grow noise to 1.5 times: 4.7 GiB");
        assertFalse(TiffStacks.bigTiff(autoLzw, page, 300, null));
        assertTrue(TiffStacks.bigTiff(big, page, 1, null));
        assertFalse(TiffStacks.bigTiff(classic, page, 511, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TiffStacks.bigTiff(classic, page, 512, null));
        assertEquals("512 pages of " + page + " pass the 4 GiB a classic TIFF can address; export as BigTIFF (variant AUTO or BIG)"
                + " or fewer pages", e.getMessage());
    }
}
