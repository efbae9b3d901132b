package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.ChannelLayout;
import org.jpkl.npy.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input description of a distributed encode, without Spark: probing, stacking and refusals naming the file. */
class StackFilesTest {
    @TempDir
    Path dir;

    @Test
    void filesAreStackedInOrderAndReadBySliceNumber() throws IOException {
        NpyWriter.write(NdArray.generate(DType.INT16, new int[] {2, 3, 4}, i -> -i), dir.resolve("b.npy"));
        NpyWriter.write(NdArray.generate(DType.INT16, new int[] {3, 4}, i -> 100 + i), dir.resolve("a.npy"));
        Files.writeString(dir.resolve("notes.txt"), "not an input");
        StackFiles s = StackFiles.of(List.of(dir));
        assertEquals(List.of(dir.resolve("a.npy").toString(), dir.resolve("b.npy").toString()), s.files());
        assertArrayEquals(new int[] {3, 3, 4}, s.shape());
        assertEquals(DType.INT16, s.dtype());
        assertEquals(PlaneLayout.of(1, 2), s.layout());
        PlaneBuffer plane = PlaneBuffer.allocate(new PlaneSpec(DType.INT16, 3, 4, ChannelLayout.GREY));
        try (StackFiles.PlaneReader r = s.openReader()) {
            r.read(2, plane);
            assertEquals(-12, plane.shorts()[0]);
            r.read(0, plane);
            assertEquals(100, plane.shorts()[0]);
            assertEquals("slice 3 is outside [0, 3)", assertThrows(IndexOutOfBoundsException.class, () -> r.read(3, plane)).getMessage());
        }
    }

    @Test
    void filesWithOtherPlanesAreRefusedNamingBoth() throws IOException {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        NpyWriter.write(NdArray.zeros(DType.UINT16, 3, 4), a);
        NpyWriter.write(NdArray.zeros(DType.UINT16, 2, 3, 5), b);
        assertEquals(b + " holds uint16 3x5 grey planes; " + a + " holds uint16 3x4 grey planes; every plane of a stack must have the"
                + " same size, dtype and channels", assertThrows(IllegalArgumentException.class, () -> StackFiles.of(List.of(a, b))).getMessage());
    }

    @Test
    void unknownKindsAndEmptyFoldersAreRefused() throws IOException {
        Path txt = Files.writeString(dir.resolve("x.raw"), "?");
        assertEquals(txt + ": unknown input kind 'raw'; inputs are .npy or [tif, tiff, png, jpg, jpeg] files, or folders of them",
                assertThrows(IllegalArgumentException.class, () -> StackFiles.of(List.of(txt))).getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals("no input files in [" + empty + "] (folders are searched for .npy and [tif, tiff, png, jpg, jpeg] files)",
                assertThrows(IllegalArgumentException.class, () -> StackFiles.of(List.of(empty))).getMessage());
        Path four = dir.resolve("four.npy");
        NpyWriter.write(NdArray.zeros(DType.UINT8, 2, 2, 3, 4), four);
        assertEquals(four + ": a .npy among several inputs must have shape (y, x) or (n, y, x); it has [2, 2, 3, 4] (give one file alone"
                + " with StackFiles.npy to keep its axes)", assertThrows(IllegalArgumentException.class, () -> StackFiles.of(List.of(four))).getMessage());
    }

    @Test
    void anImageObjectLargerThanTheLimitIsRefusedBeforeAnythingIsAllocated() {
        long size = StackFiles.MAX_IMAGE_OBJECT_BYTES + 1;
        org.jpkl.api.io.RandomAccessSource huge = new org.jpkl.api.io.RandomAccessSource() {
            @Override
            public String name() {
                return "s3://bucket/huge.tif";
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public void readFully(long position, java.nio.ByteBuffer dst) {
                throw new AssertionError("read before the size was checked");
            }

            @Override
            public void close() {
            }
        };
        assertEquals("s3://bucket/huge.tif: an image object of 1073741825 bytes; image objects are read whole by the task that needs"
                + " them, at most 1073741824 bytes (store large stacks as .npy, read by ranges, or split them into smaller files)",
                assertThrows(IllegalArgumentException.class, () -> StackFiles.readWhole(huge)).getMessage());
    }

    @Test
    void uriInputsWithoutASchemeOrWithFileAreLocalAndFoldersSortNaturally() throws IOException {
        for (int n : new int[] {10, 2, 1}) {
            NpyWriter.write(NdArray.generate(DType.UINT8, new int[] {2, 3}, i -> n), dir.resolve("p " + n + ".npy"));
        }
        StackFiles s = StackFiles.of(List.of(dir.toUri()), org.jpkl.Jpkl.builder().storage(org.jpkl.api.spi.StorageProviders.of()).build());
        assertEquals(List.of(dir.resolve("p 1.npy").toString(), dir.resolve("p 2.npy").toString(), dir.resolve("p 10.npy").toString()),
                s.files());
        assertEquals(s.files(), StackFiles.of(List.of(dir)).files());
        assertEquals(List.of(dir.resolve("p 2.npy").toString()), StackFiles.of(List.of(dir.resolve("p 2.npy").toUri()),
                org.jpkl.Jpkl.builder().storage(org.jpkl.api.spi.StorageProviders.of()).build()).files());
    }
}
