package org.jpkl.zarr;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.Index;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Shapes;
import org.jpkl.api.TileGrid;

/**
 * OME-Zarr (version 0.4, on the Zarr v2 format) in and out.
 *
 * <ul>
 *   <li>{@link #exportArray} writes a container and all its resolution levels as a multiscale
 *       image: {@code .zgroup}, {@code .zattrs} ({@code multiscales} with axes, types and units
 *       where known, one dataset per level with its {@code scale}), and per level a Zarr array
 *       ({@code 0/}, {@code 1/}, ...) chunked per plane, or per tile when the container is tiled,
 *       with {@code "/"}-separated chunk keys. One chunk is held at a time; the directory is
 *       written next to the target and renamed onto it when complete.</li>
 *   <li>{@link #importZarr} reads an OME-Zarr image (or a plain Zarr v2 array) written by others
 *       (zarr-python, dask, ome-zarr-py) into a container: its axes become the axis names, the
 *       last two axes the plane, the scales the calibration metadata, and every level whose plane
 *       halves the one before (rounding up) a jpkl level, imported as stored.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; each call uses its own files.
 */
public final class OmeZarr {
    /** The OME-Zarr version written. */
    public static final String VERSION = "0.4";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
    /** A dataset path: relative names, no "." or ".." segment. */
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");
    /** The largest chunk written: what one Java byte array holds. */
    static final long MAX_CHUNK_BYTES = Integer.MAX_VALUE - 8;
    /** The largest .zgroup, .zattrs or .zarray read. */
    static final long MAX_JSON_BYTES = 16L << 20;

    private OmeZarr() {
    }

    /**
     * Writes {@code array} with all its levels as an OME-Zarr directory {@code target}.
     *
     * @return the number of chunk files written
     * @throws IllegalArgumentException if an untiled plane is larger than one chunk can be (2^31 - 9 bytes)
     * @throws java.nio.file.FileSystemException naming the target, before any work, when it is a
     *     file, a symbolic link, a non-empty directory without {@code overwrite}, or (with it) a
     *     non-empty directory that is not a Zarr store
     */
    public static long exportArray(JpklArray array, Path target, ZarrExportOptions options) throws IOException {
        return exportArray(array, target, options, d -> { });
    }

