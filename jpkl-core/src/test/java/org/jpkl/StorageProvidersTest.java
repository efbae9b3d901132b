package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.StorageProvider;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StorageProviders} and {@link Jpkl#open(URI)}: scheme dispatch, options, and the errors. */
class StorageProvidersTest {
    @TempDir
    Path dir;

    /** Reads {@code mem://name} from files in a folder, recording the URIs and options it was given. */
    private static final class MemoryStorage implements StorageProvider {
        final Path folder;
        final String id;
        final Set<String> schemes;
        final Availability availability;
        final List<String> opened = new ArrayList<>();

        MemoryStorage(Path folder, String id, Set<String> schemes, Availability availability) {
            this.folder = folder;
            this.id = id;
            this.schemes = schemes;
            this.availability = availability;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Set<String> schemes() {
            return schemes;
        }

        @Override
        public Availability availability() {
            return availability;
        }

        @Override
        public Set<String> optionKeys() {
            return Set.of(id + ".endpoint");
        }

        @Override
        public RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException {
            opened.add(uri + " " + options.toMap());
            return RandomAccessSource.of(uri.toString(), Files.readAllBytes(folder.resolve(uri.getHost())));
        }
    }

    private Jpkl jpkl(StorageProviders storage, String... options) {
        Jpkl.Builder b = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
                .storage(storage);
        for (int i = 0; i < options.length; i += 2) {
            b.storageOption(options[i], options[i + 1]);
        }
        return b.build();
    }

    private Path saved(Jpkl jpkl, String name) throws IOException {
        Path file = dir.resolve(name);
        jpkl.save(NdArray.generate(DType.UINT16, new int[] {3, 4, 2}, i -> i * 7), file,
                WriteOptions.builder().codec(IdentityCodec.ID).build());
        return file;
    }

    @Test
    void opensThroughTheProviderOfTheSchemeWithItsOptions() throws IOException {
        MemoryStorage mem = new MemoryStorage(dir, "mem", Set.of("mem", "MEMS"), Availability.available());
        Jpkl jpkl = jpkl(StorageProviders.of(mem), "mem.endpoint", "here");
        saved(jpkl, "a.jpkl");
        try (JpklArray array = jpkl.open(URI.create("MEMS://a.jpkl/"))) {
            assertEquals(7 * 11, array.get("1, 1, 1").getDouble());
        }
        assertEquals(List.of("MEMS://a.jpkl/ {mem.endpoint=here}"), mem.opened);
        assertEquals(Set.of("mem", "mems"), jpkl.storage().schemes());
    }

    @Test
    void fileUrisAndPlainPathsAreLocalFiles() throws IOException {
        Jpkl jpkl = jpkl(StorageProviders.of());
        Path file = saved(jpkl, "b.jpkl");
        try (JpklArray array = jpkl.open(file.toUri())) {
            assertEquals(3, array.shape()[0]);
        }
        try (JpklArray array = jpkl.open(URI.create(file.toString().replace('\\', '/')))) {
            assertEquals(4, array.shape()[1]);
        }
    }

    @Test
    void anUnreadSchemeNamesTheSchemesThatAreRead() {
        Jpkl jpkl = jpkl(StorageProviders.of(new MemoryStorage(dir, "mem", Set.of("mem"), Availability.available())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jpkl.open(URI.create("gs://bucket/key")));
        assertEquals("no storage provider reads 'gs' URIs such as 'gs://bucket/key'; schemes read: [mem] and file", e.getMessage());
    }

    @Test
    void anUnavailableProviderSaysWhy() {
        Jpkl jpkl = jpkl(StorageProviders.of(new MemoryStorage(dir, "mem", Set.of("mem"), Availability.unavailable("no client"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jpkl.open(URI.create("mem://x")));
        assertEquals("storage provider 'mem' for 'mem://x' is not available here: no client", e.getMessage());
    }

    @Test
    void anUnknownOptionIsRefusedNamingEveryProvidersKeys() {
        StorageProviders storage = StorageProviders.of(new MemoryStorage(dir, "mem", Set.of("mem"), Availability.available()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jpkl(storage, "mem.endpiont", "x"));
        assertEquals("storage option 'mem.endpiont' is not known; storage providers take {mem=[mem.endpoint]}", e.getMessage());
    }

    @Test
    void twoProvidersOfOneSchemeOrOneClaimingFileAreErrors() {
        IllegalStateException both = assertThrows(IllegalStateException.class, () -> StorageProviders.of(
                new MemoryStorage(dir, "a", Set.of("mem"), Availability.available()),
                new MemoryStorage(dir, "b", Set.of("MEM"), Availability.available())));
        assertTrue(both.getMessage().startsWith("two storage providers read the scheme 'mem': 'a' ("), both.getMessage());
        IllegalStateException file = assertThrows(IllegalStateException.class, () -> StorageProviders.of(
                new MemoryStorage(dir, "a", Set.of("file"), Availability.available())));
        assertTrue(file.getMessage().endsWith("claims the scheme 'file', which is always read as a local file"), file.getMessage());
    }

    @Test
    void foldersAreListedOnlyByProvidersThatListAndOnlyWhenTheUriEndsWithASlash() throws IOException {
        MemoryStorage plain = new MemoryStorage(dir, "mem", Set.of("mem"), Availability.available());
        StorageProvider listing = new StorageProvider() {
            @Override
            public String id() {
                return "lst";
            }

            @Override
            public Set<String> schemes() {
                return Set.of("lst");
            }

            @Override
            public Set<String> optionKeys() {
                return Set.of("lst.endpoint");
            }

            @Override
            public RandomAccessSource openSource(URI uri, ProviderOptions options) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean canList() {
                return true;
            }

            @Override
            public List<URI> list(URI folder, ProviderOptions options) {
                return List.of(folder.resolve("b.npy"), folder.resolve(options.get("lst.endpoint").orElseThrow()));
            }
        };
        StorageProviders storage = StorageProviders.of(plain, listing)
                .withOptions(ProviderOptions.of(java.util.Map.of("lst.endpoint", "a.npy", "mem.endpoint", "x")));
        assertEquals(List.of(URI.create("lst://bucket/dir/b.npy"), URI.create("lst://bucket/dir/a.npy")),
                storage.list(URI.create("lst://bucket/dir/")));
        assertEquals("'lst://bucket/dir' names no folder: a folder's URI ends with /", assertThrows(IllegalArgumentException.class,
                () -> storage.list(URI.create("lst://bucket/dir"))).getMessage());
        assertEquals("storage provider 'mem' cannot list the folder 'mem://host/dir/' ([mem] URIs have no listing): name its"
                + " objects one by one; schemes listed: [lst] and file", assertThrows(IllegalArgumentException.class,
                () -> storage.list(URI.create("mem://host/dir/"))).getMessage());
        assertEquals("storage provider 'mem' reads [mem] URIs but cannot list mem://host/dir/; name its objects one by one",
                assertThrows(UnsupportedOperationException.class, () -> plain.list(URI.create("mem://host/dir/"),
                        ProviderOptions.empty())).getMessage());
    }
}
