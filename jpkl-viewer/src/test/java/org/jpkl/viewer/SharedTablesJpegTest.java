package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored JPEG slices with {@code tables=shared} (abbreviated streams) or {@code tables=header} (scan data
 * only) are never served as image/jpeg.
 */
class SharedTablesJpegTest {
    @Test
    void abbreviatedSlicesAreNotOfferedAsJpeg(@TempDir Path dir) throws Exception {
        Jpkl jpkl = Jpkl.create();
        NdArray array = TestPlanes.smoothArray(DType.UINT8, ChannelLayout.GREY, 1, 32, 32, 2);
        Path inline = dir.resolve("inline.jpkl");
        Path shared = dir.resolve("shared.jpkl");
        jpkl.save(array, inline, WriteOptions.builder().codec("jpeg").noTiles().build());
        jpkl.save(array, shared, WriteOptions.builder().codec("jpeg").param("tables", "shared").noTiles().build());
        assertTrue(new ServedFile(0, inline, jpkl.open(inline)).storedJpegIsDisplayable());
        assertFalse(new ServedFile(1, shared, jpkl.open(shared)).storedJpegIsDisplayable());
        assertFalse(new ServedFile(1, shared, jpkl.open(shared)).storedTileJpegIsDisplayable());
        Path header = dir.resolve("header.jpkl");
        jpkl.save(array, header, WriteOptions.builder().codec("jpeg").param("tables", "header").noTiles().build());
        assertFalse(new ServedFile(2, header, jpkl.open(header)).storedJpegIsDisplayable());
        assertFalse(new ServedFile(2, header, jpkl.open(header)).storedTileJpegIsDisplayable());
    }
}
