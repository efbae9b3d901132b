package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.tiff.TiffStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code encode} of images: ImageJ hyperstack axes (from TIFFs we write, and from tifffile and
 * Pillow), {@code --axes} naming and reordering them, and damaged or lying images refused with
 * exit 1 naming the file.
 */
class ImageInputTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    /** A (t=2, z=3, c=2, 5, 7) uint16 hyperstack as an ImageJ TIFF, written by jpkl's TIFF export. */
    private Path hyperstack(NdArray stack) throws IOException {
        Path npy = TestFiles.npy(dir.resolve("stack.npy"), stack, false, ByteOrder.LITTLE_ENDIAN);
        Path container = dir.resolve("stack.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "t,z,c,y,x", "-o", container.toString(), "--codec", "test-identity"));
        Path tif = dir.resolve("hyper.tif");
        try (JpklArray array = jpkl.open(container)) {
            assertEquals(12, TiffStacks.exportSelection(array, "...", tif));
        }
        return tif;
    }

    @Test
    void imageJHyperstacksKeepTheirAxesAndAxesCanRenameOrReorderThem() throws IOException {
        NdArray stack = NdArray.generate(DType.UINT16, new int[] {2, 3, 2, 5, 7}, i -> (i * 131 + 7) % 65536);
        Path tif = hyperstack(stack);
        Path out = dir.resolve("out.jpkl");
        ok(Cli.run("encode", tif.toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {2, 3, 2, 5, 7}, back.shape());
            assertEquals(List.of("t", "z", "c", "y", "x"), back.axisNames());
            assertEquals(PlaneLayout.of(3, 4), back.layout());
            assertEquals(stack, back.get("..."));
            assertEquals(Map.of("images", 12L, "channels", 2L, "slices", 3L, "frames", 2L),
                    subMap(back.metadata().get("imagej"), "images", "channels", "slices", "frames"));
        }
        ok(Cli.run("encode", tif.toString(), "--axes", "z,c,t,y,x", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {3, 2, 2, 5, 7}, back.shape());
            assertEquals(List.of("z", "c", "t", "y", "x"), back.axisNames());
            for (int t = 0; t < 2; t++) {
                for (int z = 0; z < 3; z++) {
                    for (int c = 0; c < 2; c++) {
                        assertEquals(stack.get(t + ", " + z + ", " + c), back.get(z + ", " + c + ", " + t), "t, z, c = " + t + z + c);
                    }
                }
            }
        }
        ok(Cli.run("encode", tif.toString(), "--axes", "y,x,t,z,c,s", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {5, 7, 2, 3, 2, 1}, back.shape());
            assertEquals(PlaneLayout.jpkl(false), back.layout());
            assertEquals(stack.get("1, 2, 0"), back.get(":, :, 1, 2, 0, 0"));
        }
        ok(Cli.run("encode", tif.toString(), "--axes", "time,depth,ch,y,x", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(List.of("time", "depth", "ch", "y", "x"), back.axisNames());
            assertEquals(stack, back.get("..."));
        }
        fails(Cli.run("encode", tif.toString(), "--axes", "t,z,y,x", "-o", out.toString(), "--codec", "test-identity"), 2,
                "--axes t,z,y,x: the input (grey images, 1 file(s) x 12 page(s) (ImageJ axes t=2, z=3, c=2)) has the stack axes"
                + " t (pages), z (pages), c (pages); name each of them");
        fails(Cli.run("encode", tif.toString(), "--axes", "z,q,c,y,x", "-o", out.toString(), "--codec", "test-identity"), 2,
                "has the stack axes t (pages), z (pages), c (pages)");
        byte[] bytes = Files.readAllBytes(tif);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("frames=2");
        assertTrue(at > 0, "the ImageJ description names the frames");
        bytes[at + 7] = '3';
        Path lying = dir.resolve("lying.tif");
        Files.write(lying, bytes);
        fails(Cli.run("encode", lying.toString(), "-o", out.toString(), "--codec", "test-identity"), 1, lying + ": ImageJ description:"
                + " gives channels=2, slices=3, frames=3 (18 images) but the file has 12 pages; name the page axes explicitly (with --axes,"
                + " e.g. --axes z,y,x, the pages are read as one axis)");
        ok(Cli.run("encode", lying.toString(), "--axes", "z,y,x", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {12, 5, 7}, back.shape());
            assertEquals(stack.get("1, 2, 1"), back.get("11"));
        }
        ok(Cli.run("encode", tif.toString(), tif.toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(List.of("file", "t", "z", "c", "y", "x"), back.axisNames());
            assertArrayEquals(new int[] {2, 2, 3, 2, 5, 7}, back.shape());
        }
    }

    private static Map<String, Object> subMap(Object map, String... keys) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        Map<String, Object> out = new java.util.HashMap<>();
        for (String k : keys) {
            out.put(k, m.get(k));
        }
        return out;
    }

    @Test
    void singleImagesTakeLengthOneAxes() throws IOException {
        NdArray plane = TestFiles.ramp(DType.UINT16, 6, 9);
        Path tif = TestFiles.tiff(dir.resolve("one.tif"), List.of(plane));
        Path out = dir.resolve("one.jpkl");
        for (String axes : new String[] {"y,x", "z,y,x", "t,z,y,x", "y,x,z"}) {
            ok(Cli.run("encode", tif.toString(), "--axes", axes, "-o", out.toString(), "--codec", "test-identity"));
            try (JpklArray back = jpkl.open(out)) {
                assertEquals(Arrays.asList(axes.split(",")), back.axisNames());
                int[] shape = back.shape();
                assertEquals(6 * 9, Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b), axes);
                assertArrayEquals(plane.toIntArray(), back.get("...").toIntArray(), axes);
            }
        }
        ok(Cli.run("encode", tif.toString(), "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertEquals(List.of("y", "x"), back.axisNames());
        }
        Path png = TestFiles.png(dir.resolve("two.png"), plane);
        ok(Cli.run("encode", tif.toString(), png.toString(), "--axes", "c,z,y,x", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {1, 2, 6, 9}, back.shape(), "the files are z (detected), c is new");
            assertEquals(plane, back.get("0, 1"));
        }
    }

    @Test
    void sizesInAxesSplitThePagesOfAPlainStack() throws IOException {
        List<NdArray> pages = new java.util.ArrayList<>();
        for (int p = 0; p < 6; p++) {
            int k = p;
            pages.add(NdArray.generate(DType.UINT8, new int[] {4, 5}, i -> (i * 3 + k * 40) % 256));
        }
        Path tif = TestFiles.tiff(dir.resolve("flat.tif"), pages);
        Path out = dir.resolve("split.jpkl");
        ok(Cli.run("encode", tif.toString(), "--axes", "t=2,z,y,x", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {2, 3, 4, 5}, back.shape());
            assertEquals(List.of("t", "z", "y", "x"), back.axisNames());
            for (int p = 0; p < 6; p++) {
                assertEquals(pages.get(p), back.get((p / 3) + ", " + (p % 3)), "page " + p);
            }
        }
        ok(Cli.run("encode", tif.toString(), "--axes", "y,x,t=3,z=2", "-o", out.toString(), "--codec", "test-identity"));
        try (JpklArray back = jpkl.open(out)) {
            assertArrayEquals(new int[] {4, 5, 3, 2}, back.shape());
            assertEquals(pages.get(5), back.get(":, :, 2, 1"));
        }
        String target = out.toString();
        fails(Cli.run("encode", tif.toString(), "--axes", "t=4,z,y,x", "-o", target), 2,
                "--axes t=4,z,y,x: the sizes give a multiple of 4 pages; the file has 6");
        fails(Cli.run("encode", tif.toString(), "--axes", "t=2,z=2,y,x", "-o", target), 2, "the sizes give 4 pages; the file has 6");
        fails(Cli.run("encode", tif.toString(), "--axes", "t=2,z,y=4,x", "-o", target), 2, "'y=4': the plane's size comes from the images");
        fails(Cli.run("encode", tif.toString(), "--axes", "t=x,z,y,x", "-o", target), 2, "'t=x': the size must be an integer >= 1");
        fails(Cli.run("encode", tif.toString(), "--axes", "t=2,z,q,y,x", "-o", target), 2, "'z' and 'q' both lack a size");
        fails(Cli.run("encode", tif.toString(), "--axes", "t=2,t,y,x", "-o", target), 2, "the name 't' appears twice");
        fails(Cli.run("encode", tif.toString(), tif.toString(), "--axes", "t=2,z,y,x", "-o", target), 2,
                "sizes (NAME=SIZE) split the pages of one file; 2 files are given");
    }

    @Test
    void truncatedAndLyingImagesAreRefusedNamingTheFile() throws IOException {
        NdArray grey = NdArray.generate(DType.UINT8, new int[] {256, 256}, i -> (i % 256 + i / 256) % 256);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(TestFiles.image(grey), "jpg", jpeg));
        byte[] whole = jpeg.toByteArray();
        Path half = dir.resolve("half.jpg");
        Files.write(half, Arrays.copyOf(whole, whole.length / 2));
        Path out = dir.resolve("out.jpkl");
        fails(Cli.run("encode", half.toString(), "-o", out.toString()), 1,
                "jpkl encode: " + half + ": page 0: is damaged: the JPEG decoder reported \"", "would have invented the pixels");

        byte[] lying = whole.clone();
        int sof = indexOf(lying, (byte) 0xFF, (byte) 0xC0);
        ByteBuffer.wrap(lying).putShort(sof + 5, (short) 40000).putShort(sof + 7, (short) 40000);
        Path huge = dir.resolve("huge.jpg");
        Files.write(huge, Arrays.copyOf(lying, 400));
        fails(Cli.run("encode", huge.toString(), "-o", out.toString()), 1, "jpkl encode: " + huge + ": page 0: the header gives 40000 x 40000"
                + " = 1600000000 pixels, more than the limit of 268435456 per image (a damaged or hostile header; if the image is real,"
                + " raise the limit with --max-image-pixels)");

        Path png = TestFiles.png(dir.resolve("whole.png"), grey);
        byte[] pngBytes = Files.readAllBytes(png);
        Path cutPng = dir.resolve("cut.png");
        Files.write(cutPng, Arrays.copyOf(pngBytes, pngBytes.length - 40));
        fails(Cli.run("encode", cutPng.toString(), "-o", out.toString()), 1, cutPng + ": page 0: is truncated");

        Path tif = TestFiles.tiff(dir.resolve("stack.tif"), List.of(TestFiles.ramp(DType.UINT16, 4, 5), TestFiles.ramp(DType.UINT16, 4, 5)));
        byte[] tiffBytes = Files.readAllBytes(tif);
        ByteOrder order = tiffBytes[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer.wrap(tiffBytes).order(order).putInt(4, tiffBytes.length + 1000);
        Path pastEnd = dir.resolve("past-end.tif");
        Files.write(pastEnd, tiffBytes);
        fails(Cli.run("encode", pastEnd.toString(), "-o", out.toString()), 1, pastEnd + ": image directory 0: its offset "
                + (tiffBytes.length + 1000) + " is past the end of the file (" + tiffBytes.length + " bytes)");

        fails(Cli.run("encode", png.toString(), "-o", out.toString(), "--max-image-pixels", "65535"), 1,
                png + ": page 0: the header gives 256 x 256 = 65536 pixels, more than the limit of 65535 per image");
        ok(Cli.run("encode", png.toString(), "-o", out.toString(), "--max-image-pixels", "65536", "--codec", "test-identity"));
        fails(Cli.run("encode", png.toString(), "-o", out.toString(), "--max-image-pixels", "0"), 2, "--max-image-pixels 0: must be at least 1");
        assertFalse(Files.exists(dir.resolve("never.jpkl")));
    }

    private static int indexOf(byte[] bytes, byte a, byte b) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == a && bytes[i + 1] == b) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    /**
     * TIFFs written by tifffile ({@code imagej=True}, several axis orders, 8/16-bit, RGB) and by
     * Pillow import with their axes and exact samples; {@code numpy.load} checks what {@code get}
     * gives back.
     */
    @Test
    void tifffileAndPillowStacksImportWithTheirAxes() throws IOException, InterruptedException {
        OptionalPieces.python("numpy", "tifffile",
                "PIL");
        String[][] cases = {
            {"tzcyx_u2", "t,z,c,y,x"}, {"zyx_u1", "z,y,x"}, {"tyx_u1", "t,y,x"}, {"cyx_u2", "c,y,x"}, {"zcyx_u2", "z,c,y,x"},
            {"tzyxs_rgb", "t,z,y,x,rgb"}, {"yx_u2", "y,x"}, {"pil_L", "z,y,x"}, {"pil_I16", "z,y,x"}, {"pil_rgb", "y,x,rgb"},
        };
        OptionalPieces.runCode(dir, "make", String.join("\n",
                "import numpy as np, tifffile, sys, os",
                "from PIL import Image",
                "d = sys.argv[1]",
                "def ramp(shape, dtype, mod):",
                "    return (np.arange(int(np.prod(shape)), dtype=np.int64) * 7919 % mod).astype(dtype).reshape(shape)",
                "arrays = {",
                "  'tzcyx_u2': (ramp((2, 3, 4, 9, 11), 'u2', 65536), 'TZCYX'),",
                "  'zyx_u1': (ramp((5, 9, 11), 'u1', 256), 'ZYX'),",
                "  'tyx_u1': (ramp((3, 9, 11), 'u1', 256), 'TYX'),",
                "  'cyx_u2': (ramp((2, 9, 11), 'u2', 65536), 'CYX'),",
                "  'zcyx_u2': (ramp((3, 2, 9, 11), 'u2', 65536), 'ZCYX'),",
                "  'tzyxs_rgb': (ramp((2, 3, 9, 11, 3), 'u1', 256), 'TZYXS'),",
                "  'yx_u2': (ramp((9, 11), 'u2', 65536), 'YX'),",
                "}",
                "for name, (a, axes) in arrays.items():",
                "    tifffile.imwrite(os.path.join(d, name + '.tif'), a, imagej=True, metadata={'axes': axes},",
                "                     photometric='rgb' if axes.endswith('S') else 'minisblack')",
                "    np.save(os.path.join(d, name + '.want.npy'), a)",
                "pages = ramp((4, 9, 11), 'u1', 256)",
                "ims = [Image.fromarray(p) for p in pages]",
                "ims[0].save(os.path.join(d, 'pil_L.tif'), save_all=True, append_images=ims[1:])",
                "np.save(os.path.join(d, 'pil_L.want.npy'), pages)",
                "p16 = ramp((3, 9, 11), 'u2', 65536)",
                "ims = [Image.fromarray(p) for p in p16]",
                "ims[0].save(os.path.join(d, 'pil_I16.tif'), save_all=True, append_images=ims[1:])",
                "np.save(os.path.join(d, 'pil_I16.want.npy'), p16)",
                "rgb = ramp((9, 11, 3), 'u1', 256)",
                "Image.fromarray(rgb).save(os.path.join(d, 'pil_rgb.png'))",
                "np.save(os.path.join(d, 'pil_rgb.want.npy'), rgb)"), dir.toString());
        StringBuilder names = new StringBuilder();
        for (String[] c : cases) {
            Path in = Files.exists(dir.resolve(c[0] + ".tif")) ? dir.resolve(c[0] + ".tif") : dir.resolve(c[0] + ".png");
            Path out = dir.resolve(c[0] + ".jpkl");
            ok(Cli.run("encode", in.toString(), "-o", out.toString(), "--codec", "test-identity"));
            try (JpklArray back = jpkl.open(out)) {
                assertEquals(Arrays.asList(c[1].split(",")), back.axisNames(), c[0]);
            }
            ok(Cli.run("get", out.toString(), "...", "-o", dir.resolve(c[0] + ".got.npy").toString()));
            names.append(c[0]).append(' ');
        }
        String result = OptionalPieces.runCode(dir, "check", String.join("\n",
                "import numpy as np, sys, os",
                "d = sys.argv[1]",
                "for n in sys.argv[2].split():",
                "    want = np.load(os.path.join(d, n + '.want.npy'))",
                "    got = np.load(os.path.join(d, n + '.got.npy'))",
                "    assert got.shape == want.shape, (n, got.shape, want.shape)",
                "    assert got.dtype == want.dtype, (n, got.dtype, want.dtype)",
                "    assert np.array_equal(got, want), n",
                "print('checked', len(sys.argv[2].split()))"), dir.toString(), names.toString().strip());
        assertTrue(result.contains("checked " + cases.length), result);
    }
}
