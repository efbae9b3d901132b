package org.jpkl.s3;

import java.net.URI;
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

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
