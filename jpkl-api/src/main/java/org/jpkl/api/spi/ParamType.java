package org.jpkl.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The type of a codec parameter: which strings it accepts, the typed value each stands for, and its
 * canonical string form (what {@link CodecParams#toMap()} stores). One of four kinds:
 * {@link #integer(int, int) an integer range}, {@link #oneOf(String...) one of fixed words},
 * {@link #number(double, double) a number range} and {@link #keywordOrRange(String...) a keyword or a
 * {@code LO:HI} range} (e.g. JPEG's {@code window}: {@code slice}, {@code global} or {@code 0:4095}),
 * and {@link #keywordOrValue a keyword or a codec-defined value} (e.g. JPEG's {@code huffman}:
 * {@code standard}, {@code optimized} or the container's Huffman tables).
 * {@link ParamSpec} builds the error messages from {@link #requirement()}.
 *
 * <p>Thread safety: immutable.
 */
public abstract class ParamType {
    private ParamType() {
    }

    /** Integers in {@code [min, max]}; values are {@link Integer}s. */
    public static ParamType integer(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("integer range [" + min + ", " + max + "] must have min <= max");
        }
        return new Bounded(true, min, max);
    }

    /**
     * One of these words, matched ignoring case and surrounding blanks; values are the words as
     * declared ({@link String}s).
     */
    public static ParamType oneOf(String... words) {
        return new Words(words(words, "oneOf"), false);
    }

    /** Finite numbers in {@code [min, max]}; values are {@link Double}s. */
    public static ParamType number(double min, double max) {
        if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("number range [" + min + ", " + max + "] must be finite with min <= max");
        }
        return new Bounded(false, min, max);
    }

    /**
     * One of these keywords (matched ignoring case; values are the keywords as declared) or a range
     * {@code LO:HI} of finite numbers with {@code LO <= HI} (values are {@link Range}s).
     */
    public static ParamType keywordOrRange(String... keywords) {
        return new Words(words(keywords, "keywordOrRange"), true);
    }

    /**
     * One of these keywords (matched ignoring case and surrounding blanks; values are the keywords as
     * declared) or a value of {@code valueClass} that {@code parser} makes from the text as given (not
     * trimmed), e.g. data that a codec binds from the whole array and stores. The value's
     * {@link Object#toString()} must be its stored form, which {@code parser} reads back to an equal value.
     *
     * @param valueDescription what a value is, for {@link #allowed()}, e.g. {@code Huffman tables (base64 of DHT segments)}
     * @param parser the value of a text that is no keyword; throws {@link IllegalArgumentException} with
     *     a message saying what is wrong (appended to the parameter's error message)
     */
    public static <T> ParamType keywordOrValue(String valueDescription, Class<T> valueClass, Function<String, T> parser,
            String... keywords) {
        Objects.requireNonNull(valueDescription, "valueDescription");
        Objects.requireNonNull(valueClass, "valueClass");
        Objects.requireNonNull(parser, "parser");
        return new KeywordOrValue(words(keywords, "keywordOrValue"), valueDescription, valueClass, parser);
    }

    /** The accepted values in words, e.g. {@code integer in [0, 9]}; shown by {@code jpkl codecs}. */
    public abstract String allowed();

    /** What a value must be, for messages: e.g. {@code an integer in [0, 9]}; by default {@link #allowed()}. */
    public String requirement() {
        return allowed();
    }

    /**
     * The kind and its bounds or words as data, for tools ({@code jpkl codecs --json}): {@code kind}
     * ({@code integer}, {@code enum}, {@code number} or {@code keyword-or-range}) plus {@code min} and
     * {@code max}, or {@code values}, or {@code keywords}; unmodifiable.
     */
    public abstract Map<String, Object> describe();

    /**
     * The typed value of {@code text}.
     *
     * @throws IllegalArgumentException if the text is not allowed (the message is left to {@link ParamSpec})
     */
    abstract Object parse(String text);

    /** Whether {@code value} is a typed value this type accepts. */
    abstract boolean accepts(Object value);

    /** What the error message for a refused text adds after the requirement: nothing by default. */
    String detail(IllegalArgumentException refusal) {
        return "";
    }

    /** A refused text as the error message shows it: whole by default. */
    String shown(String text) {
        return text;
    }

    /** The canonical string form of a value this type accepts. */
    String format(Object value) {
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return allowed();
    }

    private static List<String> words(String[] words, String what) {
        if (words.length == 0) {
            throw new IllegalArgumentException(what + " needs at least one word");
        }
        List<String> list = new ArrayList<>();
        for (String w : words) {
            Objects.requireNonNull(w, "word");
            if (w.isBlank() || list.stream().anyMatch(x -> x.equalsIgnoreCase(w))) {
                throw new IllegalArgumentException(what + " words must be distinct and not blank: " + List.of(words));
            }
            list.add(w);
        }
        return Collections.unmodifiableList(list);
    }

    /** The word of {@code words} that {@code text} is, ignoring case, or null. */
    private static String word(List<String> words, String text) {
        for (String w : words) {
            if (w.equalsIgnoreCase(text)) {
                return w;
            }
        }
        return null;
    }

    /** A number as stored: integers without a fraction ({@code 4095}), others as {@link Double#toString}. */
    static String formatNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /**
     * A value of {@link #keywordOrRange}: the range {@code [low, high]}, stored as {@code LO:HI}.
     *
     * @param low the lower bound, finite
     * @param high the upper bound, finite, {@code >= low}
     */
    public record Range(double low, double high) {
        /**
         * @throws IllegalArgumentException if a bound is not finite or {@code low > high}
         */
        public Range {
            if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
                throw new IllegalArgumentException("range " + low + ":" + high + " must have finite bounds with LO <= HI");
            }
            // + 0.0 turns -0.0 into 0.0, so that the stored form "0" parses back to an equal range.
            low += 0.0;
            high += 0.0;
        }

        /** The stored form {@code LO:HI}, e.g. {@code 0:4095} or {@code -0.5:1.5}. */
        @Override
        public String toString() {
            return formatNumber(low) + ":" + formatNumber(high);
        }
    }

    /** {@link #integer} ({@link Integer} values) or {@link #number} ({@link Double} values). */
    private static final class Bounded extends ParamType {
        private final boolean integral;
        private final double min;
        private final double max;

        Bounded(boolean integral, double min, double max) {
            this.integral = integral;
            this.min = min;
            this.max = max;
        }

        @Override
        public String allowed() {
            return (integral ? "integer" : "number") + " in [" + formatNumber(min) + ", " + formatNumber(max) + "]";
        }

        @Override
        public String requirement() {
            return (integral ? "an " : "a ") + allowed();
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", integral ? "integer" : "number");
            m.put("min", integral ? (Object) (int) min : (Object) min);
            m.put("max", integral ? (Object) (int) max : (Object) max);
            return Collections.unmodifiableMap(m);
        }

        @Override
        Object parse(String text) {
            Object v = integral ? (Object) Integer.parseInt(text.trim()) : (Object) (Double.parseDouble(text.trim()) + 0.0);
            if (!accepts(v)) {
                throw new IllegalArgumentException();
            }
            return v;
        }

        @Override
        boolean accepts(Object value) {
            if (!(integral ? value instanceof Integer : value instanceof Double)) {
                return false;
            }
            double v = ((Number) value).doubleValue();
            return v >= min && v <= max;
        }

        @Override
        String format(Object value) {
            return integral ? value.toString() : formatNumber((Double) value);
        }
    }

    /** {@link #oneOf} ({@link String} values) or {@link #keywordOrRange} (also {@link Range} values). */
    private static final class Words extends ParamType {
        private final List<String> words;
        private final boolean orRange;

        Words(List<String> words, boolean orRange) {
            this.words = words;
            this.orRange = orRange;
        }

        @Override
        public String allowed() {
            return orRange ? String.join(", ", words) + " or LO:HI (finite numbers, LO <= HI)" : "one of " + words;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", orRange ? "keyword-or-range" : "enum");
            m.put(orRange ? "keywords" : "values", words);
            return Collections.unmodifiableMap(m);
        }

        @Override
        Object parse(String text) {
            String t = text.trim();
            String word = word(words, t);
            if (word != null) {
                return word;
            }
            int colon = t.indexOf(':');
            if (!orRange || colon <= 0 || colon != t.lastIndexOf(':')) {
                throw new IllegalArgumentException();
            }
            return new Range(Double.parseDouble(t.substring(0, colon).trim()), Double.parseDouble(t.substring(colon + 1).trim()));
        }

        @Override
        boolean accepts(Object value) {
            return words.contains(value) || orRange && value instanceof Range;
        }
    }

    /** {@link #keywordOrValue}: a keyword ({@link String}) or a codec-defined value. */
    private static final class KeywordOrValue extends ParamType {
        /** Refused texts longer than this are shortened in messages. */
        private static final int SHOWN = 40;
        private final List<String> words;
        private final String valueDescription;
        private final Class<?> valueClass;
        private final Function<String, ?> parser;

        KeywordOrValue(List<String> words, String valueDescription, Class<?> valueClass, Function<String, ?> parser) {
            this.words = words;
            this.valueDescription = valueDescription;
            this.valueClass = valueClass;
            this.parser = parser;
        }

        @Override
        public String allowed() {
            return String.join(", ", words) + " or " + valueDescription;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", "keyword-or-value");
            m.put("keywords", words);
            m.put("value", valueDescription);
            return Collections.unmodifiableMap(m);
        }

        @Override
        Object parse(String text) {
            String word = word(words, text.trim());
            if (word != null) {
                return word;
            }
            Object v = parser.apply(text);
            if (!valueClass.isInstance(v)) {
                throw new IllegalArgumentException("the parser made no " + valueClass.getSimpleName());
            }
            return v;
        }

        @Override
        boolean accepts(Object value) {
            return words.contains(value) || valueClass.isInstance(value);
        }

        @Override
        String detail(IllegalArgumentException refusal) {
            return refusal.getMessage() == null ? "" : ": " + refusal.getMessage();
        }

        @Override
        String shown(String text) {
            return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "... (" + text.length() + " characters)";
        }
    }
}
