package org.jpkl.container;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.ContainerHeader;

/**
 * The JSON form of a {@link ContainerHeader} (docs/FORMAT.md). Also used by other serializers that
 * store a JSON header (one place for the mapping). Stateless.
 */
public final class HeaderJson {
    /** Deepest JSON nesting read; deeper input is refused rather than risking the stack. */
    private static final int MAX_NESTING = 80;

    private HeaderJson() {
    }

    /** The header as UTF-8 JSON bytes. */
    public static byte[] toBytes(ContainerHeader header) {
        JsonObject root = new JsonObject();
        JsonArray shape = new JsonArray();
        for (int d : header.shape()) {
            shape.add(d);
        }
        root.add("shape", shape);
        root.addProperty("dtype", header.dtype().numpyName());
        JsonObject layout = new JsonObject();
        layout.addProperty("y", header.layout().yAxis());
        layout.addProperty("x", header.layout().xAxis());
        header.layout().channelAxis().ifPresent(c -> layout.addProperty("channel", c));
        root.add("layout", layout);
        header.tiling().ifPresent(t -> {
            JsonArray tile = new JsonArray();
            tile.add(t.tileHeight());
            tile.add(t.tileWidth());
            root.add("tile_shape", tile);
        });
        if (header.levelCount() > 1) {
            root.addProperty("levels", header.levelCount() - 1);
            header.levelDownsampling().ifPresent(d -> root.addProperty("downsampling", d.id()));
        }
        JsonArray names = new JsonArray();
        header.axisNames().forEach(names::add);
        root.add("axis_names", names);
        JsonObject codec = new JsonObject();
        codec.addProperty("id", header.codecId());
        JsonObject params = new JsonObject();
        header.codecParams().forEach(params::addProperty);
        codec.add("params", params);
        root.add("codec", codec);
        root.add("metadata", toJson(header.metadata()));
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(root).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a header strictly: the bytes must be valid UTF-8 holding exactly one JSON object
     * (whitespace around it allowed) in which no object repeats a key. Lenient parsers disagree on
     * the alternatives (Python's {@code json} keeps the last of two keys, a replaced byte changes a
     * string), so two readers could see two different arrays in one file; they are refused instead.
     *
     * @throws IllegalArgumentException naming the field or byte offset at fault (the caller adds
     *     file and region)
     */
    public static ContainerHeader fromBytes(byte[] utf8) {
        JsonObject root;
        try {
            JsonReader reader = new JsonReader(new StringReader(decodeUtf8(utf8)));
            reader.setStrictness(Strictness.STRICT);
            reader.setNestingLimit(MAX_NESTING);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new IllegalArgumentException("header is not a JSON object");
            }
            root = readValue(reader).getAsJsonObject();
            JsonToken after;
            try {
                after = reader.peek();
            } catch (MalformedJsonException e) {
                after = null;
            }
            if (after != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("header has data after the end of its JSON object" + where(reader)
                        + "; only whitespace may follow it");
            }
        } catch (IOException | IllegalStateException | StackOverflowError e) {
            throw new IllegalArgumentException("header is not valid JSON: " + e.getMessage(), e);
        }
        JsonArray shapeJson = array(root, "shape");
        if (shapeJson.size() > org.jpkl.api.Shapes.MAX_NDIM) {
            throw new IllegalArgumentException("'shape' has " + shapeJson.size() + " axes; at most " + org.jpkl.api.Shapes.MAX_NDIM);
        }
        int[] shape = new int[shapeJson.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = intValue(shapeJson.get(i), "shape[" + i + "]");
        }
        DType dtype = DType.parse(string(root, "dtype"));
        JsonObject layoutJson = object(root, "layout");
        int y = intValue(layoutJson.get("y"), "layout.y");
        int x = intValue(layoutJson.get("x"), "layout.x");
        PlaneLayout layout = layoutJson.has("channel")
                ? PlaneLayout.of(y, x, intValue(layoutJson.get("channel"), "layout.channel"))
                : PlaneLayout.of(y, x);
        List<String> names = new ArrayList<>();
        JsonArray namesJson = array(root, "axis_names");
        for (int i = 0; i < namesJson.size(); i++) {
            names.add(stringValue(namesJson.get(i), "axis_names[" + i + "]"));
        }
        JsonObject codec = object(root, "codec");
        String codecId = string(codec, "id");
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : object(codec, "params").entrySet()) {
            params.put(e.getKey(), stringValue(e.getValue(), "codec.params." + e.getKey()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) fromJson(object(root, "metadata"));
        int tileHeight = 0;
        int tileWidth = 0;
        if (root.has("tile_shape")) {
            JsonArray tile = array(root, "tile_shape");
            if (tile.size() != 2) {
                throw new IllegalArgumentException("'tile_shape' must be [height, width], found " + tile);
            }
            tileHeight = intValue(tile.get(0), "tile_shape[0]");
            tileWidth = intValue(tile.get(1), "tile_shape[1]");
            if (tileHeight < 1 || tileWidth < 1) {
                throw new IllegalArgumentException("'tile_shape' " + tile + ": both sides must be >= 1");
            }
        }
        int levels = 0;
        if (root.has("levels")) {
            levels = intValue(root.get("levels"), "levels");
            if (levels < 1 || levels > ContainerHeader.MAX_LEVELS) {
                throw new IllegalArgumentException("'levels' " + levels + " is out of range [1, " + ContainerHeader.MAX_LEVELS
                        + "] (the number of reduced levels; a file without them has no 'levels')");
            }
        }
        org.jpkl.api.Downsampling downsampling = null;
        if (root.has("downsampling")) {
            String id = string(root, "downsampling");
            if (levels == 0) {
                throw new IllegalArgumentException("'downsampling' \"" + id + "\" without 'levels': a file without reduced"
                        + " levels records no downsampling");
            }
            downsampling = org.jpkl.api.Downsampling.parse(id);
        }
        return new ContainerHeader(shape, dtype, layout, names, codecId, params, metadata, tileHeight, tileWidth, levels,
                downsampling);
    }

    /** Decodes strict UTF-8: a malformed or truncated sequence is refused, naming its byte offset. */
    private static String decodeUtf8(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException("header is not valid UTF-8: " + result.length() + " byte(s) at offset "
                    + in.position() + " do not form a character");
        }
        return out.flip().toString();
    }

