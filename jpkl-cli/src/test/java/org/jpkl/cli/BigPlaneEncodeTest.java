package org.jpkl.cli;

import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.TileGrid;
import org.jpkl.api.testing.ChildJvm;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jpkl encode} of planes larger than memory: tiled (and striped) TIFFs and BigTIFFs written
 * by tifffile, and {@code .npy} files, are read one tile row at a time and written tile row by tile
 * row, so a child JVM whose heap is a fraction of the plane encodes it; every value read back is
 * checked. Needs {@code /usr/bin/python3} with numpy and tifffile; skipped with a message without
 * them, except under CI ({@code CI=true}), where that fails.
 */
class BigPlaneEncodeTest {
    /** Writes tifffile TIFFs and .npy files of {@link #value} (or random samples), without a whole plane in memory. */
    private static final String PYTHON = String.join("\n",
            "import sys",
            "import numpy as np",
            "import tifffile",
            "",
            "def band(y0, rows, w):",
            "    xs = np.arange(w, dtype=np.int64)[None, :]",
            "    ys = np.arange(y0, y0 + rows, dtype=np.int64)[:, None]",
            "    return ((ys * 31 + xs * 17 + (xs >> 7)) % 251).astype(np.uint8)",
            "",
            "def big(tif, npy, h, w):",
            "    t = 512",
            "    def tiles():",
            "        for y0 in range(0, h, t):",
            "            b = band(y0, t, w)",
            "            b = np.pad(b, ((0, 0), (0, (-w) % t)))",
            "            for x0 in range(0, b.shape[1], t):",
            "                yield b[:, x0:x0 + t]",
            "    tifffile.imwrite(tif, tiles(), shape=(h, w), dtype=np.uint8, tile=(t, t), bigtiff=True, photometric='minisblack',",
            "                     compression='zlib', compressionargs={'level': 1})",
            "    m = np.lib.format.open_memmap(npy, mode='w+', dtype=np.uint8, shape=(h, w))",
            "    for y0 in range(0, h, 1024):",
            "        m[y0:y0 + 1024] = band(y0, min(1024, h - y0), w)",
            "    m.flush()",
            "",
            "def small(tif, raw, dtype, rgb, pages, h, w, layout, compression):",
            "    rng = np.random.RandomState(h + w)",
            "    shape = (pages, h, w, 3) if rgb else (pages, h, w)",
            "    if dtype == 'float32':",
            "        a = (rng.standard_normal(shape) * 100).astype(np.float32)",
            "    else:",
            "        a = rng.randint(0, np.iinfo(dtype).max + 1, shape).astype(dtype)",
            "    kw = {'tile': (int(layout[1:]), int(layout[1:]))} if layout[0] == 't' else {'rowsperstrip': int(layout[1:])}",
            "    if compression != 'none':",
            "        kw['compression'] = compression",
            "    with tifffile.TiffWriter(tif, bigtiff=True) as out:",
            "        for p in a:",
            "            out.write(p, photometric='rgb' if rgb else 'minisblack', contiguous=False, **kw)",
            "    a.astype(a.dtype.newbyteorder('<')).tofile(raw)",
            "",
            "def wide(tif, raw, h, w):",
            "    y, x = np.mgrid[0:h, 0:w]",
            "    a = np.round(128 + 100 * np.sin(x / 700.0) * np.cos(y / 90.0)).astype(np.uint8)",
            "    tifffile.imwrite(tif, a, tile=(256, 256), bigtiff=True, photometric='minisblack', compression='zlib')",
            "    a.tofile(raw)",
            "",
            "if sys.argv[1] == 'big':",
            "    big(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))",
            "elif sys.argv[1] == 'small':",
            "    small(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == 'rgb', *map(int, sys.argv[6:9]), sys.argv[9], sys.argv[10])",
            "else:",
            "    wide(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))",
            "");

    @TempDir
    static Path dir;

    private final Jpkl jpkl = Jpkl.create();

    private static void python(String... args) throws IOException, InterruptedException {
        OptionalPieces.python("numpy", "tifffile");
        OptionalPieces.runCode(dir, "big_planes", PYTHON, args);
    }

