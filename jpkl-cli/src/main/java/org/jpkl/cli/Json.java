package org.jpkl.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JSON for {@code --json} outputs (pretty-printed, nulls kept so every documented key is always
 * present) and for {@code --meta} values. Stateless.
 */
final class Json {
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private Json() {
    }

    /** The Gson used for output. */
    static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
    }

    /**
     * A {@code --meta} value: JSON when it looks like JSON (number, true, false, null, object, array,
     * quoted string), otherwise the text itself. Integral numbers become {@link Long}.
     *
     * @throws CliException (usage) for malformed JSON
     */
    static Object metaValue(String key, String text) {
        String t = text.strip();
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        if (t.equals("null")) {
            return null;
        }
        if (NUMBER.matcher(t).matches()) {
            return t.contains(".") || t.contains("e") || t.contains("E") ? Double.valueOf(t) : parseLong(t);
        }
        if (t.startsWith("{") || t.startsWith("[") || t.startsWith("\"")) {
            try {
                return toJava(JsonParser.parseString(t));
            } catch (JsonParseException e) {
                throw CliException.usage("--meta " + key + "=" + text + ": not valid JSON: " + e.getMessage(), e);
            }
        }
        return text;
    }

    private static Object parseLong(String t) {
        try {
            return Long.valueOf(t);
        } catch (NumberFormatException e) {
            return Double.valueOf(t);
        }
    }

    /** A Gson tree as plain Java values (integral numbers as Long). */
    static Object toJava(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(en -> m.put(en.getKey(), toJava(en.getValue())));
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> l.add(toJava(x)));
            return l;
        }
        var p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            java.math.BigDecimal d = p.getAsBigDecimal();
            try {
                return d.longValueExact();
            } catch (ArithmeticException notIntegral) {
                return d.doubleValue();
            }
        }
        return p.getAsString();
    }
}
