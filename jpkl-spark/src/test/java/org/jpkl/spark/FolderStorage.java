package org.jpkl.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.SequentialOutput;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.StorageProvider;

/**
 * A writable storage provider for tests: {@code folder://NAME} is the file NAME in one folder,
 * written atomically; stands for an object store without starting one inside Spark's JVM.
 */
final class FolderStorage implements StorageProvider {
    private final Path folder;

    FolderStorage(Path folder) {
        this.folder = folder;
    }

    @Override
    public String id() {
        return "folder";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("folder");
    }

    @Override
    public boolean canWrite() {
        return true;
    }

    @Override
    public RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException {
        return RandomAccessSource.open(folder.resolve(uri.getHost()));
    }

    @Override
    public SequentialOutput openOutput(URI uri, ProviderOptions options, Executor executor) throws IOException {
        return AtomicFileOutput.create(folder.resolve(uri.getHost()));
    }
}
