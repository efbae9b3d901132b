package org.jpkl.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.DataBufferFloat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real float32 BigTIFF past 4 GiB (1030 pages of 1024 x 1024, 4.02 GiB), the case TIFF export used
 * to refuse: the pages past 4 GiB read back exactly. Needs ~4.5 GB free disk and a minute, so it is
 * off by default: {@code mvn -B verify -pl jpkl-tiff -am -Djpkl.bigTests=true -Dtest=LargeTiffExportTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jpkl.bigTests", matches = "true")
class LargeTiffExportTest {
    @TempDir
    Path dir;

    @Test
    void float32PagesPast4GiBReadBackFromTheBigTiff() throws IOException {
        int side = 1024;
        int pages = 1030;
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, side, side, ChannelLayout.GREY);
        assertTrue(TiffStacks.bigTiff(TiffExportOptions.defaults(), spec, pages, null), "AUTO takes BigTIFF past 4 GiB");
        Path tiff = dir.resolve("big.tif");
        float[] page = new float[side * side];
        try (TiffPageWriter writer = new TiffPageWriter(tiff, tiff.toString(), true, spec, pages, TiffExportOptions.Compression.NONE,
                "ImageJ=1.11a\nimages=" + pages + "\nslices=" + pages + "\n", null)) {
            for (int p = 0; p < pages; p++) {
                page[0] = p;
                page[page.length - 1] = -p - 0.5f;
                page[p + 1] = Float.NaN;
                writer.writePage(page);
                page[p + 1] = 0;
            }
            writer.finish();
        }
        assertTrue(Files.size(tiff) > 1L << 32, "past 4 GiB: " + Files.size(tiff));
        try (FileChannel in = FileChannel.open(tiff)) {
            ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            in.read(head, 0);
            assertEquals(43, head.getShort(2), "BigTIFF");
        }
        try (ImagePages file = ImagePages.open(tiff, Long.MAX_VALUE, "")) {
            assertEquals(pages, file.pageCount());
            for (int p : new int[] {0, 1023, 1024, pages - 1}) {
                float[] back = ((DataBufferFloat) file.read(p).raster().getDataBuffer()).getData();
                assertEquals(p, back[0], "page " + p);
                assertEquals(-p - 0.5f, back[back.length - 1], "page " + p);
                assertTrue(Float.isNaN(back[p + 1]), "page " + p);
                assertEquals(0f, back[p + 2], "page " + p);
            }
        }
    }
}
