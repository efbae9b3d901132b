package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenSectionTest {
    @Test
    void distinctBytesCountsOverlappingReadsOnce() {
        assertEquals(0, OpenSection.distinctBytes(List.of()));
        assertEquals(16, OpenSection.distinctBytes(List.of(new long[] {0, 8}, new long[] {0, 16})));
        assertEquals(16 + 32, OpenSection.distinctBytes(List.of(new long[] {100, 32}, new long[] {0, 16}, new long[] {110, 4})));
        assertEquals(30, OpenSection.distinctBytes(List.of(new long[] {0, 20}, new long[] {10, 20})));
    }
}
