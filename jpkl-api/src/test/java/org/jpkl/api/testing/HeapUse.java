package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;

/**
 * Heap figures for tests that bound what a piece of work allocates: one place for the
 * {@code java.management} calls, which also spares the modules under test (their tests run patched
 * into the named module) from reading {@code java.management} and {@code jdk.management}.
 *
 * <p>Stateless.
 */
public final class HeapUse {
    private HeapUse() {
    }

    /**
     * Bytes the calling thread has allocated so far (HotSpot's per-thread counter, exact to the
     * object); take the difference of two calls. Skips the test (JUnit assumption) on a JVM that
     * cannot count.
     */
    public static long threadAllocatedBytes() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes");
        return threads.getCurrentThreadAllocatedBytes();
    }

    /** The sum of the peak use of every heap memory pool since the JVM started (for child JVMs that report their peak). */
    public static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
