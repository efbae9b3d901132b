package org.jpkl;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.api.Metadata;
import org.jpkl.api.PlaneLayout;
import org.jpkl.container.JpklFileSerializer;

/**
 * How an array is written: codec and its parameters, plane layout, axis names, metadata and
 * serializer (the container's file layout). Defaults: the codec chosen by the array's dtype ({@link Jpkl#defaultCodec}:
 * {@value #UINT8_DEFAULT_CODEC} for uint8 as in JPkl, lossless {@code zstd} or else {@code deflate}
 * for every other dtype, so 16-bit and float data are never made lossy unless a lossy codec is
 * named) with its default parameters, JPkl's grey layout ({@code images[h, w, d1, d2, ...]}), default
 * axis names, no metadata, the {@code jpkl} single-file format, and automatic tiling: planes with a
 * side above {@value #AUTO_TILE_ABOVE} pixels are stored as tiles of {@value #DEFAULT_TILE_SIDE} x
 * {@value #DEFAULT_TILE_SIDE} when the serializer can hold tiles, smaller planes whole (see
 * {@link #tiling()}).
 *
 * <p>Thread safety: immutable; the {@link Builder} is not thread-safe.
 */
public final class WriteOptions {
    /** The codec used for uint8 arrays when none is named: JPEG, as in JPkl. */
    public static final String UINT8_DEFAULT_CODEC = "jpeg";

    /**
     * The codecs tried, in order, for arrays of other dtypes when none is named: the first one
     * installed, available here and able to encode the array is used. All lossless.
     */
    public static final List<String> LOSSLESS_DEFAULT_CODECS = List.of("zstd", "deflate");

    /** Planes with a side above this many pixels are tiled by default (JPEG itself cannot encode a side above 65,535). */
    public static final int AUTO_TILE_ABOVE = 4096;

    /** The tile side used by default for large planes. */
    public static final int DEFAULT_TILE_SIDE = 512;

    /**
     * Tile sides must be multiples of this: JPEG's largest block (a 16 x 16 MCU with chroma
     * subsampling), so that no tile boundary inside the plane cuts a block and tiled JPEG decodes
     * like untiled JPEG away from the plane's own edges. The file format itself accepts any tile size.
     */
    public static final int TILE_MULTIPLE = 16;

    /** How planes are cut into tiles. */
    public enum Tiling {
        /** Tiles of {@value #DEFAULT_TILE_SIDE} for planes with a side above {@value #AUTO_TILE_ABOVE}, when the serializer can hold them. */
        AUTO,
        /** Whole planes, whatever their size. */
        NONE,
        /** Tiles of the size given ({@link #tileHeight()} x {@link #tileWidth()}). */
        FIXED
    }

    private final String codecId;
    private final Map<String, String> codecParams;
    private final PlaneLayout layout;
    private final List<String> axisNames;
    private final Map<String, Object> metadata;
    private final String serializerId;
    private final Tiling tiling;
    private final int tileHeight;
    private final int tileWidth;
    private final int levels;
    private final org.jpkl.api.Downsampling downsampling;

    private WriteOptions(Builder b) {
        this.codecId = b.codecId;
        this.codecParams = Map.copyOf(b.codecParams);
        this.layout = b.layout;
        this.axisNames = List.copyOf(b.axisNames);
        this.metadata = Metadata.copyOf(b.metadata);
        this.serializerId = b.serializerId;
        this.tiling = b.tiling;
        this.tileHeight = b.tileHeight;
        this.tileWidth = b.tileWidth;
        this.levels = b.levels;
        this.downsampling = b.downsampling;
    }

