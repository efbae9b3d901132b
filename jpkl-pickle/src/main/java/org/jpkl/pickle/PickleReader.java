package org.jpkl.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.SourceInputStream;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.support.AbstractContainerReader;

/**
 * Reads a Python JPkl pickle. Opening parses the whole opcode stream once with {@link SafeUnpickler}
 * (which skips over every bytes payload, recording its offset and length) and validates the dict;
 * each slice is then one positional read. Protocols 0 to 2 spell bytes as latin-1 text (and Python 2
 * stored them as {@code str}), so their slices are decoded into memory at open (one copy each);
 * protocols 3 to 5 keep them in the file. The parse and the copy of the metadata share one
 * {@link PickleBudget}, so the whole open does work in proportion to the file's size.
 *
 * <p>Thread safety: concurrent {@link #readSlice} calls are safe.
 */
final class PickleReader extends AbstractContainerReader {
    private static final int MAX_METADATA_DEPTH = org.jpkl.api.Metadata.MAX_DEPTH;

    /** Per slice: file offset of the payload, or -1 when the bytes are in {@link #inline}. */
    private final long[] offsets;
    private final int[] lengths;
    /** Per slice bytes held in memory (protocols 0 to 2), or null when every slice is in the file. */
    private final byte[][] inline;

    private PickleReader(RandomAccessSource source, ContainerHeader header, long fileSize, long[] offsets, int[] lengths,
                         byte[][] inline) {
        super(source, header, fileSize, false);
        this.offsets = offsets;
        this.lengths = lengths;
        this.inline = inline;
    }

    /**
     * Parses and validates the pickle; closes {@code source} if that fails.
     *
     * @param jpeg the {@code jpeg} codec, asked for the parameters the pickle stands for; empty when
     *     it is not installed (then the header gives only what the pickle records)
     */
    static PickleReader open(RandomAccessSource source, Optional<SliceCodec> jpeg) throws IOException {
        return openOrClose(source, () -> read(source, jpeg));
    }

    private static PickleReader read(RandomAccessSource source, Optional<SliceCodec> jpeg) throws IOException {
        String name = source.name();
        long size = source.size();
        Object root;
        SourceInputStream in = source.openStream(0);
        PickleBudget budget = PickleBudget.forFile(size);
        try (in) {
            root = new SafeUnpickler(in, name, budget).loadAll();
        } catch (JpklFormatException e) {
            throw e;
        } catch (EOFException e) {
            throw new JpklFormatException(name, "pickle", "ends before its STOP opcode (truncated?): " + e.getMessage(), e);
        } catch (IOException e) {
            if (in.remaining() == 0) {
                throw new JpklFormatException(name, "pickle", "ends before its STOP opcode (truncated?): " + e.getMessage(), e);
            }
            throw e;
        }
        return new Parse(source, name, size, budget, jpeg).build(root);
    }

    /** Validation of the unpickled dict and construction of the reader. */
    private static final class Parse {
        private final RandomAccessSource source;
        private final String name;
        private final long size;
        private final PickleBudget budget;
        private final Optional<SliceCodec> jpeg;

        Parse(RandomAccessSource source, String name, long size, PickleBudget budget, Optional<SliceCodec> jpeg) {
            this.source = source;
            this.name = name;
            this.size = size;
            this.budget = budget;
            this.jpeg = jpeg;
        }

