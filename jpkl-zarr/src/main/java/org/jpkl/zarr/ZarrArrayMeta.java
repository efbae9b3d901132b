package org.jpkl.zarr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.Shapes;

/**
 * One Zarr v2 array's {@code .zarray}, read and checked: shape, chunks, dtype and byte order,
 * compressor, fill value, C or F order, dimension separator. Every number is read as a long and
 * checked (shape sides within what a jpkl axis holds, chunk sides positive, one chunk's bytes
 * within the caller's limit) before anything is allocated.
 *
 * <p>Thread safety: immutable.
 */
final class ZarrArrayMeta {
    /** The Zarr dtypes jpkl holds, for messages. */
    static final String DTYPES = "|u1, <u2, >u2, <i2, >i2, <i4, >i4, <f4, >f4, <f8, >f8";

    final String name;
    final int[] shape;
    final int[] chunks;
    final DType dtype;
    final ByteOrder order;
    final boolean fortran;
    final ChunkCodec codec;
    final double fill;
    final String separator;

    ZarrArrayMeta(String name, int[] shape, int[] chunks, DType dtype, ByteOrder order, boolean fortran, ChunkCodec codec, double fill,
                  String separator) {
        this.name = name;
        this.shape = shape;
        this.chunks = chunks;
        this.dtype = dtype;
        this.order = order;
        this.fortran = fortran;
        this.codec = codec;
        this.fill = fill;
        this.separator = separator;
    }

    /** Bytes of one (whole) chunk. */
    long chunkBytes() {
        return Shapes.product(chunks) * dtype.byteSize();
    }

