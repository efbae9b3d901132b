package org.jpkl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What opening costs over HTTP whatever the slice count (issue 16's goals): a jpkl container opens
 * in 2 requests (the first 1 KiB with preamble and header, then footer and index together) reading at
 * most 5 % more than its header, index and footer; a zip container in at most 3 (the first 1 KiB, the
 * last 64 KiB with the end records, the rest of the central directory when larger). Figures printed
 * for docs/REMOTE.md.
 */
class RemoteOpenCostTest extends ServedByNginx {
    private static final Jpkl JPKL = Jpkl.create();

    @ParameterizedTest(name = "{0} slices, {1}")
    @CsvSource({"1000, jpkl, 2", "100000, jpkl, 2", "1000, zip, 2", "100000, zip, 3"})
    void openCostsAFixedNumberOfRequests(int slices, String serializer, int requests) throws IOException {
        String name = "count" + slices + "." + serializer;
        Path file = served.resolve(name);
        NdArray array = NdArray.generate(DType.UINT8, new int[] {8, 8, slices}, i -> (i * 31) % 251);
        JPKL.save(array, file, WriteOptions.builder().serializer(serializer).codec("deflate").noTiles().build());
        RemoteObjectSource source = (RemoteObjectSource) JPKL.storage().open(nginx.uri(name));
        try (JpklArray remote = JPKL.open(source)) {
            assertEquals(slices, remote.sliceCount());
            long opened = source.requests();
            long bytes = source.bytesFetched();
            String figures = String.format("remote open, %s, %,d slices: %d requests, %,d bytes", serializer, slices, opened, bytes);
            if (serializer.equals("jpkl")) {
                long structure = structureBytes(file);
                double ratio = (double) bytes / structure;
                figures += String.format(" for %,d of header, index and footer: ratio %.4f", structure, ratio);
                assertTrue(ratio <= 1.05, figures);
            }
            System.out.println(figures);
            assertEquals(requests, opened, figures);
            assertEquals(array.get("..., " + (slices - 1)), remote.get("..., " + (slices - 1)));
            assertEquals(requests + 1, source.requests(), "one slice, one request");
        }
    }

    /** Preamble, header and its CRC, index and footer of a jpkl file (docs/FORMAT.md). */
    private static long structureBytes(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer pre = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(pre, 0);
            ByteBuffer footer = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(footer, Files.size(file) - 32);
            long headerLength = pre.getInt(12) & 0xFFFFFFFFL;
            long indexOffset = footer.getLong(0);
            return 16 + headerLength + 4 + (Files.size(file) - indexOffset);
        }
    }
}
