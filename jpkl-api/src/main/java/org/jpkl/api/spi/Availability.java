package org.jpkl.api.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a provider can work on this machine, and if not, why (e.g. a native library is missing).
 * Found on first use, never during discovery.
 *
 * <p>Thread safety: immutable.
 */
public final class Availability {
    private static final Availability AVAILABLE = new Availability(null);

    private final String reason;

    private Availability(String reason) {
        this.reason = reason;
    }

    /** Usable. */
    public static Availability available() {
        return AVAILABLE;
    }

    /** Not usable, with the reason and what to do, e.g. {@code "libturbojpeg.so.0 not found; apt-get install libturbojpeg0"}. */
    public static Availability unavailable(String reason) {
        return new Availability(Objects.requireNonNull(reason, "reason"));
    }

    /** Whether the provider can be used. */
    public boolean isAvailable() {
        return reason == null;
    }

    /** Why the provider cannot be used; empty when available. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public String toString() {
        return reason == null ? "available" : "unavailable: " + reason;
    }
}
