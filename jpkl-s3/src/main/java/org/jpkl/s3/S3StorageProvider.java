package org.jpkl.s3;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.SequentialOutput;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.StorageProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The storage provider {@code s3}: reads and writes {@code s3://bucket/key} on Amazon S3 or an
 * S3-compatible store with the AWS SDK for Java v2.
 *
 * <p><b>Reading</b> ({@link #openSource}): ranged GetObject requests through
 * {@link org.jpkl.api.spi.support.RemoteObjectSource} (the first request reads the object's head and
 * pins its ETag, and its version id in a versioned bucket; retries on 5xx, throttling and network
 * failures). <b>Writing</b> ({@link #openOutput}): a multipart upload of {@code s3.part-size} parts
 * uploaded on the given executor, completed on commit and aborted on close or failure.
 *
 * <p><b>Options</b> ({@code s3.*}; see docs/REMOTE.md): {@code endpoint} (an S3-compatible store,
 * e.g. {@code http://127.0.0.1:9000}), {@code region}, {@code path-style}, {@code profile},
 * {@code anonymous}, {@code part-size}, {@code parts-in-flight}, and the read settings of
 * {@link org.jpkl.api.spi.support.RemoteSettings} ({@code head-bytes}, {@code retries},
 * {@code retry-time-ms}, {@code retry-backoff-ms}). Region and credentials come from the SDK's
 * default chains (environment, {@code ~/.aws/config} and {@code ~/.aws/credentials}, instance
 * roles) unless an option names them.
 *
 * <p>Discovery is cheap: the SDK clients are built on first use (one pair per distinct options, kept
 * for the provider's life).
 *
 * <p>Thread safety: thread-safe.
 */
public final class S3StorageProvider implements StorageProvider {
    /** The provider id and URI scheme. */
    public static final String ID = "s3";

    private final AwsCredentialsProvider credentials;
    private final Map<S3Settings, S3Clients> clients = new ConcurrentHashMap<>();

    /** Credentials from the options or the SDK's default chain (the service-loader constructor). */
    public S3StorageProvider() {
        this.credentials = null;
    }

    /**
     * Signs every request with {@code credentials}, whatever the options say (for programs that
     * manage credentials themselves; use with {@code Jpkl.builder().storage(StorageProviders.of(...))}).
     */
    public S3StorageProvider(AwsCredentialsProvider credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> schemes() {
        return Set.of(ID);
    }

    /** Available when the AWS SDK's S3 client and its HTTP client are on the class or module path. */
    @Override
    public Availability availability() {
        for (String type : new String[] {"software.amazon.awssdk.services.s3.S3Client",
                "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"}) {
            try {
                Class.forName(type, false, S3StorageProvider.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return Availability.unavailable("the AWS SDK for Java v2 is missing (" + type + " not found); put the jars"
                        + " jpkl-s3 depends on (software.amazon.awssdk:s3 and url-connection-client) on the class path");
            }
        }
        return Availability.available();
    }

    @Override
    public Set<String> optionKeys() {
        return S3Settings.keys();
    }

    /**
     * Opens {@code s3://bucket/key} with one ranged GET (its first {@code s3.head-bytes}).
     *
     * @throws IllegalArgumentException if the URI is not {@code s3://BUCKET/KEY} or an option is invalid
     * @throws java.io.FileNotFoundException if the bucket or object does not exist
     * @throws IOException for 403 and other failures, naming the URI
     */
    @Override
    public RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException {
        S3Location location = S3Location.of(uri);
        S3Settings settings = S3Settings.from(options);
        return S3ObjectSource.open(location, settings.remote(), clients(settings).reader());
    }

    /** Yes: ListObjectsV2. */
    @Override
    public boolean canList() {
        return true;
    }

    /**
     * The objects directly under the prefix {@code s3://bucket/prefix/} (ListObjectsV2 with the
     * delimiter {@code /}, every page, retried as uploads are; keys in deeper "folders" and the
     * folder's own marker object are left out).
     *
     * @throws IllegalArgumentException if the URI is not {@code s3://BUCKET/} or {@code s3://BUCKET/PREFIX/}
     * @throws java.io.FileNotFoundException if the bucket does not exist
     * @throws IOException for 403 and other failures, naming the URI
     */
    @Override
    public List<URI> list(URI folder, ProviderOptions options) throws IOException {
        S3Location location = S3Location.folder(folder);
        S3Settings settings = S3Settings.from(options);
        List<URI> found = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : clients(settings).writer().listObjectsV2Paginator(
                    b -> b.bucket(location.bucket()).prefix(location.key()).delimiter("/"))) {
                for (S3Object o : page.contents()) {
                    if (!o.key().equals(location.key())) {
                        found.add(location.object(o.key()));
                    }
                }
            }
        } catch (SdkException e) {
            throw S3Errors.of(folder.toString(), S3Errors.READING + "the folder's listing", e);
        }
        return found;
    }

    /** Yes: multipart uploads. */
    @Override
    public boolean canWrite() {
        return true;
    }

    /**
     * Starts streaming {@code s3://bucket/key}: nothing is sent until the first part is full; the
     * object appears on commit.
     *
     * @throws IllegalArgumentException if the URI is not {@code s3://BUCKET/KEY} or an option is invalid
     */
    @Override
    public SequentialOutput openOutput(URI uri, ProviderOptions options, Executor executor) throws IOException {
        S3Location location = S3Location.of(uri);
        S3Settings settings = S3Settings.from(options);
        return new S3Output(location, clients(settings).writer(), Objects.requireNonNull(executor, "executor"),
                settings.partSize(), settings.partsInFlight());
    }

    /**
     * Server-side assembly of objects in the store the options name ({@link S3Assembly}: ranges of
     * other objects copied by {@code UploadPartCopy}, small pieces uploaded), with this provider's
     * clients (the SDK's standard retries, {@code s3.retries}) and up to 4 x {@code s3.parts-in-flight}
     * parts stored at once.
     *
     * @param options the options as given to the provider, e.g. {@code jpkl.storage().options().only(provider.optionKeys())}
     * @throws IllegalArgumentException if an option is invalid
     * @throws IOException if no region is configured (for AWS)
     */
    public S3Assembly assembly(ProviderOptions options) throws IOException {
        S3Settings settings = S3Settings.from(options);
        return new S3Assembly(clients(settings).writer(), Math.min(16, 4 * settings.partsInFlight()));
    }

    private S3Clients clients(S3Settings settings) throws IOException {
        S3Clients c = clients.get(settings);
        if (c != null) {
            return c;
        }
        S3Clients built = S3Clients.build(settings, credentials);
        S3Clients raced = clients.putIfAbsent(settings, built);
        if (raced != null) {
            built.close();
            return raced;
        }
        return built;
    }

    @Override
    public String toString() {
        return "S3StorageProvider";
    }
}
