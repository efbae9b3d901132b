package org.jpkl.zip;

import static org.jpkl.zip.TestZips.copy;
import static org.jpkl.zip.TestZips.names;
import static org.jpkl.zip.TestZips.refusal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.Downsampling;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.testing.ReferenceLevels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ZIP container holds resolution levels as entries under {@code levels/<k>/}, named as level 0's
 * under {@code slices/}: every value of every level reads back as {@link ReferenceLevels} computes
 * it, tiled and untiled, mean and nearest; misplaced, missing, duplicated or out-of-range level
 * entries are refused naming them. The generic level checks are the contract's ({@link ZipSerializerTest}).
 */
class ZipLevelsTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();
    private final PlaneLayout yxk = PlaneLayout.jpkl(false);

    /** 3 planes of 70 x 100 uint16; in tiles of 32 x 48: 3 x 3 tiles, level 1 (35 x 50) 2 x 2, level 2 (18 x 25) one. */
    private static NdArray sample() {
        return NdArray.generate(DType.UINT16, new int[] {70, 100, 3}, i -> (i * 2654435761L >>> 9) % 65536);
    }

    private Path saveWithLevels(String name, int levels, Downsampling d, boolean tiled) throws IOException {
        Path file = dir.resolve(name);
        WriteOptions.Builder b = WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").levels(levels).downsampling(d);
        jpkl.save(sample(), file, (tiled ? b.tiles(32, 48) : b.noTiles()).build());
        return file;
    }

    @Test
    void everyValueOfEveryLevelReadsBackAsTheReferenceTiledOrNotMeanOrNearest() throws IOException {
        NdArray a = sample();
        for (Downsampling d : Downsampling.values()) {
            for (boolean tiled : new boolean[] {true, false}) {
                Path file = saveWithLevels("l-" + d.id() + "-" + tiled + ".zip", 3, d, tiled);
                try (JpklArray z = jpkl.open(file)) {
                    assertEquals(ZipSerializer.ID, z.serializerId());
                    assertEquals(4, z.levelCount());
                    assertEquals(Optional.of(d), z.levelDownsampling());
                    assertArrayEquals(new int[] {9, 13, 3}, z.levelShape(3));
                    for (int k = 0; k < 4; k++) {
                        NdArray expected = ReferenceLevels.level(a, yxk, d, k);
                        assertEquals(expected, z.level(k).get("..."), d + " level " + k + (tiled ? " tiled" : ""));
                        assertEquals(expected.get("1:, 2:9, 2"), z.level(k).get("1:, 2:9, 2"), d + " level " + k + " region");
                    }
                    assertTrue(z.verify().isIntact());
                }
            }
        }
    }

    @Test
    void levelEntriesAreNamedAsLevelZerosUnderLevelsK() throws IOException {
        Set<String> expected = new TreeSet<>(List.of("jpkl.json"));
        for (int key = 0; key < 3; key++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    expected.add("slices/" + key + "_t" + r + "_" + c + ".png");
                }
            }
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    expected.add("levels/1/" + key + "_t" + r + "_" + c + ".png");
                }
            }
            expected.add("levels/2/" + key + "_t0_0.png");
        }
        List<String> names = names(saveWithLevels("names.zip", 2, Downsampling.MEAN, true));
        assertEquals("jpkl.json", names.get(0));
        assertEquals(expected, new TreeSet<>(names));
        assertEquals(1 + 42, names.size());

        assertEquals(Set.of("jpkl.json", "slices/0.png", "slices/1.png", "slices/2.png", "levels/1/0.png", "levels/1/1.png",
                "levels/1/2.png"), Set.copyOf(names(saveWithLevels("whole.zip", 1, Downsampling.NEAREST, false))));

        Path plane = dir.resolve("plane.zip");
        jpkl.save(NdArray.generate(DType.UINT8, new int[] {40, 40}, i -> i % 251), plane,
                WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").noTiles().levels(1).build());
        assertEquals(List.of("jpkl.json", "slices/plane.png", "levels/1/plane.png"), names(plane));
    }

    @Test
    void levelEntriesOutsideTheHeadersLevelsAreRefusedNamingTheEntry() throws IOException {
        Path full = saveWithLevels("full.zip", 2, Downsampling.MEAN, true);
        Path three = copy(full, dir.resolve("three.zip"), n -> true, Map.of("levels/3/0_t0_0.png", new byte[10]));
        assertEquals(three + ": entry levels/3/0_t0_0.png: is level 3, outside the header's reduced levels 1 to 2", refusal(three));
        Path zero = copy(full, dir.resolve("zero.zip"), n -> true, Map.of("levels/0/0_t0_0.png", new byte[10]));
        assertEquals(zero + ": entry levels/0/0_t0_0.png: is level 0, outside the header's reduced levels 1 to 2", refusal(zero));

        Path plain = dir.resolve("plain.zip");
        jpkl.save(sample(), plain, WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").noTiles().build());
        Path stray = copy(plain, dir.resolve("stray.zip"), n -> true, Map.of("levels/1/0.png", new byte[10]));
        assertEquals(stray + ": entry levels/1/0.png: is level 1, outside the header's reduced levels (none: the header has no"
                + " 'levels')", refusal(stray));
        // Names not of the form levels/<k>/... are ignored, as other entries outside slices/ are.
        Path other = copy(plain, dir.resolve("other.zip"), n -> true, Map.of("levels/README.txt", new byte[3], "levels/x/0.png",
                new byte[3]));
        try (JpklArray z = jpkl.open(other)) {
            assertEquals(sample(), z.get("..."));
        }
    }

    @Test
    void aMissingMisplacedOrDuplicatedLevelEntryIsRefusedNamingIt() throws IOException {
        Path full = saveWithLevels("full.zip", 2, Downsampling.MEAN, true);
        Path missing = copy(full, dir.resolve("missing.zip"), n -> !n.equals("levels/1/1_t0_1.png"), Map.of());
        assertEquals(missing + ": level 1 (1,) tile (0, 1): has no entry (expected 'levels/1/1_t0_1.png'); the archive holds 41 of"
                + " the 42 tiles of all levels", refusal(missing));
        Path last = copy(full, dir.resolve("last.zip"), n -> !n.equals("levels/2/2_t0_0.png"), Map.of());
        assertEquals(last + ": level 2 (2,) tile (0, 0): has no entry (expected 'levels/2/2_t0_0.png'); the archive holds 41 of"
                + " the 42 tiles of all levels", refusal(last));
        Path row = copy(full, dir.resolve("row.zip"), n -> true, Map.of("levels/1/0_t2_0.png", new byte[10]));
        assertEquals(row + ": entry levels/1/0_t2_0.png: tile (2, 0) is outside the level 1 32x48 tiles (2 x 2) of a 35x50 plane",
                refusal(row));
        Path key = copy(full, dir.resolve("key.zip"), n -> true, Map.of("levels/2/3_t0_0.png", new byte[10]));
        assertEquals(key + ": entry levels/2/3_t0_0.png: key (3,) is outside the header's shape (70, 100, 3)", refusal(key));
        Path twice = copy(full, dir.resolve("twice.zip"), n -> true, Map.of("levels/01/0_t1_1.png", new byte[10]));
        assertEquals(twice + ": entry levels/01/0_t1_1.png: level 1 (0,) tile (1, 1) has two entries: 'levels/1/0_t1_1.png' and"
                + " 'levels/01/0_t1_1.png'", refusal(twice));
        // A whole-plane entry does not stand for a tiled level's tiles.
        Path whole = copy(full, dir.resolve("whole.zip"), n -> !n.startsWith("levels/2/0_"), Map.of("levels/2/0.png", new byte[10]));
        assertEquals(whole + ": level 2 (0,) tile (0, 0): has no entry (expected 'levels/2/0_t0_0.png'); the archive holds 41 of"
                + " the 42 tiles of all levels", refusal(whole));
    }
}
