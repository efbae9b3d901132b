package org.jpkl.deflate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A reversible rearrangement of a plane's samples applied before the bytes are compressed, so the
 * compressor sees more redundancy. Every filter is an exact inverse of its decoder: integers,
 * and floats bit for bit (NaN payloads, -0.0, infinities and subnormals included).
 *
 * <p>Samples are serialised little-endian. Then:
 * <ul>
 *   <li>{@link #NONE}: the little-endian bytes as they are.</li>
 *   <li>{@link #SHUFFLE}: the byte shuffle of Blosc and HDF5: all first (lowest) bytes of the
 *       plane's samples, then all second bytes, and so on. On camera data the high bytes are nearly
 *       constant and compress very well once they are grouped; for uint8 it is the identity.</li>
 *   <li>{@link #DELTA}: horizontal differencing along each row, then the shuffle. Each sample is
 *       replaced by its difference to the same channel of the previous pixel of the row (the first
 *       pixel of each row is kept): a wrapping subtraction for integer dtypes, and for float32/float64
 *       the XOR of the raw IEEE bit patterns, which is exact for every value.</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 */
public enum PlaneFilter {
    /** Little-endian samples unchanged. */
    NONE("none", 0),
    /** Byte shuffle (Blosc/HDF5 style). */
    SHUFFLE("shuffle", 1),
    /** Horizontal differencing (XOR for floats) followed by the byte shuffle. */
    DELTA("delta", 2),
    /** Bit-plane transpose (Blosc/HDF5 bitshuffle). */
    BITSHUFFLE("bitshuffle", 3);

    private final String id;
    private final int code;

    PlaneFilter(String id, int code) {
        this.id = id;
        this.code = code;
    }

    /** The name used in codec parameters, e.g. {@code "shuffle"}. */
    public String id() {
        return id;
    }

    /** The number stored in each encoded plane's header. */
    public int code() {
        return code;
    }

    /** The filter stored under {@code code} in a plane header, or null if none is. */
    public static PlaneFilter ofCode(int code) {
        for (PlaneFilter f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }

    /**
     * The filter named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static PlaneFilter parse(String name) {
        if (name != null) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            for (PlaneFilter f : values()) {
                if (f.id.equals(lower)) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException("filter '" + name + "' is not supported; allowed: " + allowedNames());
    }

    /** The accepted names, e.g. {@code [none, shuffle, delta, bitshuffle]}. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(PlaneFilter::id).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The parameter value, e.g. {@code shuffle}. */
    @Override
    public String toString() {
        return id;
    }
}
