package org.jpkl.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A bucket and key named by {@code s3://bucket/key}.
 *
 * @param bucket the bucket (the URI's authority)
 * @param key the object key (the URI's path without its leading slash, percent-decoded)
 * @param uri the URI as given
 */
record S3Location(String bucket, String key, URI uri) {

    /**
     * Parses {@code s3://bucket/key}.
     *
     * @throws IllegalArgumentException naming the URI and the form expected, if its scheme is not
     *     {@code s3}, it names no bucket or no key, or it has a query or fragment
     */
    static S3Location of(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String form = "; the form is s3://BUCKET/KEY";
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals(S3StorageProvider.ID) || uri.isOpaque()) {
            throw new IllegalArgumentException("'" + uri + "' is not an s3 URI" + form);
        }
        String bucket = uri.getRawAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("s3 URI '" + uri + "' names no bucket" + form);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("s3 URI '" + uri + "' has a query or fragment, which s3 URIs do not take" + form);
        }
        String path = uri.getPath();
        if (path == null || path.length() <= 1) {
            throw new IllegalArgumentException("s3 URI '" + uri + "' names no object key" + form);
        }
        return new S3Location(bucket, path.substring(1), uri);
    }

    /**
     * Parses the folder {@code s3://bucket/prefix/} (or the bucket's root, {@code s3://bucket/}): the
     * key is the prefix with its final slash, empty for the root.
     *
     * @throws IllegalArgumentException naming the URI and the form expected
     */
    static S3Location folder(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String form = "; a folder is s3://BUCKET/ or s3://BUCKET/PREFIX/";
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals(S3StorageProvider.ID) || uri.isOpaque()
                || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty() || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + uri + "' is not an s3 folder URI" + form);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.endsWith("/")) {
            throw new IllegalArgumentException("'" + uri + "' is not an s3 folder URI (it does not end with /)" + form);
        }
        return new S3Location(uri.getRawAuthority(), path.isEmpty() ? "" : path.substring(1), uri);
    }

    /** The URI of the object {@code key} in this location's bucket (percent-encoded where the key needs it). */
    URI object(String key) {
        try {
            return new URI(S3StorageProvider.ID, bucket, "/" + key, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the key '" + key + "' of bucket " + bucket + " makes no URI: " + e.getReason(), e);
        }
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
