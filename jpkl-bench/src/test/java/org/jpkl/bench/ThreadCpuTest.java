package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    @Test
    void sinceSubtractsPerKindAndDropsKindsWithoutTime() {
        Map<String, Long> before = Map.of("GC Thread#", 40L, "java", 100L, "VM Thread", 10L);
        Map<String, Long> now = Map.of("GC Thread#", 70L, "java", 100L, "VM Thread", 10L, "jpkl-worker-#", 20L);
        assertEquals(Map.of("GC Thread#", 30L, "jpkl-worker-#", 20L), ThreadCpu.since(before, now));
    }

    @Test
    void threadsOfThisJvmAreGroupedByNameWithoutDigits() {
        Map<String, Long> ours = ThreadCpu.byName(ProcessHandle.current().pid());
        // Linux only: elsewhere there is no /proc and the map is empty
        if (!ours.isEmpty()) {
            assertTrue(ours.keySet().stream().noneMatch(k -> k.matches(".*[0-9].*")), ours::toString);
            assertTrue(ThreadCpu.compilerMillis(ProcessHandle.current().pid()) >= 0);
        }
    }
}
