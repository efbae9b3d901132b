package org.jpkl.api.spi;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.SequentialOutput;

/**
 * Where containers live when they are not local files: a provider reads objects named by URIs of
 * some schemes (for example {@code http}/{@code https}, or {@code s3}) as {@link RandomAccessSource}s,
 * so every serializer whose format allows random access reads them unchanged. Found with
 * {@link java.util.ServiceLoader} like codecs and serializers ({@link StorageProviders}).
 *
 * <p>Discovery is cheap: the constructor does no I/O and loads no client library's native parts;
 * {@link #availability()} reports a missing piece with a reason.
 *
 * <p>Options (endpoint, region, retries...) are {@link ProviderOptions} whose keys are in
 * {@link #optionKeys()} and whose namespace is the provider's id, given once when the registry is
 * built; no JVM-wide setting is read beyond what the provider documents.
 *
 * <p>Thread safety: implementations must be thread-safe; the sources they return must allow
 * concurrent reads.
 */
public interface StorageProvider {

    /** Stable identifier, e.g. {@code http} or {@code s3}; also the namespace of its option keys. */
    String id();

    /** The URI schemes this provider reads, lower case, e.g. {@code [http, https]}; never {@code file}. */
    Set<String> schemes();

    /** Whether the provider can work here, with a reason when it cannot. Must be cheap. */
    default Availability availability() {
        return Availability.available();
    }

    /** The option keys this provider takes, each {@code id() + "." + name}; empty by default. */
    default Set<String> optionKeys() {
        return Set.of();
    }

    /**
     * Opens the object at {@code uri} for positional reads. The returned source reads one version of
     * the object: if the object is replaced while it is open, reads fail with an
     * {@link java.io.IOException} saying so rather than mixing two versions. The caller closes it.
     *
     * @param uri an absolute URI whose scheme is one of {@link #schemes()}
     * @param options options whose keys are all in {@link #optionKeys()} (possibly empty)
     * @throws java.io.FileNotFoundException if there is no such object (the message names the URI)
     * @throws IOException if the object cannot be reached or read (the message names the URI)
     */
    RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException;

    /**
     * Whether this provider can list the objects of a folder ({@link #list}); false by default. An
     * optional capability, as writing is: a store with a listing API has it (S3's ListObjectsV2),
     * while plain HTTP has no listing (an index page is HTML of the server's choosing, or absent).
     */
    default boolean canList() {
        return false;
    }

    /**
     * The objects directly in the folder {@code folder} names (a URI whose path ends with {@code /},
     * e.g. {@code s3://bucket/acquisition/}; objects in its sub-folders are not listed), as URIs of
     * this provider's scheme that {@link #openSource} opens, in no particular order; empty for a
     * folder that holds nothing.
     *
     * @param options options whose keys are all in {@link #optionKeys()} (possibly empty)
     * @throws UnsupportedOperationException if this provider does not {@linkplain #canList() list}
     * @throws IllegalArgumentException if the URI does not name a folder of this provider
     * @throws java.io.FileNotFoundException if the folder's container (e.g. the bucket) does not exist
     * @throws IOException if the listing fails (the message names the URI)
     */
    default List<URI> list(URI folder, ProviderOptions options) throws IOException {
        throw new UnsupportedOperationException("storage provider '" + id() + "' reads " + schemes() + " URIs but cannot list "
                + folder + "; name its objects one by one");
    }

    /** Whether this provider can also write objects ({@link #openOutput}); false by default. */
    default boolean canWrite() {
        return false;
    }

    /**
     * Starts writing the object at {@code uri}, front to back: nothing appears under the URI until
     * {@link SequentialOutput#commit()} succeeds (an existing object is then replaced in one step);
     * {@link SequentialOutput#close()} without a commit, or a failed commit, leaves no object and no
     * partial upload behind. The caller closes the output.
     *
     * @param executor runs background work (for example uploading parts while the next is written);
     *     the output never waits for a task that is queued but not started: it runs it itself
     * @throws UnsupportedOperationException if this provider does not {@linkplain #canWrite() write}
     * @throws IOException if the object cannot be written (the message names the URI)
     */
    default SequentialOutput openOutput(URI uri, ProviderOptions options, Executor executor) throws IOException {
        throw new UnsupportedOperationException("storage provider '" + id() + "' reads " + schemes() + " URIs but cannot write "
                + uri + "; write to a local file instead");
    }
}
