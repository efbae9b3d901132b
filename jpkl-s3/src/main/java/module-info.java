/**
 * Containers on Amazon S3 and S3-compatible object stores: the storage provider {@code s3}
 * ({@code s3://bucket/key}), built on the AWS SDK for Java v2.
 */
module org.jpkl.s3 {
    requires org.jpkl.api;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.utils;
    requires software.amazon.awssdk.retries;
    requires software.amazon.awssdk.retries.api;

    exports org.jpkl.s3;

    provides org.jpkl.api.spi.StorageProvider with org.jpkl.s3.S3StorageProvider;
}
