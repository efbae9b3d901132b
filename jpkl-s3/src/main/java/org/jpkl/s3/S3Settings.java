package org.jpkl.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.support.RemoteSettings;

/**
 * The {@code s3.*} storage options, checked. Also the key of the client cache: equal settings share
 * one SDK client.
 *
 * @param endpoint the store's endpoint ({@code s3.endpoint}) for S3-compatible stores; empty for AWS
 * @param region the region ({@code s3.region}); empty: the SDK's chain (us-east-1 with an endpoint)
 * @param pathStyle path-style requests ({@code s3.path-style}); default true with an endpoint
 * @param profile the named profile for credentials ({@code s3.profile}); empty: the default chain
 * @param anonymous unsigned requests ({@code s3.anonymous}), for public buckets
 * @param remote first-request size and retry budget ({@code s3.retries} etc.)
 * @param partSize bytes per uploaded part ({@code s3.part-size})
 * @param partsInFlight parts uploading at once while the next is filled ({@code s3.parts-in-flight})
 */
record S3Settings(Optional<URI> endpoint, Optional<String> region, boolean pathStyle, Optional<String> profile,
                  boolean anonymous, RemoteSettings remote, int partSize, int partsInFlight) {
    static final String ENDPOINT = "s3.endpoint";
    static final String REGION = "s3.region";
    static final String PATH_STYLE = "s3.path-style";
    static final String PROFILE = "s3.profile";
    static final String ANONYMOUS = "s3.anonymous";
    static final String PART_SIZE = "s3.part-size";
    static final String PARTS_IN_FLIGHT = "s3.parts-in-flight";

    /** S3's smallest part (but the last). */
    static final int MIN_PART_SIZE = 5 << 20;
    /** The largest part this writer buffers (S3 allows 5 GiB; a part is one Java array here). */
    static final int MAX_PART_SIZE = 1 << 30;
    static final int DEFAULT_PART_SIZE = 8 << 20;
    static final int DEFAULT_PARTS_IN_FLIGHT = 2;

    /** Every key the provider takes. */
    static Set<String> keys() {
        Set<String> keys = new TreeSet<>(RemoteSettings.optionKeys(S3StorageProvider.ID));
        keys.addAll(Set.of(ENDPOINT, REGION, PATH_STYLE, PROFILE, ANONYMOUS, PART_SIZE, PARTS_IN_FLIGHT));
        return keys;
    }

    /**
     * Reads and checks the options.
     *
     * @throws IllegalArgumentException naming the option, its value and what is allowed
     */
    static S3Settings from(ProviderOptions options) {
        Optional<URI> endpoint = options.get(ENDPOINT).map(S3Settings::endpoint);
        Optional<String> region = options.get(REGION).map(String::trim);
        region.ifPresent(r -> {
            if (!r.matches("[a-z0-9-]{1,64}")) {
                throw new IllegalArgumentException("storage option " + REGION + "='" + r + "' is not a region name such as eu-west-1");
            }
        });
        boolean pathStyle = bool(options, PATH_STYLE, endpoint.isPresent());
        Optional<String> profile = options.get(PROFILE).map(String::trim);
        profile.ifPresent(p -> {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("storage option " + PROFILE + " is empty; name a profile of ~/.aws/credentials or ~/.aws/config");
            }
        });
        boolean anonymous = bool(options, ANONYMOUS, false);
        if (anonymous && profile.isPresent()) {
            throw new IllegalArgumentException("storage options " + ANONYMOUS + "=true and " + PROFILE + "=" + profile.get()
                    + " contradict each other: anonymous requests use no credentials");
        }
        RemoteSettings remote = RemoteSettings.from(S3StorageProvider.ID, options);
        int partSize = (int) RemoteSettings.parse(options, PART_SIZE, DEFAULT_PART_SIZE, MIN_PART_SIZE, MAX_PART_SIZE);
        int inFlight = (int) RemoteSettings.parse(options, PARTS_IN_FLIGHT, DEFAULT_PARTS_IN_FLIGHT, 1, 16);
        return new S3Settings(endpoint, region, pathStyle, profile, anonymous, remote, partSize, inFlight);
    }

    private static URI endpoint(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("storage option " + ENDPOINT + "='" + text + "' is not a URI: " + e.getReason()
                    + "; give e.g. http://127.0.0.1:9000 or https://s3.example.org");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("storage option " + ENDPOINT + "='" + text
                    + "' is not an http or https URL with a host; give e.g. http://127.0.0.1:9000 or https://s3.example.org");
        }
        return uri;
    }

    private static boolean bool(ProviderOptions options, String key, boolean fallback) {
        String text = options.get(key).orElse(null);
        if (text == null) {
            return fallback;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("storage option " + key + "='" + text + "' is not a boolean; use true or false");
        }
    }
}
