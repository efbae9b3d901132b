package org.jpkl.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.container.HeaderJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ZIP container holds whole planes only: it refuses a tiled header when writing and when reading. */
class ZipTilesTest {
    @TempDir
    Path dir;

    private static ContainerHeader tiled() {
        return new ContainerHeader(new int[] {40, 40}, DType.UINT8, PlaneLayout.jpkl(false), List.of(), "png", Map.of(), Map.of(),
                16, 16);
    }

    @Test
    void openWriterRefusesTilesNamingThem() {
        Path target = dir.resolve("t.zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ZipSerializer().openWriter(target, tiled()));
        assertEquals("a ZIP container (format 'zip') holds whole planes only; the 16x16 tiles (3 x 3) of a 40x40 plane would be lost:"
                + " save without tiles, or with serializer 'jpkl'", e.getMessage());
        assertTrue(Files.notExists(target));
    }

    @Test
    void aZipWhoseHeaderHasTilesIsRefused() throws IOException {
        Path file = dir.resolve("t.zip");
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream out = new ZipOutputStream(os)) {
            out.putNextEntry(new ZipEntry("jpkl.json"));
            out.write(HeaderJson.toBytes(tiled()));
            out.closeEntry();
        }
        JpklFormatException e = assertThrows(JpklFormatException.class,
                () -> new ZipSerializer().openReader(RandomAccessSource.open(file)));
        assertEquals(file + ": header: 'tile_shape' is not supported in a ZIP container, whose entries are whole planes", e.getMessage());
    }
}
