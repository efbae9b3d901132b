package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jpkl.api.testing.SpecialFiles.CHARACTER_DEVICE;
import static org.jpkl.api.testing.SpecialFiles.FIFO;
import static org.jpkl.api.testing.SpecialFiles.devFull;
import static org.jpkl.api.testing.SpecialFiles.devNull;
import static org.jpkl.api.testing.SpecialFiles.fifo;
import static org.jpkl.api.testing.SpecialFiles.immutable;
import static org.jpkl.api.testing.SpecialFiles.mutable;
import static org.jpkl.api.testing.SpecialFiles.type;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands that write files do with targets that are not plain new files (devices, pipes,
 * folders, read-only files, their own inputs), checked before any work; and that a standard output
 * that cannot be written fails every command. In-process; device nodes are {@code mknod} copies of
 * {@code /dev/null} and {@code /dev/full} (needs root; skipped otherwise).
 */
class OutputSafetyTest {
    @TempDir
    Path dir;




    private Path container() throws IOException {
        Path file = dir.resolve("a.jpkl");
        ok(Cli.run("encode", "sample:16,16,3", "-o", file.toString(), "--codec", "test-identity", "-q"));
        return file;
    }

    private List<String> partials() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial")).toList();
        }
    }

    @Test
    void devicesAreWrittenThroughNeverReplaced() throws Exception {
        Path file = container();
        Path nul = devNull(dir.resolve("null.jpkl"));
        Path nulNpy = devNull(dir.resolve("null.npy"));
        ok(Cli.run("encode", "sample:16,16,3", "-o", nul.toString(), "--codec", "test-identity"));
        ok(Cli.run("convert", file.toString(), nul.toString()));
        ok(Cli.run("get", file.toString(), "0", "-o", nulNpy.toString()));
        assertEquals(CHARACTER_DEVICE, type(nul), "still a character device");
        assertEquals(CHARACTER_DEVICE, type(nulNpy));

        Path full = devFull(dir.resolve("full.jpkl"));
        Path fullNpy = devFull(dir.resolve("full.npy"));
        fails(Cli.run("encode", "sample:16,16,3", "-o", full.toString(), "--codec", "test-identity"), 1,
                "jpkl encode: " + full + ": No space left on device");
        fails(Cli.run("convert", file.toString(), full.toString()), 1, "jpkl convert: " + full + ": No space left on device");
        fails(Cli.run("get", file.toString(), "0", "-o", fullNpy.toString()), 1, "jpkl get: " + fullNpy + ": No space left on device");
        assertEquals(CHARACTER_DEVICE, type(full));
        assertEquals(CHARACTER_DEVICE, type(fullNpy));
        assertEquals(List.of(), partials());
    }

    private static CompletableFuture<byte[]> reader(Path fifo) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void aFifoReceivesTheOutput() throws Exception {
        Path file = container();
        Path fifo = dir.resolve("pipe.npy");
        fifo(fifo);
        CompletableFuture<byte[]> read = reader(fifo);
        ok(Cli.run("get", file.toString(), "1", "-o", fifo.toString()));
        NdArray back = InfoGetCommandTest.readNpy(read.get(60, TimeUnit.SECONDS));
        assertArrayEquals(new int[] {16, 3}, back.shape());
        assertEquals(FIFO, type(fifo), "still a FIFO");

        // Containers (written by seeking writers) go through a temporary file, then down the pipe.
        Path fifoJpkl = dir.resolve("pipe.jpkl");
        fifo(fifoJpkl);
        for (List<String> command : List.of(List.of("encode", "sample:16,16,3", "-o", fifoJpkl.toString(), "--codec", "test-identity"),
                List.of("convert", file.toString(), fifoJpkl.toString()))) {
            CompletableFuture<byte[]> bytes = reader(fifoJpkl);
            ok(Cli.run(command.toArray(new String[0])));
            Path copy = Files.write(dir.resolve("copy.jpkl"), bytes.get(60, TimeUnit.SECONDS));
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(copy), command.toString());
            assertEquals(FIFO, type(fifoJpkl), "still a FIFO");
        }
        assertEquals(List.of(), partials());
    }

    @Test
    void anOutputThatIsAnInputIsRefusedBeforeAnyWork() throws Exception {
        NdArray a = TestFiles.ramp(DType.UINT8, 2, 8, 8);
        Path npy = TestFiles.npy(dir.resolve("stack.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        byte[] before = Files.readAllBytes(npy);
        // Named as it is, the source is refused for its extension (encode writes containers or TIFF) before anything else;
        // under a container's name (a link), for being the input.
        fails(Cli.run("encode", npy.toString(), "-o", npy.toString(), "--codec", "test-identity"), 2,
                "jpkl encode: -o " + npy + ": .npy is not a container or TIFF extension");
        Path hard = Files.createLink(dir.resolve("hard.jpkl"), npy);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.jpkl"), npy);
        for (Path link : List.of(hard, soft)) {
            fails(Cli.run("encode", npy.toString(), "-o", link.toString(), "--codec", "test-identity", "--force"), 2,
                    "jpkl encode: -o " + link + ": is the input " + npy + " (the same file, through a link); write to another file");
        }
        assertArrayEquals(before, Files.readAllBytes(npy));

        Path file = container();
        byte[] container = Files.readAllBytes(file);
        fails(Cli.run("convert", file.toString(), file.toString(), "--codec", "test-level"), 2,
                "jpkl convert: OUT " + file + ": is the input " + file + " (the same file); write to another file");
        Path npyLink = Files.createSymbolicLink(dir.resolve("a-link.npy"), file);
        fails(Cli.run("get", file.toString(), "0", "-o", npyLink.toString()), 2,
                "jpkl get: -o " + npyLink + ": is the input " + file + " (the same file, through a link); write to another file");
        assertArrayEquals(container, Files.readAllBytes(file));
        assertEquals(List.of(), partials());
    }

    @Test
    void aReadOnlyTargetNeedsForce() throws Exception {
        Path file = container();
        Path ro = dir.resolve("ro.jpkl");
        Files.writeString(ro, "keep");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
        String message = ": is read-only (mode r--r--r--); not replaced; give --force to replace it";
        fails(Cli.run("encode", "sample:16,16,3", "-o", ro.toString(), "--codec", "test-identity"), 2, "jpkl encode: -o " + ro + message);
        fails(Cli.run("convert", file.toString(), ro.toString()), 2, "jpkl convert: OUT " + ro + message);
        Path roNpy = dir.resolve("ro.npy");
        Files.writeString(roNpy, "keep");
        Files.setPosixFilePermissions(roNpy, PosixFilePermissions.fromString("r--r--r--"));
        fails(Cli.run("get", file.toString(), "0", "-o", roNpy.toString()), 2, "jpkl get: -o " + roNpy + message);
        assertEquals("keep", Files.readString(ro));
        assertEquals("keep", Files.readString(roNpy));
        ok(Cli.run("convert", file.toString(), ro.toString(), "--force"));
        ok(Cli.run("get", file.toString(), "0", "-o", roNpy.toString(), "--force"));
        assertArrayEquals(new int[] {16, 3}, InfoGetCommandTest.readNpy(Files.readAllBytes(roNpy)).shape());
    }

    @Test
    void aFolderTargetIsRefusedNamingItNotThePartialFile() throws Exception {
        Path file = container();
        Path folder = Files.createDirectory(dir.resolve("out.jpkl"));
        String reason = ": is a folder; the output must be a regular file (replaced), a character device or a pipe (written through)";
        fails(Cli.run("encode", "sample:16,16,3", "-o", folder.toString(), "--codec", "test-identity"), 2,
                "jpkl encode: -o " + folder + reason);
        Path npyFolder = Files.createDirectory(dir.resolve("out.npy"));
        fails(Cli.run("get", file.toString(), "0", "-o", npyFolder.toString()), 2, "jpkl get: -o " + npyFolder + reason);
        fails(Cli.run("convert", file.toString(), folder.toString()), 2, "jpkl convert: OUT " + folder + reason);
        assertEquals(List.of(), partials());
    }

    @Test
    void anImmutableTargetIsRefusedBeforeAnyWorkNamingIt() throws Exception {
        Path file = dir.resolve("immutable.jpkl");
        Files.writeString(file, "keep");
        immutable(file);
        try {
            fails(Cli.run("encode", "sample:16,16,3", "-o", file.toString(), "--codec", "test-identity", "--force"), 2,
                    "jpkl encode: -o " + file + ": cannot be replaced: Operation not permitted");
        } finally {
            mutable(file);
        }
        assertEquals("keep", Files.readString(file));
        assertEquals(List.of(), partials());
    }

    /** A standard output that fails like a full disk: every command must fail too, exit 1. */
    @Test
    void aStandardOutputThatCannotBeWrittenFailsTheCommand() throws Exception {
        Path file = container();
        List<List<String>> commands = List.of(
                List.of("info", file.toString(), "--json"),
                List.of("info", file.toString()),
                List.of("verify", file.toString()),
                List.of("codecs"),
                List.of("codecs", "--json"),
                List.of("get", file.toString(), "...", "-o", "-"),
                List.of("--version"));
        for (List<String> command : commands) {
            OutputStream full = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new CliIo(new PrintStream(full), new PrintStream(err, true, StandardCharsets.UTF_8),
                    new ByteArrayInputStream(new byte[0]), Map.of(), false), command.toArray(new String[0]));
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, command + ": " + stderr);
            assertEquals(1, stderr.strip().lines().count(), command + ": " + stderr);
            String name = command.get(0).startsWith("-") ? "jpkl" : "jpkl " + command.get(0);
            assertTrue(stderr.startsWith(name + ": standard output: write failed"), command + ": " + stderr);
        }
    }

    /** The process's own standard output reports the cause of a failed write. */
    @Test
    void theProcessStandardOutputSaysWhyAWriteFailed() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        PrintStream strict = new StrictPrintStream(full, "standard output", StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new CliIo(strict, new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                Map.of(), false), "codecs");
        assertEquals(1, code);
        assertEquals("jpkl codecs: standard output: No space left on device", err.toString(StandardCharsets.UTF_8).strip());
    }
}
