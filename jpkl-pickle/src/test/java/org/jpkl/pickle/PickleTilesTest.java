package org.jpkl.pickle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JPkl pickle holds whole planes only: a tiled header is refused, naming the tiles among what would be lost. */
class PickleTilesTest {
    @TempDir
    Path dir;

    @Test
    void openWriterRefusesTilesNamingThem() {
        ContainerHeader tiled = new ContainerHeader(new int[] {40, 40, 2}, DType.UINT8, PlaneLayout.jpkl(false), List.of(), "jpeg",
                Map.of("quality", "90"), Map.of(), 16, 16);
        Path target = dir.resolve("t.pkl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PickleSerializer().openWriter(target, tiled));
        assertTrue(e.getMessage().contains("without losing the tiles (16x16): JPkl pickles hold whole planes only; save without tiles,"
                + " or with serializer 'jpkl', which keeps them"), e.getMessage());
        assertTrue(Files.notExists(target));
    }
}
