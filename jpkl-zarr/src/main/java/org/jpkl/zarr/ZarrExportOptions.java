package org.jpkl.zarr;

import java.util.Objects;

/**
 * How {@link OmeZarr#exportArray} writes: the chunk compressor and its level, and whether an
 * existing non-empty directory may be replaced.
 *
 * <p>Thread safety: immutable.
 */
public final class ZarrExportOptions {
    /** Chunk compressors zarr-python reads without extra packages (numcodecs' ids). */
    public enum Compressor {
        /** numcodecs {@code Zstd}: a zstd frame per chunk (levels 1 to 22; default 5). */
        ZSTD("zstd", 5, 1, 22),
        /** numcodecs {@code Zlib}: a zlib stream per chunk (levels 0 to 9; default 6). */
        ZLIB("zlib", 6, 0, 9),
        /** numcodecs {@code Blosc(cname='lz4', shuffle=1)}, zarr-python's default (levels 1 to 9; default 5). */
        BLOSC_LZ4("blosc-lz4", 5, 1, 9),
        /** No compressor ({@code null}): the samples as they are. */
        NONE("none", 0, 0, 0);

        private final String id;
        private final int defaultLevel;
        private final int minLevel;
        private final int maxLevel;

        Compressor(String id, int defaultLevel, int minLevel, int maxLevel) {
            this.id = id;
            this.defaultLevel = defaultLevel;
            this.minLevel = minLevel;
            this.maxLevel = maxLevel;
        }

        /** The name used on the command line and in messages, e.g. {@code "blosc-lz4"}. */
        public String id() {
            return id;
        }

        /** The level used when none is given. */
        public int defaultLevel() {
            return defaultLevel;
        }

        /**
         * The compressor named {@code id} ({@code zstd}, {@code zlib}, {@code blosc-lz4}, {@code none}).
         *
         * @throws IllegalArgumentException naming the id and the ids allowed
         */
        public static Compressor parse(String id) {
            for (Compressor c : values()) {
                if (c.id.equals(id)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("compressor '" + id + "' is not one of zstd, zlib, blosc-lz4, none");
        }

        ChunkCodec codec(int level) {
            switch (this) {
                case ZSTD:
                    return ChunkCodec.zstd(level);
                case ZLIB:
                    return ChunkCodec.zlib(level);
                case BLOSC_LZ4:
                    return ChunkCodec.bloscLz4(level);
                default:
                    return ChunkCodec.NONE;
            }
        }
    }

    private final Compressor compressor;
    private final int level;
    private final boolean overwrite;

    private ZarrExportOptions(Compressor compressor, int level, boolean overwrite) {
        this.compressor = compressor;
        this.level = level;
        this.overwrite = overwrite;
    }

    /** zstd at its default level; an existing non-empty directory is refused. */
    public static ZarrExportOptions defaults() {
        return new ZarrExportOptions(Compressor.ZSTD, Compressor.ZSTD.defaultLevel, false);
    }

    /** These options with {@code compressor} at its default level. */
    public ZarrExportOptions compressor(Compressor compressor) {
        Objects.requireNonNull(compressor, "compressor");
        return new ZarrExportOptions(compressor, compressor.defaultLevel, overwrite);
    }

    /**
     * These options with the compressor's level.
     *
     * @throws IllegalArgumentException if the level is outside the compressor's range
     */
    public ZarrExportOptions level(int level) {
        if (level < compressor.minLevel || level > compressor.maxLevel) {
            throw new IllegalArgumentException("level " + level + " is out of range [" + compressor.minLevel + ", "
                    + compressor.maxLevel + "] for compressor " + compressor.id);
        }
        return new ZarrExportOptions(compressor, level, overwrite);
    }

    /** These options, replacing an existing directory (never a file) when {@code overwrite}. */
    public ZarrExportOptions overwrite(boolean overwrite) {
        return new ZarrExportOptions(compressor, level, overwrite);
    }

    /** The chunk compressor. */
    public Compressor compressor() {
        return compressor;
    }

    /** The compressor's level. */
    public int level() {
        return level;
    }

    /** Whether an existing non-empty directory is replaced. */
    public boolean overwrite() {
        return overwrite;
    }

    @Override
    public String toString() {
        return compressor.id + (compressor == Compressor.NONE ? "" : " level " + level) + (overwrite ? ", overwrite" : "");
    }
}
