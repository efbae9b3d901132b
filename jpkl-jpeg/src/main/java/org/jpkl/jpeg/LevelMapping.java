package org.jpkl.jpeg;

import java.nio.ByteBuffer;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.jpeg.JpegParams.Transfer;
import org.jpkl.jpeg.JpegParams.Window;

/**
 * One slice's map between the values of a non-uint8 plane and the 8-bit levels 0..255 that JPEG
 * stores, and its on-disk form, an APP9 segment (layout in {@code MAPPING.md}).
 *
 * <p>With {@code R = HI - LO}, a value {@code x} in [LO, HI] becomes the level
 * {@code q = round(255 (x - LO) / R)} (linear) or {@code q = round(255 sqrt(x - LO) / sqrt(R))} (sqrt),
 * and level {@code q} decodes to {@code LO + q R / 255} or {@code LO + (q sqrt(R) / 255)^2}, rounded
 * to the nearest integer for integer dtypes. Values outside a fixed window are clipped to it; NaN and
 * infinities are refused. The arithmetic works on halves ({@code x/2 - LO/2}), which is exact for
 * every dtype and cannot overflow even when {@code R} exceeds {@link Double#MAX_VALUE}.
 *
 * <p>Thread safety: immutable.
 */
final class LevelMapping {
    /** The marker of the segment that holds the mapping: APP9. */
    static final int MARKER = 0xE9;
    /** The identifier the segment's payload starts with, as other APPn segments do ({@code "JFIF\0"}); ASCII. */
    private static final String IDENTIFIER = "JPKL\0";
    /** The segment layout version this code writes and reads. */
    static final int VERSION = 1;
    /** Payload bytes: identifier, version, dtype code, transfer code, LO and HI as binary64. */
    static final int PAYLOAD_LENGTH = IDENTIFIER.length() + 3 + 16;
    /** Bytes of the whole segment: marker, length field, payload. */
    static final int SEGMENT_LENGTH = 4 + PAYLOAD_LENGTH;
    /** Where LO and HI (16 bytes, the only bytes that differ between slices of one plane spec and transfer) start in the segment. */
    static final int BOUNDS_OFFSET = 4 + IDENTIFIER.length() + 3;

    private final DType dtype;
    private final Transfer transfer;
    private final double low;
    private final double high;
    private final double halfLow;
    /** {@code HI/2 - LO/2} (linear) or its square root (sqrt): the span that 255 levels cover. */
    private final double span;
    /** Levels per unit of span; 0 for an empty window (LO == HI), where every value is LO. */
    private final double levelsPerUnit;

    private LevelMapping(DType dtype, Transfer transfer, double low, double high) {
        this.dtype = dtype;
        this.transfer = transfer;
        this.low = low;
        this.high = high;
        this.halfLow = low * 0.5;
        double halfRange = high * 0.5 - halfLow;
        this.span = transfer == Transfer.SQRT ? Math.sqrt(halfRange) : halfRange;
        this.levelsPerUnit = span > 0 ? 255 / span : 0;
    }

    /** The mapping of {@code dtype} with {@code transfer} over the window [low, high] (e.g. a segment template). */
    static LevelMapping of(DType dtype, Transfer transfer, double low, double high) {
        return new LevelMapping(dtype, transfer, low, high);
    }

    /**
     * The mapping for encoding one plane: the window from {@code params} (a slice window is the plane's
     * own min..max), checking that every value is finite.
     *
     * @throws IllegalArgumentException for NaN or an infinity in the plane, or an unbound global window
     */
    static LevelMapping forPlane(PlaneBuffer plane, JpegParams params) {
        Window window = params.window();
        switch (window.kind()) {
            case FIXED:
                return new LevelMapping(plane.spec().dtype(), params.transfer(), window.low(), window.high());
            case SLICE:
                double[] range = range(plane);
                return new LevelMapping(plane.spec().dtype(), params.transfer(), range[0], range[1]);
            default:
                throw JpegCodec.unboundGlobalWindow();
        }
    }

