package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.SequentialOutput;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.StorageProvider;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Jpkl#save(NdArray, URI, WriteOptions)} and {@link Jpkl#newWriter(URI, DType, int[], WriteOptions)}: streaming to a storage provider. */
class StreamingWriteTest {
    private static final NdArray ARRAY = NdArray.generate(DType.UINT16, new int[] {5, 6, 4}, i -> i * 13);

    @TempDir
    Path dir;

    /** Objects in memory: {@code mem://name}; an output publishes on commit only. */
    private static final class MemoryStore implements StorageProvider {
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();
        final boolean writes;
        int discarded;

        MemoryStore(boolean writes) {
            this.writes = writes;
        }

        @Override
        public String id() {
            return "mem";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("mem");
        }

        @Override
        public RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException {
            byte[] bytes = objects.get(uri.getHost());
            if (bytes == null) {
                throw new FileNotFoundException(uri.toString());
            }
            return RandomAccessSource.of(uri.toString(), bytes);
        }

        @Override
        public boolean canWrite() {
            return writes;
        }

        @Override
        public SequentialOutput openOutput(URI uri, ProviderOptions options, Executor executor) {
            return new SequentialOutput() {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                boolean done;

                @Override
                public String name() {
                    return uri.toString();
                }

                @Override
                public long position() {
                    return bytes.size();
                }

                @Override
                public void write(ByteBuffer src) {
                    byte[] b = new byte[src.remaining()];
                    src.get(b);
                    bytes.write(b, 0, b.length);
                }

                @Override
                public void commit() {
                    objects.put(uri.getHost(), bytes.toByteArray());
                    done = true;
                }

                @Override
                public void close() {
                    if (!done) {
                        done = true;
                        discarded++;
                    }
                }
            };
        }
    }

    private static Jpkl jpkl(MemoryStore store) {
        return Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
                .storage(StorageProviders.of(store)).build();
    }

    private static WriteOptions options() {
        return WriteOptions.builder().codec(IdentityCodec.ID).build();
    }

    @Test
    void aStreamedContainerIsTheFileByteForByteAndReadsBack() throws IOException {
        MemoryStore store = new MemoryStore(true);
        Jpkl jpkl = jpkl(store);
        Path file = dir.resolve("a.jpkl");
        jpkl.save(ARRAY, file, options());
        jpkl.save(ARRAY, URI.create("mem://a.jpkl"), options());
        assertArrayEquals(Files.readAllBytes(file), store.objects.get("a.jpkl"));
        try (JpklArray back = jpkl.open(URI.create("mem://a.jpkl"))) {
            assertEquals(ARRAY, back.get(":"));
        }
    }

    @Test
    void fileUrisAndPlainPathsAreWrittenAsLocalFiles() throws IOException {
        Jpkl jpkl = jpkl(new MemoryStore(true));
        jpkl.save(ARRAY, dir.resolve("b.jpkl").toUri(), options());
        jpkl.save(ARRAY, URI.create(dir.resolve("c.jpkl").toString()), options());
        assertArrayEquals(Files.readAllBytes(dir.resolve("b.jpkl")), Files.readAllBytes(dir.resolve("c.jpkl")));
    }

    @Test
    void aWriterClosedWithoutCommitPublishesNothing() throws IOException {
        MemoryStore store = new MemoryStore(true);
        try (JpklWriter writer = jpkl(store).newWriter(URI.create("mem://d.jpkl"), DType.UINT16, ARRAY.shape(), options())) {
            writer.write(new int[] {0}, ARRAY.get(":, :, 0"));
        }
        assertEquals(1, store.discarded);
        assertFalse(store.objects.containsKey("d.jpkl"));
    }

    @Test
    void aProviderThatOnlyReadsIsRefusedNamingTheSchemesWritten() {
        Jpkl jpkl = jpkl(new MemoryStore(false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jpkl.save(ARRAY, URI.create("mem://e.jpkl"), options()));
        assertEquals("storage provider 'mem' reads 'mem://e.jpkl' but does not support writes; schemes written: [] and file", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("e.jpkl")));
    }
}
