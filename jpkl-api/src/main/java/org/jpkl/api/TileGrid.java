package org.jpkl.api;

/**
 * How a plane is cut into tiles: tiles of {@code tileHeight x tileWidth} pixels from the top-left
 * corner, C order (row of tiles by row of tiles), the last row and column of tiles smaller when the
 * plane's side is not a multiple of the tile's (edge tiles are never padded: each tile is an
 * ordinary plane of its own size for the codec). Tile number {@code t = row * columns() + column}.
 *
 * <p>Thread safety: immutable.
 */
public final class TileGrid {
    private final int planeHeight;
    private final int planeWidth;
    private final int tileHeight;
    private final int tileWidth;
    private final int rows;
    private final int columns;

    /**
     * @throws IllegalArgumentException if a plane side or a tile side is below 1
     */
    public TileGrid(int planeHeight, int planeWidth, int tileHeight, int tileWidth) {
        if (planeHeight < 1 || planeWidth < 1) {
            throw new IllegalArgumentException("plane height (" + planeHeight + ") and width (" + planeWidth + ") must be >= 1");
        }
        if (tileHeight < 1 || tileWidth < 1) {
            throw new IllegalArgumentException("tile height (" + tileHeight + ") and width (" + tileWidth + ") must be >= 1");
        }
        this.planeHeight = planeHeight;
        this.planeWidth = planeWidth;
        this.tileHeight = tileHeight;
        this.tileWidth = tileWidth;
        this.rows = (int) ((planeHeight + (long) tileHeight - 1) / tileHeight);
        this.columns = (int) ((planeWidth + (long) tileWidth - 1) / tileWidth);
    }

    /** Rows of the plane. */
    public int planeHeight() {
        return planeHeight;
    }

    /** Columns of the plane. */
    public int planeWidth() {
        return planeWidth;
    }

    /** Rows of a full tile. */
    public int tileHeight() {
        return tileHeight;
    }

    /** Columns of a full tile. */
    public int tileWidth() {
        return tileWidth;
    }

    /** Rows of tiles: {@code ceil(planeHeight / tileHeight)}. */
    public int rows() {
        return rows;
    }

    /** Columns of tiles: {@code ceil(planeWidth / tileWidth)}. */
    public int columns() {
        return columns;
    }

    /** Tiles per plane: {@code rows() * columns()}. */
    public long tilesPerPlane() {
        return (long) rows * columns;
    }

    /** The first plane row of tile row {@code row}. */
    public int y0(int row) {
        checkRow(row);
        return (int) ((long) row * tileHeight);
    }

    /** The first plane column of tile column {@code column}. */
    public int x0(int column) {
        checkColumn(column);
        return (int) ((long) column * tileWidth);
    }

    /** Rows of the tiles in tile row {@code row} (smaller in the last row). */
    public int heightOf(int row) {
        return Math.min(tileHeight, planeHeight - y0(row));
    }

    /** Columns of the tiles in tile column {@code column} (smaller in the last column). */
    public int widthOf(int column) {
        return Math.min(tileWidth, planeWidth - x0(column));
    }

    /** E.g. {@code tile (2, 5)} for tile number {@code t}, for messages. */
    public String describe(long tile) {
        if (tile < 0 || tile >= tilesPerPlane()) {
            return "tile #" + tile;
        }
        return "tile (" + tile / columns + ", " + tile % columns + ")";
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("tile row " + row + " is out of range [0, " + rows + ")");
        }
    }

    private void checkColumn(int column) {
        if (column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException("tile column " + column + " is out of range [0, " + columns + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TileGrid)) {
            return false;
        }
        TileGrid g = (TileGrid) o;
        return g.planeHeight == planeHeight && g.planeWidth == planeWidth && g.tileHeight == tileHeight && g.tileWidth == tileWidth;
    }

    @Override
    public int hashCode() {
        return ((planeHeight * 31 + planeWidth) * 31 + tileHeight) * 31 + tileWidth;
    }

    /** E.g. {@code 512x512 tiles (3 x 4) of a 1500x2000 plane}. */
    @Override
    public String toString() {
        return tileHeight + "x" + tileWidth + " tiles (" + rows + " x " + columns + ") of a " + planeHeight + "x" + planeWidth + " plane";
    }
}
