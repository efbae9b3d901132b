package org.jpkl.s3;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.StorageProvider;

/** Stub. */
public final class S3StorageProvider implements StorageProvider {
    @Override
    public String id() {
        return "s3";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    @Override
    public RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException {
        software.amazon.awssdk.services.s3.S3Client.builder();
        throw new IOException("stub");
    }
}
