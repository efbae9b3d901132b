package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.jpkl.Jpkl;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerSerializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImagePages} refuses damage before and while decoding; {@link PageAxes} reads ImageJ's axes. */
class ImagePagesTest {
    @TempDir
    Path dir;

    private static byte[] encoded(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void wholeImagesDecodeAndTruncatedOnesAreRefused() throws IOException {
        BufferedImage grey = TiffStacksTest.page(BufferedImage.TYPE_BYTE_GRAY, 64, 48, 3);
        byte[] jpeg = encoded(grey, "jpg");
        try (ImagePages pages = ImagePages.open(file("whole.jpg", jpeg))) {
            assertEquals("JPEG", pages.format());
            assertEquals(1, pages.pageCount());
            assertArrayEquals(new int[] {64, 48}, pages.size(0));
            assertEquals(64, pages.read(0).raster().getWidth());
        }
        Path half = file("half.jpg", Arrays.copyOf(jpeg, jpeg.length / 2));
        try (ImagePages pages = ImagePages.open(half)) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> pages.read(0));
            assertTrue(e.getMessage().startsWith(half + ": page 0: is damaged: the JPEG decoder reported \""), e.getMessage());
            assertTrue(e.getMessage().endsWith("\" and would have invented the pixels it could not read"), e.getMessage());
        }
        byte[] png = encoded(grey, "png");
        Path cut = file("cut.png", Arrays.copyOf(png, png.length - 30));
        try (ImagePages pages = ImagePages.open(cut)) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> pages.read(0));
            assertEquals(cut + ": page 0: is truncated: the file ends before the data its header points to (or an offset points past"
                    + " the end)", e.getMessage());
        }
    }

    /** {@code three.tif}: 3 pages of 6 x 4 uint16. */
    private Path threePages() throws IOException {
        List<BufferedImage> pages = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            pages.add(TiffStacksTest.page(BufferedImage.TYPE_USHORT_GRAY, 6, 4, p));
        }
        Path tiff = dir.resolve("three.tif");
        TiffStacksTest.write(TiffStacksTest.jdkWriter(), tiff, pages, null);
        return tiff;
    }

    @Test
    void imagesInASourceReadAsFilesDoAndTheSourceStaysOpen() throws IOException {
        Path tiff = threePages();
        byte[] bytes = Files.readAllBytes(tiff);
        RandomAccessSource source = RandomAccessSource.of("s3://bucket/three.tif", bytes);
        try (ImagePages fromFile = ImagePages.open(tiff);
             ImagePages fromSource = ImagePages.open(source, ImagePages.DEFAULT_MAX_PIXELS, "")) {
            assertEquals("s3://bucket/three.tif", fromSource.name());
            assertEquals(3, fromSource.pageCount());
            for (int p = 0; p < 3; p++) {
                assertArrayEquals((short[]) fromFile.read(p).raster().getDataElements(0, 0, 6, 4, null),
                        (short[]) fromSource.read(p).raster().getDataElements(0, 0, 6, 4, null));
            }
        }
        assertEquals(bytes.length, source.size(), "closing the pages leaves the source open");
        RandomAccessSource cut = RandomAccessSource.of("s3://bucket/cut.tif", Arrays.copyOf(bytes, 20));
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> ImagePages.open(cut, ImagePages.DEFAULT_MAX_PIXELS, ""));
        assertTrue(e.getMessage().startsWith("s3://bucket/cut.tif: image directory 0: "), e.getMessage());
    }

    @Test
    void lyingSizesAreRefusedBeforeDecoding() throws IOException {
        byte[] png = encoded(TiffStacksTest.page(BufferedImage.TYPE_BYTE_GRAY, 16, 16, 1), "png");
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, 3000).putInt(20, 3000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        Path lying = file("lying.png", png);
        try (ImagePages pages = ImagePages.open(lying)) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> pages.size(0));
            assertEquals(lying + ": page 0: the header gives 3000 x 3000 pixels (9003000 bytes of scanlines), more than deflate can"
                    + " pack into a file of " + png.length + " bytes (at most 1032:1): the header is damaged or the file is truncated",
                    e.getMessage());
            assertThrows(JpklFormatException.class, () -> pages.read(0));
        }
        try (ImagePages pages = ImagePages.open(lying, 1000, "raise it")) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> pages.read(0));
            assertEquals(lying + ": page 0: the header gives 3000 x 3000 = 9000000 pixels, more than the limit of 1000 per image (a"
                    + " damaged or hostile header; if the image is real, raise it)", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ImagePages.open(lying, 0, ""));
    }

    @Test
    void tiffDirectoriesPastTheEndOrInALoopAreRefused() throws IOException {
        Path tiff = threePages();
        byte[] bytes = Files.readAllBytes(tiff);
        ByteOrder order = bytes[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        try (ImagePages read = ImagePages.open(tiff)) {
            assertEquals(3, read.pageCount());
        }
        byte[] past = bytes.clone();
        ByteBuffer.wrap(past).order(order).putInt(4, bytes.length + 8);
        Path pastEnd = file("past.tif", past);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> ImagePages.open(pastEnd));
        assertEquals(pastEnd + ": image directory 0: its offset " + (bytes.length + 8) + " is past the end of the file (" + bytes.length
                + " bytes): truncated or damaged", e.getMessage());

        int first = ByteBuffer.wrap(bytes).order(order).getInt(4);
        int entries = ByteBuffer.wrap(bytes).order(order).getShort(first) & 0xFFFF;
        int next = first + 2 + 12 * entries;
        byte[] loop = bytes.clone();
        ByteBuffer.wrap(loop).order(order).putInt(next, first);
        Path looping = file("loop.tif", loop);
        e = assertThrows(JpklFormatException.class, () -> ImagePages.open(looping));
        assertEquals(looping + ": image directory 1: its offset " + first + " repeats an earlier directory's: the chain loops", e.getMessage());

        int second = ByteBuffer.wrap(bytes).order(order).getInt(next);
        Path cut = file("cut.tif", Arrays.copyOf(bytes, second + 4));
        e = assertThrows(JpklFormatException.class, () -> ImagePages.open(cut));
        assertTrue(e.getMessage().startsWith(cut + ": image directory 1: its "), e.getMessage());
        Jpkl jpkl = Jpkl.builder().codecs(TiffStacksTest.codecs()).serializers(ContainerSerializers.load()).build();
        e = assertThrows(JpklFormatException.class, () -> TiffStacks.importStack(jpkl, cut, dir.resolve("cut.jpkl"), TiffImportOptions.defaults()));
        assertTrue(e.getMessage().startsWith(cut + ": image directory 1: "), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cut.jpkl")));
    }

    @Test
    void pageAxesComeFromTheImageJDescription() throws IOException {
        PageAxes axes = PageAxes.of(Optional.of("ImageJ=1.54f\nimages=12\nchannels=2\nslices=3\nframes=2\nhyperstack=true\n"), 12, "h.tif");
        assertEquals(List.of("t", "z", "c"), axes.names());
        assertArrayEquals(new int[] {2, 3, 2}, axes.sizes());
        assertArrayEquals(new int[] {1, 0, 1}, axes.position(7), "channels fastest, then slices, then frames");
        assertEquals("t=2, z=3, c=2", axes.toString());
        assertEquals(2L, axes.imageJ().get("frames"));
        assertEquals(List.of("z"), PageAxes.of(Optional.of("ImageJ=1.54f\nimages=5\n"), 5, "s.tif").names());
        assertEquals(List.of("z"), PageAxes.of(Optional.of("made by a scanner"), 5, "s.tif").names());
        assertEquals(List.of(), PageAxes.of(Optional.empty(), 1, "one.tif").names());
        JpklFormatException e = assertThrows(JpklFormatException.class,
                () -> PageAxes.of(Optional.of("ImageJ=1.54f\nimages=12\nchannels=2\nslices=3\nframes=2\n"), 10, "h.tif"));
        assertEquals("h.tif: ImageJ description: gives channels=2, slices=3, frames=2 (12 images) but the file has 10 pages; name the page"
                + " axes explicitly", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> axes.position(12));
    }
}