    /**
     * As {@link #exportArray(JpklArray, Path, ZarrExportOptions)}; {@code opened} is given the
     * temporary directory as soon as it exists, as something whose {@code close()} deletes it unless
     * the export completed (e.g. to delete it when the JVM is stopped).
     */
    public static long exportArray(JpklArray array, Path target, ZarrExportOptions options,
                                   java.util.function.Consumer<? super AutoCloseable> opened) throws IOException {
        Objects.requireNonNull(array, "array");
        Objects.requireNonNull(options, "options");
        ChunkCodec codec = options.compressor().codec(options.level());
        ContainerHeader h = array.header();
        PlaneLayout layout = h.layout();
        int ndim = h.shape().length;
        long chunks = 0;
        int[] order = omeOrder(h);
        List<String> names = new ArrayList<>();
        for (int z = 0; z < ndim; z++) {
            names.add(h.axisNames().get(order[z]));
        }
        int yz = ndim - 2;
        int xz = ndim - 1;
        int cz = -1;
        for (int z = 0; z < ndim; z++) {
            if (layout.channelAxis().isPresent() && order[z] == layout.channelAxis().getAsInt()) {
                cz = z;
            }
        }
        try (ZarrDirectory out = ZarrDirectory.create(target, options.overwrite())) {
            opened.accept(out);
            Path root = out.temp();
            writeJson(root.resolve(".zgroup"), zarrFormat());
            double[] scale0 = OmeMetadata.scales(names, yz, xz, h.metadata());
            JsonArray datasets = new JsonArray();
            for (int k = 0; k < array.levelCount(); k++) {
                JpklArray level = array.level(k);
                int[] shape = level.shape();
                int[] chunkShape = new int[ndim];
                Arrays.fill(chunkShape, 1);
                TileGrid tiles = level.tiling().orElse(null);
                chunkShape[layout.yAxis()] = tiles == null ? shape[layout.yAxis()] : Math.min(tiles.tileHeight(), shape[layout.yAxis()]);
                chunkShape[layout.xAxis()] = tiles == null ? shape[layout.xAxis()] : Math.min(tiles.tileWidth(), shape[layout.xAxis()]);
                layout.channelAxis().ifPresent(c -> chunkShape[c] = shape[c]);
                long chunkBytes = Shapes.product(chunkShape) * h.dtype().byteSize();
                if (chunkBytes > MAX_CHUNK_BYTES) {
                    throw new IllegalArgumentException(array.name() + ": a plane of level " + k + " is " + chunkBytes + " bytes, more than"
                            + " the " + MAX_CHUNK_BYTES + " of one chunk; export a tiled container (jpkl convert --tile 512)");
                }
                Path dir = Files.createDirectory(root.resolve(Integer.toString(k)));
                writeJson(dir.resolve(".zarray"), ZarrArrayMeta.toJson(permute(shape, order), permute(chunkShape, order), h.dtype(), codec));
                chunks += writeChunks(level, shape, chunkShape, order, codec, dir);
                JsonObject dataset = new JsonObject();
                dataset.add("path", new JsonPrimitive(Integer.toString(k)));
                JsonObject transform = new JsonObject();
                transform.add("type", new JsonPrimitive("scale"));
                JsonArray scale = new JsonArray();
                for (int z = 0; z < ndim; z++) {
                    scale.add(scale0[z] * (z == yz || z == xz ? Math.pow(2, k) : 1));
                }
                transform.add("scale", scale);
                JsonArray transforms = new JsonArray();
                transforms.add(transform);
                dataset.add("coordinateTransformations", transforms);
                datasets.add(dataset);
            }
            JsonObject multiscale = new JsonObject();
            multiscale.add("version", new JsonPrimitive(VERSION));
            multiscale.add("name", new JsonPrimitive(String.valueOf(Path.of(array.name()).getFileName())));
            multiscale.add("axes", OmeMetadata.axes(names, yz, xz, cz, h.metadata()));
            multiscale.add("datasets", datasets);
            if (array.levelCount() > 1) {
                String method = array.levelDownsampling().map(d -> d.id()).orElse("mean");
                multiscale.add("type", new JsonPrimitive(method));
                JsonObject about = new JsonObject();
                about.add("method", new JsonPrimitive("jpkl " + method + " of 2x2 blocks, sides rounded up"));
                multiscale.add("metadata", about);
            }
            JsonArray multiscales = new JsonArray();
            multiscales.add(multiscale);
            JsonObject attrs = new JsonObject();
            attrs.add("multiscales", multiscales);
            JsonObject jpkl = new JsonObject();
            jpkl.add("source", new JsonPrimitive(String.valueOf(Path.of(array.name()).getFileName())));
            jpkl.add("codec", new JsonPrimitive(array.codecId()));
            jpkl.add("metadata", GSON.toJsonTree(h.metadata()));
            attrs.add("jpkl", jpkl);
            writeJson(root.resolve(".zattrs"), attrs);
            out.commit();
        }
        return chunks;
    }

    /**
     * Checks an export target before any work, as {@link #exportArray} does: refuses a missing
     * parent folder, a symbolic link, a file, a non-empty directory without {@code overwrite}, and
     * with it a non-empty directory that is not a Zarr store (no {@code .zgroup} or {@code .zarray}).
     *
     * @throws java.nio.file.FileSystemException naming the target and the reason
     */
    public static void checkExportTarget(Path target, boolean overwrite) throws IOException {
        ZarrDirectory.checkTarget(target, overwrite);
    }

    private static JsonObject zarrFormat() {
        JsonObject o = new JsonObject();
        o.add("zarr_format", new JsonPrimitive(2));
        return o;
    }

    private static void writeJson(Path file, JsonElement json) throws IOException {
        Files.writeString(file, GSON.toJson(json), StandardCharsets.UTF_8);
    }

