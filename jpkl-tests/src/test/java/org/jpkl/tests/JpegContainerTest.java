package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default codec through the default container, found on the class path as users find it. */
class JpegContainerTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    /** A smooth 5-D stack (y, x, t, z, c): gradients and a moving blob, no noise. */
    private static NdArray smoothStack(int h, int w, int... keys) {
        int[] shape = {h, w, keys[0], keys[1], keys[2]};
        int planeStride = keys[0] * keys[1] * keys[2];
        return NdArray.generate(DType.UINT8, shape, flat -> {
            long pixel = flat / planeStride;
            long key = flat % planeStride;
            double y = pixel / w;
            double x = pixel % w;
            double cx = w * (0.3 + 0.04 * key);
            double blob = Math.exp(-((x - cx) * (x - cx) + (y - h / 2.0) * (y - h / 2.0)) / (0.05 * w * h));
            return Math.rint(30 + 100 * x / w + 50 * y / h + 60 * blob);
        });
    }

    @Test
    void defaultCodecIsJpegAndRoundTripsAtQuality90AboveThirtyFiveDb() throws IOException {
        assertTrue(jpkl.codecs().ids().contains("jpeg"), "jpeg codec discovered: " + jpkl.codecs().ids());
        NdArray stack = smoothStack(96, 128, 3, 2, 2);
        Path file = dir.resolve("smooth.jpkl");
        jpkl.save(stack, file, WriteOptions.builder().axisNames("y", "x", "t", "z", "c")
                .metadata(Map.of("microscope", "demo", "exposure_ms", 12.5)).build());
        try (JpklArray stored = jpkl.open(file)) {
            assertEquals("jpeg", stored.codecId());
            assertEquals("90", stored.codecParams().get("quality"));
            assertArrayEquals(stack.shape(), stored.shape());
            assertEquals(List.of("y", "x", "t", "z", "c"), stored.axisNames());
            assertEquals(Map.of("microscope", "demo", "exposure_ms", 12.5), stored.metadata());
            NdArray all = stored.get("...");
            double psnr = ErrorMetrics.between(stack, all).psnr(255);
            assertTrue(psnr >= 35, "PSNR " + psnr + " dB at quality 90");
            for (String e : List.of(":, :, 1, 0, 1", "10:50:3, ::-2, 2, ...", "..., 0", "5, 7, :, :, :")) {
                NdArray expected = stack.get(e);
                NdArray got = stored.get(e);
                assertArrayEquals(expected.shape(), got.shape(), e);
                assertEquals(all.get(e), got, "a partial get returns exactly what the full decode has there: " + e);
            }
            assertTrue(Files.size(file) * 4 < stack.byteSize(), "JPEG compresses smooth data at least 4x: " + Files.size(file));
        }
    }

    @Test
    void rgbStacksKeepTheirColours() throws IOException {
        int h = 64;
        int w = 80;
        NdArray rgb = NdArray.generate(DType.UINT8, new int[] {h, w, 3, 2}, flat -> {
            int key = (int) (flat % 2);
            int c = (int) (flat / 2 % 3);
            long pixel = flat / 6;
            double x = pixel % w;
            return c == key ? Math.rint(150 + 80 * x / w) : 20;
        });
        Path file = dir.resolve("rgb.jpkl");
        jpkl.save(rgb, file, WriteOptions.builder().layout(PlaneLayout.jpkl(true)).param("quality", 95).build());
        try (JpklArray stored = jpkl.open(file)) {
            NdArray red = stored.get(":, :, :, 0");
            NdArray green = stored.get(":, :, :, 1");
            assertTrue(ErrorMetrics.between(rgb.get(":, :, :, 0"), red).psnr(255) > 35);
            assertTrue(red.getInt(32, 40, 0) > 150 && red.getInt(32, 40, 1) < 60 && red.getInt(32, 40, 2) < 60,
                    "slice 0 is red");
            assertTrue(green.getInt(32, 40, 1) > 150 && green.getInt(32, 40, 0) < 60, "slice 1 is green");
        }
    }
}
