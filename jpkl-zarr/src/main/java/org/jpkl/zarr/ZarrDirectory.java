package org.jpkl.zarr;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Zarr directory written atomically: everything goes into a hidden temporary directory next to
 * the target, which is renamed onto the target when complete (and deleted on failure). Never
 * replaces a file, a symbolic link, or a non-empty directory unless asked, and then only a
 * directory that is a Zarr store itself (holds {@code .zgroup} or {@code .zarray}).
 *
 * <p>Thread safety: not thread-safe; one export.
 */
final class ZarrDirectory implements AutoCloseable {
    private final Path target;
    private final boolean overwrite;
    private final Path temp;
    private volatile boolean published;

    private ZarrDirectory(Path target, boolean overwrite, Path temp) {
        this.target = target;
        this.overwrite = overwrite;
        this.temp = temp;
    }

    /**
     * Checks the target (see {@link #checkTarget}) and creates the temporary directory.
     */
    static ZarrDirectory create(Path target, boolean overwrite) throws IOException {
        Path absolute = target.toAbsolutePath();
        checkTarget(absolute, overwrite);
        Path temp = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".");
        return new ZarrDirectory(absolute, overwrite, temp);
    }

    /**
     * Refuses, with a {@link FileSystemException} naming the target and the reason: a missing
     * parent folder, a symbolic link, anything but a directory, a non-empty directory without
     * {@code overwrite}, and with it a non-empty directory that is not a Zarr store.
     */
    static void checkTarget(Path target, boolean overwrite) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(target.toString(), null, "its folder " + parent + " does not exist");
        }
        if (Files.isSymbolicLink(absolute)) {
            throw new FileSystemException(target.toString(), null, "is a symbolic link; an OME-Zarr export writes a directory of its own");
        }
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory; an OME-Zarr export never"
                    + " replaces a file");
        }
        if (isEmpty(absolute)) {
            return;
        }
        if (!overwrite) {
            throw new DirectoryNotEmptyException(target + ": is a non-empty directory; give overwrite (--overwrite) to replace it");
        }
        if (!Files.exists(absolute.resolve(".zgroup")) && !Files.exists(absolute.resolve(".zarray"))) {
            throw new DirectoryNotEmptyException(target + ": is a non-empty directory without .zgroup or .zarray, not a Zarr store;"
                    + " an export replaces only a Zarr store");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** The temporary directory to write into. */
    Path temp() {
        return temp;
    }

    /** Moves the complete directory onto the target (an existing one, checked again, is deleted after). */
    void commit() throws IOException {
        checkTarget(target, overwrite);
        Path aside = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            aside = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old.");
            Files.move(target, aside.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (aside != null) {
                Files.move(aside.resolve("old"), target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(aside);
            }
            throw e;
        }
        published = true;
        if (aside != null) {
            deleteTree(aside);
        }
    }

    /** Deletes the temporary directory unless committed (also from another thread, e.g. a shutdown hook). */
    @Override
    public void close() throws IOException {
        if (!published) {
            deleteTree(temp);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
