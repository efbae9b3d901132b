package org.jpkl.api.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jpkl.api.testing.SpecialFiles.CHARACTER_DEVICE;
import static org.jpkl.api.testing.SpecialFiles.FIFO;
import static org.jpkl.api.testing.SpecialFiles.devFull;
import static org.jpkl.api.testing.SpecialFiles.devNull;
import static org.jpkl.api.testing.SpecialFiles.fifo;
import static org.jpkl.api.testing.SpecialFiles.immutable;
import static org.jpkl.api.testing.SpecialFiles.mutable;
import static org.jpkl.api.testing.SpecialFiles.type;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link AtomicFileOutput} does with each kind of target: regular files are replaced by a
 * rename, character devices and pipes are written through (never replaced), folders refused; and
 * what {@link AtomicFileOutput#checkTarget} refuses before any work. Device nodes are copies of
 * {@code /dev/null} and {@code /dev/full} made with {@code mknod} (needs root; skipped otherwise).
 */
class AtomicFileOutputTest {
    @TempDir
    Path dir;





    private static void write(Path target, String text) throws IOException {
        try (AtomicFileOutput out = AtomicFileOutput.create(target)) {
            out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            out.commit();
        }
    }

    /**
     * Files longer than {@link AtomicFileOutput#BACKGROUND_SYNC_BYTES} are forced in the background
     * while the writer appends: the committed file holds exactly the bytes written, in order
     * (writes of odd sizes across several background forces), and closing without a commit while a
     * force may still run leaves only the old target.
     */
    @Test
    void longFilesForcedInTheBackgroundHoldExactlyWhatWasWritten() throws Exception {
        Path target = dir.resolve("long.bin");
        write(target, "old");
        byte[] all = new byte[Math.toIntExact(AtomicFileOutput.BACKGROUND_SYNC_BYTES * 5 / 2)];
        new java.util.Random(3).nextBytes(all);
        try (AtomicFileOutput out = AtomicFileOutput.create(target)) {
            for (int at = 0; at < all.length; at += 1_000_003) {
                out.write(ByteBuffer.wrap(all, at, Math.min(1_000_003, all.length - at)));
            }
            assertEquals(all.length, out.position());
            out.commit();
        }
        assertArrayEquals(all, Files.readAllBytes(target));
        assertEquals(List.of(target), list(dir));
        AtomicFileOutput discarded = AtomicFileOutput.create(target);
        discarded.write(ByteBuffer.wrap(all, 0, Math.toIntExact(AtomicFileOutput.BACKGROUND_SYNC_BYTES + 1)));
        discarded.close();
        assertArrayEquals(all, Files.readAllBytes(target));
        assertEquals(List.of(target), list(dir));
    }

    /**
     * A commit over a long regular file keeps the old file open across the rename and closes it on
     * another thread (so the file system frees its blocks outside the commit): the target holds the
     * new bytes, and a link named as target is replaced while the long file it points to stays whole.
     * (Whether the old file's descriptor is closed cannot be checked reliably from here: the JDK's
     * cleaner also closes an unreachable channel after a collection, and a mutant that never closes
     * it passed a check of {@code /proc/self/fd}.)
     */
    @Test
    void aLongFileReplacedByACommitHoldsTheNewBytesAndALinkedFileStaysWhole() throws Exception {
        Path target = dir.resolve("big.bin");
        writeOnes(target, AtomicFileOutput.RELEASE_IN_BACKGROUND_BYTES + 7);
        write(target, "new");
        assertEquals("new", Files.readString(target));
        byte[] old = new byte[Math.toIntExact(AtomicFileOutput.RELEASE_IN_BACKGROUND_BYTES + 7)];
        java.util.Arrays.fill(old, (byte) 1);
        Path pointed = dir.resolve("pointed.bin");
        Files.write(pointed, old);
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), pointed);
        write(link, "newer");
        assertFalse(Files.isSymbolicLink(link));
        assertEquals("newer", Files.readString(link));
        assertArrayEquals(old, Files.readAllBytes(pointed));
    }

    /** Writes {@code length} bytes of 1 in 64 KiB pieces (no array of the file's size). */
    private static void writeOnes(Path file, long length) throws IOException {
        byte[] piece = new byte[1 << 16];
        java.util.Arrays.fill(piece, (byte) 1);
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            for (long left = length; left > 0; left -= piece.length) {
                out.write(piece, 0, Math.toIntExact(Math.min(piece.length, left)));
            }
        }
    }

    @Test
    void commitWithoutSyncPublishesTheFileAtomicallyAsCommitDoes() throws Exception {
        Path target = dir.resolve("shard.bin");
        write(target, "earlier");
        Path temp;
        try (AtomicFileOutput out = AtomicFileOutput.create(target)) {
            temp = out.tempFile();
            out.write(ByteBuffer.wrap("new bytes".getBytes(StandardCharsets.UTF_8)));
            assertEquals("earlier", Files.readString(target), "not visible before the commit");
            out.commitWithoutSync();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> out.write(ByteBuffer.allocate(1)));
            assertEquals("output to " + target + " is already committed or closed", e.getMessage());
        }
        assertEquals("new bytes", Files.readString(target));
        assertFalse(Files.exists(temp));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void aCharacterDeviceIsWrittenThroughNotReplaced() throws Exception {
        Path nul = devNull(dir.resolve("null"));
        Path temp;
        try (AtomicFileOutput out = AtomicFileOutput.create(nul)) {
            temp = out.tempFile();
            assertFalse(temp.startsWith(dir), "the temporary file is not made in the device's folder: " + temp);
            out.write(ByteBuffer.wrap(new byte[100_000]));
            out.commit();
        }
        assertEquals(CHARACTER_DEVICE, type(nul), "still a character device");
        assertFalse(Files.exists(temp));
        assertEquals(List.of(nul), list(dir));
    }

    @Test
    void writeErrorsOfADeviceAreReportedNamingIt() throws Exception {
        Path full = devFull(dir.resolve("full"));
        AtomicFileOutput out = AtomicFileOutput.create(full);
        out.write(ByteBuffer.wrap(new byte[10]));
        FileSystemException e = assertThrows(FileSystemException.class, out::commit);
        assertEquals(full.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
        assertFalse(Files.exists(out.tempFile()), "temporary file discarded");
        assertEquals(CHARACTER_DEVICE, type(full));
    }

    @Test
    void aFifoIsWrittenThroughNotReplaced() throws Exception {
        Path fifo = fifo(dir.resolve("pipe"));
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        write(fifo, "through the pipe");
        assertArrayEquals("through the pipe".getBytes(StandardCharsets.UTF_8), read.get(30, TimeUnit.SECONDS));
        assertEquals(FIFO, type(fifo), "still a FIFO");
    }

    @Test
    void aRegularFileIsReplacedAndAFolderRefused() throws Exception {
        Path file = dir.resolve("a.bin");
        Files.writeString(file, "old");
        write(file, "new");
        assertEquals("new", Files.readString(file));
        Path folder = Files.createDirectory(dir.resolve("folder"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFileOutput.create(folder));
        assertEquals(folder.toString(), e.getFile());
        assertEquals("is a folder; the output must be a regular file (replaced), a character device or a pipe (written through)",
                e.getReason());
        FileSystemException c = assertThrows(FileSystemException.class, () -> AtomicFileOutput.checkTarget(folder, true, List.of()));
        assertEquals(e.getReason(), c.getReason());
        assertEquals(List.of(file, folder), list(dir));
    }

    @Test
    void errorsNameTheTargetNotTheTemporaryFile() throws Exception {
        Path missing = dir.resolve("no-such-folder").resolve("x.bin");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AtomicFileOutput.create(missing));
        assertEquals(missing.toString(), e.getFile());
        assertEquals("folder " + missing.getParent() + " does not exist; create it first", e.getReason());
        NoSuchFileException c = assertThrows(NoSuchFileException.class, () -> AtomicFileOutput.checkTarget(missing, false, List.of()));
        assertEquals(e.getReason(), c.getReason());
    }

    @Test
    void aReadOnlyFileIsRefusedUnlessAskedEvenForRoot() throws Exception {
        Path file = dir.resolve("ro.bin");
        Files.writeString(file, "keep");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> AtomicFileOutput.checkTarget(file, false, List.of()));
        assertEquals(file.toString(), e.getFile());
        assertEquals("is read-only (mode r--r--r--); not replaced", e.getReason());
        AtomicFileOutput.checkTarget(file, true, List.of());
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void anInputIsRefusedAsTargetThroughLinks() throws Exception {
        Path input = dir.resolve("in.npy");
        Files.writeString(input, "source");
        Path hard = Files.createLink(dir.resolve("hard.npy"), input);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.npy"), input);
        FileSystemException same = assertThrows(FileSystemException.class, () -> AtomicFileOutput.checkTarget(input, true, List.of(input)));
        assertEquals(input.toString(), same.getFile());
        assertEquals("is the input " + input + " (the same file); write to another file", same.getReason());
        for (Path link : List.of(hard, soft)) {
            FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFileOutput.checkTarget(link, true, List.of(input)));
            assertEquals(link.toString(), e.getFile());
            assertEquals("is the input " + input + " (the same file, through a link); write to another file", e.getReason());
        }
        AtomicFileOutput.checkTarget(dir.resolve("other.npy"), false, List.of(input, dir.resolve("missing.npy")));
        assertEquals("source", Files.readString(input));
    }

    @Test
    void anImmutableFileIsRefusedBeforeAnyWork() throws Exception {
        Path file = dir.resolve("immutable.bin");
        Files.writeString(file, "keep");
        immutable(file);
        try {
            FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFileOutput.checkTarget(file, true, List.of()));
            assertEquals(file.toString(), e.getFile());
            assertEquals("cannot be replaced: Operation not permitted", e.getReason());
            AtomicFileOutput out = AtomicFileOutput.create(file);
            out.write(ByteBuffer.wrap(new byte[4]));
            FileSystemException c = assertThrows(FileSystemException.class, out::commit);
            assertEquals(file.toString(), c.getFile(), "the commit's error names the target, not " + out.tempFile());
        } finally {
            mutable(file);
        }
    }

    @Test
    void aTempFolderIsDeletedWithItsContents() throws Exception {
        Path p;
        try (TempFolder t = TempFolder.create("jpkl-test")) {
            p = t.path();
            Files.writeString(Files.createDirectory(p.resolve("sub")).resolve("f"), "x");
        }
        assertFalse(Files.exists(p));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
