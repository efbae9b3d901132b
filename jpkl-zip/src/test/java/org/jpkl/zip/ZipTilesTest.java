package org.jpkl.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.TileGrid;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.container.HeaderJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ZIP container holds tiled planes as one stored entry per tile ({@code slices/<key>_t<row>_<column>.<ext>}):
 * exact round trips through the facade, region reads that touch only their tiles' entries, and a
 * missing, misplaced or extra tile entry refused naming it. The generic tiled checks are the
 * contract's ({@link ZipSerializerTest}).
 */
class ZipTilesTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    /** 2 planes of 70 x 100 uint16 in tiles of 32 x 48: 3 x 3 tiles, the last row 6 rows, the last column 4 columns. */
    private static NdArray sample() {
        return NdArray.generate(DType.UINT16, new int[] {70, 100, 2}, i -> (i * 2654435761L >>> 9) % 65536);
    }

    private Path saveTiled(String name) throws IOException {
        Path file = dir.resolve(name);
        jpkl.save(sample(), file, WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").tiles(32, 48).build());
        return file;
    }

    private static List<String> names(Path file) throws IOException {
        return TestZips.names(file);
    }

    @Test
    void aTiledArrayRoundTripsExactlyWithOneEntryPerTile() throws IOException {
        NdArray a = sample();
        Path file = saveTiled("t.zip");
        List<String> names = names(file);
        assertEquals("jpkl.json", names.get(0));
        Set<String> expected = new TreeSet<>();
        for (int k = 0; k < 2; k++) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    expected.add("slices/" + k + "_t" + r + "_" + c + ".png");
                }
            }
        }
        assertEquals(expected, new TreeSet<>(names.subList(1, names.size())));
        assertEquals(19, names.size());
        try (JpklArray z = jpkl.open(file)) {
            assertEquals(ZipSerializer.ID, z.serializerId());
            assertEquals(new TileGrid(70, 100, 32, 48), z.tiling().orElseThrow());
            assertEquals(a, z.get("..."));
            assertEquals(a.get("65:70, 90:100, 1"), z.get("65:70, 90:100, 1"));
            assertTrue(z.verify().isIntact());
        }
    }

    @Test
    void aRegionReadReadsOnlyTheEntriesOfTheTilesItTouches() throws IOException {
        NdArray a = sample();
        Path file = saveTiled("region.zip");
        // Rows 0..9, columns 40..59 of plane 1: tiles (0, 0) and (0, 1) of slice (1,).
        Map<String, long[]> spans = new java.util.HashMap<>();
        try (org.apache.commons.compress.archivers.zip.ZipFile zip = org.apache.commons.compress.archivers.zip.ZipFile.builder()
                .setPath(file).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                spans.put(e.getName(), new long[] {e.getLocalHeaderOffset(), e.getDataOffset() + e.getCompressedSize()});
            }
        }
        CountingSource counting = new CountingSource(RandomAccessSource.open(file));
        try (JpklArray z = jpkl.open(counting)) {
            int atOpen = counting.regions().size();
            assertEquals(a.get("0:10, 40:60, 1"), z.get("0:10, 40:60, 1"));
            List<long[]> reads = counting.regions().subList(atOpen, counting.regions().size());
            assertFalse(reads.isEmpty());
            Set<String> touched = new TreeSet<>();
            for (long[] read : reads) {
                String entry = spans.entrySet().stream().filter(e -> read[0] >= e.getValue()[0] && read[0] + read[1] <= e.getValue()[1])
                        .map(Map.Entry::getKey).findFirst()
                        .orElseThrow(() -> new AssertionError("read of " + read[1] + " bytes at " + read[0] + " lies in no entry"));
                touched.add(entry);
            }
            assertEquals(Set.of("slices/1_t0_0.png", "slices/1_t0_1.png"), touched);
        }
    }

    /** Copies {@code file} to {@code name} keeping the entries {@code keep} accepts and adding {@code extra} (name to bytes). */
    private Path copy(Path file, String name, Predicate<String> keep, Map<String, byte[]> extra) throws IOException {
        return TestZips.copy(file, dir.resolve(name), keep, extra);
    }

    private static String refusal(Path file) {
        return TestZips.refusal(file);
    }

    @Test
    void aMissingTileEntryIsRefusedNamingTheEntryExpected() throws IOException {
        Path file = copy(saveTiled("full.zip"), "missing.zip", n -> !n.equals("slices/1_t2_1.png"), Map.of());
        assertEquals(file + ": slice (1,) tile (2, 1): has no entry (expected 'slices/1_t2_1.png'); the archive holds 17 of the 18 tiles",
                refusal(file));
    }

    @Test
    void aWholePlaneEntryDoesNotStandForItsTiles() throws IOException {
        Path file = copy(saveTiled("full.zip"), "planes.zip", n -> !n.startsWith("slices/0_t"), Map.of("slices/0.png", new byte[10]));
        assertEquals(file + ": slice (0,) tile (0, 0): has no entry (expected 'slices/0_t0_0.png'); the archive holds 9 of the 18 tiles",
                refusal(file));
    }

    @Test
    void aTileOutsideTheGridOrTheKeysIsRefusedNamingTheEntry() throws IOException {
        Path full = saveTiled("full.zip");
        Path row = copy(full, "row.zip", n -> true, Map.of("slices/0_t3_0.png", new byte[10]));
        assertEquals(row + ": entry slices/0_t3_0.png: tile (3, 0) is outside the header's 32x48 tiles (3 x 3) of a 70x100 plane",
                refusal(row));
        Path key = copy(full, "key.zip", n -> true, Map.of("slices/2_t0_0.png", new byte[10]));
        assertEquals(key + ": entry slices/2_t0_0.png: key (2,) is outside the header's shape (70, 100, 2)", refusal(key));
    }

    @Test
    void aPlaneWithoutKeyAxesHasOneEntryPerTileUnderPlane() throws IOException {
        NdArray a = NdArray.generate(DType.UINT8, new int[] {40, 40}, i -> i % 251);
        Path file = dir.resolve("plane.zip");
        jpkl.save(a, file, WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").layout(PlaneLayout.jpkl(false)).tiles(16, 32)
                .build());
        assertEquals(List.of("jpkl.json", "slices/plane_t0_0.png", "slices/plane_t0_1.png", "slices/plane_t1_0.png",
                "slices/plane_t1_1.png", "slices/plane_t2_0.png", "slices/plane_t2_1.png"), sorted(names(file)));
        try (JpklArray z = jpkl.open(file)) {
            assertEquals(a, z.get("..."));
        }
    }

    @Test
    void untiledArchivesKeepTheirSliceEntries() throws IOException {
        NdArray a = NdArray.generate(DType.UINT8, new int[] {40, 40, 2}, i -> i % 251);
        Path file = dir.resolve("whole.zip");
        jpkl.save(a, file, WriteOptions.builder().serializer(ZipSerializer.ID).codec("png").noTiles().build());
        assertEquals(List.of("jpkl.json", "slices/0.png", "slices/1.png"), sorted(names(file)));
        try (JpklArray z = jpkl.open(file)) {
            assertTrue(z.tiling().isEmpty());
            assertEquals(a, z.get("..."));
        }
    }

    @Test
    void aHeaderWithTilesButNoEntriesIsRefusedNamingTheFirstTile() throws IOException {
        ContainerHeader tiled = new ContainerHeader(new int[] {40, 40}, DType.UINT8, PlaneLayout.jpkl(false), List.of(), "png", Map.of(),
                Map.of(), 16, 16);
        Path file = dir.resolve("t.zip");
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream out = new ZipOutputStream(os)) {
            out.putNextEntry(new ZipEntry("jpkl.json"));
            out.write(HeaderJson.toBytes(tiled));
            out.closeEntry();
        }
        assertEquals(file + ": slice () tile (0, 0): has no entry (expected 'slices/plane_t0_0.png'); the archive holds 0 of the 9 tiles",
                refusal(file));
    }

    private static List<String> sorted(List<String> names) {
        List<String> s = new ArrayList<>(names);
        Collections.sort(s);
        return s;
    }
}
