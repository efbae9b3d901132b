package org.jpkl.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.StorageProvider;
import org.jpkl.api.spi.support.RemoteSettings;

/**
 * Reads containers at {@code http://} and {@code https://} URIs with ranged GETs through the JDK's
 * {@link HttpClient} (HTTP/1.1, or HTTP/2 where the server offers it): opening costs one request for
 * the first {@code http.head-bytes} (preamble and header) and one for the footer and index; each slice
 * is one more. The object's ETag (or, without one, its Last-Modified date and size) is pinned at open
 * and every later request is conditional on it ({@code If-Match} / {@code If-Unmodified-Since}).
 *
 * <p>Options ({@code http.}): {@code head-bytes}, {@code retries}, {@code retry-time-ms},
 * {@code retry-backoff-ms} ({@link RemoteSettings}), {@code connect-timeout-ms} (default
 * {@value #DEFAULT_CONNECT_TIMEOUT_MILLIS}), {@code timeout-ms} (each request until its headers,
 * default {@value #DEFAULT_TIMEOUT_MILLIS}) and {@code version} ({@code 1.1} or {@code 2}, default
 * {@code 2}: HTTP/2 where the server offers it, else HTTP/1.1).
 *
 * <p>Thread safety: thread-safe. Sources opened with the same connect timeout and HTTP version share
 * one client (made on first use), so they reuse its connections; each source has its own request
 * timeout and retry settings.
 */
public final class HttpStorageProvider implements StorageProvider {
    /** The provider id, also the namespace of its options. */
    public static final String ID = "http";
    /** Default of {@code http.connect-timeout-ms}. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Default of {@code http.timeout-ms}. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 60_000;

    static final String CONNECT_TIMEOUT = ID + ".connect-timeout-ms";
    static final String TIMEOUT = ID + ".timeout-ms";
    static final String VERSION = ID + ".version";

    /** One client per connect timeout and HTTP version, made on first use: sources share its connections. */
    private final ConcurrentMap<List<Object>, HttpClient> clients = new ConcurrentHashMap<>();

    /** Public for {@link java.util.ServiceLoader}; does no work. */
    public HttpStorageProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public Set<String> optionKeys() {
        Set<String> keys = new TreeSet<>(RemoteSettings.optionKeys(ID));
        keys.addAll(Set.of(CONNECT_TIMEOUT, TIMEOUT, VERSION));
        return keys;
    }

    /**
     * @throws IllegalArgumentException if the URI is not an absolute http(s) URI with a host, or an
     *     option value is out of range (naming it)
     */
    @Override
    public RandomAccessSource openSource(URI uri, ProviderOptions options) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes().contains(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + uri + "' is not an http:// or https:// URI with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + HttpObjectSource.displayName(uri)
                    + "' has user info in the URI, which is not sent; remove it (use a server that needs no credentials or a signed URL)");
        }
        RemoteSettings settings = RemoteSettings.from(ID, options);
        Duration connect = Duration.ofMillis(RemoteSettings.parse(options, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT_MILLIS, 1, 3_600_000));
        Duration timeout = Duration.ofMillis(RemoteSettings.parse(options, TIMEOUT, DEFAULT_TIMEOUT_MILLIS, 1, 3_600_000));
        String version = options.get(VERSION).orElse("2").trim();
        HttpClient.Version httpVersion;
        if (version.equals("2")) {
            httpVersion = HttpClient.Version.HTTP_2;
        } else if (version.equals("1.1")) {
            httpVersion = HttpClient.Version.HTTP_1_1;
        } else {
            throw new IllegalArgumentException("storage option " + VERSION + "='" + version + "' is not one of [1.1, 2]");
        }
        HttpClient client = clients.computeIfAbsent(List.of(connect, httpVersion), k -> HttpClient.newBuilder()
                .connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(httpVersion)
                .build());
        return new HttpObjectSource(uri, settings, client, timeout);
    }

    @Override
    public String toString() {
        return "HttpStorageProvider";
    }
}
