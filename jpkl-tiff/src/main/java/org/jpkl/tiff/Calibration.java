package org.jpkl.tiff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical calibration an array's metadata may hold, as written into an exported TIFF:
 * {@value #SPACING} (axis name to the positive distance between neighbouring elements along that
 * axis), {@value #UNIT} (the unit of the spatial spacings) and {@value #TIME_UNIT} (the unit of the
 * time axis's spacing). The x and y spacings become the XResolution/YResolution tags (pixels per
 * unit, as ImageJ writes them); unit, z spacing, frame interval and time unit go into the ImageJ
 * description ({@code unit=, spacing=, finterval=, tunit=}).
 *
 * <p>Thread safety: immutable.
 */
final class Calibration {
    /** Metadata key: object from axis name to spacing (positive number). */
    static final String SPACING = "spacing";
    /** Metadata key: the unit of the spatial spacings, e.g. {@code "micron"}. */
    static final String UNIT = "unit";
    /** Metadata key: the unit of the time axis's spacing, e.g. {@code "sec"}. */
    static final String TIME_UNIT = "time_unit";

    /** No calibration. */
    static final Calibration NONE = new Calibration(Map.of(), null, null, null, null);

    private final Map<String, Double> spacing;
    private final String unit;
    private final String timeUnit;
    private final String yName;
    private final String xName;

    private Calibration(Map<String, Double> spacing, String unit, String timeUnit, String yName, String xName) {
        this.spacing = spacing;
        this.unit = unit;
        this.timeUnit = timeUnit;
        this.yName = yName;
        this.xName = xName;
    }

    /**
     * The calibration in {@code metadata}, for an array whose plane axes are named {@code yName} and
     * {@code xName}.
     *
     * @throws IllegalArgumentException if {@value #SPACING} is not an object of positive numbers, or a
     *     unit is not a text without line breaks
     */
    static Calibration of(Map<String, Object> metadata, String yName, String xName) {
        Map<String, Double> spacing = new LinkedHashMap<>();
        Object s = metadata.get(SPACING);
        if (s != null) {
            if (!(s instanceof Map)) {
                throw new IllegalArgumentException("metadata '" + SPACING + "' (" + s + ") must be an object from axis name to"
                        + " spacing, e.g. {\"x\": 0.65, \"y\": 0.65, \"z\": 2}");
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) s).entrySet()) {
                Object v = e.getValue();
                double d = v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
                if (!(d > 0) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("metadata '" + SPACING + "." + e.getKey() + "' (" + v
                            + ") must be a positive finite number");
                }
                spacing.put(String.valueOf(e.getKey()), d);
            }
        }
        return new Calibration(Map.copyOf(spacing), text(metadata, UNIT), text(metadata, TIME_UNIT), yName, xName);
    }

    private static String text(Map<String, Object> metadata, String key) {
        Object v = metadata.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String) || ((String) v).isBlank() || ((String) v).contains("\n") || ((String) v).contains("=")) {
            throw new IllegalArgumentException("metadata '" + key + "' (" + v + ") must be a one-line text without '=',"
                    + " e.g. \"micron\"");
        }
        return (String) v;
    }

    /** Appends {@code unit=}, {@code spacing=} (z), {@code finterval=} and {@code tunit=} lines for these page axes. */
    void appendDescription(StringBuilder sb, List<String> pageAxisNames) {
        if (unit != null) {
            sb.append("unit=").append(unit).append('\n');
        }
        for (String name : pageAxisNames) {
            Double d = spacing.get(name);
            if (d != null && ImageJDescription.kind(name) == 1) {
                sb.append("spacing=").append(d).append('\n');
            }
        }
        for (String name : pageAxisNames) {
            Double d = spacing.get(name);
            if (d != null && ImageJDescription.kind(name) == 0) {
                sb.append("finterval=").append(d).append('\n');
                if (timeUnit != null) {
                    sb.append("tunit=").append(timeUnit).append('\n');
                }
            }
        }
    }

    /**
     * The XResolution and YResolution (pixels per unit, as 32-bit rationals) when x or y has a
     * spacing (the other taking the same), as {x numerator, x denominator, y numerator, y
     * denominator}; null without.
     *
     * @throws IllegalArgumentException if a resolution does not fit a TIFF rational
     */
    long[] resolution() {
        Double x = xName == null ? null : spacing.get(xName);
        Double y = yName == null ? null : spacing.get(yName);
        if (x == null && y == null) {
            return null;
        }
        long[] xr = rational("XResolution", 1 / (x != null ? x : y));
        long[] yr = rational("YResolution", 1 / (y != null ? y : x));
        return new long[] {xr[0], xr[1], yr[0], yr[1]};
    }

    /** The {numerator, denominator} closest to {@code value} with 32-bit numerator and denominator. */
    private static long[] rational(String name, double value) {
        long den = 1;
        while (den < 1_000_000_000L && value * den * 10 < 0xFFFFFFFFL) {
            den *= 10;
        }
        long num = Math.max(1, Math.round(value * den));
        if (num > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(name + " " + value + " pixels per unit does not fit a TIFF rational;"
                    + " give the spacing in a larger unit");
        }
        return new long[] {num, den};
    }

    @Override
    public String toString() {
        return "Calibration[spacing " + spacing + ", unit " + unit + ", time unit " + timeUnit + "]";
    }
}
