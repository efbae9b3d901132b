package org.jpkl.npy;

import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.api.DType;

/**
 * A dtype as NumPy spells it, with the byte order the spelling states, if any. Accepted spellings
 * (those {@code numpy.dtype} accepts for the dtypes jpkl stores):
 * <ul>
 *   <li>names, case-insensitive: {@code uint8 uint16 int16 int32 float32 float64} (no byte order);</li>
 *   <li>type strings, case-sensitive: {@code u1 u2 i2 i4 f4 f8} and the one-character codes
 *       {@code B H h i f d}, each with an optional byte-order prefix: {@code <} little-endian,
 *       {@code >} big-endian, {@code =} this machine's order, {@code |} not applicable (no byte
 *       order stated, as without a prefix).</li>
 * </ul>
 * One-byte types have no byte order: {@code >u1} states none, as NumPy normalises it to {@code |u1}.
 *
 * <p>Thread safety: immutable.
 */
public final class NumpyType {
    private static final Map<String, DType> CODES = Map.ofEntries(
            Map.entry("u1", DType.UINT8), Map.entry("B", DType.UINT8),
            Map.entry("u2", DType.UINT16), Map.entry("H", DType.UINT16),
            Map.entry("i2", DType.INT16), Map.entry("h", DType.INT16),
            Map.entry("i4", DType.INT32), Map.entry("i", DType.INT32),
            Map.entry("f4", DType.FLOAT32), Map.entry("f", DType.FLOAT32),
            Map.entry("f8", DType.FLOAT64), Map.entry("d", DType.FLOAT64));

    private final DType dtype;
    private final ByteOrder byteOrder;

    private NumpyType(DType dtype, ByteOrder byteOrder) {
        this.dtype = dtype;
        this.byteOrder = byteOrder;
    }

    /**
     * Parses a NumPy spelling, e.g. {@code uint16}, {@code u2}, {@code <u2}, {@code >f4}, {@code |u1}.
     *
     * @throws IllegalArgumentException naming the spelling and the accepted ones
     */
    public static NumpyType parse(String spelling) {
        Objects.requireNonNull(spelling, "spelling");
        String s = spelling.strip();
        for (DType d : DType.values()) {
            if (d.numpyName().equalsIgnoreCase(s)) {
                return new NumpyType(d, null);
            }
        }
        ByteOrder order = null;
        String code = s;
        if (!s.isEmpty() && "<>=|".indexOf(s.charAt(0)) >= 0) {
            code = s.substring(1);
            switch (s.charAt(0)) {
                case '<':
                    order = ByteOrder.LITTLE_ENDIAN;
                    break;
                case '>':
                    order = ByteOrder.BIG_ENDIAN;
                    break;
                case '=':
                    order = ByteOrder.nativeOrder();
                    break;
                default:
                    break;
            }
        }
        DType dtype = CODES.get(code);
        if (dtype == null) {
            throw new IllegalArgumentException("dtype '" + spelling + "' is not supported; allowed: " + allowedSpellings());
        }
        return new NumpyType(dtype, dtype.byteSize() == 1 ? null : order);
    }

    /** The spellings {@link #parse} accepts, for messages. */
    public static String allowedSpellings() {
        return DType.allowedNames() + " or NumPy type strings such as u1, u2, i2, i4, f4, f8 (also B, H, h, i, f, d) with an"
                + " optional byte-order prefix < (little), > (big), = (this machine's) or |";
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The byte order the spelling states; empty for names, no prefix, {@code |}, and one-byte types. */
    public Optional<ByteOrder> byteOrder() {
        return Optional.ofNullable(byteOrder);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumpyType && ((NumpyType) o).dtype == dtype && Objects.equals(((NumpyType) o).byteOrder, byteOrder);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, byteOrder);
    }

    /** E.g. {@code >u2}, {@code uint16} (no byte order stated). */
    @Override
    public String toString() {
        return byteOrder == null ? dtype.numpyName() : NpyHeader.descr(dtype, byteOrder);
    }
}
