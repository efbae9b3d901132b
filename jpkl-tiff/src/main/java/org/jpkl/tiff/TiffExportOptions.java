package org.jpkl.tiff;

import java.util.Locale;
import java.util.Objects;

/**
 * How a selection is written as a TIFF: compression, whether an ImageJ description is added, and
 * classic TIFF or BigTIFF. Defaults: BigTIFF only past 4 GiB, uncompressed (every TIFF reader,
 * ImageJ included, reads it fastest), with an ImageJ description so ImageJ/Fiji open the pages as a
 * stack or hyperstack. Every combination is written for every exported dtype (uint8, uint16,
 * float32).
 *
 * <p>Thread safety: immutable; the {@link Builder} is not thread-safe.
 */
public final class TiffExportOptions {
    /**
     * TIFF compressions the export can write, all lossless and read by ImageJ; uint8 and uint16
     * pages are compressed after horizontal differencing (TIFF Predictor 2), float32 pages as they are.
     */
    public enum Compression {
        /** No compression. */
        NONE,
        /** LZW (TIFF compression 5). */
        LZW,
        /** Deflate (zlib; TIFF compression 8, "Adobe Deflate", "ZIP" in ImageJ). */
        DEFLATE;

        /**
         * Parses {@code none}, {@code lzw} or {@code deflate} (any case).
         *
         * @throws IllegalArgumentException naming the allowed values
         */
        public static Compression parse(String value) {
            for (Compression c : values()) {
                if (c.name().equalsIgnoreCase(value.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("compression ('" + value + "') must be one of [none, lzw, deflate]");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Classic TIFF (32-bit offsets, at most 4 GiB) or BigTIFF (64-bit offsets). */
    public enum Variant {
        /**
         * Classic TIFF while the file surely fits in 4 GiB, BigTIFF otherwise: when the pages, at
         * the compression's worst case (LZW can grow noise by half), could pass 4 GiB.
         */
        AUTO,
        /**
         * Classic TIFF always (the most widely read); an export whose uncompressed pages pass 4 GiB
         * is refused before writing, a compressed one when its pages turn out to.
         */
        CLASSIC,
        /** BigTIFF always (64-bit offsets), for every dtype, float32 included. */
        BIG
    }

    private final Compression compression;
    private final boolean imageJ;
    private final Variant variant;

    private TiffExportOptions(Builder b) {
        this.compression = b.compression;
        this.imageJ = b.imageJ;
        this.variant = b.variant;
    }

    /** Uncompressed, with an ImageJ description. */
    public static TiffExportOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The compression. */
    public Compression compression() {
        return compression;
    }

    /** Whether the first page carries an ImageJ description ({@code images=, slices=, frames=, channels=}). */
    public boolean imageJ() {
        return imageJ;
    }

    /** Classic TIFF or BigTIFF. */
    public Variant variant() {
        return variant;
    }

    @Override
    public String toString() {
        return "TiffExportOptions[compression " + compression + ", imageJ " + imageJ + ", variant " + variant + "]";
    }

    /** Builds {@link TiffExportOptions}. */
    public static final class Builder {
        private Compression compression = Compression.NONE;
        private boolean imageJ = true;
        private Variant variant = Variant.AUTO;

        private Builder() {
        }

        /** Classic TIFF, BigTIFF, or by size (default {@link Variant#AUTO}). */
        public Builder variant(Variant variant) {
            this.variant = Objects.requireNonNull(variant, "variant");
            return this;
        }

        /** The compression (default none). */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /** Whether to add an ImageJ description (default yes). */
        public Builder imageJ(boolean imageJ) {
            this.imageJ = imageJ;
            return this;
        }

        /** The options. */
        public TiffExportOptions build() {
            return new TiffExportOptions(this);
        }
    }
}