    /**
     * Parses and checks a {@code .zarray}.
     *
     * @param name the file's name, for messages
     * @param maxChunkBytes the largest decoded chunk accepted
     * @throws JpklFormatException naming the file, the key, the value and what is allowed
     */
    static ZarrArrayMeta parse(JsonObject o, String name, long maxChunkBytes) throws JpklFormatException {
        JsonElement format = o.get("zarr_format");
        if (format == null || !isNumber(format) || format.getAsDouble() != 2) {
            throw new JpklFormatException(name, "zarr_format", (format == null ? "is missing" : format + " is not 2")
                    + "; jpkl reads Zarr v2 arrays");
        }
        long[] shape = longs(o, "shape", name, 0);
        long[] chunks = longs(o, "chunks", name, 1);
        if (shape.length != chunks.length) {
            throw new JpklFormatException(name, "chunks", Arrays.toString(chunks) + " has " + chunks.length + " sides; shape "
                    + Arrays.toString(shape) + " has " + shape.length);
        }
        if (shape.length < 2 || shape.length > Shapes.MAX_NDIM) {
            throw new JpklFormatException(name, "shape", Arrays.toString(shape) + " has " + shape.length + " axes; jpkl holds 2 to "
                    + Shapes.MAX_NDIM);
        }
        DType[] dtype = new DType[1];
        ByteOrder order = byteOrder(o.get("dtype"), name, dtype);
        JsonElement orderJson = o.get("order");
        String layout = orderJson != null && orderJson.isJsonPrimitive() ? orderJson.getAsString() : String.valueOf(orderJson);
        if (!layout.equals("C") && !layout.equals("F")) {
            throw new JpklFormatException(name, "order", layout + " is not \"C\" or \"F\"");
        }
        JsonElement filters = o.get("filters");
        if (filters != null && !filters.isJsonNull() && !(filters.isJsonArray() && filters.getAsJsonArray().isEmpty())) {
            throw new JpklFormatException(name, "filters", filters + ": jpkl reads arrays without filters (null)");
        }
        JsonElement sep = o.get("dimension_separator");
        String separator = sep == null || sep.isJsonNull() ? "." : sep.isJsonPrimitive() ? sep.getAsString() : sep.toString();
        if (!separator.equals(".") && !separator.equals("/")) {
            throw new JpklFormatException(name, "dimension_separator", "'" + separator + "' is not \".\" or \"/\"");
        }
        int[] intShape = new int[shape.length];
        int[] intChunks = new int[shape.length];
        long chunkElements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) {
                throw new JpklFormatException(name, "shape", Arrays.toString(shape) + ": side " + i + " is " + shape[i]
                        + ", above the " + Integer.MAX_VALUE + " a jpkl axis holds");
            }
            intShape[i] = (int) shape[i];
            if (chunks[i] > maxChunkBytes) {
                throw new JpklFormatException(name, "chunks", Arrays.toString(chunks) + ": one chunk is larger than the limit of "
                        + maxChunkBytes + " bytes");
            }
            intChunks[i] = (int) chunks[i];
            chunkElements *= chunks[i];
            if (chunkElements * dtype[0].byteSize() > maxChunkBytes) {
                throw new JpklFormatException(name, "chunks", Arrays.toString(chunks) + " of " + dtype[0] + ": one chunk is larger"
                        + " than the limit of " + maxChunkBytes + " bytes");
            }
        }
        ChunkCodec codec = ChunkCodec.parse(o.get("compressor"), name);
        double fill = fillValue(o.get("fill_value"), dtype[0], name);
        return new ZarrArrayMeta(name, intShape, intChunks, dtype[0], order, layout.equals("F"), codec, fill, separator);
    }

    private static boolean isNumber(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }

    /** A list of non-negative integers (at least {@code min} each), read as longs. */
    private static long[] longs(JsonObject o, String key, String name, long min) throws JpklFormatException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new JpklFormatException(name, key, (e == null ? "is missing" : e + " is not a list of integers"));
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() > Shapes.MAX_NDIM) {
            throw new JpklFormatException(name, key, "has " + a.size() + " entries; jpkl holds at most " + Shapes.MAX_NDIM + " axes");
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            java.math.BigDecimal d;
            try {
                d = isNumber(v) ? v.getAsBigDecimal() : null;
            } catch (NumberFormatException ex) {
                d = null;
            }
            if (d == null || d.signum() < 0 || d.scale() > 0 && d.stripTrailingZeros().scale() > 0
                    || d.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || d.longValue() < min) {
                throw new JpklFormatException(name, key, e + ": entry " + i + " (" + v + ") is not an integer >= " + min);
            }
            out[i] = d.longValue();
        }
        return out;
    }

    /** The byte order of a Zarr dtype string; sets {@code dtype[0]}. */
    private static ByteOrder byteOrder(JsonElement e, String name, DType[] dtype) throws JpklFormatException {
        String s = e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
        if (s == null || s.length() < 3) {
            throw new JpklFormatException(name, "dtype", e + " is not a dtype string; jpkl reads " + DTYPES);
        }
        char o = s.charAt(0);
        String t = s.substring(1);
        DType d;
        switch (t) {
            case "u1":
                d = DType.UINT8;
                break;
            case "u2":
                d = DType.UINT16;
                break;
            case "i2":
                d = DType.INT16;
                break;
            case "i4":
                d = DType.INT32;
                break;
            case "f4":
                d = DType.FLOAT32;
                break;
            case "f8":
                d = DType.FLOAT64;
                break;
            default:
                d = null;
        }
        boolean orderOk = o == '<' || o == '>' || o == '|' && d == DType.UINT8;
        if (d == null || !orderOk) {
            throw new JpklFormatException(name, "dtype", "'" + s + "' is not a dtype jpkl holds (" + DTYPES + ")");
        }
        dtype[0] = d;
        return o == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** The fill value as a double: a number, null (0), or "NaN", "Infinity", "-Infinity" for floats. */
    private static double fillValue(JsonElement e, DType dtype, String name) throws JpklFormatException {
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                double v = p.getAsDouble();
                if (dtype.isIntegral() && (v != Math.rint(v) || v < dtype.minValue() || v > dtype.maxValue())) {
                    throw new JpklFormatException(name, "fill_value", p + " is not a " + dtype + " value");
                }
                return v;
            }
            if (p.isString() && !dtype.isIntegral() && List.of("NaN", "Infinity", "-Infinity").contains(p.getAsString())) {
                return Double.parseDouble(p.getAsString());
            }
        }
        throw new JpklFormatException(name, "fill_value", e + " is not a " + dtype + " value"
                + (dtype.isIntegral() ? "" : " (a number, \"NaN\", \"Infinity\" or \"-Infinity\")") + " or null");
    }

    /** The {@code .zarray} of an array jpkl writes: C order, little-endian, "/" separated chunk keys. */
    static JsonObject toJson(int[] shape, int[] chunks, DType dtype, ChunkCodec codec) {
        JsonObject o = new JsonObject();
        o.add("zarr_format", new JsonPrimitive(2));
        o.add("shape", ints(shape));
        o.add("chunks", ints(chunks));
        o.add("dtype", new JsonPrimitive(dtypeString(dtype)));
        o.add("compressor", codec.toJson());
        o.add("fill_value", new JsonPrimitive(0));
        o.add("order", new JsonPrimitive("C"));
        o.add("filters", com.google.gson.JsonNull.INSTANCE);
        o.add("dimension_separator", new JsonPrimitive("/"));
        return o;
    }

    static String dtypeString(DType dtype) {
        switch (dtype) {
            case UINT8:
                return "|u1";
            case UINT16:
                return "<u2";
            case INT16:
                return "<i2";
            case INT32:
                return "<i4";
            case FLOAT32:
                return "<f4";
            default:
                return "<f8";
        }
    }

    static JsonArray ints(int[] values) {
        JsonArray a = new JsonArray();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    /** The chunk file's key for chunk grid position {@code index}. */
    String key(int[] index) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < index.length; i++) {
            b.append(i == 0 ? "" : separator).append(index[i]);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return name + ": " + Shapes.format(shape) + " " + dtype + ", chunks " + Shapes.format(chunks) + ", " + codec;
    }
}
