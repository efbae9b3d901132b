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

    @Test
    void willReadIsRecordedAndPassedOnToTheWrappedSource() throws IOException {
        java.util.List<long[]> passedOn = new java.util.ArrayList<>();
        RandomAccessSource inner = new RandomAccessSource() {
            @Override
            public String name() {
                return "inner";
            }

            @Override
            public long size() {
                return 100;
            }

            @Override
            public void readFully(long position, ByteBuffer dst) {
                dst.position(dst.limit());
            }

            @Override
            public void willRead(long[] positions, long[] lengths) {
                for (int i = 0; i < positions.length; i++) {
                    passedOn.add(new long[] {positions[i], lengths[i]});
                }
            }

            @Override
            public void close() {
            }
        };
        try (CountingSource source = new CountingSource(inner)) {
            source.willRead(new long[] {10, 40}, new long[] {5, 20});
            assertEquals(2, passedOn.size());
            assertArrayEquals(new long[] {10, 5}, passedOn.get(0));
            assertArrayEquals(new long[] {40, 20}, passedOn.get(1));
            assertEquals(2, source.announced().size());
            assertArrayEquals(new long[] {40, 20}, source.announced().get(1));
            assertEquals(0, source.reads(), "a hint is not a read");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> source.willRead(new long[1], new long[2]));
            assertEquals("1 positions for 2 lengths", e.getMessage());
        }
    }
}
