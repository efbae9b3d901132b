/**
 * Containers on Amazon S3 and S3-compatible object stores: the storage provider {@code s3}
 * ({@code s3://bucket/key}), built on the AWS SDK for Java v2. Exports {@code org.jpkl.s3} for
 * programs that give the provider credentials of their own
 * ({@code new S3StorageProvider(AwsCredentialsProvider)}).
 */
module org.jpkl.s3 {
    requires org.jpkl.api;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires transitive software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires transitive software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.utils;
    requires software.amazon.awssdk.retries;
    requires software.amazon.awssdk.retries.api;

    exports org.jpkl.s3;

    provides org.jpkl.api.spi.StorageProvider with org.jpkl.s3.S3StorageProvider;
}
