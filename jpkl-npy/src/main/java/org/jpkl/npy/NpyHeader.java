package org.jpkl.npy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.Shapes;
import org.jpkl.api.io.RandomAccessSource;

/**
 * The header of a NumPy {@code .npy} file, as documented in {@code numpy.lib.format}: the magic
 * {@code \x93NUMPY}, a major and minor version byte, the header length (2 bytes little-endian in
 * version 1.0, 4 bytes in 2.0 and 3.0), then a Python dict literal with the keys {@code descr}
 * (e.g. {@code '<u2'}), {@code fortran_order} and {@code shape}, padded with spaces and ended by
 * {@code \n} so that the data starts at a multiple of 64 bytes. Headers are written byte for byte as
 * {@code numpy.save} writes them (NumPy 1.24 and later, including the spare spaces it leaves so the
 * length of the growing axis can be rewritten in place). The data follows: the elements in C
 * order, or in Fortran order when {@code fortran_order} is true, in the byte order of {@code descr}.
 *
 * <p>Only the dtypes jpkl stores are accepted ({@code u1 u2 i2 i4 f4 f8}, any byte order); other
 * dtypes are refused with a message naming them, never converted.
 *
 * <p>Thread safety: immutable.
 */
public final class NpyHeader {
    /** The six magic bytes every .npy file starts with. */
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the start of the data to this many bytes. */
    private static final int ALIGN = 64;
    /** NumPy pads the header so the length of the growing axis can take this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Refuse headers larger than this (a hostile file could claim gigabytes). */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private final DType dtype;
    private final ByteOrder byteOrder;
    private final boolean fortranOrder;
    private final int[] shape;
    private final long dataOffset;
    private final int majorVersion;

    private NpyHeader(DType dtype, ByteOrder byteOrder, boolean fortranOrder, int[] shape, long dataOffset, int majorVersion) {
        this.dtype = dtype;
        this.byteOrder = byteOrder;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
        this.majorVersion = majorVersion;
    }

