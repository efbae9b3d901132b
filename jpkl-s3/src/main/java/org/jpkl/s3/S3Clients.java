package org.jpkl.s3;

import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The SDK clients of one set of {@link S3Settings}: one for ranged reads, which never retries
 * (RemoteObjectSource does, with its own budget), and one for uploads, retrying with the SDK's
 * standard strategy within the same {@code s3.retries}. Both share one HTTP client (the JDK's
 * {@code HttpURLConnection}, pooled by the JDK).
 *
 * <p>Thread safety: immutable; the SDK clients are thread-safe.
 */
final class S3Clients implements AutoCloseable {
    /** The region assumed for an S3-compatible store (s3.endpoint) when none is configured. */
    static final String ENDPOINT_DEFAULT_REGION = "us-east-1";

    private final SdkHttpClient http;
    private final S3Client reader;
    private final S3Client writer;

    private S3Clients(SdkHttpClient http, S3Client reader, S3Client writer) {
        this.http = http;
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * Builds the clients.
     *
     * @param credentials the credentials to sign with, or null for those the settings name (anonymous,
     *     a profile, or the SDK's default chain)
     * @throws IOException if no region is configured anywhere (for AWS), saying where to set one
     */
    static S3Clients build(S3Settings s, AwsCredentialsProvider credentials) throws IOException {
        Region region = region(s);
        AwsCredentialsProvider creds = credentials != null ? credentials
                : s.anonymous() ? AnonymousCredentialsProvider.create()
                : s.profile().isPresent() ? ProfileCredentialsProvider.create(s.profile().get())
                : DefaultCredentialsProvider.builder().build();
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        RetryStrategy uploads = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(s.remote().retries() + 1).build();
        return new S3Clients(http, client(s, region, creds, http, AwsRetryStrategy.doNotRetry()),
                client(s, region, creds, http, uploads));
    }

    private static S3Client client(S3Settings s, Region region, AwsCredentialsProvider creds, SdkHttpClient http,
                                   RetryStrategy retries) {
        S3ClientBuilder b = S3Client.builder()
                .region(region)
                .credentialsProvider(creds)
                .httpClient(http)
                .forcePathStyle(s.pathStyle())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(retries).build());
        if (s.endpoint().isPresent()) {
            // S3-compatible stores often refuse the SDK's newer flexible checksums (x-amz-checksum-*
            // headers and aws-chunked trailers); send them only where an operation requires them.
            b.endpointOverride(s.endpoint().get())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    private static Region region(S3Settings s) throws IOException {
        if (s.region().isPresent()) {
            return Region.of(s.region().get());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (s.endpoint().isPresent()) {
                return Region.of(ENDPOINT_DEFAULT_REGION);
            }
            throw new IOException("s3: no region is configured: set the storage option " + S3Settings.REGION
                    + " (e.g. --storage-option s3.region=eu-west-1), the environment variable AWS_REGION, or a region in ~/.aws/config", e);
        }
    }

    /** For ranged GETs: no SDK retries. */
    S3Client reader() {
        return reader;
    }

    /** For uploads: the SDK's standard retries. */
    S3Client writer() {
        return writer;
    }

    @Override
    public void close() {
        reader.close();
        writer.close();
        http.close();
    }
}
