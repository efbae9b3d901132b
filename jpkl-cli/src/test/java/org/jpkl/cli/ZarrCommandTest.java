package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
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
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jpkl zarr export} and {@code jpkl zarr import}: a round trip with levels, summary lines, and bad usage or data refused. */
class ZarrCommandTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    @Test
    void exportThenImportKeepsEveryLevelAndTheCalibration() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 2, 100, 130);
        Path file = dir.resolve("a.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("zstd").layout(PlaneLayout.of(1, 2)).axisNames("z", "y", "x").tiles(32, 32)
                .levels(2).metadata("pixel_size_um", 0.5).build());
        Path zarr = dir.resolve("a.zarr");
        Cli.Result r = ok(Cli.run("zarr", "export", file.toString(), zarr.toString(), "--compressor", "blosc-lz4"));
        assertTrue(r.err().startsWith("wrote " + zarr + ": OME-Zarr 0.4 of " + file + ", (2, 100, 130) uint16, 3 levels, 56 chunks,"
                + " compressor blosc-lz4 level 5; "), r.err());
        Path back = dir.resolve("b.jpkl");
        r = ok(Cli.run("zarr", "import", zarr.toString(), back.toString()));
        assertTrue(r.err().startsWith("wrote " + back + ": (2, 100, 130) uint16, axes [z, y, x], 3 of 3 levels imported, codec zstd "),
                r.err());
        try (JpklArray x = jpkl.open(file); JpklArray y = jpkl.open(back)) {
            assertEquals(3, y.levelCount());
            for (int k = 0; k < 3; k++) {
                assertEquals(x.level(k).get("..."), y.level(k).get("..."), "level " + k);
            }
            assertEquals(0.5, y.metadata().get("pixel_size_um"));
            assertEquals(Map.of("z", 1.0, "y", 0.5, "x", 0.5), y.metadata().get("spacing"), "z exported in micrometres too");
            assertEquals("micrometer", y.metadata().get("unit"));
        }
        // A zip container holds levels too: every level imported, no note.
        Path zip = dir.resolve("b.zip");
        r = ok(Cli.run("zarr", "import", zarr.toString(), zip.toString()));
        assertTrue(r.err().startsWith("wrote " + zip + ": (2, 100, 130) uint16, axes [z, y, x], 3 of 3 levels imported, "), r.err());
        try (JpklArray x = jpkl.open(file); JpklArray z = jpkl.open(zip)) {
            assertEquals(3, z.levelCount());
            for (int k = 0; k < 3; k++) {
                assertEquals(x.level(k).get("..."), z.level(k).get("..."), "zip level " + k);
            }
        }
        // Existing store: refused without --overwrite, replaced with it.
        fails(Cli.run("zarr", "export", file.toString(), zarr.toString()), 2,
                "jpkl zarr export: OUT " + zarr + ": " + zarr + ": is a non-empty directory; give overwrite (--overwrite) to replace it");
        ok(Cli.run("zarr", "export", file.toString(), zarr.toString(), "--overwrite", "--compressor", "none"));
        assertEquals(32 * 32 * 2, Files.size(zarr.resolve("0/0/0/0")), "an uncompressed 32x32 uint16 tile");
    }

    @Test
    void anExportNoOmeImageCanHoldIsWrittenWithAWarningNamingWhy() throws IOException {
        Path file = dir.resolve("w.jpkl");
        jpkl.save(TestFiles.ramp(DType.UINT8, 2, 2, 8, 8), file, WriteOptions.builder().codec("zstd").layout(PlaneLayout.of(2, 3))
                .axisNames("angle", "view", "y", "x").build());
        Path zarr = dir.resolve("w.zarr");
        Cli.Result r = ok(Cli.run("zarr", "export", file.toString(), zarr.toString()));
        assertTrue(r.err().startsWith("warning: " + zarr + " will not be a valid OME-Zarr 0.4 image (more than one channel or untyped axis"
                + " [angle, view] (axes named other than x, y, z, t, time, c, ch, channel have no OME type)): Zarr readers read its arrays,"
                + " strict OME-Zarr validators and viewers refuse it; name the axes x, y, z, t, c when encoding (jpkl encode --axes)\n"
                + "wrote " + zarr + ": OME-Zarr 0.4 of "), r.err());
    }

    @Test
    void badUsageAndBadDataAreRefusedWithOneLine() throws IOException {
        Path file = dir.resolve("a.jpkl");
        jpkl.save(TestFiles.ramp(DType.UINT8, 1, 20, 20), file, WriteOptions.builder().codec("zstd").build());
        fails(Cli.run("zarr", "export", file.toString(), dir.resolve("x.zarr").toString(), "--compressor", "lz4"), 2,
                "jpkl zarr export: --compressor lz4: compressor 'lz4' is not one of zstd, zlib, blosc-lz4, none");
        fails(Cli.run("zarr", "export", file.toString(), dir.resolve("x.zarr").toString(), "--clevel", "30"), 2,
                "jpkl zarr export: --clevel 30: level 30 is out of range [1, 22] for compressor zstd");
        fails(Cli.run("zarr", "export", file.toString(), file.toString()), 2,
                "jpkl zarr export: OUT " + file + ": exists and is not a directory; an OME-Zarr export never replaces a file");
        Path bad = Files.createDirectories(dir.resolve("bad.zarr"));
        Files.writeString(bad.resolve(".zarray"), "{\"zarr_format\": 2, \"shape\": [4, 4], \"chunks\": [4, 4], \"dtype\": \"<u8\","
                + " \"order\": \"C\", \"compressor\": null}");
        fails(Cli.run("zarr", "import", bad.toString(), dir.resolve("o.jpkl").toString()), 1,
                "jpkl zarr import: " + bad.resolve(".zarray") + ": dtype: '<u8' is not a dtype jpkl holds (|u1, <u2, >u2, <i2, >i2,"
                        + " <i4, >i4, <f4, >f4, <f8, >f8)");
        assertEquals(List.of(), Files.list(dir).filter(p -> p.getFileName().toString().startsWith("o.")).toList());
        fails(Cli.run("zarr", "import", bad.toString(), dir.resolve("o.tif").toString()), 2,
                "jpkl zarr import: OUT " + dir.resolve("o.tif") + ": zarr import writes a container (.jpkl, .zip, .pkl)");
        fails(Cli.run("zarr", "import", bad.toString(), dir.resolve("o.jpkl").toString(), "--param", "level=3"), 2,
                "jpkl zarr import: --param {level=3} needs --codec ID");
        fails(Cli.run("zarr", "import", dir.resolve("missing.zarr").toString(), dir.resolve("o.jpkl").toString()), 1,
                "jpkl zarr import: " + dir.resolve("missing.zarr") + ": store: is not a directory (a Zarr v2 directory store)");
        fails(Cli.run("zarr"), 2, "jpkl zarr: expected a subcommand: export or import");
        // convert and encode name the command that writes OME-Zarr.
        fails(Cli.run("convert", file.toString(), dir.resolve("c.zarr").toString()), 2, "jpkl convert: OUT " + dir.resolve("c.zarr")
                + ": .zarr is not a container or TIFF extension; this command writes containers (", "; 'jpkl zarr export FILE x.zarr'"
                + " writes a container as an OME-Zarr directory");
    }
}
