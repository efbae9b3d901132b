package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planes interleaved in the array (JPkl's {@code (h, w, ...)} layout) are gathered by
 * {@code Jpkl.save} and scattered by {@code get} in groups ({@link ParallelSlices#planeGroup}: 8
 * planes here), on one thread and on several: the files are byte-identical to each other and every
 * selection equals the array's own, also where a group is cut short (the last one, a selection whose
 * touched planes are not consecutive, a thread's share ending mid-group).
 */
class GroupedPlanesTest {
    @TempDir
    Path dir;

    private static Jpkl jpkl(int parallelism) {
        return Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
                .parallelism(parallelism).build();
    }

    @Test
    void groupedGatherAndScatterGiveTheSameFilesAndSelectionsOnAnyThreadCount() throws IOException {
        int[] shape = {23, 17, 5, 3, 2}; // 30 planes: groups of 8, 8, 8 and 6
        assertEquals(8, ParallelSlices.planeGroup(new PlaneSpec(DType.UINT16, 23, 17, ChannelLayout.GREY)));
        Random r = new Random(5);
        NdArray a = NdArray.generate(DType.UINT16, shape, i -> r.nextInt(65536));
        byte[] first = null;
        for (int parallelism : new int[] {1, 2, 3}) {
            Path f = dir.resolve("p" + parallelism + ".jpkl");
            jpkl(parallelism).save(a, f, WriteOptions.builder().codec(IdentityCodec.ID).build());
            byte[] bytes = Files.readAllBytes(f);
            if (first == null) {
                first = bytes;
            }
            assertArrayEquals(first, bytes, "file saved with " + parallelism + " threads");
            try (JpklArray x = jpkl(parallelism).open(f)) {
                for (String e : new String[] {"...", ":, :, 1", ":, :, ::2, 1:", "::-1, 3:, ::-1, :, 0", "4, ..., 2:0:-1, :",
                        ":, :, 4, 2, 1", ":, ::5, 1:4, ::2, ::-1"}) {
                    assertEquals(a.get(e), x.get(e), e + " with " + parallelism + " threads");
                }
            }
        }
    }
}