        PickleReader build(Object root) throws IOException {
            if (!(root instanceof Map)) {
                throw error("pickle", "holds a " + SafeUnpickler.describe(root) + ", not the dict a JPkl pickle is");
            }
            Map<?, ?> dict = (Map<?, ?>) root;
            checkHeaderTuple(dict.get(PickleLayout.HEADER), dict.containsKey(PickleLayout.HEADER));
            boolean color = bool(dict, PickleLayout.COLOR);
            int quality = (int) integer(required(dict, PickleLayout.JPEG_QUALITY), PickleLayout.JPEG_QUALITY, 0, 100);
            int[] dims = dimSizes(required(dict, PickleLayout.DIM_SIZES));
            List<String> dimNames = dimNames(dict.get(PickleLayout.DIM_NAMES), dims.length);
            Map<String, Object> metadata = metadata(dict.get(PickleLayout.METADATA));
            Object imagesValue = required(dict, PickleLayout.IMAGES);
            if (!(imagesValue instanceof Map)) {
                throw error(PickleLayout.IMAGES, "is a " + SafeUnpickler.describe(imagesValue) + ", not a dict");
            }
            Map<?, ?> images = (Map<?, ?>) imagesValue;

            long count = Shapes.product(dims);
            if (images.size() != count) {
                throw error(PickleLayout.IMAGES, "holds " + images.size() + " images; dim_sizes " + Shapes.format(dims)
                        + " needs " + count);
            }
            if (count == 0) {
                throw error(PickleLayout.IMAGES, "is empty, so the image height and width cannot be known");
            }
            KeySpace keys = new KeySpace(withPlane(dims, 1, 1, color), PlaneLayout.jpkl(color));
            long[] offsets = new long[Math.toIntExact(count)];
            int[] lengths = new int[Math.toIntExact(count)];
            byte[][] inline = null;
            Arrays.fill(offsets, Long.MIN_VALUE);
            for (Map.Entry<?, ?> e : images.entrySet()) {
                int[] key = key(e.getKey(), dims);
                int n = Math.toIntExact(keys.sliceNumber(key));
                if (offsets[n] != Long.MIN_VALUE) {
                    throw error(PickleLayout.IMAGES, "holds the key " + Shapes.format(key) + " twice");
                }
                Object value = e.getValue();
                if (value instanceof StoredBytes) {
                    StoredBytes b = (StoredBytes) value;
                    offsets[n] = b.offset();
                    lengths[n] = Math.toIntExact(b.length());
                } else if (value instanceof byte[] || value instanceof String) {
                    if (inline == null) {
                        inline = new byte[Math.toIntExact(count)][];
                    }
                    inline[n] = value instanceof byte[] ? (byte[]) value : python2Str((String) value, key);
                    offsets[n] = -1;
                    lengths[n] = inline[n].length;
                } else {
                    throw error("images[" + Shapes.format(key) + "]", "is a " + SafeUnpickler.describe(value)
                            + ", not the bytes of a JPEG image");
                }
            }

            JpegFrame frame = offsets[0] >= 0
                    ? JpegFrame.read(source, offsets[0], lengths[0], "images[" + keys.describe(0) + "]")
                    : JpegFrame.read(RandomAccessSource.of(name, inline[0]), 0, lengths[0], "images[" + keys.describe(0) + "]");
            int components = color ? 3 : 1;
            if (frame.precision() != 8 || frame.components() != components) {
                throw error("images[" + keys.describe(0) + "]", "is a " + frame.precision() + "-bit JPEG with "
                        + frame.components() + " components; 'color' is " + (color ? "True" : "False") + ", so "
                        + components + " 8-bit components are expected");
            }
            int[] shape = withPlane(dims, frame.height(), frame.width(), color);
            List<String> axisNames = new ArrayList<>();
            if (dimNames != null) {
                axisNames.addAll(ContainerHeader.defaultAxisNames(shape.length, PlaneLayout.jpkl(color))
                        .subList(0, color ? 3 : 2));
                axisNames.addAll(dimNames);
            }
            ContainerHeader header;
            try {
                header = new ContainerHeader(shape, DType.UINT8, PlaneLayout.jpkl(color), axisNames, PickleLayout.CODEC,
                        PickleLayout.codecParams(jpeg, quality, color, frame.subsampling()), metadata);
            } catch (IllegalArgumentException e) {
                throw error("header", e.getMessage());
            }
            return new PickleReader(source, header, size, offsets, lengths, inline);
        }

        private void checkHeaderTuple(Object value, boolean present) throws JpklFormatException {
            if (!present) {
                throw error("pickle", "is a dict without a 'header' entry, so not a JPkl pickle");
            }
            List<Object> items = sequence(value);
            if (items == null || items.size() != 2 || !PickleLayout.MAGIC.equals(items.get(0))) {
                throw error(PickleLayout.HEADER, "is " + show(value) + ", not ('JPkl', version): not a JPkl pickle");
            }
            if (!PickleLayout.VERSION.equals(items.get(1))) {
                throw error(PickleLayout.HEADER, "names format version " + show(items.get(1)) + "; this reader reads version '"
                        + PickleLayout.VERSION + "'");
            }
        }

        private Object required(Map<?, ?> dict, String key) throws JpklFormatException {
            if (!dict.containsKey(key)) {
                throw error("pickle", "has no '" + key + "' entry; a JPkl pickle has " + List.of(PickleLayout.HEADER,
                        PickleLayout.COLOR, PickleLayout.JPEG_QUALITY, PickleLayout.IMAGES, PickleLayout.DIM_NAMES,
                        PickleLayout.DIM_SIZES, PickleLayout.METADATA));
            }
            return dict.get(key);
        }

