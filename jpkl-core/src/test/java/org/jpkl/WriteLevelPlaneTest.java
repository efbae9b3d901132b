package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JpklWriter#writeLevelPlane}: levels made elsewhere (an OME-Zarr pyramid) are stored exactly
 * as given, tiled or not, and nothing is built from level 0; wrong specs and levels are refused.
 */
class WriteLevelPlaneTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());

    @Test
    void everyLevelReadsBackAsWrittenNotAsADownsampling() throws IOException {
        for (boolean tiled : new boolean[] {false, true}) {
            WriteOptions.Builder b = WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(1, 2)).levels(2);
            WriteOptions options = (tiled ? b.tiles(16, 16) : b.noTiles()).build();
            Path file = dir.resolve("w" + tiled + ".jpkl");
            int[][] shapes = {{2, 37, 41}, {2, 19, 21}, {2, 10, 11}};
            try (JpklWriter w = jpkl.newWriter(file, DType.UINT16, shapes[0], options)) {
                for (int k = 0; k < 3; k++) {
                    for (int n = 0; n < 2; n++) {
                        int level = k;
                        int slice = n;
                        PlaneSpec spec = new PlaneSpec(DType.UINT16, shapes[k][1], shapes[k][2], org.jpkl.api.ChannelLayout.GREY);
                        PlaneBuffer plane = PlaneBuffer.allocate(spec);
                        for (int i = 0; i < spec.sampleCount(); i++) {
                            plane.shorts()[i] = (short) (1000 * level + 100 * slice + i % 97);
                        }
                        w.writeLevelPlane(level, slice, plane);
                    }
                }
                w.commit();
            }
            try (JpklArray a = jpkl.open(file)) {
                for (int k = 0; k < 3; k++) {
                    int level = k;
                    int[] s = shapes[k];
                    assertEquals(NdArray.generate(DType.UINT16, s, i -> 1000 * level + 100 * (i / (s[1] * s[2])) + (i % (s[1] * s[2])) % 97),
                            a.level(k).get("..."), "level " + k + (tiled ? " tiled" : ""));
                }
            }
        }
    }

    @Test
    void wrongSpecsAndLevelsAreRefused() throws IOException {
        WriteOptions options = WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.of(1, 2)).levels(1).noTiles().build();
        try (JpklWriter w = jpkl.newWriter(dir.resolve("r.jpkl"), DType.UINT8, new int[] {1, 8, 8}, options)) {
            PlaneBuffer big = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 8, 8, org.jpkl.api.ChannelLayout.GREY));
            assertEquals("plane is uint8 8x8 grey; level 1's planes are uint8 4x4 grey",
                    assertThrows(IllegalArgumentException.class, () -> w.writeLevelPlane(1, 0, big)).getMessage());
            assertEquals("level 2 is out of range [0, 2)",
                    assertThrows(IndexOutOfBoundsException.class, () -> w.writeLevelPlane(2, 0, big)).getMessage());
        }
    }
}
