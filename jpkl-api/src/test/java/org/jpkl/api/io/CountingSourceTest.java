package org.jpkl.api.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CountingSourceTest {
    @Test
    void countsEveryReadAndRecordsTheFirstOnesOnly() throws IOException {
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        try (CountingSource source = new CountingSource(RandomAccessSource.of("m", data))) {
            ByteBuffer three = ByteBuffer.allocate(3);
            source.readFully(10, three);
            assertArrayEquals(new byte[] {10, 11, 12}, three.array());
            for (int i = 0; i < CountingSource.MAX_RECORDED_READS + 5; i++) {
                source.readFully(i % 60, ByteBuffer.allocate(4));
            }
            assertEquals(CountingSource.MAX_RECORDED_READS + 6L, source.reads());
            assertEquals(3 + 4L * (CountingSource.MAX_RECORDED_READS + 5), source.bytesRead());
            assertEquals(CountingSource.MAX_RECORDED_READS, source.regions().size());
            assertArrayEquals(new long[] {10, 3}, source.regions().get(0));
            assertArrayEquals(new long[] {0, 4}, source.regions().get(1));
            assertEquals("m", source.name());
            assertEquals(64, source.size());
        }
    }
}