        private boolean bool(Map<?, ?> dict, String key) throws JpklFormatException {
            Object v = required(dict, key);
            if (!(v instanceof Boolean)) {
                throw error(key, "is " + show(v) + ", not a bool");
            }
            return (Boolean) v;
        }

        private long integer(Object v, String what, long min, long max) throws JpklFormatException {
            if (!(v instanceof Integer || v instanceof Long)) {
                throw error(what, "is " + show(v) + ", not an int in [" + min + ", " + max + "]");
            }
            long x = ((Number) v).longValue();
            if (x < min || x > max) {
                throw error(what, "is " + x + ", outside [" + min + ", " + max + "]");
            }
            return x;
        }

        private int[] dimSizes(Object v) throws JpklFormatException {
            List<Object> items = sequence(v);
            if (items == null) {
                throw error(PickleLayout.DIM_SIZES, "is " + show(v) + ", not a tuple of ints");
            }
            if (items.size() > Shapes.MAX_NDIM - 3) {
                throw error(PickleLayout.DIM_SIZES, "has " + items.size() + " axes; at most " + (Shapes.MAX_NDIM - 3)
                        + " fit beside height, width and colour");
            }
            int[] dims = new int[items.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = (int) integer(items.get(i), PickleLayout.DIM_SIZES + "[" + i + "]", 0, Integer.MAX_VALUE);
            }
            try {
                Shapes.product(dims);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw error(PickleLayout.DIM_SIZES, Shapes.format(dims) + " has too many elements");
            }
            return dims;
        }

