package org.jpkl.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Discards unfinished outputs when the JVM is stopped (Ctrl-C, SIGTERM) during a command: a
 * shutdown hook closes every guarded writer or file that was not released, and closing an
 * uncommitted writer deletes its temporary file. So an interrupted encode, convert or get leaves
 * nothing under the final name and no temporary file. {@link #close()} removes the hook.
 *
 * <p>Thread safety: thread-safe (the hook runs on its own thread).
 */
final class AbortOnExit implements AutoCloseable {
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private final Thread hook = new Thread(this::abortAll, "jpkl-abort-unfinished-output");

    AbortOnExit() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Whether the JVM is shutting down (a signal, or {@code System.exit} from another thread): then
     * no more shutdown hooks can be added.
     */
    static boolean shuttingDown() {
        Thread probe = new Thread(() -> { }, "jpkl-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException e) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }

    /** Closes {@code output} if the JVM stops before {@link #release}; returns it. */
    <T extends AutoCloseable> T guard(T output) {
        open.add(output);
        return output;
    }

    /** {@code output} is finished (committed or closed); the hook leaves it alone. */
    void release(AutoCloseable output) {
        open.remove(output);
    }

    private void abortAll() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Throwable e) {
                // The JVM is stopping; the temporary file is deleted in close()'s finally block even if
                // pending work failed, and there is nobody left to report to.
            }
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs (or ran) and discards what is unfinished.
        }
    }
}