    /** All defaults. */
    public static WriteOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.codecId = codecId;
        b.codecParams.putAll(codecParams);
        b.layout = layout;
        b.axisNames = axisNames;
        b.metadata.putAll(metadata);
        b.serializerId = serializerId;
        b.tiling = tiling;
        b.levels = levels;
        b.downsampling = downsampling;
        b.tileHeight = tileHeight;
        b.tileWidth = tileWidth;
        return b;
    }

    /** The codec id; empty when none was named (then the codec is chosen by dtype, see {@link Jpkl#defaultCodec}). */
    public Optional<String> codecId() {
        return Optional.ofNullable(codecId);
    }

    /** Codec parameters as given (validated by the codec when writing). */
    public Map<String, String> codecParams() {
        return codecParams;
    }

    /** The plane layout, empty for the default (JPkl's grey layout). */
    public Optional<PlaneLayout> layout() {
        return Optional.ofNullable(layout);
    }

    /** Axis names, empty for the defaults. */
    public List<String> axisNames() {
        return axisNames;
    }

    /** Metadata (JSON-compatible, unmodifiable). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The serializer id. */
    public String serializerId() {
        return serializerId;
    }

    /** How planes are cut into tiles (default {@link Tiling#AUTO}). */
    public Tiling tiling() {
        return tiling;
    }

    /** Reduced resolution levels to build after level 0 (default 0: none; see {@link Builder#levels}). */
    public int levels() {
        return levels;
    }

    /** How each level is made from the one before (default {@link org.jpkl.api.Downsampling#MEAN}). */
    public org.jpkl.api.Downsampling downsampling() {
        return downsampling;
    }

    /** The tile height for {@link Tiling#FIXED}, else 0. */
    public int tileHeight() {
        return tileHeight;
    }

    /** The tile width for {@link Tiling#FIXED}, else 0. */
    public int tileWidth() {
        return tileWidth;
    }

    /**
     * The tile size these options give planes of {@code planeHeight x planeWidth} in a serializer
     * that can ({@code serializerHoldsTiles}) or cannot hold tiles: {@code {height, width}}, or
     * {@code {0, 0}} for whole planes. {@link Tiling#FIXED} gives its size whatever the serializer
     * (one that cannot hold tiles then refuses the header).
     */
    public int[] tileShapeFor(int planeHeight, int planeWidth, boolean serializerHoldsTiles) {
        switch (tiling) {
            case FIXED:
                return new int[] {tileHeight, tileWidth};
            case AUTO:
                return serializerHoldsTiles && Math.max(planeHeight, planeWidth) > AUTO_TILE_ABOVE
                        ? new int[] {DEFAULT_TILE_SIDE, DEFAULT_TILE_SIDE} : new int[] {0, 0};
            default:
                return new int[] {0, 0};
        }
    }

    @Override
    public String toString() {
        return "WriteOptions[codec " + (codecId == null ? "by dtype" : codecId) + codecParams + ", layout " + (layout == null ? "default" : layout)
                + ", axes " + axisNames + ", format " + serializerId + ", tiles "
                + (tiling == Tiling.FIXED ? tileHeight + "x" + tileWidth : tiling.name().toLowerCase(java.util.Locale.ROOT))
                + (levels == 0 ? "" : ", " + levels + " levels by " + downsampling.id()) + "]";
    }

    /** Builds {@link WriteOptions}. */
    public static final class Builder {
        private String codecId;
        private final Map<String, String> codecParams = new LinkedHashMap<>();
        private PlaneLayout layout;
        private List<String> axisNames = List.of();
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private String serializerId = JpklFileSerializer.ID;
        private Tiling tiling = Tiling.AUTO;
        private int tileHeight;
        private int tileWidth;
        private int levels;
        private org.jpkl.api.Downsampling downsampling = org.jpkl.api.Downsampling.MEAN;

        private Builder() {
        }

        /**
         * Builds {@code levels} reduced resolution levels while writing, stored in the same
         * container (serializer {@code jpkl} only): level {@code k} halves the plane's height and
         * width of level {@code k - 1} (rounding up) with {@link #downsampling}; each written plane's
         * levels are computed from it when it is written, or from each tile row as it is written
         * ({@link JpklWriter#writeTileRow}, rows in order; not from single tiles). 0 (the default)
         * writes no levels.
         *
         * @throws IllegalArgumentException if {@code levels} is outside {@code [0, }{@value org.jpkl.api.ContainerHeader#MAX_LEVELS}{@code ]}
         */
        public Builder levels(int levels) {
            if (levels < 0 || levels > org.jpkl.api.ContainerHeader.MAX_LEVELS) {
                throw new IllegalArgumentException("levels " + levels + " is out of range [0, "
                        + org.jpkl.api.ContainerHeader.MAX_LEVELS + "]");
            }
            this.levels = levels;
            return this;
        }

        /** How levels are made: {@link org.jpkl.api.Downsampling#MEAN} (the default) or {@code NEAREST} for labels. */
        public Builder downsampling(org.jpkl.api.Downsampling downsampling) {
            this.downsampling = java.util.Objects.requireNonNull(downsampling, "downsampling");
            return this;
        }

        /**
         * Stores every plane as tiles of {@code height x width} (edge tiles smaller), each encoded on
         * its own: a read then decodes only the tiles it touches.
         *
         * @throws IllegalArgumentException unless both sides are positive multiples of {@value #TILE_MULTIPLE}
         */
        public Builder tiles(int height, int width) {
            if (height < TILE_MULTIPLE || width < TILE_MULTIPLE || height % TILE_MULTIPLE != 0 || width % TILE_MULTIPLE != 0) {
                throw new IllegalArgumentException("tile size " + height + "x" + width + ": each side must be a positive multiple of "
                        + TILE_MULTIPLE + " (JPEG's largest block), e.g. " + DEFAULT_TILE_SIDE + "x" + DEFAULT_TILE_SIDE);
            }
            this.tiling = Tiling.FIXED;
            this.tileHeight = height;
            this.tileWidth = width;
            return this;
        }

        /**
         * Fixed tiles of a size read from a container, any positive size the file format allows
         * (files written by other tools need not use multiples of {@value #TILE_MULTIPLE}); for copying
         * a container's tiling. New data should use {@link #tiles(int, int)}.
         *
         * @throws IllegalArgumentException if a side is below 1
         */
        public Builder storedTiles(int height, int width) {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("tile size " + height + "x" + width + ": both sides must be >= 1");
            }
            this.tiling = Tiling.FIXED;
            this.tileHeight = height;
            this.tileWidth = width;
            return this;
        }

        /** Stores whole planes, however large (no automatic tiling). */
        public Builder noTiles() {
            return tiling(Tiling.NONE);
        }

        /** Tiles large planes only ({@link Tiling#AUTO}, the default). */
        public Builder autoTiles() {
            return tiling(Tiling.AUTO);
        }

        private Builder tiling(Tiling mode) {
            this.tiling = mode;
            this.tileHeight = 0;
            this.tileWidth = 0;
            return this;
        }

        /**
         * The codec id, e.g. {@code "jpeg"}; clears parameters set for a previously named other codec
         * (parameters set before any codec was named are kept).
         */
        public Builder codec(String id) {
            if (codecId != null && !Objects.requireNonNull(id, "codec id").equals(codecId)) {
                codecParams.clear();
            }
            this.codecId = Objects.requireNonNull(id, "codec id");
            return this;
        }

        /** Names no codec: the codec is chosen by the array's dtype (see {@link Jpkl#defaultCodec}); clears the parameters. */
        public Builder defaultCodec() {
            codecId = null;
            codecParams.clear();
            return this;
        }

        /** Removes every codec parameter set so far (the codec's defaults apply). */
        public Builder clearParams() {
            codecParams.clear();
            return this;
        }

        /** One codec parameter, e.g. {@code param("quality", "95")}. */
        public Builder param(String key, String value) {
            codecParams.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, () -> "value of '" + key + "'"));
            return this;
        }

        /** One integer codec parameter. */
        public Builder param(String key, long value) {
            return param(key, Long.toString(value));
        }

        /** Adds codec parameters. */
        public Builder params(Map<String, String> values) {
            values.forEach(this::param);
            return this;
        }

        /** The plane layout; see {@link PlaneLayout}. */
        public Builder layout(PlaneLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** One name per axis, e.g. {@code axisNames("t", "c", "z", "y", "x")}. */
        public Builder axisNames(String... names) {
            return axisNames(Arrays.asList(names));
        }

        /** One name per axis. */
        public Builder axisNames(List<String> names) {
            for (String n : names) {
                Objects.requireNonNull(n, "axis name");
            }
            this.axisNames = List.copyOf(names);
            return this;
        }

        /** Adds one metadata entry (JSON-compatible value). */
        public Builder metadata(String key, Object value) {
            metadata.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** Adds metadata entries (JSON-compatible values). */
        public Builder metadata(Map<String, ?> values) {
            metadata.putAll(values);
            return this;
        }

        /** The serializer id, e.g. {@code "jpkl"}. */
        public Builder serializer(String id) {
            this.serializerId = Objects.requireNonNull(id, "serializer id");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the metadata is not JSON-compatible
         */
        public WriteOptions build() {
            return new WriteOptions(this);
        }
    }
}
