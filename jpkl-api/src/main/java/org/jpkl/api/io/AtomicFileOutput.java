package org.jpkl.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers never see it half-written: bytes go to a temporary file, and
 * {@link #commit()} forces them to disk and renames the temporary file onto the target in one
 * atomic step. While the writer appends, every {@value #BACKGROUND_SYNC_BYTES} bytes a background
 * thread forces what was written so far (one force at a time), so the disk works while the writer
 * computes what comes next and the commit forces only the rest; a failed background force fails the
 * commit (the kernel reports a write-back error once, so the final force alone could miss it). {@link #close()} without a commit deletes the temporary file and leaves any existing
 * target untouched. Every serializer, the command line's outputs and the TIFF export write through
 * this class, so the rules below hold for all of them.
 *
 * <p><b>What the target may be</b> (decided by {@link #create} from what exists under the name now,
 * following symbolic links):
 * <ul>
 *   <li>nothing, or a regular file: the temporary file {@code .NAME.RANDOM.partial} is made beside
 *       it and renamed onto it (a symbolic link named as target is replaced by the file, the file it
 *       pointed to is left alone);
 *   <li>a character device or a named pipe (FIFO), e.g. {@code /dev/null}, {@code /dev/stdout},
 *       a pipe made with {@code mkfifo}: never replaced. The bytes go to a temporary file in
 *       {@code java.io.tmpdir} (writers may seek; a pipe cannot) and {@link #commit()} copies them
 *       through to the device, as {@code cp} does; nothing reaches the device if the write fails
 *       before the commit, but the copy itself is not atomic, and its write errors (e.g. from
 *       {@code /dev/full}) are reported naming the target;
 *   <li>a folder, a block device, a socket or anything else: refused with a
 *       {@link FileSystemException} naming the target.
 * </ul>
 * {@link #checkTarget(Path, boolean, Collection)} applies the same rules, and more (read-only and immutable
 * files), without writing, so that programs can refuse a bad target before any work.
 *
 * <p><b>Errors</b> name the target, never the temporary file: every {@link IOException} thrown here
 * is a {@link FileSystemException} whose {@link FileSystemException#getFile() file} is the target
 * (use {@link #naming(Path, IOException)} for errors of code that writes {@link #tempFile()} itself).
 *
 * <p>If the JVM is stopped (Ctrl-C, SIGTERM) while a temporary file exists, a shutdown hook
 * (installed once, on first use) deletes it, so an interrupted program leaves nothing behind; the
 * set of live temporary files shrinks again on every commit and close, so nothing accumulates.
 *
 * <p>Thread safety: one writer thread at a time; {@link #close()} may also be called from a
 * shutdown hook while that thread writes (its next write then fails with
 * {@link IllegalStateException} or a closed-channel error).
 */
public final class AtomicFileOutput implements SequentialOutput {
    /** What is under a target's name now. */
    private enum Kind {
        ABSENT, REGULAR, FOLDER, CHARACTER_DEVICE, FIFO, BLOCK_DEVICE, SOCKET, OTHER
    }

    private static final int COPY_BUFFER = 1 << 20;
    /**
     * Bytes appended after which a background force starts: a 28 MB file forced at once took 35-50 ms
     * of the commit on the 2-core project machine, serial after all the encoding of a save.
     */
    static final long BACKGROUND_SYNC_BYTES = 8L << 20;

    private final Path target;
    private final Path temp;
    private final boolean copyThrough;
    private final FileChannel channel;
    private long position;
    private volatile boolean done;
    /** The position when the last background force started. */
    private long syncStart;
    /** The background force running or last run, or null. */
    private Thread sync;
    private volatile IOException syncFailure;

    private AtomicFileOutput(Path target, Path temp, boolean copyThrough, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.copyThrough = copyThrough;
        this.channel = channel;
    }

    /**
     * Creates the temporary file for {@code target} (see the class comment for what the target may
     * be). An existing read-only regular file is replaced like any other; call
     * {@link #checkTarget(Path, boolean, Collection)} first to refuse it.
     *
     * @throws FileSystemException naming the target if it is a folder, a block device, a socket, if
     *     its folder does not exist ({@link NoSuchFileException}) or the temporary file cannot be made
     */
    public static AtomicFileOutput create(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        Path absolute = target.toAbsolutePath();
        Kind kind = kindOf(absolute);
        refuseUnwritableKind(absolute, kind);
        boolean copyThrough = kind == Kind.CHARACTER_DEVICE || kind == Kind.FIFO;
        Path dir = copyThrough ? Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath() : absolute.getParent();
        // Not Files.createTempFile: that makes the file owner-only (0600), and the committed file
        // should get the usual permissions, like any other file the user writes.
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = dir.resolve((copyThrough ? "jpkl-" : ".") + absolute.getFileName() + "." + suffix + ".partial");
            try {
                LiveTempFiles.add(temp);
                return new AtomicFileOutput(absolute, temp, copyThrough,
                        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                LiveTempFiles.remove(temp);
                if (attempt >= 16) {
                    throw naming(absolute, e);
                }
            } catch (IOException e) {
                LiveTempFiles.remove(temp);
                if (e instanceof NoSuchFileException && !Files.isDirectory(dir)) {
                    throw folderMissing(absolute, dir);
                }
                throw cannotCreateIn(absolute, dir, e);
            }
        }
    }

    /**
     * Checks, without writing anything, that {@link #create} and {@link #commit()} can write
     * {@code target}: its folder exists and takes new files; it is not a folder, block device or
     * socket (character devices and pipes are written through); an existing regular file is not
     * immutable or append-only, and, unless {@code replaceReadOnly}, not read-only (no write
     * permission for anyone, or none for this process), and not the same file as one of
     * {@code inputs} (by file key: through symbolic and hard links). Permission bits are checked as
     * such, so a read-only file is refused even for root, who could write it.
     *
     * @param inputs files the program reads while writing the target; those that do not exist are
     *     ignored
     * @throws FileSystemException whose {@link FileSystemException#getFile() file} is the target
     *     and whose {@link FileSystemException#getReason() reason} says what is wrong
     */
    public static void checkTarget(Path target, boolean replaceReadOnly, Collection<Path> inputs) throws IOException {
        Objects.requireNonNull(target, "target");
        List<Path> in = List.copyOf(inputs);
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw folderMissing(absolute, dir);
        }
        Kind kind = kindOf(absolute);
        refuseUnwritableKind(absolute, kind);
        if (kind == Kind.CHARACTER_DEVICE || kind == Kind.FIFO) {
            if (!Files.isWritable(absolute)) {
                throw new AccessDeniedException(absolute.toString(), null, "permission denied (" + describe(kind) + ")");
            }
            return;
        }
        if (kind == Kind.REGULAR) {
            for (Path input : in) {
                if (Files.exists(input) && Files.isSameFile(input, absolute)) {
                    throw new FileSystemException(absolute.toString(), null, "is the input " + input
                            + " (the same file" + (input.toAbsolutePath().normalize().equals(absolute.normalize()) ? "" : ", through a link") + "); write to another file");
                }
            }
            String mode = readOnlyMode(absolute);
            if (mode != null && !replaceReadOnly) {
                throw new AccessDeniedException(absolute.toString(), null, "is read-only (" + mode + "); not replaced");
            }
            // Opening for writing without truncating changes nothing, and fails for immutable and
            // append-only files (EPERM), which the rename onto them would fail for too, after all the work.
            try (FileChannel probe = FileChannel.open(absolute, StandardOpenOption.WRITE)) {
                assert probe.isOpen();
            } catch (AccessDeniedException e) {
                // Permissions: the rename does not need them (the folder's do), and read-only was decided above.
            } catch (IOException e) {
                throw naming(absolute, "cannot be replaced: ", e);
            }
        }
        // The folder must take the temporary file.
        Path probe = dir.resolve("." + absolute.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".partial");
        try {
            Files.createFile(probe);
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw cannotCreateIn(absolute, dir, e);
        }
        try {
            Files.delete(probe);
        } catch (IOException e) {
            throw naming(absolute, e);
        }
    }

    /**
     * {@code e} as a {@link FileSystemException} naming {@code file} (keeping the subtype for
     * missing files and denied access, and {@code e} as the cause); {@code e} itself if it already
     * names {@code file}. For code that writes {@link #tempFile()} with other means (ImageIO), so
     * that its errors name the target too.
     */
    public static FileSystemException naming(Path file, IOException e) {
        return naming(file, "", e);
    }

    private static FileSystemException naming(Path file, String prefix, IOException e) {
        String name = file.toString();
        if (e instanceof FileSystemException && prefix.isEmpty() && name.equals(((FileSystemException) e).getFile())) {
            return (FileSystemException) e;
        }
        String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
        if (reason == null) {
            reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder" : e.getClass().getSimpleName();
        }
        FileSystemException named;
        if (e instanceof NoSuchFileException) {
            named = new NoSuchFileException(name, null, prefix + reason);
        } else if (e instanceof AccessDeniedException) {
            named = new AccessDeniedException(name, null, prefix + reason);
        } else {
            named = new FileSystemException(name, null, prefix + reason);
        }
        named.initCause(e);
        return named;
    }

    private static NoSuchFileException folderMissing(Path target, Path dir) {
        return new NoSuchFileException(target.toString(), null, "folder " + dir + " does not exist; create it first");
    }

    private static FileSystemException cannotCreateIn(Path target, Path dir, IOException e) {
        return naming(target, "cannot create a file in folder " + dir + ": ", e);
    }

    private static void refuseUnwritableKind(Path target, Kind kind) throws FileSystemException {
        if (kind == Kind.FOLDER || kind == Kind.BLOCK_DEVICE || kind == Kind.SOCKET || kind == Kind.OTHER) {
            throw new FileSystemException(target.toString(), null, "is " + describe(kind)
                    + "; the output must be a regular file (replaced), a character device or a pipe (written through)");
        }
    }

    private static String describe(Kind kind) {
        switch (kind) {
            case FOLDER:
                return "a folder";
            case CHARACTER_DEVICE:
                return "a character device";
            case FIFO:
                return "a named pipe";
            case BLOCK_DEVICE:
                return "a block device";
            case SOCKET:
                return "a socket";
            default:
                return "not a regular file";
        }
    }

    private static Kind kindOf(Path target) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            // A dangling symbolic link: the rename replaces the link.
            return Kind.ABSENT;
        }
        if (a.isRegularFile()) {
            return Kind.REGULAR;
        }
        if (a.isDirectory()) {
            return Kind.FOLDER;
        }
        try {
            int type = (Integer) Files.getAttribute(target, "unix:mode") & 0170000;
            switch (type) {
                case 0020000:
                    return Kind.CHARACTER_DEVICE;
                case 0010000:
                    return Kind.FIFO;
                case 0060000:
                    return Kind.BLOCK_DEVICE;
                case 0140000:
                    return Kind.SOCKET;
                default:
                    return Kind.OTHER;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Kind.OTHER;
        }
    }

    /** The permissions of a read-only file ("r--r--r--"), or null if it is writable. */
    private static String readOnlyMode(Path file) throws IOException {
        PosixFileAttributes posix = null;
        try {
            posix = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: only the access check below.
        }
        if (posix != null) {
            boolean anyWrite = posix.permissions().contains(PosixFilePermission.OWNER_WRITE)
                    || posix.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || posix.permissions().contains(PosixFilePermission.OTHERS_WRITE);
            if (!anyWrite || !Files.isWritable(file)) {
                return "mode " + PosixFilePermissions.toString(posix.permissions());
            }
            return null;
        }
        return Files.isWritable(file) ? null : "not writable";
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    /** The final path, as a string. */
    @Override
    public String name() {
        return target.toString();
    }

    /**
     * The temporary file being written (deleted on close without commit, renamed onto or copied
     * through to the target on commit). Code that writes it by path rather than through
     * {@link #write} must not rename or delete it.
     */
    public Path tempFile() {
        return temp;
    }

    /** Bytes written so far through {@link #write} (the position of the next write). */
    @Override
    public long position() {
        return position;
    }

    /** Appends all remaining bytes of {@code src}. */
    @Override
    public void write(ByteBuffer src) throws IOException {
        ensureOpen();
        try {
            while (src.hasRemaining()) {
                position += channel.write(src);
            }
        } catch (IOException e) {
            throw naming(target, e);
        }
        if (!copyThrough && position - syncStart >= BACKGROUND_SYNC_BYTES && (sync == null || !sync.isAlive())) {
            syncStart = position;
            sync = new Thread(() -> {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    if (!done) {
                        syncFailure = e;
                    }
                }
            }, "jpkl-sync " + target.getFileName());
            sync.setDaemon(true);
            sync.start();
        }
    }

    /** Regular files at least this long that a commit replaces are released in the background ({@link #openReplaced}). */
    static final long RELEASE_IN_BACKGROUND_BYTES = 1L << 20;

    /**
     * A read channel on the regular file {@code target} (not a link to one) that the rename is about
     * to replace, when it holds at least {@value #RELEASE_IN_BACKGROUND_BYTES} bytes; else, or if it
     * cannot be opened, null. Held open across the rename, it keeps the file system from freeing the
     * old file's blocks inside the rename (about 10 ms for 29 MB on ext4 here, serial at the end of
     * every save over an existing file); {@link #release} frees them on another thread.
     */
    private static FileChannel openReplaced(Path target) {
        try {
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.size() < RELEASE_IN_BACKGROUND_BYTES) {
                return null;
            }
            return FileChannel.open(target, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null; // nothing there, or not readable: the rename frees it as before
        }
    }

    /** Closes {@code replaced} (from {@link #openReplaced}) on a daemon thread of its own; nothing if null. */
    private static void release(FileChannel replaced) {
        if (replaced == null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                replaced.close();
            } catch (IOException e) {
                // only a read channel on a file already unlinked: nothing was written through it
            }
        }, "jpkl-release");
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the background force, if one runs, and rethrows its failure. */
    private void awaitSync() throws IOException {
        if (sync != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    sync.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        IOException f = syncFailure;
        if (f != null) {
            throw f;
        }
    }

    /**
     * Forces the data to disk and atomically moves the temporary file onto the target (replacing
     * it); for a character device or pipe, copies the bytes through to it instead.
     */
    @Override
    public void commit() throws IOException {
        commit(true);
    }

    /**
     * As {@link #commit()}, without forcing the bytes to disk first: the rename is as atomic for
     * every reader of the running system, but after a crash of the machine the file may be
     * incomplete. For intermediate files that are worthless after a crash anyway and whose readers
     * check them (e.g. by CRCs), such as the shards of a distributed encode; forcing each of them
     * costs a disk flush of its own while the writer waits.
     */
    public void commitWithoutSync() throws IOException {
        commit(false);
    }

    private void commit(boolean force) throws IOException {
        ensureOpen();
        try {
            if (!copyThrough) {
                awaitSync(); // a background force still running must end before the channel closes
            }
            if (!copyThrough && force) {
                channel.force(true);
            }
            channel.close();
            if (copyThrough) {
                copyThrough();
                Files.deleteIfExists(temp);
            } else {
                FileChannel replaced = openReplaced(target);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    release(replaced);
                }
            }
            done = true;
            LiveTempFiles.remove(temp);
        } catch (IOException e) {
            throw naming(target, e);
        } finally {
            if (!done) {
                close();
            }
        }
    }

    private void copyThrough() throws IOException {
        try (FileChannel in = FileChannel.open(temp, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, Math.max(1, in.size())));
            while (in.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
        }
    }

    private void ensureOpen() {
        if (done) {
            throw new IllegalStateException("output to " + target + " is already committed or closed");
        }
    }

    /** Without a prior commit: discards the temporary file. Idempotent. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw naming(target, "cannot delete the temporary file " + temp + ": ", e);
            } finally {
                LiveTempFiles.remove(temp);
            }
        }
    }

    @Override
    public String toString() {
        return "AtomicFileOutput[" + target + " via " + temp + (copyThrough ? ", copied through" : "") + "]";
    }
}
