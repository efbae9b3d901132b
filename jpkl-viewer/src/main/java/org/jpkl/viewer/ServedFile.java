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
    private final PlaneSpec planeSpec;
    private final int[] planeOrder;
    private final boolean planeInStoredOrder;
    private final String infoJson;

    ServedFile(int index, Path path, JpklArray array) {
        this.index = index;
        Path fileName = path.getFileName();
        this.name = fileName == null ? path.toString() : fileName.toString();
        this.array = array;
        this.keySpace = array.header().keySpace();
        this.layout = array.layout();
        this.planeSpec = array.header().planeSpec();
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
     * plus an APP9 mapping, so their pixels are not the data).
     */
    boolean storedJpegIsDisplayable() {
        return "jpeg".equals(array.codecId()) && array.dtype() == DType.UINT8;
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
        List<Index> items = new ArrayList<>();
        int k = 0;
        for (int axis = 0; axis < array.ndim(); axis++) {
            items.add(layout.isPlaneAxis(axis) ? Index.all() : Index.at(key[k++]));
        }
        NdArray plane = array.get(items);
        if (planeInStoredOrder) {
            return plane.toByteBuffer(ByteOrder.LITTLE_ENDIAN);
        }
        PlaneBuffer hwc = PlaneBuffer.allocate(planeSpec);
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
        return planeSpec.shape();
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
        plane.put("height", planeSpec.height());
        plane.put("width", planeSpec.width());
        plane.put("samples", planeSpec.channels().samplesPerPixel());
        m.put("plane", plane);
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
