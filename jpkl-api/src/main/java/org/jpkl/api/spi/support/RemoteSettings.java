package org.jpkl.api.spi.support;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jpkl.api.spi.ProviderOptions;

/**
 * How a {@link RemoteObjectSource} reads: the size of its first request and its retry budget. Each
 * storage provider takes these as options in its own namespace ({@code NS.head-bytes},
 * {@code NS.retries}, {@code NS.retry-time-ms}, {@code NS.retry-backoff-ms}; see
 * {@link #optionKeys(String)} and {@link #from(String, ProviderOptions)}).
 *
 * <p>Thread safety: immutable.
 *
 * @param headBytes bytes fetched by the first request and kept (the preamble and header of most
 *     containers), in {@code [1, MAX_HEAD_BYTES]}; default {@value #DEFAULT_HEAD_BYTES}
 * @param retries requests repeated after a retriable failure (5xx, throttling, timeout, reset), in
 *     {@code [0, 100]}; default {@value #DEFAULT_RETRIES}
 * @param retryTimeMillis the longest time spent waiting between attempts of one read, in
 *     {@code [0, 3_600_000]}; a retry that would pass it is not made; default {@value #DEFAULT_RETRY_TIME_MILLIS}
 * @param backoffMillis the wait before the first retry, doubled at each further retry (at most
 *     {@value #MAX_BACKOFF_MILLIS} ms) and jittered down by up to half, in {@code [0, 60_000]};
 *     default {@value #DEFAULT_BACKOFF_MILLIS}
 */
public record RemoteSettings(int headBytes, int retries, long retryTimeMillis, long backoffMillis) {
    /** Default of {@link #headBytes}: 1 KiB, enough for the preamble and a typical header. */
    public static final int DEFAULT_HEAD_BYTES = 1024;
    /** The largest {@link #headBytes}. */
    public static final int MAX_HEAD_BYTES = 16 << 20;
    /** Default of {@link #retries}. */
    public static final int DEFAULT_RETRIES = 4;
    /** Default of {@link #retryTimeMillis}. */
    public static final long DEFAULT_RETRY_TIME_MILLIS = 30_000;
    /** Default of {@link #backoffMillis}. */
    public static final long DEFAULT_BACKOFF_MILLIS = 100;
    /** The longest single wait between two attempts. */
    public static final long MAX_BACKOFF_MILLIS = 5_000;

    private static final String HEAD = "head-bytes";
    private static final String RETRIES = "retries";
    private static final String RETRY_TIME = "retry-time-ms";
    private static final String BACKOFF = "retry-backoff-ms";

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException naming the value and its range
     */
    public RemoteSettings {
        check("headBytes", headBytes, 1, MAX_HEAD_BYTES);
        check("retries", retries, 0, 100);
        check("retryTimeMillis", retryTimeMillis, 0, 3_600_000);
        check("backoffMillis", backoffMillis, 0, 60_000);
    }

    /** The defaults. */
    public static RemoteSettings defaults() {
        return new RemoteSettings(DEFAULT_HEAD_BYTES, DEFAULT_RETRIES, DEFAULT_RETRY_TIME_MILLIS, DEFAULT_BACKOFF_MILLIS);
    }

    /** The option keys these settings are read from, in namespace {@code ns}: e.g. {@code http.retries}. */
    public static Set<String> optionKeys(String ns) {
        Objects.requireNonNull(ns, "ns");
        Set<String> keys = new TreeSet<>();
        for (String name : new String[] {HEAD, RETRIES, RETRY_TIME, BACKOFF}) {
            keys.add(ns + "." + name);
        }
        return keys;
    }

    /**
     * The settings given in {@code options} under namespace {@code ns}, defaults for the others;
     * other keys are ignored (the provider checks its own).
     *
     * @throws IllegalArgumentException naming the key, the value and the allowed range
     */
    public static RemoteSettings from(String ns, ProviderOptions options) {
        Objects.requireNonNull(options, "options");
        return new RemoteSettings(
                (int) parse(options, ns + "." + HEAD, DEFAULT_HEAD_BYTES, 1, MAX_HEAD_BYTES),
                (int) parse(options, ns + "." + RETRIES, DEFAULT_RETRIES, 0, 100),
                parse(options, ns + "." + RETRY_TIME, DEFAULT_RETRY_TIME_MILLIS, 0, 3_600_000),
                parse(options, ns + "." + BACKOFF, DEFAULT_BACKOFF_MILLIS, 0, 60_000));
    }

    /**
     * An integer option in {@code [min, max]}, or {@code fallback} when not given; for providers'
     * own numeric options too.
     *
     * @throws IllegalArgumentException naming the key, the value and the range
     */
    public static long parse(ProviderOptions options, String key, long fallback, long min, long max) {
        String text = options.get(key).orElse(null);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("storage option " + key + "='" + text + "' is not an integer; use one in ["
                    + min + ", " + max + "]");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("storage option " + key + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " (" + value + ") must be in [" + min + ", " + max + "]");
        }
    }
}
