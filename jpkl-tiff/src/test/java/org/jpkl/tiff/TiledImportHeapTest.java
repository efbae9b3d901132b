package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.NdArray;
import org.jpkl.api.TileGrid;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.ChildJvm;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TiffStacks#importStack} of a page several times larger than the heap: a child JVM with a
 * 48 MiB heap imports a 14,336 x 14,336 uint8 zlib-tiled BigTIFF (206 MB of samples, written by
 * tifffile) into a tiled container, one tile row at a time; the parent checks regions against the
 * generator. Needs {@code /usr/bin/python3} with numpy and tifffile; skipped with a message without
 * them, except under CI ({@code CI=true}), where that fails.
 */
class TiledImportHeapTest {
    private static final int SIDE = 14_336;
    private static final String HEAP = "48m";

    @TempDir
    Path dir;

    static int value(long y, long x) {
        return (int) ((y * 31 + x * 17 + (x >> 7)) % 251);
    }

    /** Child: imports args[0] into args[1] with 512x512 identity tiles. */
    public static final class ImportMain {
        public static void main(String[] args) throws Exception {
            Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load()).build();
            TiffStacks.importStack(jpkl, Path.of(args[0]), Path.of(args[1]), TiffImportOptions.builder().maxImagePixels((long) SIDE * SIDE)
                    .writeOptions(WriteOptions.builder().codec(IdentityCodec.ID).tiles(512, 512).build()).build());
            System.out.println("MAX_HEAP " + Runtime.getRuntime().maxMemory());
        }
    }

    @Test
    void aPageFourTimesTheHeapImportsTileRowByTileRow() throws Exception {
        OptionalPieces.python("numpy", "tifffile");
        Path tif = dir.resolve("big.tif");
        OptionalPieces.runCode(dir, "big_tiff", String.join("\n",
                "import sys",
                "import numpy as np",
                "import tifffile",
                "h = w = int(sys.argv[2])",
                "xs = np.arange(w, dtype=np.int64)[None, :]",
                "def tiles():",
                "    for y0 in range(0, h, 512):",
                "        ys = np.arange(y0, y0 + 512, dtype=np.int64)[:, None]",
                "        band = ((ys * 31 + xs * 17 + (xs >> 7)) % 251).astype(np.uint8)",
                "        for x0 in range(0, w, 512):",
                "            yield band[:, x0:x0 + 512]",
                "tifffile.imwrite(sys.argv[1], tiles(), shape=(h, w), dtype=np.uint8, tile=(512, 512), bigtiff=True,",
                "                 photometric='minisblack', compression='zlib', compressionargs={'level': 1})",
                ""), tif.toString(), Integer.toString(SIDE));
        Path target = dir.resolve("big.jpkl");
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(ChildJvm.command(List.of("-Xmx" + HEAP), ImportMain.class, tif.toString(), target.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the child JVM did not finish within 10 minutes");
        assertEquals(0, child.exitValue(), "child exit code; output:\n" + out);
        long maxHeap = Long.parseLong(out.lines().filter(l -> l.startsWith("MAX_HEAP ")).findFirst().orElseThrow().substring(9).strip());
        assertTrue((long) SIDE * SIDE >= 4 * maxHeap, "the page (" + (long) SIDE * SIDE + " bytes) is at least four times the heap ("
                + maxHeap + ")");
        Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load()).build();
        try (JpklArray a = jpkl.open(target)) {
            assertEquals(new TileGrid(SIDE, SIDE, 512, 512), a.tiling().orElseThrow());
            Random rnd = new Random(7);
            for (int k = 0; k < 20; k++) {
                int y0 = rnd.nextInt(SIDE - 600);
                int x0 = rnd.nextInt(SIDE - 600);
                NdArray got = a.get(y0 + ":" + (y0 + 600) + ", " + x0 + ":" + (x0 + 600));
                for (int y = 0; y < 600; y++) {
                    for (int x = 0; x < 600; x++) {
                        if (got.getInt(y, x) != value(y0 + y, x0 + x)) {
                            assertEquals(value(y0 + y, x0 + x), got.getInt(y, x), "(" + (y0 + y) + ", " + (x0 + x) + ")");
                        }
                    }
                }
            }
            assertEquals(value(SIDE - 1, SIDE - 1), a.get("-1, -1").getInt());
        }
    }
}
