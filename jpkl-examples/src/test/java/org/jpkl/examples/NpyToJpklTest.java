package org.jpkl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.npy.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example reads a Fortran-order big-endian .npy and stores exactly its array, the last two axes as the plane. */
class NpyToJpklTest {
    @TempDir
    Path dir;

    @Test
    void storesTheArrayOfTheNpyFile() throws IOException {
        NdArray a = NdArray.generate(DType.UINT16, new int[] {2, 3, 20, 30}, i -> i * 37 % 65536);
        Path in = dir.resolve("in.npy");
        NpyWriter.write(a, ByteOrder.BIG_ENDIAN, true, in);
        Path out = dir.resolve("out.jpkl");
        NpyToJpkl.main(new String[] {in.toString(), out.toString()});
        try (JpklArray back = Jpkl.create().open(out)) {
            assertEquals(PlaneLayout.of(2, 3), back.layout());
            assertEquals(a, back.get("..."));
        }
    }
}
