package org.jpkl.bench;

import java.lang.management.ManagementFactory;
import org.jpkl.api.NdArray;

/**
 * What the benchmark adds to the shared timing harness ({@link org.jpkl.compare.Stopwatch} times,
 * {@link org.jpkl.compare.Samples} summarises): results consumed into a volatile sink so that the
 * JIT cannot drop the work, explicit collections between sections, and the thread's allocation
 * counter.
 *
 * <p>Thread safety: stateless apart from the sink.
 */
final class Measure {
    /** Receives a value from every result so that no measured work is dead code. */
    private static volatile long sink;

    private Measure() {
    }

    /** Keeps a result alive: reads one element of it. */
    static void consume(NdArray a) {
        sink += a.size() == 0 ? 0 : a.getIntFlat((int) (a.size() / 2));
    }

    static void consume(byte[] a) {
        sink += a[a.length / 2];
    }

    static void consume(long v) {
        sink += v;
    }

    /** Two full collections and a pause, so a section does not pay for the previous one's garbage. */
    static void settle() {
        System.gc();
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes allocated by the calling thread so far (HotSpot's per-thread counter, exact to the object). */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean) {
            return ((com.sun.management.ThreadMXBean) bean).getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