    /** The generated plane's value at (y, x), as the Python side computes it. */
    static int value(long y, long x) {
        return (int) ((y * 31 + x * 17 + (x >> 7)) % 251);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, dtype, grey/rgb, pages, height, width, TIFF tiles (tN) or strips (sN), compression, --tile
        "grey16-tiles, uint16, grey, 3, 100, 130, t32, zlib, 48",
        "float32-tiles, float32, grey, 1, 81, 77, t16, none, 32x64",
        "rgb8-strips, uint8, rgb, 2, 70, 50, s9, zlib, 16x32",
        "grey8-one-strip, uint8, grey, 1, 60, 40, s60, none, 16",
    })
    void tiledAndStripedTiffsEncodeExactlyTileRowByTileRow(String name, String dtype, String colour, int pages, int height, int width,
                                                         String layout, String compression, String tile) throws Exception {
        Path tif = dir.resolve(name + ".tif");
        Path raw = dir.resolve(name + ".raw");
        python("small", tif.toString(), raw.toString(), dtype, colour, Integer.toString(pages), Integer.toString(height),
                Integer.toString(width), layout, compression);
        Path out = dir.resolve(name + ".jpkl");
        ok(Cli.run("encode", tif.toString(), "-o", out.toString(), "--codec", "zstd", "--tile", tile));
        boolean rgb = colour.equals("rgb");
        int[] stack = rgb ? new int[] {pages, height, width, 3} : new int[] {pages, height, width};
        // A single page is stored without a page axis.
        int[] shape = pages == 1 ? java.util.Arrays.copyOfRange(stack, 1, stack.length) : stack;
        NdArray expected = NdArray.copyOf(ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN),
                DType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT)), shape);
        try (JpklArray a = jpkl.open(out)) {
            String[] hw = tile.split("x");
            int th = Integer.parseInt(hw[0]);
            assertEquals(new TileGrid(height, width, th, hw.length == 1 ? th : Integer.parseInt(hw[1])), a.tiling().orElseThrow());
            assertArrayEquals(shape, a.shape());
            assertEquals(expected, a.get("..."));
        }
    }

    @Test
    void aPlaneFourTimesTheChildsHeapEncodesFromATiledBigTiffAndFromNpy() throws Exception {
        bigPlaneRoundTrip(16_384, "64m", 30);
    }

    /** 46,000 x 46,000 (2.1 GB raw, 2.1 GB of .npy and a compressed BigTIFF on disk): minutes, so off by default. */
    @Test
    @EnabledIfSystemProperty(named = "jpkl.bigTests", matches = "true")
    void aTwoGigabytePlaneEncodesThroughA128MegabyteHeap() throws Exception {
        bigPlaneRoundTrip(46_000, "128m", 40);
    }

    /**
     * Generates a side x side uint8 plane as a zlib-tiled BigTIFF and as a .npy, encodes each in a
     * child JVM with the heap given (both at least four times smaller than the plane), and checks
     * random regions and the last pixel against {@link #value}.
     */
    private void bigPlaneRoundTrip(int side, String heap, int regions) throws Exception {
        Path tif = dir.resolve("big" + side + ".tif");
        Path npy = dir.resolve("big" + side + ".npy");
        python("big", tif.toString(), npy.toString(), Integer.toString(side), Integer.toString(side));
        long raw = (long) side * side;
        long heapBytes = Long.parseLong(heap.substring(0, heap.length() - 1)) << 20;
        assertTrue(raw >= 4 * heapBytes, "the plane (" + raw + " bytes) is at least four times the child's heap (" + heapBytes + ")");
        for (Path input : List.of(tif, npy)) {
            Path out = dir.resolve(input.getFileName() + ".jpkl");
            List<String> command = ChildJvm.command(List.of("-Xmx" + heap), Main.class, "encode", input.toString(), "-o", out.toString(),
                    "--codec", "zstd", "--max-image-pixels", Long.toString(raw), "-v");
            Path log = dir.resolve("child.log");
            long t0 = System.nanoTime();
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = child.waitFor(20, TimeUnit.MINUTES);
            if (!finished) {
                child.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.printf("encode %s (%d x %d uint8, %.0f MB raw) with -Xmx%s: %.1f s%n  %s%n", input.getFileName(), side, side,
                    raw / 1e6, heap, (System.nanoTime() - t0) / 1e9, output.strip().replace("\n", "\n  "));
            assertTrue(finished, "the child JVM did not finish within 20 minutes");
            assertEquals(0, child.exitValue(), "child exit code; output:\n" + output);
            try (JpklArray a = jpkl.open(out)) {
                assertEquals(new TileGrid(side, side, 512, 512), a.tiling().orElseThrow());
                Random rnd = new Random(side);
                for (int k = 0; k < regions; k++) {
                    int y0 = rnd.nextInt(side - 300);
                    int x0 = rnd.nextInt(side - 700);
                    int h = 1 + rnd.nextInt(300);
                    int w = 1 + rnd.nextInt(700);
                    NdArray got = a.get(y0 + ":" + (y0 + h) + ", " + x0 + ":" + (x0 + w));
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            if (value(y0 + y, x0 + x) != got.getInt(y, x)) {
                                assertEquals(value(y0 + y, x0 + x), got.getInt(y, x), input.getFileName() + " (" + (y0 + y) + ", " + (x0 + x) + ")");
                            }
                        }
                    }
                }
                assertEquals(value(side - 1, side - 1), a.get("-1, -1").getInt());
                assertEquals(value(0, side - 1), a.get("0, -1").getInt());
            }
            Files.delete(out);
        }
        Files.delete(tif);
        Files.delete(npy);
    }

    @Test
    void aTiffWiderThanJpegCanEncodeGetsJpegTiles() throws Exception {
        int height = 300;
        int width = 70_000;
        Path tif = dir.resolve("wide.tif");
        Path raw = dir.resolve("wide.raw");
        python("wide", tif.toString(), raw.toString(), Integer.toString(height), Integer.toString(width));
        Path out = dir.resolve("wide.jpkl");
        ok(Cli.run("encode", tif.toString(), "-o", out.toString(), "--codec", "jpeg"));
        byte[] expected = Files.readAllBytes(raw);
        try (JpklArray a = jpkl.open(out)) {
            assertEquals(new TileGrid(height, width, 512, 512), a.tiling().orElseThrow());
            NdArray got = a.get("...");
            int worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs((expected[i] & 0xFF) - got.getIntFlat(i)));
            }
            System.out.println("jpeg tiles of a 300 x 70,000 plane: largest error " + worst);
            assertTrue(worst <= 6, "largest JPEG error on a smooth plane: " + worst);
        }
    }

    @Test
    void aCompressedStripLargerThanTheBufferIsRefusedSayingWhatToDo() throws Exception {
        Path tif = dir.resolve("onestrip.tif");
        python("small", tif.toString(), dir.resolve("onestrip.raw").toString(), "uint16", "grey", "1", "200", "300", "s200", "zlib");
        Path out = dir.resolve("onestrip.jpkl");
        Cli.Result r = Cli.run("encode", tif.toString(), "-o", out.toString(), "--codec", "zstd", "--tile", "16", "--buffer", "64K");
        assertEquals(1, r.code(), r.toString());
        assertEquals("jpkl encode: " + tif + ": page 0 (300 x 200 pixels) is stored as strips of 200 rows, compression 8 (deflate): one block"
                + " decodes to 120000 bytes, more than the 65536 bytes allowed for reading it in bands of rows, and a compressed block"
                + " cannot be read in parts; store the TIFF tiled (e.g. tifffile's tile=(512, 512)), uncompressed, or with fewer rows"
                + " per strip, or allow more memory (--buffer)", r.err().strip());
        assertTrue(Files.notExists(out));
        ok(Cli.run("encode", tif.toString(), "-o", out.toString(), "--codec", "zstd", "--tile", "16", "--buffer", "128K"));
        ok(Cli.run("encode", tif.toString(), "-o", dir.resolve("whole.jpkl").toString(), "--codec", "zstd", "--buffer", "64K"));
    }

    @Test
    void aTileRowLargerThanOneJavaArrayIsRefusedNamingTheTileOption() throws Exception {
        // 1024 x 5,000,000 uint8 (5.1 GB, sparse: nothing is read): a 512-row band is 2.56 GB.
        Path npy = dir.resolve("long.npy");
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (1024, 5000000), }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        Files.write(npy, b.array());
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(npy.toFile(), "rw")) {
            f.setLength(f.length() + 5_120_000_000L);
        }
        Path out = dir.resolve("long.jpkl");
        Cli.Result r = Cli.run("encode", npy.toString(), "-o", out.toString(), "--codec", "zstd", "--tile", "512");
        assertEquals(2, r.code(), r.toString());
        assertEquals("jpkl encode: " + npy + ": a band of 512 rows of uint8 1024x5000000 grey has 2560000000 bytes, more than one Java"
                + " array holds; read fewer rows at a time (a plane is read one tile row at a time: give --tile a lower height)",
                r.err().strip());
        assertTrue(Files.notExists(out));
        Files.delete(npy);
    }

    @Test
    void pngPagesAreDecodedWholeAndCutIntoTileRowsBesideTiffPagesReadByRows() throws Exception {
        // A PNG (decoded whole) and an uncompressed TIFF written by the JDK (read by rows) in one stack.
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(50, 37, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        short[] samples = ((java.awt.image.DataBufferUShort) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (i * 977);
        }
        Path folder = dir.resolve("mixed");
        Files.createDirectories(folder);
        assertTrue(javax.imageio.ImageIO.write(image, "png", folder.resolve("a1.png").toFile()));
        assertTrue(javax.imageio.ImageIO.write(image, "tiff", folder.resolve("a2.tif").toFile()));
        Path out = dir.resolve("mixed.jpkl");
        ok(Cli.run("encode", folder.toString(), "-o", out.toString(), "--codec", "zstd", "--tile", "16"));
        try (JpklArray a = jpkl.open(out)) {
            assertEquals(new TileGrid(37, 50, 16, 16), a.tiling().orElseThrow());
            NdArray one = NdArray.wrapUint16(samples.clone(), 37, 50);
            assertEquals(one, a.get("0, ..."));
            assertEquals(one, a.get("1, ..."));
        }
    }
}
