package org.jpkl.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.testing.ContainerFuzzer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serializer contract's fuzz check can fail: on the valid file of a real serializer it accepts
 * exactly the right answers, and a reader that returns other bytes or another header without an
 * error, throws anything but a {@link JpklFormatException} naming the file, or hangs, is reported.
 */
class SerializerCheckTest {
    @TempDir
    Path dir;

    private final ContainerHeader header = new ContainerHeader(new int[] {2, 3, 3}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
            "test-identity", Map.of(), Map.of("k", "v"));
    private final List<byte[]> slices = new ArrayList<>();
    private byte[] valid;

    @BeforeEach
    void writeAValidFile() throws IOException {
        Path file = dir.resolve("valid.jpkl");
        try (ContainerWriter w = new JpklFileSerializer().openWriter(file, header)) {
            for (int n = 0; n < 3; n++) {
                byte[] slice = {(byte) n, 1, 2, 3, 4, 5};
                slices.add(slice);
                w.writeSlice(n, ByteBuffer.wrap(slice));
            }
            w.commit();
        }
        valid = Files.readAllBytes(file);
    }

    @Test
    void theRightAnswersAreAccepted() throws Throwable {
        ContainerFuzzer.Check check = ContainerFuzzer.serializerCheck(new JpklFileSerializer(), header, slices, true);
        assertEquals(ContainerFuzzer.READ_INTACT, check.check("valid", valid));
        assertEquals(ContainerFuzzer.NOT_CLAIMED, check.check("text", "hello".getBytes()));
        byte[] damaged = valid.clone();
        damaged[valid.length - 40] ^= 1;
        assertEquals(ContainerFuzzer.REJECTED_AT_OPEN, check.check("index", damaged));
    }

    @Test
    void aReaderReturningOtherBytesWithoutAnErrorIsReported() {
        ContainerSerializer lying = new Wrapped(r -> new ForwardingReader(r) {
            @Override
            public ByteBuffer readSlice(long n) throws IOException {
                ByteBuffer b = super.readSlice(n);
                if (n == 1) {
                    b.put(0, (byte) 99);
                }
                return b;
            }
        });
        AssertionError e = assertThrows(AssertionError.class,
                () -> ContainerFuzzer.serializerCheck(lying, header, slices, true).check("valid", valid));
        assertEquals("slice 1 read back different bytes without an error", e.getMessage());
        assertThrows(AssertionError.class, () -> ContainerFuzzer.serializerCheck(new JpklFileSerializer(),
                new ContainerHeader(new int[] {2, 3, 3}, DType.UINT8, PlaneLayout.jpkl(false), List.of(), "test-identity", Map.of(),
                        Map.of("k", "w")), slices, true).check("valid", valid), "another header than expected");
    }

    @Test
    void anotherExceptionTypeAFormatErrorNotNamingTheFileOrAHangIsAFailure() {
        ContainerSerializer throwing = new Wrapped(r -> {
            throw new IllegalArgumentException("boom");
        });
        ContainerFuzzer fuzzer = new ContainerFuzzer(valid, ContainerFuzzer.structuralOffsets(valid, slices), 2000);
        // The wrappers act once a file opened: the checks get the valid file whatever the mutant.
        ContainerFuzzer.Check onThrowing = ContainerFuzzer.serializerCheck(throwing, header, slices, true);
        ContainerFuzzer.Result result = fuzzer.run((name, mutant) -> onThrowing.check(name, valid), 3, 3);
        assertEquals(3, result.failures.size(), result.toString());
        assertTrue(result.failures.get(0).contains("java.lang.IllegalArgumentException: boom"), result.toString());

        ContainerSerializer anonymous = new Wrapped(r -> {
            throw new JpklFormatException("somewhere", "index", "bad");
        });
        ContainerFuzzer.Check onAnonymous = ContainerFuzzer.serializerCheck(anonymous, header, slices, true);
        result = fuzzer.run((name, mutant) -> onAnonymous.check(name, valid), 5, 4);
        assertEquals(Map.of("FAILURE", 5), result.outcomes, result.toString());
        assertTrue(result.failures.get(0).contains("message does not name the file: somewhere: index: bad"), result.toString());

        result = new ContainerFuzzer(valid, List.of(0), 50).run((name, mutant) -> {
            Thread.sleep(10_000);
            return ContainerFuzzer.READ_INTACT;
        }, 2, 5);
        assertEquals(2, result.failures.size(), result.toString());
        assertTrue(result.failures.get(0).endsWith("mutant-0: no answer within 50 ms (hang?)"), result.toString());
    }

    /** Replaces a reader just opened. */
    @FunctionalInterface
    private interface ReaderWrap {
        ContainerReader apply(ContainerReader reader) throws IOException;
    }

    /** JpklFileSerializer whose readers pass through {@code wrap}. */
    private static final class Wrapped implements ContainerSerializer {
        private final JpklFileSerializer inner = new JpklFileSerializer();
        private final ReaderWrap wrap;

        Wrapped(ReaderWrap wrap) {
            this.wrap = wrap;
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public String description() {
            return inner.description();
        }

        @Override
        public List<String> fileExtensions() {
            return inner.fileExtensions();
        }

        @Override
        public boolean canRead(RandomAccessSource source) throws IOException {
            return inner.canRead(source);
        }

        @Override
        public ContainerReader openReader(RandomAccessSource source) throws IOException {
            return wrap.apply(inner.openReader(source));
        }

        @Override
        public ContainerReader openReader(RandomAccessSource source, boolean verifyChecksums) throws IOException {
            return wrap.apply(inner.openReader(source, verifyChecksums));
        }

        @Override
        public ContainerWriter openWriter(Path target, ContainerHeader h) throws IOException {
            return inner.openWriter(target, h);
        }
    }

    /** Passes every call to another reader. */
    private static class ForwardingReader implements ContainerReader {
        private final ContainerReader inner;

        ForwardingReader(ContainerReader inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String serializerId() {
            return inner.serializerId();
        }

        @Override
        public ContainerHeader header() {
            return inner.header();
        }

        @Override
        public ByteBuffer readSlice(long sliceNumber) throws IOException {
            return inner.readSlice(sliceNumber);
        }

        @Override
        public boolean hasSliceChecksums() {
            return inner.hasSliceChecksums();
        }

        @Override
        public long sliceLength(long sliceNumber) throws IOException {
            return inner.sliceLength(sliceNumber);
        }

        @Override
        public long byteSize() throws IOException {
            return inner.byteSize();
        }

        @Override
        public void verifyStructure() throws IOException {
            inner.verifyStructure();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
