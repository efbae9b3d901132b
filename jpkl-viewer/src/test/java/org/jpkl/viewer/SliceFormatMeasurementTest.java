package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.NdArray;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind the choice of sending 16-bit slices as raw samples rather than rendering
 * them on the server: the server-side cost per 512 x 512 uint16 slice of (a) raw little-endian
 * bytes and (b) windowing to 8 bits plus PNG encoding (which a server-rendered design repeats for
 * every window change). Prints the figures; asserts only that the rendered PNG holds exactly the
 * windowed levels (so the comparison is between two correct outputs).
 */
class SliceFormatMeasurementTest {
    @TempDir
    Path dir;

    @Test
    void rawBytesVersusServerRenderedPng() throws IOException {
        Jpkl jpkl = Jpkl.create();
        Path file = TestStacks.uint16Scrub(jpkl, dir, 12);
        try (JpklArray a = jpkl.open(file)) {
            NdArray[] planes = new NdArray[12];
            for (int z = 0; z < 12; z++) {
                planes[z] = a.get(":, :, " + z);
            }
            // One warm-up pass over the planes, then the median of two timed passes (the shared harness).
            Stopwatch clock = Stopwatch.system();
            Samples raw = clock.passes(1, 2, () -> {
                long nanos = 0;
                for (NdArray p : planes) {
                    nanos += clock.nanos(() -> p.toByteBuffer(ByteOrder.LITTLE_ENDIAN));
                }
                return nanos;
            });
            Samples png = clock.passes(1, 2, () -> {
                long nanos = 0;
                for (NdArray p : planes) {
                    short[] s = p.toShortArray();
                    nanos += clock.nanos(() -> windowedPng(s, 512, 512, 0, 41000));
                }
                return nanos;
            });
            long pngBytes = 0;
            for (NdArray p : planes) {
                pngBytes += windowedPng(p.toShortArray(), 512, 512, 0, 41000).length;
            }
            System.out.printf(Locale.ROOT, "viewer format 512x512 uint16: raw LE bytes %.2f ms (512 KB); window + PNG encode %.1f ms (%d KB)%n",
                    raw.median() / planes.length / 1e6, png.median() / planes.length / 1e6, pngBytes / planes.length / 1024);

            short[] samples = planes[5].toShortArray();
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(windowedPng(samples, 512, 512, 0, 41000)));
            byte[] levels = ((DataBufferByte) decoded.getRaster().getDataBuffer()).getData();
            assertArrayEquals(windowLevels(samples, 0, 41000), levels);
        }
    }

    private static byte[] windowLevels(short[] samples, double min, double max) {
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = (byte) ViewerBrowserTest.level(samples[i] & 0xFFFF, min, max);
        }
        return out;
    }

    private static byte[] windowedPng(short[] samples, int w, int h, double min, double max) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(windowLevels(samples, min, max), 0, target, 0, target.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
