package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
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
 * {@code Jpkl.save} (in groups of {@link ParallelSlices#gatherGroup}) and scattered by {@code get} in groups ({@link ParallelSlices#planeGroup}: 8
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

    /**
     * uint8 planes go through the packed gather and scatter (neighbouring planes' bytes copied as one
     * word) and a selection of at most one group of planes on several threads is decoded first and
     * scattered band of rows by band of rows ({@code JpklArray.readFewInterleaved}): the files are
     * byte-identical on 1, 2 and 3 threads and every selection, of 2 to 8 planes and more, equals
     * the array's own, on odd plane shapes.
     */
    @Test
    void uint8PlanesPackedAndFewPlanesScatteredByRowsOnAnyThreadCount() throws IOException {
        for (int[] shape : new int[][] {{13, 7, 3, 4}, {1, 9, 3, 4}, {50, 5, 10, 4}}) {
            Random r = new Random(shape[0]);
            NdArray a = NdArray.generate(DType.UINT8, shape, i -> r.nextInt(256));
            byte[] first = null;
            for (int parallelism : new int[] {1, 2, 3}) {
                Path f = dir.resolve("u8-" + shape[0] + "-" + parallelism + ".jpkl");
                jpkl(parallelism).save(a, f, WriteOptions.builder().codec(IdentityCodec.ID).build());
                byte[] bytes = Files.readAllBytes(f);
                if (first == null) {
                    first = bytes;
                }
                assertArrayEquals(first, bytes, "file of " + java.util.Arrays.toString(shape) + " saved with " + parallelism + " threads");
                try (JpklArray x = jpkl(parallelism).open(f)) {
                    for (int rep = 0; rep < 2; rep++) { // the second time with the scratch planes of the first
                        for (String e : new String[] {":, :, 1", ":, :, 2, 1:3", ":, :, :2, ::-1", "::-1, 1:, 0", "::2, ::-3, 1, :",
                                ":, :, :, 1", ":, :, :3", "...", "-1, :, 1"}) {
                            assertEquals(a.get(e), x.get(e), e + " of " + java.util.Arrays.toString(shape) + " with " + parallelism
                                    + " threads");
                        }
                    }
                }
            }
        }
    }

    /** A damaged plane among the few decoded first fails the get with its key on every thread count; no thread waits forever. */
    @Test
    void aDamagedPlaneAmongFewFailsTheGet() throws IOException {
        int[] shape = {8, 9, 3, 4};
        NdArray a = NdArray.generate(DType.UINT8, shape, i -> i % 256);
        Path f = dir.resolve("damaged.jpkl");
        jpkl(1).save(a, f, WriteOptions.builder().codec(IdentityCodec.ID).build());
        byte[] bytes = Files.readAllBytes(f);
        int headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        int dataStart = 16 + headerLength + 4;
        int sliceBytes = 16 + 8 * 9;
        bytes[dataStart + 6 * sliceBytes + 30] ^= 1; // slice 6: key (1, 2)
        Files.write(f, bytes);
        for (int parallelism : new int[] {1, 2, 3}) {
            try (JpklArray x = jpkl(parallelism).open(f)) {
                JpklFormatException e = assertThrows(JpklFormatException.class, () -> x.get(":, :, 1"));
                assertTrue(e.getMessage().contains("slice (1, 2): CRC32C mismatch"), e.getMessage());
                assertEquals(a.get(":, :, 0"), x.get(":, :, 0"), "an intact selection after the failure, " + parallelism + " threads");
            }
        }
    }
}
