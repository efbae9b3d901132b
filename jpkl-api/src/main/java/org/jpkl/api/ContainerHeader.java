package org.jpkl.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a container records about its array except the slices: shape, dtype, plane layout,
 * axis names, codec id and parameters, user metadata, and optionally a tile size. Serializers write
 * it and read it back.
 *
 * <p>Chunks: what a serializer stores and numbers. Untiled, a chunk is a whole plane and chunk
 * number = slice number. Tiled ({@link #tiling()}), each plane is cut into a {@link TileGrid} and
 * chunk number = {@code sliceNumber * tilesPerPlane + tileNumber} (tiles in C order within the
 * plane), each chunk one tile encoded on its own. {@link #chunkCount()} is a {@code long}.
 *
 * <p>Validated on construction: at least 2 and at most {@link Shapes#MAX_NDIM} axes, no negative
 * length, total size within a long, a layout that fits the shape, one unique non-empty name per
 * axis, JSON-compatible metadata; untiled, a plane that fits in one Java array; tiled, a tile that
 * does (the plane may be larger) and a chunk count within a long.
 *
 * <p>Thread safety: immutable.
 */
public final class ContainerHeader {
    private final int[] shape;
    private final DType dtype;
    private final PlaneLayout layout;
    private final List<String> axisNames;
    private final String codecId;
    private final Map<String, String> codecParams;
    private final Map<String, Object> metadata;
    private final KeySpace keySpace;
    /** Null when untiled. */
    private final TileGrid tiles;
    /** Reduced resolution levels after level 0 (0: none). */
    private final int levels;
    /** How the levels were made; null without levels or when the file does not say. */
    private final Downsampling downsampling;
    /** Chunks of level 0 (the array itself). */
    private final long baseChunkCount;
    /** The first chunk number of each level, and the total at the end ({@code levels + 2} entries). */
    private final long[] levelChunkStart;
    private final long chunkCount;
    /** The headers of levels 0..L alone (index k), when there are levels; null otherwise. */
    private final ContainerHeader[] levelHeaders;

    /**
     * @param axisNames one name per axis, or an empty list for the defaults ({@link #defaultAxisNames})
     * @throws IllegalArgumentException naming the field and value at fault
     */
    public ContainerHeader(int[] shape, DType dtype, PlaneLayout layout, List<String> axisNames, String codecId,
                           Map<String, String> codecParams, Map<String, ?> metadata) {
        this(shape, dtype, layout, axisNames, codecId, codecParams, metadata, 0, 0);
    }

    /**
     * A header whose planes are stored as tiles of {@code tileHeight x tileWidth}, or untiled when
     * both are 0.
     *
     * @param axisNames one name per axis, or an empty list for the defaults ({@link #defaultAxisNames})
     * @throws IllegalArgumentException naming the field and value at fault, e.g. a tile side below 1
     *     (other than both 0) or a tile too large for one Java array
     */
    public ContainerHeader(int[] shape, DType dtype, PlaneLayout layout, List<String> axisNames, String codecId,
                           Map<String, String> codecParams, Map<String, ?> metadata, int tileHeight, int tileWidth) {
        this(shape, dtype, layout, axisNames, codecId, codecParams, metadata, tileHeight, tileWidth, 0);
    }

    /**
     * A header with {@code levels} reduced resolution levels after level 0 (0: none): level
     * {@code k} has the shape of level {@code k - 1} with the plane's height and width halved
     * (rounding up), the same key axes, codec and tile size; its chunks follow those of level
     * {@code k - 1} (see {@link #levelChunkStart(int)}).
     *
     * @throws IllegalArgumentException as for the other constructors, or for {@code levels} outside
     *     {@code [0, }{@value #MAX_LEVELS}{@code ]}
     */
    public ContainerHeader(int[] shape, DType dtype, PlaneLayout layout, List<String> axisNames, String codecId,
                           Map<String, String> codecParams, Map<String, ?> metadata, int tileHeight, int tileWidth,
                           int levels) {
        this(shape, dtype, layout, axisNames, codecId, codecParams, metadata, tileHeight, tileWidth, levels, null);
    }

    /**
     * A header with {@code levels} reduced resolution levels made by {@code downsampling}
     * ({@link #levelDownsampling()}); {@code downsampling} is null when it is not known (a file
     * written before it was recorded) and must be null when {@code levels} is 0.
     *
     * @throws IllegalArgumentException as for the other constructors, or for a downsampling
     *     without levels
     */
    public ContainerHeader(int[] shape, DType dtype, PlaneLayout layout, List<String> axisNames, String codecId,
                           Map<String, String> codecParams, Map<String, ?> metadata, int tileHeight, int tileWidth,
                           int levels, Downsampling downsampling) {
        Objects.requireNonNull(shape, "shape");
        if (shape.length < 2 || shape.length > Shapes.MAX_NDIM) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " has " + shape.length
                    + " axes; a container needs 2 to " + Shapes.MAX_NDIM);
        }
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 0) {
                throw new IllegalArgumentException("shape " + Shapes.format(shape) + ": axis " + a + " has negative length " + shape[a]);
            }
        }
        Shapes.product(shape);
        this.shape = shape.clone();
        long chunkCount;
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.keySpace = new KeySpace(this.shape, layout);
        if (tileHeight == 0 && tileWidth == 0) {
            this.tiles = null;
            chunkCount = keySpace.sliceCount();
            planeSpec();
        } else {
            if (tileHeight < 1 || tileWidth < 1) {
                throw new IllegalArgumentException("tile size " + tileHeight + "x" + tileWidth
                        + ": both sides must be >= 1 (or both 0 for untiled planes)");
            }
            this.tiles = new TileGrid(shape[layout.yAxis()], shape[layout.xAxis()], tileHeight, tileWidth);
            new PlaneSpec(dtype, Math.min(tileHeight, tiles.planeHeight()), Math.min(tileWidth, tiles.planeWidth()),
                    layout.channels());
            try {
                chunkCount = Math.multiplyExact(keySpace.sliceCount(), tiles.tilesPerPlane());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Shapes.format(shape) + " with " + tiles + " has more than "
                        + Long.MAX_VALUE + " tiles");
            }
        }
        if (levels < 0 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("levels " + levels + " is out of range [0, " + MAX_LEVELS + "]");
        }
        if (levels == 0 && downsampling != null) {
            throw new IllegalArgumentException("downsampling " + downsampling.id() + " without levels: a header with no"
                    + " reduced levels records no downsampling");
        }
        this.levels = levels;
        this.downsampling = downsampling;
        this.baseChunkCount = chunkCount;
        this.levelChunkStart = new long[levels + 2];
        long total = chunkCount;
        int[] levelShape = this.shape.clone();
        for (int k = 1; k <= levels; k++) {
            levelChunkStart[k] = total;
            levelShape = halvePlane(levelShape, layout);
            long perSlice = tileHeight == 0 ? 1 : new TileGrid(Math.max(1, levelShape[layout.yAxis()]),
                    Math.max(1, levelShape[layout.xAxis()]), tileHeight, tileWidth).tilesPerPlane();
            try {
                total = Math.addExact(total, Math.multiplyExact(keySpace.sliceCount(), perSlice));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Shapes.format(shape) + " with " + levels
                        + " levels has more than " + Long.MAX_VALUE + " chunks");
            }
        }
        levelChunkStart[levels + 1] = total;
        this.chunkCount = total;
        this.axisNames = checkNames(axisNames, this.shape, layout);
        this.codecId = ProviderIds.check(codecId);
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Objects.requireNonNull(codecParams, "codecParams").entrySet()) {
            params.put(Objects.requireNonNull(e.getKey(), "codec parameter name"),
                    Objects.requireNonNull(e.getValue(), () -> "value of codec parameter '" + e.getKey() + "'"));
        }
        this.codecParams = Collections.unmodifiableMap(params);
        this.metadata = Metadata.copyOf(Objects.requireNonNull(metadata, "metadata"));
        if (levels == 0) {
            this.levelHeaders = null;
        } else {
            this.levelHeaders = new ContainerHeader[levels + 1];
            int[] s = this.shape;
            for (int k = 0; k <= levels; k++) {
                levelHeaders[k] = new ContainerHeader(s, dtype, layout, this.axisNames, codecId, this.codecParams, this.metadata,
                        tileHeight, tileWidth, 0);
                s = halvePlane(s, layout);
            }
        }
    }

    /** The most reduced levels a header takes: 31 halvings bring any plane side to 1. */
    public static final int MAX_LEVELS = 31;

    /**
     * This header with planes stored as tiles of {@code tileHeight x tileWidth} (both 0: untiled),
     * its levels kept.
     *
     * @throws IllegalArgumentException as for the constructor
     */
    public ContainerHeader withTiles(int tileHeight, int tileWidth) {
        return new ContainerHeader(shape, dtype, layout, axisNames, codecId, codecParams, metadata, tileHeight, tileWidth, levels,
                downsampling);
    }

    /**
     * This header with {@code levels} reduced resolution levels after level 0 (0: none), its
     * downsampling kept (dropped with the levels).
     *
     * @throws IllegalArgumentException as for the constructor
     */
    public ContainerHeader withLevels(int levels) {
        return withLevels(levels, levels == 0 ? null : downsampling);
    }

    /**
     * This header with {@code levels} reduced resolution levels made by {@code downsampling} (null
     * when {@code levels} is 0 or unknown).
     *
     * @throws IllegalArgumentException as for the constructor
     */
    public ContainerHeader withLevels(int levels, Downsampling downsampling) {
        return new ContainerHeader(shape, dtype, layout, axisNames, codecId, codecParams, metadata,
                tiles == null ? 0 : tiles.tileHeight(), tiles == null ? 0 : tiles.tileWidth(), levels, downsampling);
    }

    /**
     * Whether this header's levels can be {@code source}'s first ones, their chunks copied: this
     * header has none, or no more than {@code source}, made by the same downsampling, which
     * {@code source} records (levels of unknown making are built anew).
     */
    public boolean levelsCopyableFrom(ContainerHeader source) {
        return levels == 0 || (levels <= source.levels && source.downsampling != null && source.downsampling == downsampling);
    }

    /**
     * How the reduced levels were made from level 0; empty without levels, or when the file does not
     * record it (written before the downsampling was recorded in the header).
     */
    public java.util.Optional<Downsampling> levelDownsampling() {
        return java.util.Optional.ofNullable(downsampling);
    }

    /** {@code shape} with the plane's height and width halved, rounding up (a copy). */
    public static int[] halvePlane(int[] shape, PlaneLayout layout) {
        int[] s = shape.clone();
        s[layout.yAxis()] = (int) ((s[layout.yAxis()] + 1L) / 2);
        s[layout.xAxis()] = (int) ((s[layout.xAxis()] + 1L) / 2);
        return s;
    }

    /** Resolution levels stored, level 0 (this shape) included: 1 when there are no reduced levels. */
    public int levelCount() {
        return levels + 1;
    }

    /**
     * The header of level {@code k} alone, as an array of its own: the plane halved {@code k} times
     * (rounding up), same key axes, codec, metadata and tile size, no levels. Its chunk {@code n} is
     * this header's chunk {@code levelChunkStart(k) + n}. Level 0 is this header without its levels.
     *
     * @throws IndexOutOfBoundsException if {@code k} is not in {@code [0, levelCount())}
     */
    public ContainerHeader level(int k) {
        checkLevel(k);
        return levelHeaders == null ? this : levelHeaders[k];
    }

    /**
     * The number of level {@code k}'s first chunk: 0 for level 0; each level's chunks, numbered as
     * in a header of that level alone, follow those of the level before.
     *
     * @throws IndexOutOfBoundsException if {@code k} is not in {@code [0, levelCount())}
     */
    public long levelChunkStart(int k) {
        checkLevel(k);
        return levelChunkStart[k];
    }

    private void checkLevel(int k) {
        if (k < 0 || k > levels) {
            throw new IndexOutOfBoundsException("level " + k + " is out of range [0, " + (levels + 1) + ")");
        }
    }

    /** The level chunk {@code chunkNumber} belongs to (0 for the array's own chunks). */
    private int levelOf(long chunkNumber) {
        int k = 0;
        while (k < levels && chunkNumber >= levelChunkStart[k + 1]) {
            k++;
        }
        return k;
    }

    /**
     * The slice number (key) of a chunk, on whatever level it is.
     *
     * @throws IndexOutOfBoundsException if {@code chunkNumber} is not in {@code [0, chunkCount())}
     */
    public long sliceOfChunk(long chunkNumber) {
        checkChunk(chunkNumber);
        int k = levelOf(chunkNumber);
        long perSlice = k == 0 ? chunksPerSlice() : (levelChunkStart[k + 1] - levelChunkStart[k]) / Math.max(1, keySpace.sliceCount());
        return (chunkNumber - levelChunkStart[k]) / perSlice;
    }

    /** The default axis names: {@code y}, {@code x}, {@code c} for the plane axes, {@code axis<i>} for the others. */
    public static List<String> defaultAxisNames(int ndim, PlaneLayout layout) {
        List<String> names = new ArrayList<>();
        for (int a = 0; a < ndim; a++) {
            if (a == layout.yAxis()) {
                names.add("y");
            } else if (a == layout.xAxis()) {
                names.add("x");
            } else if (layout.channelAxis().isPresent() && a == layout.channelAxis().getAsInt()) {
                names.add("c");
            } else {
                names.add("axis" + a);
            }
        }
        return names;
    }

    private static List<String> checkNames(List<String> names, int[] shape, PlaneLayout layout) {
        Objects.requireNonNull(names, "axisNames");
        if (names.isEmpty()) {
            return List.copyOf(defaultAxisNames(shape.length, layout));
        }
        if (names.size() != shape.length) {
            throw new IllegalArgumentException("axisNames " + names + " has " + names.size() + " names; shape "
                    + Shapes.format(shape) + " has " + shape.length + " axes");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("axisNames " + names + ": every name must be non-empty");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("axisNames " + names + ": name '" + n + "' appears twice");
            }
        }
        return List.copyOf(names);
    }

    /** The array's shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** Which axes form each encoded plane. */
    public PlaneLayout layout() {
        return layout;
    }

    /** One name per axis. */
    public List<String> axisNames() {
        return axisNames;
    }

    /** The codec that encoded every slice. */
    public String codecId() {
        return codecId;
    }

    /** The codec's parameters as stored. */
    public Map<String, String> codecParams() {
        return codecParams;
    }

    /** User metadata (JSON-compatible, unmodifiable). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The key axes and slice numbering. */
    public KeySpace keySpace() {
        return keySpace;
    }

    /** Number of slices (planes). */
    public long sliceCount() {
        return keySpace.sliceCount();
    }

    /** The tile grid of every plane, or empty when planes are stored whole. */
    public java.util.Optional<TileGrid> tiling() {
        return java.util.Optional.ofNullable(tiles);
    }

    /** Whether planes are stored as tiles. */
    public boolean isTiled() {
        return tiles != null;
    }

    /**
     * Chunks stored: the slice count, times the tiles per plane when tiled; plus the chunks of every
     * reduced level ({@link #levelChunkStart(int)}).
     */
    public long chunkCount() {
        return chunkCount;
    }

    /**
     * Chunks per plane: 1 untiled, else {@link TileGrid#tilesPerPlane()}.
     */
    public long chunksPerSlice() {
        return tiles == null ? 1 : tiles.tilesPerPlane();
    }

    /**
     * The shape and dtype of one chunk: the whole plane untiled, else the tile (smaller at the edges).
     *
     * @throws IndexOutOfBoundsException if {@code chunkNumber} is not in {@code [0, chunkCount())}
     */
    public PlaneSpec chunkSpec(long chunkNumber) {
        checkChunk(chunkNumber);
        if (chunkNumber >= baseChunkCount) {
            int k = levelOf(chunkNumber);
            return level(k).chunkSpec(chunkNumber - levelChunkStart[k]);
        }
        if (tiles == null) {
            return planeSpec();
        }
        long t = chunkNumber % tiles.tilesPerPlane();
        return tileSpec((int) (t / tiles.columns()), (int) (t % tiles.columns()));
    }

    /**
     * The shape and dtype of the tile at (row, column) of the tile grid.
     *
     * @throws IllegalStateException if the header is untiled
     * @throws IndexOutOfBoundsException if row or column is outside the grid
     */
    public PlaneSpec tileSpec(int row, int column) {
        if (tiles == null) {
            throw new IllegalStateException("the planes of " + this + " are not tiled");
        }
        return new PlaneSpec(dtype, tiles.heightOf(row), tiles.widthOf(column), layout.channels());
    }

    /**
     * A chunk for messages: the slice's key untiled (as {@link KeySpace#describe}), else the key and
     * the tile, e.g. {@code (3,) tile (0, 2)}.
     */
    public String describeChunk(long chunkNumber) {
        if (chunkNumber >= baseChunkCount && chunkNumber < chunkCount) {
            int k = levelOf(chunkNumber);
            return "level " + k + " " + level(k).describeChunk(chunkNumber - levelChunkStart[k]);
        }
        if (tiles == null) {
            return keySpace.describe(chunkNumber);
        }
        if (chunkNumber < 0 || chunkNumber >= chunkCount) {
            return "#" + chunkNumber;
        }
        return keySpace.describe(chunkNumber / tiles.tilesPerPlane()) + " " + tiles.describe(chunkNumber % tiles.tilesPerPlane());
    }

    private void checkChunk(long chunkNumber) {
        if (chunkNumber < 0 || chunkNumber >= chunkCount) {
            throw new IndexOutOfBoundsException("chunk number " + chunkNumber + " is out of range [0, " + chunkCount + ")");
        }
    }

    /**
     * Whether one whole plane fits in one Java array ({@link Selection#MAX_RESULT_ELEMENTS} samples);
     * always true untiled, and when false {@link #planeSpec()} throws: such planes are read by
     * region and written by tiles.
     */
    public boolean planeFitsInOneArray() {
        return (long) shape[layout.yAxis()] * shape[layout.xAxis()] * layout.channels().samplesPerPixel()
                <= Selection.MAX_RESULT_ELEMENTS;
    }

    /**
     * Shape and dtype of one plane.
     *
     * @throws IllegalArgumentException for a tiled header whose plane is larger than one Java array
     *     holds (read and write such planes by tiles or regions)
     */
    public PlaneSpec planeSpec() {
        return new PlaneSpec(dtype, shape[layout.yAxis()], shape[layout.xAxis()], layout.channels());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ContainerHeader)) {
            return false;
        }
        ContainerHeader h = (ContainerHeader) o;
        return java.util.Arrays.equals(shape, h.shape) && dtype == h.dtype && layout.equals(h.layout)
                && axisNames.equals(h.axisNames) && codecId.equals(h.codecId) && codecParams.equals(h.codecParams)
                && metadata.equals(h.metadata) && Objects.equals(tiles, h.tiles) && levels == h.levels
                && downsampling == h.downsampling;
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(shape), dtype, layout, axisNames, codecId, codecParams, metadata, tiles, levels, downsampling);
    }

    @Override
    public String toString() {
        return "ContainerHeader[shape=" + Shapes.format(shape) + ", dtype=" + dtype + ", layout " + layout + ", axes "
                + axisNames + ", codec " + codecId + codecParams
                + (tiles == null ? "" : ", tiles " + tiles.tileHeight() + "x" + tiles.tileWidth())
                + (levels == 0 ? "" : ", " + levels + " reduced levels"
                + (downsampling == null ? "" : " by " + downsampling.id())) + "]";
    }
}
