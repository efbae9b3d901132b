package org.jpkl.viewer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.Index;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.TileGrid;

/**
 * One container the viewer serves: the open array, its description as JSON, and its slices as
 * stored JPEG or as raw little-endian samples.
 *
 * <p>Thread safety: thread-safe (the array is; everything else is immutable).
 */
final class ServedFile implements AutoCloseable {
    /** Names of a key axis that the page composites as channels by default, compared in lower case. */
    private static final List<String> CHANNEL_NAMES = List.of("c", "ch", "channel", "channels");
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final int index;
    private final String name;
    private final JpklArray array;
    private final KeySpace keySpace;
    private final PlaneLayout layout;
    private final int planeHeight;
    private final int planeWidth;
    private final List<TileGrid> levelGrids;
    private final Double pixelSizeUm;
    private final int[] planeOrder;
    private final boolean planeInStoredOrder;
    private final String infoJson;

    ServedFile(int index, Path path, JpklArray array) {
        this(index, path.getFileName() == null ? path.toString() : path.getFileName().toString(), array);
    }

    /** @param name the name the page shows: a file name or the last segment of a URI, no folders */
    ServedFile(int index, String name, JpklArray array) {
        this.index = index;
        this.name = name;
        this.array = array;
        this.keySpace = array.header().keySpace();
        this.layout = array.layout();
        this.planeHeight = array.shape()[layout.yAxis()];
        this.planeWidth = array.shape()[layout.xAxis()];
        this.levelGrids = levelGrids(array);
        this.pixelSizeUm = pixelSizeUm(array.metadata());
        this.planeOrder = planeAxesInArrayOrder(layout);
        this.planeInStoredOrder = planeOrder[0] == 0 && planeOrder[1] == 1;
        this.infoJson = GSON.toJson(describe());
    }

    /** The file's position in the server's list. */
    int index() {
        return index;
    }

    /** The file name (no folders: the page never learns the file system layout). */
    String name() {
        return name;
    }

    /** The {@code /api/files/{i}/info} document. */
    String infoJson() {
        return infoJson;
    }

