package org.jpkl.api;

import java.util.ArrayList;
import java.util.List;

/** Parses NumPy basic-index syntax into {@link Index} items. Stateless. */
final class IndexParser {

    private IndexParser() {
    }

    static List<Index> parse(String expression) {
        if (expression == null) {
            throw new NullPointerException("expression");
        }
        List<Index> items = new ArrayList<>();
        if (expression.isBlank()) {
            return items;
        }
        String[] parts = expression.split(",", -1);
        int column = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            String item = part.trim();
            if (item.isEmpty()) {
                // NumPy allows one trailing comma: "1," is the tuple (1,).
                if (i == parts.length - 1 && i > 0) {
                    break;
                }
                throw error(expression, column, "empty index item");
            }
            items.add(parseItem(expression, column + leadingSpaces(part), item));
            column += part.length() + 1;
        }
        return items;
    }

    private static Index parseItem(String expression, int column, String item) {
        switch (item) {
            case "...":
            case "Ellipsis":
                return Index.ellipsis();
            case "None":
            case "newaxis":
            case "np.newaxis":
            case "numpy.newaxis":
                return Index.newAxis();
            default:
                break;
        }
        if (item.indexOf(':') < 0) {
            return Index.at(parseLong(expression, column, item));
        }
        String[] bounds = item.split(":", -1);
        if (bounds.length > 3) {
            throw error(expression, column, "a slice has at most two ':' but '" + item + "' has " + (bounds.length - 1));
        }
        Long start = optionalLong(expression, column, bounds[0]);
        Long stop = optionalLong(expression, column, bounds[1]);
        Long step = bounds.length == 3 ? optionalLong(expression, column, bounds[2]) : null;
        if (step != null && step == 0) {
            throw error(expression, column, "slice step cannot be zero in '" + item + "'");
        }
        try {
            return Index.slice(start, stop, step == null ? 1 : step);
        } catch (IllegalArgumentException e) {
            throw error(expression, column, e.getMessage());
        }
    }

    private static Long optionalLong(String expression, int column, String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("None")) {
            return null;
        }
        return parseLong(expression, column, t);
    }

    private static long parseLong(String expression, int column, String text) {
        String t = text.trim();
        int i = (t.startsWith("-") || t.startsWith("+")) ? 1 : 0;
        boolean digits = i < t.length();
        for (int k = i; k < t.length(); k++) {
            char c = t.charAt(k);
            if ((c < '0' || c > '9') && c != '_') {
                digits = false;
                break;
            }
        }
        if (!digits || t.endsWith("_") || t.contains("__") || (t.length() > i && t.charAt(i) == '_')) {
            throw error(expression, column, "'" + t + "' is not an integer, a slice (start:stop:step), '...' or None");
        }
        try {
            return Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(expression, column, "integer '" + t + "' is out of range; allowed: ["
                    + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]");
        }
    }

    private static int leadingSpaces(String s) {
        int n = 0;
        while (n < s.length() && Character.isWhitespace(s.charAt(n))) {
            n++;
        }
        return n;
    }

    private static IllegalArgumentException error(String expression, int column, String what) {
        return new IllegalArgumentException("bad index expression '" + expression + "' at column " + column + ": " + what);
    }
}