    /**
     * {min, max} of a plane's samples (unsigned dtypes read unsigned).
     *
     * @throws IllegalArgumentException for NaN or an infinity
     */
    static double[] range(PlaneBuffer plane) {
        int n = plane.spec().sampleCount();
        int off = plane.offset();
        double min;
        double max;
        switch (plane.spec().dtype()) {
            case UINT16: {
                short[] a = plane.shorts();
                int lo = 0xFFFF;
                int hi = 0;
                for (int i = off; i < off + n; i++) {
                    int v = a[i] & 0xFFFF;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min = lo;
                max = hi;
                break;
            }
            case INT16: {
                short[] a = plane.shorts();
                int lo = Short.MAX_VALUE;
                int hi = Short.MIN_VALUE;
                for (int i = off; i < off + n; i++) {
                    int v = a[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min = lo;
                max = hi;
                break;
            }
            case INT32: {
                int[] a = plane.ints();
                int lo = Integer.MAX_VALUE;
                int hi = Integer.MIN_VALUE;
                for (int i = off; i < off + n; i++) {
                    int v = a[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min = lo;
                max = hi;
                break;
            }
            case FLOAT32: {
                float[] a = plane.floats();
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int i = off; i < off + n; i++) {
                    float v = a[i];
                    if (!Float.isFinite(v)) {
                        throw nonFinite(plane.spec(), i - off, v);
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min = lo;
                max = hi;
                break;
            }
            case FLOAT64: {
                double[] a = plane.doubles();
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = off; i < off + n; i++) {
                    double v = a[i];
                    if (!Double.isFinite(v)) {
                        throw nonFinite(plane.spec(), i - off, v);
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min = lo;
                max = hi;
                break;
            }
            default:
                throw new IllegalArgumentException("the 8-bit mapping is for non-uint8 planes; got " + plane.spec());
        }
        // + 0.0 turns -0.0 into 0.0 so that a stored window compares as it prints.
        return new double[] {min + 0.0, max + 0.0};
    }

    static IllegalArgumentException nonFinite(PlaneSpec spec, int sample, double value) {
        int samplesPerPixel = spec.channels().samplesPerPixel();
        int pixel = sample / samplesPerPixel;
        return new IllegalArgumentException("sample " + sample + " (row " + pixel / spec.width() + ", column "
                + pixel % spec.width() + (samplesPerPixel > 1 ? ", channel " + sample % samplesPerPixel : "") + ") of the "
                + spec + " plane is " + value + "; codec '" + JpegCodec.ID
                + "' maps values to 8-bit levels and cannot store NaN or infinities (replace them, or use a lossless codec)");
    }

    /** The window's low end, LO. */
    double low() {
        return low;
    }

    /** The window's high end, HI. */
    double high() {
        return high;
    }

    /** The transfer function. */
    Transfer transfer() {
        return transfer;
    }

    /** The level (0..255) of a finite value; values outside the window are clipped to it. */
    private int level(double v) {
        if (v <= low) {
            return 0;
        }
        if (v >= high) {
            return levelsPerUnit > 0 ? 255 : 0;
        }
        double d = v * 0.5 - halfLow;
        double units = transfer == Transfer.SQRT ? Math.sqrt(d) : d;
        return Math.min(255, (int) (units * levelsPerUnit + 0.5));
    }

    /**
     * Quantises a plane's samples to levels, one byte per sample in the plane's order.
     *
     * @throws IllegalArgumentException for NaN or an infinity in a float plane
     */
    void toLevels(PlaneBuffer plane, byte[] levels) {
        int n = plane.spec().sampleCount();
        int off = plane.offset();
        switch (plane.spec().dtype()) {
            case UINT16: {
                short[] a = plane.shorts();
                for (int i = 0; i < n; i++) {
                    levels[i] = (byte) level(a[off + i] & 0xFFFF);
                }
                break;
            }
            case INT16: {
                short[] a = plane.shorts();
                for (int i = 0; i < n; i++) {
                    levels[i] = (byte) level(a[off + i]);
                }
                break;
            }
            case INT32: {
                int[] a = plane.ints();
                for (int i = 0; i < n; i++) {
                    levels[i] = (byte) level(a[off + i]);
                }
                break;
            }
            case FLOAT32: {
                float[] a = plane.floats();
                for (int i = 0; i < n; i++) {
                    float v = a[off + i];
                    if (!Float.isFinite(v)) {
                        throw nonFinite(plane.spec(), i, v);
                    }
                    levels[i] = (byte) level(v);
                }
                break;
            }
            case FLOAT64: {
                double[] a = plane.doubles();
                for (int i = 0; i < n; i++) {
                    double v = a[off + i];
                    if (!Double.isFinite(v)) {
                        throw nonFinite(plane.spec(), i, v);
                    }
                    levels[i] = (byte) level(v);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("the 8-bit mapping is for non-uint8 planes; got " + plane.spec());
        }
    }

    /** The value level {@code q} (0..255) stands for, within [LO, HI], before rounding to the dtype. */
    double value(int q) {
        double u = span * (q / 255.0); // span * q could overflow for windows near Double.MAX_VALUE
        double half = transfer == Transfer.SQRT ? u * u : u;
        double v = (low + half) + half;
        return Math.max(low, Math.min(high, v));
    }

    /**
     * Maps levels back to values of the destination's dtype through a 256-entry table.
     *
     * @param levels one level per sample, from {@code from}
     * @param table scratch of the dtype's storage type and length 256, from {@link #newTable}
     */
    void toValues(byte[] levels, int from, PlaneBuffer destination, Object table) {
        int n = destination.spec().sampleCount();
        int off = destination.offset();
        switch (dtype) {
            case UINT16:
            case INT16: {
                short[] t = (short[]) table;
                for (int q = 0; q < 256; q++) {
                    t[q] = (short) roundToDtype(value(q));
                }
                short[] a = destination.shorts();
                for (int i = 0; i < n; i++) {
                    a[off + i] = t[levels[from + i] & 0xFF];
                }
                break;
            }
            case INT32: {
                int[] t = (int[]) table;
                for (int q = 0; q < 256; q++) {
                    t[q] = (int) roundToDtype(value(q));
                }
                int[] a = destination.ints();
                for (int i = 0; i < n; i++) {
                    a[off + i] = t[levels[from + i] & 0xFF];
                }
                break;
            }
            case FLOAT32: {
                float[] t = (float[]) table;
                for (int q = 0; q < 256; q++) {
                    t[q] = (float) value(q);
                }
                float[] a = destination.floats();
                for (int i = 0; i < n; i++) {
                    a[off + i] = t[levels[from + i] & 0xFF];
                }
                break;
            }
            default: {
                double[] t = (double[]) table;
                for (int q = 0; q < 256; q++) {
                    t[q] = value(q);
                }
                double[] a = destination.doubles();
                for (int i = 0; i < n; i++) {
                    a[off + i] = t[levels[from + i] & 0xFF];
                }
                break;
            }
        }
    }

    /** A 256-entry table of the dtype's storage type, for {@link #toValues}. */
    static Object newTable(DType dtype) {
        switch (dtype) {
            case UINT16:
            case INT16:
                return new short[256];
            case INT32:
                return new int[256];
            case FLOAT32:
                return new float[256];
            default:
                return new double[256];
        }
    }

    private long roundToDtype(double v) {
        long r = Math.round(v);
        return Math.max((long) dtype.minValue(), Math.min((long) dtype.maxValue(), r));
    }

    /** Writes the whole APP9 segment ({@link #SEGMENT_LENGTH} bytes) at {@code at}. */
    void writeSegment(byte[] out, int at) {
        ByteBuffer b = ByteBuffer.wrap(out, at, SEGMENT_LENGTH); // big-endian, as JPEG
        b.put((byte) 0xFF).put((byte) MARKER).putShort((short) (2 + PAYLOAD_LENGTH));
        for (int i = 0; i < IDENTIFIER.length(); i++) {
            b.put((byte) IDENTIFIER.charAt(i));
        }
        b.put((byte) VERSION)
                .put((byte) dtypeCode(dtype)).put((byte) (transfer == Transfer.SQRT ? 1 : 0)).putDouble(low).putDouble(high);
    }

    /** Whether an APP9 payload of {@code length} bytes at {@code at} starts with this codec's identifier. */
    static boolean isMappingPayload(ByteBuffer data, int at, int length) {
        if (length < IDENTIFIER.length()) {
            return false;
        }
        for (int i = 0; i < IDENTIFIER.length(); i++) {
            if (data.get(at + i) != (byte) IDENTIFIER.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a mapping payload (after the length field) and checks it against the expected dtype.
     *
     * @throws JpklFormatException for an unknown version, a wrong length, another dtype, an unknown
     *     transfer code, or bounds that are not finite numbers with LO <= HI
     */
    static LevelMapping readPayload(ByteBuffer data, int at, int length, DType expected) throws JpklFormatException {
        int version = data.get(at + IDENTIFIER.length()) & 0xFF;
        if (version != VERSION) {
            throw JpegDecoder.badData("8-bit mapping segment has version " + version + "; this codec reads version " + VERSION);
        }
        if (length != PAYLOAD_LENGTH) {
            throw JpegDecoder.badData("8-bit mapping segment has " + length + " payload bytes; version " + VERSION + " has "
                    + PAYLOAD_LENGTH);
        }
        int dtypeCode = data.get(at + IDENTIFIER.length() + 1) & 0xFF;
        if (dtypeCode != dtypeCode(expected)) {
            throw JpegDecoder.badData("slice holds " + dtypeName(dtypeCode) + " samples; expected " + expected);
        }
        int transferCode = data.get(at + IDENTIFIER.length() + 2) & 0xFF;
        if (transferCode > 1) {
            throw JpegDecoder.badData("8-bit mapping segment has unknown transfer code " + transferCode + "; known: 0 (linear), 1 (sqrt)");
        }
        double lo = data.getDouble(at + IDENTIFIER.length() + 3);
        double hi = data.getDouble(at + IDENTIFIER.length() + 11);
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw JpegDecoder.badData("8-bit mapping segment has window " + lo + ":" + hi + "; expected finite LO <= HI");
        }
        return new LevelMapping(expected, transferCode == 1 ? Transfer.SQRT : Transfer.LINEAR, lo, hi);
    }

    /** The code stored for a dtype: 1 uint16, 2 int16, 3 int32, 4 float32, 5 float64 (never 0; uint8 has no mapping). */
    static int dtypeCode(DType dtype) {
        switch (dtype) {
            case UINT16:
                return 1;
            case INT16:
                return 2;
            case INT32:
                return 3;
            case FLOAT32:
                return 4;
            case FLOAT64:
                return 5;
            default:
                return 0;
        }
    }

    private static String dtypeName(int code) {
        for (DType d : DType.values()) {
            if (d != DType.UINT8 && dtypeCode(d) == code) {
                return d.toString();
            }
        }
        return "unknown (dtype code " + code + ")";
    }
}