    /** The short entry of {@code /api/files}. */
    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("name", name);
        m.put("shape", array.shape());
        m.put("dtype", array.dtype().numpyName());
        m.put("codec", array.codecId());
        m.put("info", "/api/files/" + index + "/info");
        return m;
    }

    /** Number of key axes: how many positions a slice URL carries. */
    int keyAxisCount() {
        return keySpace.keyAxes().length;
    }

    /**
     * Whether the stored slices are plain JPEG images a browser shows with the right values: the
     * {@code jpeg} codec stores uint8 planes without a level mapping (other dtypes hold 8-bit levels
     * plus an APP9 mapping, so their pixels are not the data), unless {@code tables=shared} (abbreviated
     * streams without their tables, which no browser decodes).
     */
    boolean storedJpegIsDisplayable() {
        return storedTileJpegIsDisplayable() && array.tiling().isEmpty();
    }

    /**
     * Whether the stored tiles (chunks) of every level are plain JPEG images a browser shows with
     * the right values, as {@link #storedJpegIsDisplayable()} for whole planes.
     */
    boolean storedTileJpegIsDisplayable() {
        return "jpeg".equals(array.codecId()) && array.dtype() == DType.UINT8
                && !"shared".equals(array.codecParams().get("tables"));
    }

    /** Whether the planes are stored as tiles. */
    boolean isTiled() {
        return array.tiling().isPresent();
    }

    /** Resolution levels stored, level 0 included. */
    int levelCount() {
        return levelGrids.size();
    }

    /**
     * The tiles the viewer serves of level {@code k}: the level's stored tile grid, or one tile
     * covering the whole plane of an untiled level.
     *
     * @throws IndexOutOfBoundsException if {@code k} is not a level
     */
    TileGrid tileGrid(int k) {
        return levelGrids.get(k);
    }

    /** Bytes of one whole plane, as a long (a tiled plane may exceed any array). */
    long planeBytes() {
        return (long) planeHeight * planeWidth * samples() * array.dtype().byteSize();
    }

    private int samples() {
        return layout.channels().samplesPerPixel();
    }

    /**
     * The tile at ({@code row}, {@code column}) of level {@code level} exactly as stored (a JPEG
     * stream when {@link #storedTileJpegIsDisplayable()}).
     */
    ByteBuffer storedTile(int level, long sliceNumber, int row, int column) throws IOException {
        TileGrid grid = levelGrids.get(level);
        long chunk = array.header().level(level).tiling().isPresent()
                ? sliceNumber * grid.tilesPerPlane() + (long) row * grid.columns() + column : sliceNumber;
        return array.level(level).readEncodedSlice(chunk);
    }

    /**
     * The tile at ({@code row}, {@code column}) of level {@code level}, decoded (only the stored
     * tiles it touches), as little-endian samples, row-major, samples interleaved.
     */
    ByteBuffer rawTile(int level, int[] key, int row, int column) throws IOException {
        TileGrid grid = levelGrids.get(level);
        return rawRegion(array.level(level), key, grid.y0(row), grid.heightOf(row), grid.x0(column), grid.widthOf(column));
    }

    /**
     * The slice number of a key tuple.
     *
     * @throws IndexOutOfBoundsException if a position is outside its axis
     */
    long sliceNumber(int[] key) {
        return keySpace.sliceNumber(key);
    }

    /** The slice exactly as stored (a JPEG stream when {@link #storedJpegIsDisplayable()}). */
    ByteBuffer storedSlice(long sliceNumber) throws IOException {
        return array.readEncodedSlice(sliceNumber);
    }

    /**
     * The decoded plane as little-endian samples, row-major with samples interleaved (height x width
     * x samples), through the server's decoded-plane cache.
     */
    ByteBuffer rawSlice(int[] key) throws IOException {
        return rawRegion(array, key, 0, planeHeight, 0, planeWidth);
    }

    /** Rows {@code [y0, y0 + h)} and columns {@code [x0, x0 + w)} of the plane at {@code key} of {@code source}, as {@link #rawSlice}. */
    private ByteBuffer rawRegion(JpklArray source, int[] key, int y0, int h, int x0, int w) throws IOException {
        List<Index> items = new ArrayList<>();
        int k = 0;
        for (int axis = 0; axis < source.ndim(); axis++) {
            if (axis == layout.yAxis()) {
                items.add(Index.range(y0, (long) y0 + h));
            } else if (axis == layout.xAxis()) {
                items.add(Index.range(x0, (long) x0 + w));
            } else {
                items.add(layout.isPlaneAxis(axis) ? Index.all() : Index.at(key[k++]));
            }
        }
        NdArray plane = source.get(items);
        if (planeInStoredOrder) {
            return plane.toByteBuffer(ByteOrder.LITTLE_ENDIAN);
        }
        PlaneBuffer hwc = PlaneBuffer.allocate(new PlaneSpec(source.dtype(), h, w, layout.channels()));
        PlaneLayout reduced = planeOrder.length == 2 ? PlaneLayout.of(planeOrder[0], planeOrder[1])
                : PlaneLayout.of(planeOrder[0], planeOrder[1], planeOrder[2]);
        plane.copyPlane(reduced, 0, hwc);
        return hwc.toNdArray().toByteBuffer(ByteOrder.LITTLE_ENDIAN);
    }

    /** The numpy dtype name of the samples. */
    String dtypeName() {
        return array.dtype().numpyName();
    }

    /** The plane's shape: {@code [height, width]} or {@code [height, width, 3]}. */
    int[] planeShape() {
        return samples() == 1 ? new int[] {planeHeight, planeWidth} : new int[] {planeHeight, planeWidth, samples()};
    }

    /** The shape of a tile: {@code [height, width]} or {@code [height, width, 3]}. */
    int[] tileShape(int level, int row, int column) {
        TileGrid grid = levelGrids.get(level);
        int h = grid.heightOf(row);
        int w = grid.widthOf(column);
        return samples() == 1 ? new int[] {h, w} : new int[] {h, w, samples()};
    }

    /** For each level, its stored tile grid or one tile covering its plane. */
    private static List<TileGrid> levelGrids(JpklArray array) {
        List<TileGrid> out = new ArrayList<>();
        PlaneLayout layout = array.layout();
        for (int k = 0; k < array.levelCount(); k++) {
            int[] shape = array.levelShape(k);
            int h = shape[layout.yAxis()];
            int w = shape[layout.xAxis()];
            out.add(array.header().level(k).tiling().orElse(new TileGrid(Math.max(1, h), Math.max(1, w), Math.max(1, h), Math.max(1, w))));
        }
        return List.copyOf(out);
    }

    /**
     * The metadata's {@code pixel_size_um}: the side of one pixel of level 0 in micrometres, when it
     * is a positive finite number; else null (no scale bar; never a reason to refuse a file).
     */
    static Double pixelSizeUm(Map<String, Object> metadata) {
        Object v = metadata.get("pixel_size_um");
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d) && d > 0) {
                return d;
            }
        }
        return null;
    }

    /**
     * Where y, x (and colour) land among the plane axes once the key axes are dropped: e.g. a
     * {@code (c, y, x)} array with layout y=1, x=2, channel=0 gives y=1, x=2, channel=0 in the
     * 3-D result; JPkl's {@code (y, x, rgb, ...)} gives 0, 1, 2.
     */
    private static int[] planeAxesInArrayOrder(PlaneLayout layout) {
        int y = layout.yAxis();
        int x = layout.xAxis();
        if (layout.channelAxis().isEmpty()) {
            return new int[] {y < x ? 0 : 1, y < x ? 1 : 0};
        }
        int c = layout.channelAxis().getAsInt();
        return new int[] {rank(y, x, c), rank(x, y, c), rank(c, y, x)};
    }

    private static int rank(int axis, int other1, int other2) {
        return (other1 < axis ? 1 : 0) + (other2 < axis ? 1 : 0);
    }

    private Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("name", name);
        m.put("shape", array.shape());
        m.put("dtype", array.dtype().numpyName());
        m.put("axes", array.axisNames());
        Map<String, Object> plane = new LinkedHashMap<>();
        plane.put("yAxis", layout.yAxis());
        plane.put("xAxis", layout.xAxis());
        plane.put("channelAxis", layout.channelAxis().isPresent() ? layout.channelAxis().getAsInt() : null);
        plane.put("height", planeHeight);
        plane.put("width", planeWidth);
        plane.put("samples", samples());
        m.put("plane", plane);
        m.put("tiled", array.tiling().isPresent());
        m.put("levels", levels());
        m.put("tileFormats", storedTileJpegIsDisplayable() ? List.of("jpeg", "raw") : List.of("raw"));
        m.put("pixelSizeUm", pixelSizeUm);
        m.put("sliceCount", array.sliceCount());
        m.put("codec", array.codecId());
        m.put("codecParams", array.codecParams());
        m.put("formats", storedJpegIsDisplayable() ? List.of("jpeg", "raw") : List.of("raw"));
        m.put("defaultFormat", storedJpegIsDisplayable() ? "jpeg" : "raw");
        m.put("keyAxes", keyAxes());
        m.put("channelKeyAxis", channelKeyAxis());
        m.put("metadata", array.metadata());
        return m;
    }

    /** One entry per level: its plane size and the grid of tiles the tile endpoint serves. */
    private List<Map<String, Object>> levels() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TileGrid g : levelGrids) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("height", g.planeHeight());
            l.put("width", g.planeWidth());
            l.put("tileHeight", g.tileHeight());
            l.put("tileWidth", g.tileWidth());
            l.put("rows", g.rows());
            l.put("columns", g.columns());
            out.add(l);
        }
        return out;
    }

    /** One entry per key axis: its array axis, name, size and the metadata's unit and values. */
    private List<Map<String, Object>> keyAxes() {
        List<Map<String, Object>> out = new ArrayList<>();
        int[] axes = keySpace.keyAxes();
        int[] dims = keySpace.keyDims();
        for (int k = 0; k < axes.length; k++) {
            String axisName = array.axisNames().get(axes[k]);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("axis", axes[k]);
            a.put("name", axisName);
            a.put("size", dims[k]);
            a.putAll(AxisAnnotations.of(array.metadata(), axisName, dims[k]));
            out.add(a);
        }
        return out;
    }

    /** The key axis (position among the key axes) named like a channel axis, or -1. */
    private int channelKeyAxis() {
        int[] axes = keySpace.keyAxes();
        for (int k = 0; k < axes.length; k++) {
            if (CHANNEL_NAMES.contains(array.axisNames().get(axes[k]).toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return -1;
    }

    void closeQuietly(Exception primary) {
        try {
            close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public void close() throws IOException {
        array.close();
    }
}
