package org.jpkl.zarr;

import java.util.Objects;
import org.jpkl.WriteOptions;

/**
 * How {@link OmeZarr#importZarr} writes the container (codec, parameters, tiles, metadata:
 * {@link WriteOptions}; the layout, axis names and levels come from the dataset) and the largest
 * decoded chunk it accepts.
 *
 * <p>Thread safety: immutable.
 */
public final class ZarrImportOptions {
    /** The default limit on one decoded chunk: 512 MiB. */
    public static final long DEFAULT_MAX_CHUNK_BYTES = 512L << 20;
    /** The largest limit: what one Java byte array holds. */
    public static final long MAX_CHUNK_BYTES = Integer.MAX_VALUE - 8;

    private final WriteOptions writeOptions;
    private final long maxChunkBytes;
    private final boolean levels;

    private ZarrImportOptions(WriteOptions writeOptions, long maxChunkBytes, boolean levels) {
        this.writeOptions = writeOptions;
        this.maxChunkBytes = maxChunkBytes;
        this.levels = levels;
    }

    /** The default write options (codec by dtype, automatic tiles) and chunk limit. */
    public static ZarrImportOptions defaults() {
        return new ZarrImportOptions(WriteOptions.defaults(), DEFAULT_MAX_CHUNK_BYTES, true);
    }

    /** These options with {@code writeOptions} for the container (its layout, axis names and levels are replaced). */
    public ZarrImportOptions writeOptions(WriteOptions writeOptions) {
        return new ZarrImportOptions(Objects.requireNonNull(writeOptions, "writeOptions"), maxChunkBytes, levels);
    }

    /**
     * These options with another limit on one decoded chunk; a {@code .zarray} whose chunks are
     * larger is refused before anything is read.
     *
     * @throws IllegalArgumentException if {@code bytes} is not in {@code [1, MAX_CHUNK_BYTES]}
     */
    public ZarrImportOptions maxChunkBytes(long bytes) {
        if (bytes < 1 || bytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("maxChunkBytes " + bytes + " is out of range [1, " + MAX_CHUNK_BYTES + "]");
        }
        return new ZarrImportOptions(writeOptions, bytes, levels);
    }

    /**
     * These options importing the dataset's reduced levels ({@code true}, the default) or level 0
     * only (e.g. for a serializer that holds one resolution; said in {@link ZarrImport#notes()}).
     */
    public ZarrImportOptions levels(boolean importLevels) {
        return new ZarrImportOptions(writeOptions, maxChunkBytes, importLevels);
    }

    /** Whether the dataset's reduced levels are imported. */
    public boolean levels() {
        return levels;
    }

    /** The container's write options. */
    public WriteOptions writeOptions() {
        return writeOptions;
    }

    /** The largest decoded chunk accepted, in bytes. */
    public long maxChunkBytes() {
        return maxChunkBytes;
    }
}