    /**
     * The Zarr axis order of a container's axes, as OME-Zarr 0.4 wants it: the time axis, then the
     * channel axes (the colour axis of an RGB container and key axes of type channel or of no OME
     * type), then the other spatial key axes (z), then y and x; axes of one kind keep their order in
     * the container. {@code order[z]} is the container axis of Zarr axis {@code z}.
     */
    static int[] omeOrder(ContainerHeader h) {
        PlaneLayout layout = h.layout();
        int ndim = h.shape().length;
        int[] order = new int[ndim];
        int z = 0;
        for (int rank = 0; rank < 3; rank++) {
            for (int a = 0; a < ndim; a++) {
                if (a != layout.yAxis() && a != layout.xAxis() && rank(h, a) == rank) {
                    order[z++] = a;
                }
            }
        }
        order[z++] = layout.yAxis();
        order[z] = layout.xAxis();
        return order;
    }

    /** 0 for a time axis, 1 for a channel or untyped axis, 2 for a spatial one. */
    private static int rank(ContainerHeader h, int axis) {
        String type = OmeMetadata.type(h.axisNames().get(axis), h.layout().channelAxis().orElse(-1) == axis);
        return "time".equals(type) ? 0 : "space".equals(type) ? 2 : 1;
    }

    /**
     * Why an export of a container with this header, though readable by every Zarr v2 reader, would
     * not be a valid OME-Zarr 0.4 image (which allows 2 to 5 axes: at most one time axis, at most one
     * channel or untyped axis, and 2 or 3 spatial ones); empty when it would be valid. Axis types
     * come from the names as {@link #exportArray} writes them (x, y, z: space; t, time: time; c, ch,
     * channel and the colour axis: channel; others none).
     */
    public static List<String> omeProblems(ContainerHeader h) {
        List<String> problems = new ArrayList<>();
        int ndim = h.shape().length;
        List<List<String>> byRank = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int a = 0; a < ndim; a++) {
            if (a != h.layout().yAxis() && a != h.layout().xAxis()) {
                byRank.get(rank(h, a)).add(h.axisNames().get(a));
            }
        }
        if (ndim > 5) {
            problems.add(ndim + " axes, more than the 5 of an OME-Zarr 0.4 image");
        }
        if (byRank.get(0).size() > 1) {
            problems.add("more than one time axis " + byRank.get(0));
        }
        if (byRank.get(1).size() > 1) {
            problems.add("more than one channel or untyped axis " + byRank.get(1)
                    + " (axes named other than x, y, z, t, time, c, ch, channel have no OME type)");
        }
        if (byRank.get(2).size() > 1) {
            problems.add("more than 3 spatial axes (" + byRank.get(2) + " besides y and x)");
        }
        return problems;
    }

    static int[] permute(int[] values, int[] order) {
        int[] out = new int[order.length];
        for (int z = 0; z < order.length; z++) {
            out[z] = values[order[z]];
        }
        return out;
    }

    /** Writes every chunk of one level, one at a time, in C order of the Zarr chunk grid. */
    private static long writeChunks(JpklArray level, int[] shape, int[] chunkShape, int[] order, ChunkCodec codec, Path dir)
            throws IOException {
        int ndim = shape.length;
        int[] grid = new int[ndim];
        for (int a = 0; a < ndim; a++) {
            grid[a] = (int) ((shape[a] + (long) chunkShape[a] - 1) / chunkShape[a]);
        }
        int[] zarrGrid = permute(grid, order);
        int[] zarrChunk = permute(chunkShape, order);
        long count = Shapes.product(grid);
        int item = level.dtype().byteSize();
        int[] position = new int[ndim];
        List<Index> items = new ArrayList<>(ndim);
        int[] region = new int[ndim];
        int[] inverse = new int[ndim];
        for (int z = 0; z < ndim; z++) {
            inverse[order[z]] = z;
        }
        for (long c = 0; c < count; c++) {
            items.clear();
            for (int a = 0; a < ndim; a++) {
                int p = position[inverse[a]];
                long start = (long) p * chunkShape[a];
                long stop = Math.min(shape[a], start + chunkShape[a]);
                region[a] = (int) (stop - start);
                items.add(Index.slice(start, stop, 1L));
            }
            StringBuilder key = new StringBuilder();
            for (int z = 0; z < ndim; z++) {
                key.append(z == 0 ? "" : "/").append(position[z]);
            }
            NdArray part = level.get(items);
            byte[] raw = gather(part.toByteBuffer(ByteOrder.LITTLE_ENDIAN).array(), region, order, zarrChunk, item);
            Path file = dir.resolve(key.toString());
            Files.createDirectories(file.getParent());
            Files.write(file, codec.encode(raw, item));
            for (int z = ndim - 1; z >= 0; z--) {
                if (++position[z] < zarrGrid[z]) {
                    break;
                }
                position[z] = 0;
            }
        }
        return count;
    }

    /**
     * The C-order bytes of {@code region} (container axis order) placed, with their axes in Zarr
     * order {@code order}, in a zero-filled chunk of {@code chunk} (Zarr order): edge chunks are
     * padded to the whole chunk, as Zarr stores them. The same array when nothing moves.
     */
    static byte[] gather(byte[] data, int[] region, int[] order, int[] chunk, int item) {
        int ndim = chunk.length;
        int[] zRegion = permute(region, order);
        // The bytes stay in place when the axes longer than 1 keep their relative order.
        boolean identity = true;
        int previous = -1;
        for (int z = 0; z < ndim; z++) {
            if (region[order[z]] > 1) {
                identity &= order[z] > previous;
                previous = order[z];
            }
        }
        if (identity && Arrays.equals(zRegion, chunk)) {
            return data;
        }
        long[] srcStride = new long[ndim];
        long s = 1;
        for (int a = ndim - 1; a >= 0; a--) {
            srcStride[a] = s;
            s *= region[a];
        }
        long[] src = new long[ndim];
        long[] dst = new long[ndim];
        long d = 1;
        for (int z = ndim - 1; z >= 0; z--) {
            src[z] = srcStride[order[z]] * item;
            dst[z] = d * item;
            d *= chunk[z];
        }
        byte[] out = new byte[(int) (d * item)];
        if (Shapes.product(zRegion) == 0) {
            return out;
        }
        int last = ndim - 1;
        int n = zRegion[last];
        long rows = Shapes.product(zRegion) / n;
        int[] at = new int[ndim];
        for (long r = 0; r < rows; r++) {
            long from = 0;
            long to = 0;
            for (int z = 0; z < last; z++) {
                from += at[z] * src[z];
                to += at[z] * dst[z];
            }
            if (src[last] == item) {
                System.arraycopy(data, (int) from, out, (int) to, n * item);
            } else {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(data, (int) (from + i * src[last]), out, (int) (to + (long) i * item), item);
                }
            }
            for (int z = last - 1; z >= 0; z--) {
                if (++at[z] < zRegion[z]) {
                    break;
                }
                at[z] = 0;
            }
        }
        return out;
    }

    /**
     * Imports the OME-Zarr image (first multiscale of {@code .zattrs}) or plain Zarr v2 array at
     * {@code zarr} into a container written to {@code target}. Axis names come from the
     * multiscale's axes (a plain array's are the defaults); the last two axes form the plane; the
     * level-0 dataset's scales become the metadata {@code spacing}, {@code unit},
     * {@code time_unit} and {@code pixel_size_um}, and {@code "ome_zarr"} records the source, its
     * axes and its levels. Levels 1.. become jpkl levels while each halves the plane of the one
     * before (rounding up), as stored; the first that does not ends the import of levels (see
     * {@link ZarrImport#notes()}). Without a codec in the write options, the first installed
     * default lossless codec for the dtype is used (Zarr holds exact values). Memory: one plane
     * per level plus the chunks covering it.
     *
     * @throws JpklFormatException if a metadata file or chunk is malformed, damaged, or uses a
     *     dtype, compressor or filter jpkl does not read (naming the file and what is allowed)
     * @throws IllegalArgumentException for what {@link Jpkl#newWriter} refuses
     */
    public static ZarrImport importZarr(Jpkl jpkl, Path zarr, Path target, ZarrImportOptions options) throws IOException {
        return importZarr(jpkl, zarr, target, options, w -> { });
    }

    /**
     * As {@link #importZarr(Jpkl, Path, Path, ZarrImportOptions)}; {@code opened} is given the writer
     * as soon as it exists (e.g. to abort it when the JVM is stopped), as {@link Jpkl#convert} does.
     */
    public static ZarrImport importZarr(Jpkl jpkl, Path zarr, Path target, ZarrImportOptions options,
                                        java.util.function.Consumer<? super JpklWriter> opened) throws IOException {
        return importZarr(jpkl, zarr, target, options, opened, org.jpkl.api.Selection.MAX_RESULT_ELEMENTS);
    }

    /**
     * As {@link #importZarr(Jpkl, Path, Path, ZarrImportOptions, java.util.function.Consumer)}, to a
     * URI a storage provider writes (e.g. {@code s3://bucket/key.jpkl}, streamed and published when
     * complete; {@link Jpkl#newWriter(java.net.URI, org.jpkl.api.DType, int[], WriteOptions)}).
     */
    public static ZarrImport importZarr(Jpkl jpkl, Path zarr, java.net.URI target, ZarrImportOptions options,
                                        java.util.function.Consumer<? super JpklWriter> opened) throws IOException {
        Objects.requireNonNull(target, "target");
        return importZarr(jpkl, zarr, (dtype, shape, wo) -> jpkl.newWriter(target, dtype, shape, wo), options, opened,
                org.jpkl.api.Selection.MAX_RESULT_ELEMENTS);
    }

    /** The import to a local file, with planes of more than {@code wholePlaneLimit} samples read and written by tile rows (tests lower it). */
    static ZarrImport importZarr(Jpkl jpkl, Path zarr, Path target, ZarrImportOptions options,
                                 java.util.function.Consumer<? super JpklWriter> opened, long wholePlaneLimit) throws IOException {
        Objects.requireNonNull(target, "target");
        return importZarr(jpkl, zarr, (dtype, shape, wo) -> jpkl.newWriter(target, dtype, shape, wo), options, opened, wholePlaneLimit);
    }

    /** Opens the import's writer once the dataset's dtype, shape and write options are known. */
    @FunctionalInterface
    private interface WriterOpener {
        JpklWriter open(org.jpkl.api.DType dtype, int[] shape, WriteOptions options) throws IOException;
    }

    private static ZarrImport importZarr(Jpkl jpkl, Path zarr, WriterOpener target, ZarrImportOptions options,
                                         java.util.function.Consumer<? super JpklWriter> opened, long wholePlaneLimit) throws IOException {
        Objects.requireNonNull(jpkl, "jpkl");
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(zarr)) {
            throw new JpklFormatException(zarr.toString(), "store", "is not a directory (a Zarr v2 directory store)");
        }
        List<String> notes = new ArrayList<>();
        JsonObject attrs = Files.exists(zarr.resolve(".zattrs")) ? readJson(zarr.resolve(".zattrs")) : new JsonObject();
        String attrsName = zarr.resolve(".zattrs").toString();
        List<String> paths = new ArrayList<>();
        JsonObject multiscale = null;
        if (attrs.has("multiscales")) {
            JsonElement ms = attrs.get("multiscales");
            if (!ms.isJsonArray() || ms.getAsJsonArray().isEmpty() || !ms.getAsJsonArray().get(0).isJsonObject()) {
                throw new JpklFormatException(attrsName, "multiscales", "is not a non-empty list of objects");
            }
            if (ms.getAsJsonArray().size() > 1) {
                notes.add("the first of " + ms.getAsJsonArray().size() + " multiscale images was imported");
            }
            multiscale = ms.getAsJsonArray().get(0).getAsJsonObject();
            JsonElement ds = multiscale.get("datasets");
            if (ds == null || !ds.isJsonArray() || ds.getAsJsonArray().isEmpty()) {
                throw new JpklFormatException(attrsName, "multiscales datasets", "is not a non-empty list");
            }
            for (JsonElement d : ds.getAsJsonArray()) {
                JsonElement p = d.isJsonObject() ? d.getAsJsonObject().get("path") : null;
                String path = p != null && p.isJsonPrimitive() && p.getAsJsonPrimitive().isString() ? p.getAsString() : null;
                if (path == null || !PATH.matcher(path).matches() || Arrays.asList(path.split("/")).contains("..")) {
                    throw new JpklFormatException(attrsName, "multiscales datasets", "path " + p + " is not a relative path of"
                            + " names (letters, digits, '.', '_', '-'; no '..')");
                }
                paths.add(path);
            }
        } else if (Files.exists(zarr.resolve(".zarray"))) {
            paths.add("");
        } else {
            throw new JpklFormatException(zarr.toString(), "store", "has neither a .zattrs with multiscales (OME-Zarr) nor a .zarray"
                    + " (a Zarr v2 array)");
        }
        List<ZarrArrayMeta> levels = new ArrayList<>();
        for (String path : paths) {
            Path file = zarr.resolve(path).resolve(".zarray");
            if (!Files.exists(file)) {
                throw new JpklFormatException(file.toString(), "store", "is missing (dataset '" + path + "')");
            }
            ZarrArrayMeta meta = ZarrArrayMeta.parse(readJson(file), file.toString(), options.maxChunkBytes());
            if (!levels.isEmpty()) {
                String why = halves(levels.get(levels.size() - 1), meta);
                if (why != null) {
                    notes.add("levels " + levels.size() + " to " + (paths.size() - 1) + " not imported: dataset '" + path + "' " + why);
                    break;
                }
                if (levels.size() > ContainerHeader.MAX_LEVELS) {
                    notes.add("levels " + levels.size() + " to " + (paths.size() - 1) + " not imported: a container holds at most "
                            + ContainerHeader.MAX_LEVELS + " reduced levels");
                    break;
                }
            }
            levels.add(meta);
        }
        ZarrArrayMeta base = levels.get(0);
        int ndim = base.shape.length;
        int yAxis = ndim - 2;
        int xAxis = ndim - 1;
        PlaneLayout layout = PlaneLayout.of(yAxis, xAxis);
        List<String> names = new ArrayList<>();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("source", String.valueOf(zarr.toAbsolutePath().normalize().getFileName()));
        Map<String, Object> calibration = Map.of();
        if (multiscale != null) {
            OmeMetadata.Axis[] axes = multiscale.has("axes") ? OmeMetadata.readAxes(multiscale.get("axes"), ndim, attrsName) : null;
            double[] scale = OmeMetadata.scale(multiscale.get("coordinateTransformations"), ndim, attrsName,
                    "multiscales coordinateTransformations");
            JsonElement first = multiscale.get("datasets").getAsJsonArray().get(0).getAsJsonObject().get("coordinateTransformations");
            double[] local = OmeMetadata.scale(first, ndim, attrsName, "datasets[0] coordinateTransformations");
            for (int a = 0; a < ndim; a++) {
                scale[a] *= local[a];
            }
            if (axes != null) {
                for (OmeMetadata.Axis axis : axes) {
                    names.add(axis.name);
                }
                calibration = OmeMetadata.calibration(axes, scale, yAxis, xAxis);
                info.put("axes", GSON.fromJson(multiscale.get("axes"), Object.class));
            } else {
                notes.add("the multiscale lists no axes (OME-Zarr before 0.3): default axis names");
            }
            if (multiscale.has("version") && !multiscale.get("version").isJsonNull()) {
                info.put("version", GSON.fromJson(multiscale.get("version"), Object.class));
            }
        }
        info.put("datasets", paths);
        info.put("levels", (long) paths.size());
        if (!options.levels() && levels.size() > 1) {
            notes.add("levels 1 to " + (levels.size() - 1) + " not imported: level 0 only was asked for");
            levels.subList(1, levels.size()).clear();
        }
        boolean fits = (long) base.shape[yAxis] * base.shape[xAxis] <= wholePlaneLimit;
        if (!fits && levels.size() > 1) {
            notes.add("levels 1 to " + (levels.size() - 1) + " not imported: a " + base.shape[yAxis] + "x" + base.shape[xAxis]
                    + " plane is imported by tile rows; build levels with jpkl pyramid");
            levels.subList(1, levels.size()).clear();
        }
        WriteOptions.Builder wo = options.writeOptions().toBuilder().layout(layout).axisNames(names);
        if (options.writeOptions().codecId().isEmpty()) {
            // Zarr data is exact: the default is a lossless codec, not the lossy default uint8 gets elsewhere.
            wo.codec(jpkl.defaultLosslessCodec(base.dtype, org.jpkl.api.ChannelLayout.GREY).id());
        }
        Map<String, Object> userMeta = options.writeOptions().metadata();
        calibration.forEach((k, v) -> {
            if (!userMeta.containsKey(k)) {
                wo.metadata(k, v);
            }
        });
        if (!userMeta.containsKey("ome_zarr")) {
            wo.metadata("ome_zarr", info);
        }
        boolean imported = levels.size() > 1;
        if (imported) {
            wo.levels(levels.size() - 1);
        }
        try (JpklWriter writer = target.open(base.dtype, base.shape, wo.build())) {
            opened.accept(writer);
            KeySpace keys = writer.keySpace();
            for (int k = 0; k < levels.size(); k++) {
                ZarrArrayMeta meta = levels.get(k);
                Path dir = paths.get(k).isEmpty() ? zarr : zarr.resolve(paths.get(k));
                ChunkGrid grid = new ChunkGrid(meta, dir);
                ContainerHeader lh = writer.header().level(k);
                TileGrid tiles = lh.tiling().orElse(null);
                for (long n = 0; n < keys.sliceCount(); n++) {
                    int[] key = keys.key(n);
                    if (fits) {
                        PlaneBuffer plane = PlaneBuffer.allocate(lh.planeSpec());
                        grid.readBand(key, 0, plane);
                        if (imported) {
                            writer.writeLevelPlane(k, n, plane);
                        } else {
                            writer.write(n, plane);
                        }
                    } else {
                        for (int r = 0; r < tiles.rows(); r++) {
                            PlaneBuffer rows = PlaneBuffer.allocate(new PlaneSpec(meta.dtype, tiles.heightOf(r), tiles.planeWidth(),
                                    lh.layout().channels()));
                            grid.readBand(key, tiles.y0(r), rows);
                            writer.writeTileRow(n, r, rows);
                        }
                    }
                }
            }
            writer.commit();
            return new ZarrImport(writer.header(), levels.size(), paths.size(), notes);
        }
    }

    /** Why {@code next} is not the level after {@code prev} (null when it is): same dtype and key axes, plane halved rounding up. */
    private static String halves(ZarrArrayMeta prev, ZarrArrayMeta next) {
        int n = prev.shape.length;
        if (next.shape.length != n || next.dtype != prev.dtype) {
            return "is " + Shapes.format(next.shape) + " " + next.dtype + ", not of the " + n + " axes and dtype " + prev.dtype
                    + " of the level before";
        }
        int[] expected = prev.shape.clone();
        expected[n - 2] = (expected[n - 2] + 1) / 2;
        expected[n - 1] = (expected[n - 1] + 1) / 2;
        if (!Arrays.equals(expected, next.shape)) {
            return "has shape " + Shapes.format(next.shape) + "; a jpkl level of " + Shapes.format(prev.shape) + " is "
                    + Shapes.format(expected) + " (y and x halved, rounding up)";
        }
        return null;
    }

    /** Reads a JSON object from a metadata file (at most {@link #MAX_JSON_BYTES}). */
    static JsonObject readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new JpklFormatException(file.toString(), "metadata", "is not a regular file");
        }
        long size = Files.size(file);
        if (size > MAX_JSON_BYTES) {
            throw new JpklFormatException(file.toString(), "metadata", "is " + size + " bytes; metadata files above " + MAX_JSON_BYTES
                    + " bytes are refused");
        }
        try {
            JsonElement e = JsonParser.parseString(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new JpklFormatException(file.toString(), "metadata", "is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new JpklFormatException(file.toString(), "metadata", "is not valid JSON: " + e.getMessage(), e);
        }
    }
}