        /** The key axis names, or null for the defaults (missing, None or empty). */
        private List<String> dimNames(Object v, int count) throws JpklFormatException {
            if (v == null) {
                return null;
            }
            List<Object> items = sequence(v);
            if (items == null) {
                throw error(PickleLayout.DIM_NAMES, "is " + show(v) + ", not a list of str");
            }
            if (items.isEmpty() && count > 0) {
                return null;
            }
            if (items.size() != count) {
                throw error(PickleLayout.DIM_NAMES, "has " + items.size() + " names; dim_sizes has " + count + " axes");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof String)) {
                    throw error(PickleLayout.DIM_NAMES + "[" + i + "]", "is " + show(items.get(i)) + ", not a str");
                }
                names.add((String) items.get(i));
            }
            return names;
        }

        private Map<String, Object> metadata(Object v) throws JpklFormatException {
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Map)) {
                throw error(PickleLayout.METADATA, "is " + show(v) + ", not a dict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) plain(v, PickleLayout.METADATA, 0);
            return m;
        }

        /**
         * The bytes of a Python 2 {@code str} (read as latin-1 text; Python 2's JPkl stored its JPEG
         * bytes as str), counted against the budget.
         */
        private byte[] python2Str(String text, int[] key) throws JpklFormatException {
            charge(budget.bytes(text.length()), "images[" + Shapes.format(key) + "]");
            byte[] bytes = new byte[text.length()];
            for (int i = 0; i < bytes.length; i++) {
                char c = text.charAt(i);
                if (c > 0xFF) {
                    throw error("images[" + Shapes.format(key) + "]", "is a str holding U+" + Integer.toHexString(c)
                            + ", not the bytes of a JPEG image");
                }
                bytes[i] = (byte) c;
            }
            return bytes;
        }

        private void charge(String excess, String path) throws JpklFormatException {
            if (excess != null) {
                throw error(path, excess);
            }
        }

        /**
         * A Python value as a JSON-compatible Java value (tuples become lists). Each node visited
         * counts against the budget (a shared one once per visit), and each str its length, so the
         * copy is as large as the budget allows at most.
         */
        private Object plain(Object v, String path, int depth) throws JpklFormatException {
            if (depth > MAX_METADATA_DEPTH) {
                throw error(path, "is nested deeper than " + MAX_METADATA_DEPTH + " levels (or refers to itself)");
            }
            charge(budget.nodes(1), path);
            if (v instanceof String) {
                charge(budget.bytes(((String) v).length()), path);
                return v;
            }
            if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                return v;
            }
            if (v instanceof BigInteger) {
                if (((BigInteger) v).bitLength() > 63) {
                    throw error(path, "is the int " + v + ", which does not fit in 64 bits (jpkl metadata is JSON)");
                }
                return ((BigInteger) v).longValue();
            }
            if (v instanceof Double) {
                if (!Double.isFinite((Double) v)) {
                    throw error(path, "is the float " + v + "; jpkl metadata is JSON, which has no NaN or infinity");
                }
                return v;
            }
            if (v instanceof StoredBytes || v instanceof byte[]) {
                throw error(path, "is a bytes object; jpkl metadata is JSON, which cannot hold bytes");
            }
            List<Object> items = sequence(v);
            if (items != null) {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    out.add(plain(items.get(i), path + "[" + i + "]", depth + 1));
                }
                return out;
            }
            if (v instanceof Map) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!(e.getKey() instanceof String)) {
                        throw error(path, "has the key " + show(e.getKey()) + "; jpkl metadata (JSON) needs str keys");
                    }
                    String k = (String) e.getKey();
                    charge(budget.bytes(k.length()), path);
                    // A key shortened in the path: the path of a deep node must not grow with the length of its keys.
                    out.put(k, plain(e.getValue(), path + "." + (k.length() > 40 ? k.substring(0, 40) + "..." : k), depth + 1));
                }
                return out;
            }
            throw error(path, "is a " + SafeUnpickler.describe(v) + ", which is not one of " + SafeUnpickler.ALLOWED_TYPES);
        }

        private int[] key(Object k, int[] dims) throws JpklFormatException {
            List<Object> items = k instanceof Object[] ? Arrays.asList((Object[]) k) : null;
            if (items == null || items.size() != dims.length) {
                throw error(PickleLayout.IMAGES, "has the key " + show(k) + "; keys are tuples of " + dims.length + " ints");
            }
            int[] key = new int[dims.length];
            for (int i = 0; i < key.length; i++) {
                Object x = items.get(i);
                if (!(x instanceof Integer || x instanceof Long) || ((Number) x).longValue() < 0
                        || ((Number) x).longValue() >= dims[i]) {
                    throw error(PickleLayout.IMAGES, "has the key " + show(k) + "; position " + i + " must be an int in [0, "
                            + dims[i] + ")");
                }
                key[i] = ((Number) x).intValue();
            }
            return key;
        }

        private JpklFormatException error(String region, String detail) {
            return new JpklFormatException(name, region, detail);
        }
    }

    /** The items of a tuple or list, else null. */
    private static List<Object> sequence(Object v) {
        if (v instanceof Object[]) {
            return Arrays.asList((Object[]) v);
        }
        if (v instanceof List) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) v;
            return l;
        }
        return null;
    }

    /** A short rendering of a Python value for messages. */
    static String show(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String) {
            String s = (String) v;
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (v instanceof Object[]) {
            Object[] a = (Object[]) v;
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < a.length && i < 8; i++) {
                sb.append(i > 0 ? ", " : "").append(a[i] instanceof Object[] || a[i] instanceof List ? "..." : show(a[i]));
            }
            return sb.append(a.length > 8 ? ", ...)" : a.length == 1 ? ",)" : ")").toString();
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? "True" : "False";
        }
        if (v instanceof Number) {
            return v.toString();
        }
        return "a " + SafeUnpickler.describe(v);
    }

    private static int[] withPlane(int[] dims, int height, int width, boolean color) {
        int plane = color ? 3 : 2;
        int[] shape = new int[plane + dims.length];
        shape[0] = height;
        shape[1] = width;
        if (color) {
            shape[2] = 3;
        }
        System.arraycopy(dims, 0, shape, plane, dims.length);
        return shape;
    }

    @Override
    public String serializerId() {
        return PickleSerializer.ID;
    }

    /** Pickles have no checksums: {@code verify} is ignored; so are {@code buffers} (a slice may be in memory). */
    @Override
    protected ByteBuffer readChecked(long sliceNumber, boolean verify, IntFunction<ByteBuffer> buffers) throws IOException {
        int n = Math.toIntExact(sliceNumber);
        if (offsets[n] < 0) {
            return ByteBuffer.wrap(inline[n].clone());
        }
        return readFully(offsets[n], lengths[n], "images[" + header().keySpace().describe(n) + "]", "file");
    }

    @Override
    protected long storedLength(long sliceNumber) {
        return lengths[Math.toIntExact(sliceNumber)];
    }

    @Override
    public String toString() {
        return "PickleReader[" + name() + ", " + offsets.length + " slices" + (inline != null ? ", in memory" : "") + "]";
    }
}