    /**
     * A header for writing.
     *
     * @param shape any number of axes (0 for a scalar), each {@code >= 0}
     * @throws IllegalArgumentException for a negative axis length
     */
    public static NpyHeader of(DType dtype, ByteOrder byteOrder, boolean fortranOrder, int... shape) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(byteOrder, "byteOrder");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative axis length");
            }
        }
        NpyHeader draft = new NpyHeader(dtype, byteOrder, fortranOrder, shape.clone(), 0, 1);
        byte[] bytes = draft.toBytes();
        return new NpyHeader(dtype, byteOrder, fortranOrder, shape.clone(), bytes.length, bytes[6]);
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The byte order of the data. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** Whether the data is in Fortran (column-major) order rather than C order. */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** The array's shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Where the data starts: the total header length in bytes (a multiple of 64). */
    public long dataOffset() {
        return dataOffset;
    }

    /** The format's major version: 1 (2-byte header length) or 2 (4-byte); 3 when read from a 3.0 file. */
    public int majorVersion() {
        return majorVersion;
    }

    /** Bytes of the data: elements times the element size. */
    public long dataBytes() {
        return Shapes.product(shape) * dtype.byteSize();
    }

    /** NumPy's type string, e.g. {@code '<u2'}, {@code '|u1'}, {@code '>f4'}. */
    public String descr() {
        return descr(dtype, byteOrder);
    }

    /** NumPy's type string of a dtype in a byte order, e.g. {@code <u2}; one-byte types use {@code |}. */
    public static String descr(DType dtype, ByteOrder order) {
        String code;
        switch (dtype) {
            case UINT8:
                return "|u1";
            case UINT16:
                code = "u2";
                break;
            case INT16:
                code = "i2";
                break;
            case INT32:
                code = "i4";
                break;
            case FLOAT32:
                code = "f4";
                break;
            default:
                code = "f8";
                break;
        }
        return (order == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + code;
    }

    /**
     * The whole header: magic, version, length and the padded dict. Version 1.0 unless the dict is
     * longer than 65535 bytes, then 2.0 (as NumPy does).
     */
    public byte[] toBytes() {
        StringBuilder dict = new StringBuilder();
        dict.append("{'descr': '").append(descr()).append("', 'fortran_order': ").append(fortranOrder ? "True" : "False")
                .append(", 'shape': (");
        for (int a = 0; a < shape.length; a++) {
            dict.append(a == 0 ? "" : ", ").append(shape[a]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            // As numpy.lib.format does: room for the growing axis's length to be rewritten in place.
            int growing = shape[fortranOrder ? shape.length - 1 : 0];
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Integer.toString(growing).length())));
        }
        int version = 1;
        int prefix = MAGIC.length + 2 + 2;
        int padded = paddedLength(dict.length() + 1, prefix);
        if (padded > 0xFFFF) {
            version = 2;
            prefix = MAGIC.length + 2 + 4;
            padded = paddedLength(dict.length() + 1, prefix);
        }
        while (dict.length() < padded - 1) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix + text.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) version;
        out[7] = 0;
        int len = text.length;
        out[8] = (byte) len;
        out[9] = (byte) (len >>> 8);
        if (version == 2) {
            out[10] = (byte) (len >>> 16);
            out[11] = (byte) (len >>> 24);
        }
        System.arraycopy(text, 0, out, prefix, text.length);
        return out;
    }

    private static int paddedLength(int dictWithNewline, int prefix) {
        int total = prefix + dictWithNewline;
        int rounded = (total + ALIGN - 1) / ALIGN * ALIGN;
        return rounded - prefix;
    }

    /** Whether {@code bytes} (at least the first 6 of a file) start with the .npy magic. */
    public static boolean hasMagic(byte[] bytes, int length) {
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a header from the start of a stream, leaving the stream at the first data byte.
     *
     * @param name the file or stream name, for messages
     * @throws JpklFormatException if the bytes are not a .npy header, or the dtype is not one jpkl stores
     */
    public static NpyHeader read(InputStream in, String name) throws IOException {
        return read(in, name, -1);
    }

    /**
     * Reads the header at the start of {@code source}. The header length the file states is checked
     * against the file's size (and a limit of 1 MiB) before anything is allocated for it.
     *
     * @throws JpklFormatException naming the source, as {@link #read(InputStream, String)} does, and
     *     when the stated header length passes the end of the file
     */
    public static NpyHeader read(RandomAccessSource source) throws IOException {
        try (InputStream in = source.openStream(0)) {
            return read(in, source.name(), source.size());
        }
    }

    /** @param available the bytes the stream holds in all, or -1 if unknown */
    private static NpyHeader read(InputStream in, String name, long available) throws IOException {
        byte[] fixed = readFully(in, 10, name);
        if (!hasMagic(fixed, fixed.length)) {
            throw new JpklFormatException(name, "npy header", "not a NumPy .npy file (no \\x93NUMPY magic)");
        }
        int major = fixed[6] & 0xFF;
        int minor = fixed[7] & 0xFF;
        long length;
        int prefix;
        if (major == 1 && minor == 0) {
            length = (fixed[8] & 0xFF) | (fixed[9] & 0xFF) << 8;
            prefix = 10;
        } else if ((major == 2 || major == 3) && minor == 0) {
            byte[] more = readFully(in, 2, name);
            length = (fixed[8] & 0xFFL) | (fixed[9] & 0xFFL) << 8 | (more[0] & 0xFFL) << 16 | (more[1] & 0xFFL) << 24;
            prefix = 12;
        } else {
            throw new JpklFormatException(name, "npy header", "format version " + major + "." + minor
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (length > MAX_HEADER_BYTES) {
            throw new JpklFormatException(name, "npy header", "header length " + length + " exceeds " + MAX_HEADER_BYTES + " bytes");
        }
        if (available >= 0 && prefix + length > available) {
            throw new JpklFormatException(name, "npy header", "states a header of " + (prefix + length) + " bytes; the file has "
                    + available);
        }
        byte[] text = readFully(in, (int) length, name);
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(dict, name, prefix + length, major);
    }

    private static byte[] readFully(InputStream in, int n, String name) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new JpklFormatException(name, "npy header", "file ends inside the header",
                    new EOFException(b.length + " of " + n + " bytes"));
        }
        return b;
    }

    private static NpyHeader parse(String dict, String name, long dataOffset, int major) throws JpklFormatException {
        Map<String, Object> map;
        try {
            Object value = new LiteralParser(dict).parseTop();
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException("the header is not a dict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value;
            map = m;
        } catch (IllegalArgumentException e) {
            throw new JpklFormatException(name, "npy header", "cannot parse " + abbreviate(dict) + ": " + e.getMessage(), e);
        }
        Object descr = map.get("descr");
        Object fortran = map.get("fortran_order");
        Object shapeValue = map.get("shape");
        if (!(descr instanceof String)) {
            throw new JpklFormatException(name, "npy header", descr instanceof List
                    ? "structured dtype " + descr + " is not supported; jpkl stores plain numeric arrays"
                    : "'descr' is missing or not a string in " + abbreviate(dict));
        }
        if (!(fortran instanceof Boolean)) {
            throw new JpklFormatException(name, "npy header", "'fortran_order' is missing or not True/False in " + abbreviate(dict));
        }
        if (!(shapeValue instanceof List)) {
            throw new JpklFormatException(name, "npy header", "'shape' is missing or not a tuple in " + abbreviate(dict));
        }
        List<?> dims = (List<?>) shapeValue;
        int[] shape = new int[dims.size()];
        for (int a = 0; a < shape.length; a++) {
            Object d = dims.get(a);
            if (!(d instanceof Long) || (Long) d < 0 || (Long) d > Integer.MAX_VALUE) {
                throw new JpklFormatException(name, "npy header", "shape " + dims + ": axis " + a + " length " + d
                        + " is not in [0, " + Integer.MAX_VALUE + "]");
            }
            shape[a] = (int) (long) (Long) d;
        }
        try {
            Shapes.product(shape);
        } catch (IllegalArgumentException e) {
            throw new JpklFormatException(name, "npy header", e.getMessage(), e);
        }
        String type = (String) descr;
        DType dtype = parseDescr(type, name);
        ByteOrder order;
        switch (type.charAt(0)) {
            case '>':
                order = ByteOrder.BIG_ENDIAN;
                break;
            case '<':
            case '|':
                order = ByteOrder.LITTLE_ENDIAN;
                break;
            default:
                order = ByteOrder.nativeOrder();
                break;
        }
        return new NpyHeader(dtype, order, (Boolean) fortran, shape, dataOffset, major);
    }

    private static DType parseDescr(String descr, String name) throws JpklFormatException {
        try {
            return NumpyType.parse(descr).dtype();
        } catch (IllegalArgumentException e) {
            throw new JpklFormatException(name, "npy header", "NumPy dtype '" + descr + "' is not supported; jpkl stores "
                    + "uint8 (u1), uint16 (u2), int16 (i2), int32 (i4), float32 (f4) and float64 (f8); convert first, "
                    + "e.g. numpy.save(f, a.astype('float32'))", e);
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 120 ? t : t.substring(0, 117) + "...";
    }

    @Override
    public String toString() {
        return "NpyHeader[descr " + descr() + ", fortran_order " + fortranOrder + ", shape " + Shapes.format(shape) + "]";
    }

    /**
     * Parses the Python literal subset used by .npy headers: dicts, strings, True/False, tuples and
     * lists of those and of integers (optionally with Python 2's {@code L} suffix).
     */
    private static final class LiteralParser {
        private final String text;
        private int pos;
        private int depth;

        LiteralParser(String text) {
            this.text = text;
        }

        Object parseTop() {
            Object v = value();
            skipSpace();
            if (pos != text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.charAt(pos) + "' at " + pos);
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            if (++depth > 16) {
                throw new IllegalArgumentException("nested too deeply");
            }
            try {
                char c = text.charAt(pos);
                if (c == '{') {
                    return dict();
                }
                if (c == '(' || c == '[') {
                    return sequence(c == '(' ? ')' : ']');
                }
                if (c == '\'' || c == '"') {
                    return string();
                }
                if (text.startsWith("True", pos)) {
                    pos += 4;
                    return Boolean.TRUE;
                }
                if (text.startsWith("False", pos)) {
                    pos += 5;
                    return Boolean.FALSE;
                }
                return integer();
            } finally {
                depth--;
            }
        }

        private Map<String, Object> dict() {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                Object key = value();
                if (!(key instanceof String)) {
                    throw new IllegalArgumentException("dict key " + key + " is not a string");
                }
                skipSpace();
                expect(':');
                map.put((String) key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + pos);
                }
            }
        }

        private List<Object> sequence(char close) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    return items;
                }
                items.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != close) {
                    throw new IllegalArgumentException("expected ',' or '" + close + "' at " + pos);
                }
            }
        }

        private String string() {
            char quote = text.charAt(pos++);
            int end = text.indexOf(quote, pos);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string at " + pos);
            }
            String s = text.substring(pos, end);
            pos = end + 1;
            return s;
        }

        private Long integer() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == start || (pos == start + 1 && text.charAt(start) == '-')) {
                throw new IllegalArgumentException("unexpected '" + text.charAt(start) + "' at " + start);
            }
            String digits = text.substring(start, pos);
            if (peek() == 'L') {
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("integer " + digits + " is too large", e);
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos);
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
