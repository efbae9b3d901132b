package org.jpkl.api.io;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The temporary files of {@link AtomicFileOutput}s not yet committed or closed, and the
 * {@link TempFolder}s not yet closed, deleted by one shutdown hook if the JVM stops first. Like
 * {@link java.io.File#deleteOnExit()}, but entries are removed again when done with, so a
 * long-running program accumulates nothing, and folders are deleted with their contents. This is
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
                deleteTree(p);
            } catch (IOException | RuntimeException e) {
                System.err.println("jpkl: could not delete the unfinished file " + p + ": " + e);
            }
        }
    }

    /**
     * Deletes a file, or a folder with all it holds; a folder that another thread keeps filling is
     * tried again a few times.
     */
    static void deleteTree(Path p) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
                return;
            }
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(p)) {
                paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
            }
            try {
                for (Path q : paths) {
                    Files.deleteIfExists(q);
                }
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt >= 4) {
                    throw e;
                }
            }
        }
    }
}
