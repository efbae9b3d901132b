package org.jpkl.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses NumPy basic-index syntax into {@link Index} items. Stateless.
 *
 * <p>The accepted syntax is the part of Python's subscript syntax that NumPy basic indexing uses:
 * comma-separated items (one trailing comma allowed), each an integer, a slice
 * {@code start:stop:step} whose parts are integers, {@code None} or omitted, an ellipsis
 * ({@code ...} or {@code Ellipsis}) or a new axis ({@code None}, {@code newaxis}, {@code np.newaxis},
 * {@code numpy.newaxis}). Integers are Python decimal literals: an optional sign (whitespace may
 * follow it), digits with single underscores between them, and no leading zeros unless the value
 * is 0. As in CPython, slice bounds and steps beyond the {@code long} range saturate (a step below
 * {@code -Long.MAX_VALUE} becomes {@code -Long.MAX_VALUE}); no array is that long, so the selection
 * is exactly Python's. An integer index beyond the {@code long} range is rejected.
 */
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
            Location where = new Location(expression, column + leadingSpaces(part));
            if (item.isEmpty()) {
                // NumPy allows one trailing comma: "1," is the tuple (1,).
                if (i == parts.length - 1 && i > 0) {
                    break;
                }
                throw where.error("empty index item");
            }
            items.add(parseItem(where, item));
            column += part.length() + 1;
        }
        return items;
    }

    private static Index parseItem(Location where, String item) {
        if (isEllipsis(item)) {
            return Index.ellipsis();
        }
        if (isNewAxis(item)) {
            return Index.newAxis();
        }
        if (item.indexOf(':') < 0) {
            return Index.at(parseInteger(where, item, false));
        }
        String[] bounds = item.split(":", -1);
        if (bounds.length > 3) {
            throw where.error("a slice has at most two ':' but '" + item + "' has " + (bounds.length - 1));
        }
        Long start = optionalBound(where, bounds[0]);
        Long stop = optionalBound(where, bounds[1]);
        Long step = bounds.length == 3 ? optionalBound(where, bounds[2]) : null;
        if (step != null && step == 0) {
            throw where.error("slice step cannot be zero in '" + item + "'");
        }
        if (step != null && step == Long.MIN_VALUE) {
            // CPython's slice.indices does the same, so that the step can be negated safely.
            step = -Long.MAX_VALUE;
        }
        return Index.slice(start, stop, step == null ? 1 : step);
    }

    private static boolean isEllipsis(String item) {
        return item.equals("...") || item.equals("Ellipsis");
    }

    private static boolean isNewAxis(String item) {
        return item.equals("None") || item.equals("newaxis") || item.equals("np.newaxis") || item.equals("numpy.newaxis");
    }

    private static Long optionalBound(Location where, String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("None")) {
            return null;
        }
        return parseInteger(where, t, true);
    }

    /**
     * Parses a Python decimal integer literal with an optional sign.
     *
     * @param saturate whether a value beyond the long range becomes Long.MIN_VALUE / Long.MAX_VALUE
     *     (slice bounds, as in CPython) instead of an error (integer indices)
     */
    private static long parseInteger(Location where, String text, boolean saturate) {
        String t = text.trim();
        boolean negative = t.startsWith("-");
        String digits = (negative || t.startsWith("+")) ? t.substring(1).trim() : t;
        if (!isDecimalLiteral(digits)) {
            throw where.error("'" + t + "' is not an integer, a slice (start:stop:step), '...' or None");
        }
        String plain = digits.replace("_", "");
        if (plain.length() > 1 && plain.charAt(0) == '0' && plain.chars().anyMatch(c -> c != '0')) {
            throw where.error("'" + t + "': leading zeros in decimal integer literals are not permitted");
        }
        try {
            return Long.parseLong(negative ? "-" + plain : plain);
        } catch (NumberFormatException e) {
            if (saturate) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            throw where.error("integer '" + t + "' is out of range; allowed: [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]");
        }
    }

    /** Digits with single underscores between them, as Python's decimal literals. */
    private static boolean isDecimalLiteral(String s) {
        if (s.isEmpty() || s.charAt(0) == '_' || s.charAt(s.length() - 1) == '_' || s.contains("__")) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if ((c < '0' || c > '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static int leadingSpaces(String s) {
        int n = 0;
        while (n < s.length() && Character.isWhitespace(s.charAt(n))) {
            n++;
        }
        return n;
    }

    /** Where an item starts, for messages: the expression and the column. */
    private static final class Location {
        private final String expression;
        private final int column;

        Location(String expression, int column) {
            this.expression = expression;
            this.column = column;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad index expression '" + expression + "' at column " + column + ": " + what);
        }
    }
}
