package org.jpkl.api.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The temporary files of {@link AtomicFileOutput}s not yet committed or closed, deleted by one
 * shutdown hook if the JVM stops first. Like {@link java.io.File#deleteOnExit()}, but entries are
 * removed again when the file is done with, so a long-running program accumulates nothing. This is
 * process-wide by nature (there is one JVM shutdown), holds only paths, and is not a registry of
 * providers or a cache.
 */
final class LiveTempFiles {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private LiveTempFiles() {
    }

    static void add(Path temp) {
        LIVE.add(temp);
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(LiveTempFiles::deleteAll, "jpkl-delete-partial-files"));
        }
    }

    static void remove(Path temp) {
        LIVE.remove(temp);
    }

    private static void deleteAll() {
        for (Path p : LIVE) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                System.err.println("jpkl: could not delete the unfinished file " + p + ": " + e);
            }
        }
    }
}
