package org.jpkl;

import java.util.Optional;

/**
 * How a container is opened: whether each slice's checksum is verified on read (default: yes) and
 * an optional shared {@link SliceCache} of decoded planes (default: none).
 *
 * <p>Thread safety: immutable; the {@link Builder} is not thread-safe.
 */
public final class OpenOptions {
    private final boolean verifyChecksums;
    private final SliceCache cache;

    private OpenOptions(Builder b) {
        this.verifyChecksums = b.verifyChecksums;
        this.cache = b.cache;
    }

    /** Checksums verified, no cache. */
    public static OpenOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether slice checksums are verified on every read. */
    public boolean verifyChecksums() {
        return verifyChecksums;
    }

    /** The decoded-plane cache, if any. */
    public Optional<SliceCache> cache() {
        return Optional.ofNullable(cache);
    }

    @Override
    public String toString() {
        return "OpenOptions[verifyChecksums=" + verifyChecksums + ", cache=" + cache + "]";
    }

    /** Builds {@link OpenOptions}. */
    public static final class Builder {
        private boolean verifyChecksums = true;
        private SliceCache cache;

        private Builder() {
        }

        /** Verify each slice's CRC32C on read (default true); off trades safety for a little speed. */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /** Keep decoded planes in this cache (may be shared by several containers). */
        public Builder cache(SliceCache cache) {
            this.cache = java.util.Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** The options. */
        public OpenOptions build() {
            return new OpenOptions(this);
        }
    }
}