    /**
     * One JSON value as a Gson tree, refusing an object that repeats a key (Gson's own tree parser
     * keeps the last). Recursion depth is bounded by the reader's nesting limit.
     */
    private static JsonElement readValue(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT: {
                JsonObject object = new JsonObject();
                reader.beginObject();
                String path = reader.getPath();
                while (reader.hasNext()) {
                    String key = reader.nextName();
                    if (object.has(key)) {
                        throw new IllegalArgumentException("header repeats the key '" + key + "' in the object at "
                                + (path.endsWith(".") ? path.substring(0, path.length() - 1) : path) + "; each key may appear once");
                    }
                    object.add(key, readValue(reader));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY: {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(readValue(reader));
                }
                reader.endArray();
                return array;
            }
            case STRING:
                return new JsonPrimitive(reader.nextString());
            case NUMBER:
                return new JsonPrimitive(new NumberText(reader.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(reader.nextBoolean());
            case NULL:
                reader.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new IllegalStateException("unexpected " + reader.peek() + where(reader));
        }
    }

    /** The reader's position, e.g. {@code " at line 1 column 5 path $"}. */
    private static String where(JsonReader reader) {
        String s = reader.toString();
        int at = s.indexOf(" at line ");
        return at >= 0 ? s.substring(at) : "";
    }

    /**
     * A JSON number kept as its text (as Gson's own tree does), so integers too large for a long
     * and decimals are converted only when asked.
     */
    private static final class NumberText extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;

        NumberText(String text) {
            this.text = text;
        }

        @Override
        public int intValue() {
            return (int) longValue();
        }

        @Override
        public long longValue() {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return (long) doubleValue();
            }
        }

        @Override
        public float floatValue() {
            return Float.parseFloat(text);
        }

        @Override
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A JSON-compatible Java value (as normalised by {@link org.jpkl.api.Metadata}) as a Gson tree. */
    static JsonElement toJson(Object value) {
        if (value == null) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        if (value instanceof String) {
            return new JsonPrimitive((String) value);
        }
        if (value instanceof Boolean) {
            return new JsonPrimitive((Boolean) value);
        }
        if (value instanceof Number) {
            return new JsonPrimitive((Number) value);
        }
        if (value instanceof Map) {
            JsonObject o = new JsonObject();
            ((Map<?, ?>) value).forEach((k, v) -> o.add((String) k, toJson(v)));
            return o;
        }
        JsonArray a = new JsonArray();
        for (Object o : (List<?>) value) {
            a.add(toJson(o));
        }
        return a;
    }

    /** A Gson tree as Java values: integral numbers as Long, others as Double. */
    static Object fromJson(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                m.put(entry.getKey(), fromJson(entry.getValue()));
            }
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) {
                l.add(fromJson(x));
            }
            return l;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        String text = p.getAsString();
        if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException ignored) {
                // too large for a long: fall through to double
            }
        }
        return p.getAsDouble();
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException("'" + key + "' must be a JSON object, found " + e);
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException("'" + key + "' must be a JSON array, found " + e);
        }
        return e.getAsJsonArray();
    }

    private static String string(JsonObject o, String key) {
        return stringValue(o.get(key), key);
    }

    private static String stringValue(JsonElement e, String what) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("'" + what + "' must be a string, found " + e);
        }
        return e.getAsString();
    }

    private static int intValue(JsonElement e, String what) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("'" + what + "' must be an integer, found " + e);
        }
        String text = e.getAsString();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("'" + what + "' must be an integer in [" + Integer.MIN_VALUE + ", "
                    + Integer.MAX_VALUE + "], found " + text);
        }
    }
}
