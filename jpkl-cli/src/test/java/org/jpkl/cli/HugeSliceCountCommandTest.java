package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.testing.SparseJpklFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on a sparse file of 2^32 + 2^16 slices: slice numbers past 2^31 and 2^32 are never narrowed to int. */
class HugeSliceCountCommandTest {
    @TempDir
    Path dir;

    private Path hugeFile() throws IOException {
        SparseJpklFiles.assumeSparseFiles(dir);
        int[] dims = SparseJpklFiles.HUGE_KEY_DIMS;
        ContainerHeader h = new ContainerHeader(new int[] {1, 1, dims[0], dims[1]}, DType.UINT8, PlaneLayout.jpkl(false),
                List.of(), IdentityCodec.ID, Map.of(), Map.of());
        IdentityCodec codec = new IdentityCodec();
        Map<Long, byte[]> slices = new LinkedHashMap<>();
        long[] numbers = SparseJpklFiles.ACROSS_INT_LIMITS;
        for (int i = 0; i < numbers.length; i++) {
            PlaneBuffer plane = PlaneBuffer.wrap(h.planeSpec(), new byte[] {(byte) (10 + i)}, 0);
            slices.put(numbers[i], codec.newEncoder(codec.params(Map.of()), h.planeSpec()).encode(plane));
        }
        return SparseJpklFiles.write(dir.resolve("huge.jpkl"), h, slices);
    }

    @Test
    void getReadsSliceTwoToThe32PlusFiveNotSliceFive() throws IOException {
        Path file = hugeFile();
        NdArray got = InfoGetCommandTest.readNpy(ok(Cli.run("get", file.toString(), "0, 0, 65535, 0:7:6", "-o", "-")).out());
        assertEquals(NdArray.wrapUint8(new byte[] {13, 15}, 2), got, "slices 2^32 - 1 and 2^32 + 5");
        NdArray low = InfoGetCommandTest.readNpy(ok(Cli.run("get", file.toString(), "0, 0, 0, 5", "-o", "-")).out());
        assertEquals(10, low.getIntFlat(0), "slice 5");
    }

    @Test
    void infoReportsTheSliceCount() throws IOException {
        Path file = hugeFile();
        String out = ok(Cli.run("info", file.toString(), "--json")).outText();
        assertTrue(out.matches("(?s).*\"slices\": ?4295032832\\b.*"), out);
    }

    @Test
    void verifyReportsADamagedIndexThatReadsOnlyReadEntryByEntry() throws IOException {
        long count = SparseJpklFiles.FIRST_ON_DEMAND_SLICE_COUNT;
        PlaneSpec one = new PlaneSpec(DType.UINT8, 1, 1, ChannelLayout.GREY);
        IdentityCodec codec = new IdentityCodec();
        byte[] encoded = codec.newEncoder(codec.params(Map.of()), one).encode(PlaneBuffer.wrap(one, new byte[] {7}, 0));
        Path file = SparseJpklFiles.onDemandIndexFile(dir, IdentityCodec.ID, Map.of(count - 1, encoded));
        SparseJpklFiles.flipIndexBit(file, count, 5);
        ok(Cli.run("get", file.toString(), "0, 0, -1", "-o", "-"));
        fails(Cli.run("verify", file.toString()), 1, "jpkl verify: ", file + ": index: CRC32C mismatch",
                "the index (268435460 bytes, read entry by entry) is damaged");
    }

    @Test
    void compareOfAllSlicesSaysTheyDoNotFitInsteadOfTakingTheLow32Bits() throws IOException {
        Path file = hugeFile();
        fails(Cli.run("compare", file.toString(), "--slices", "0", "--codec", "test-identity"), 2,
                "jpkl compare: --slices 0: 4295032832 planes of");
    }
}
