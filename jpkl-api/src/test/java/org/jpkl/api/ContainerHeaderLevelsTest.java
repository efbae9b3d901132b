package org.jpkl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Level shapes, chunk numbering across levels, and the specs and descriptions of level chunks. */
class ContainerHeaderLevelsTest {
    private static ContainerHeader header(int h, int w, int tile, int levels) {
        return new ContainerHeader(new int[] {3, h, w}, DType.UINT8, PlaneLayout.of(1, 2), List.of(), "zstd", Map.of(), Map.of(),
                tile, tile, levels);
    }

    @Test
    void levelChunksFollowLevelZerosEachNumberedAsAFileOfItsOwn() {
        ContainerHeader h = header(100, 70, 32, 3);
        assertEquals(4, h.levelCount());
        // level 0: 100x70 -> 4x3 tiles; 1: 50x35 -> 2x2; 2: 25x18 -> 1x1; 3: 13x9 -> 1x1; 3 planes each
        assertArrayEquals(new int[] {3, 50, 35}, h.level(1).shape());
        assertArrayEquals(new int[] {3, 25, 18}, h.level(2).shape());
        assertArrayEquals(new int[] {3, 13, 9}, h.level(3).shape());
        assertEquals(0, h.levelChunkStart(0));
        assertEquals(36, h.levelChunkStart(1));
        assertEquals(48, h.levelChunkStart(2));
        assertEquals(51, h.levelChunkStart(3));
        assertEquals(54, h.chunkCount());
        assertEquals(12, h.chunksPerSlice(), "level 0's");
        // chunk 36 + 1*4 + 3: level 1, plane 1, tile (1, 1) of 18x3
        assertEquals(new PlaneSpec(DType.UINT8, 18, 3, ChannelLayout.GREY), h.chunkSpec(43));
        assertEquals(h.level(1).chunkSpec(7), h.chunkSpec(43));
        assertEquals("level 1 (1,) tile (1, 1)", h.describeChunk(43));
        assertEquals(1, h.sliceOfChunk(43));
        assertEquals(2, h.sliceOfChunk(53));
        assertEquals(2, h.sliceOfChunk(35));
        assertEquals(1, h.level(2).levelCount());
        assertEquals(h.withLevels(0), h.level(0));
        ContainerHeader none = header(100, 70, 32, 0);
        assertSame(none, none.level(0));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> h.level(4));
        assertEquals("level 4 is out of range [0, 4)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> h.chunkSpec(54));
    }

    @Test
    void untiledLevelsAreOnePlaneEachAndTheCountIsChecked() {
        ContainerHeader h = header(5, 1, 0, 2);
        assertArrayEquals(new int[] {3, 2, 1}, h.level(2).shape());
        assertArrayEquals(new int[] {3, 3, 1}, h.level(1).shape());
        assertEquals(9, h.chunkCount());
        assertEquals(new PlaneSpec(DType.UINT8, 2, 1, ChannelLayout.GREY), h.chunkSpec(8));
        assertEquals("level 2 (2,)", h.describeChunk(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> header(5, 1, 0, 32));
        assertEquals("levels 32 is out of range [0, 31]", e.getMessage());
        assertEquals("ContainerHeader[shape=(3, 5, 1), dtype=uint8, layout " + PlaneLayout.of(1, 2) + ", axes [axis0, y, x], codec zstd{},"
                + " 2 reduced levels]", h.toString());
    }
}
