package org.jpkl.zarr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jpkl.api.JpklFormatException;

/**
 * The OME-Zarr 0.4 {@code multiscales} axes and scales, to and from jpkl's calibration metadata:
 * {@code "spacing"} (axis name to the distance between neighbouring elements), {@code "unit"} (of
 * the spatial spacings), {@code "time_unit"}, and {@code "pixel_size_um"} (the x and y spacing in
 * micrometres) — the keys jpkl-tiff and the viewer read.
 *
 * <p>Thread safety: stateless.
 */
final class OmeMetadata {
    static final String SPACING = "spacing";
    static final String UNIT = "unit";
    static final String TIME_UNIT = "time_unit";
    static final String PIXEL_SIZE_UM = "pixel_size_um";

    /** Length units OME-Zarr names (UDUNITS-2), with their size in micrometres. */
    private static final Map<String, Double> LENGTH = Map.of("nanometer", 1e-3, "micrometer", 1.0, "millimeter", 1e3,
            "centimeter", 1e4, "meter", 1e6, "angstrom", 1e-4, "kilometer", 1e9, "picometer", 1e-6);
    private static final Set<String> TIME = Set.of("second", "millisecond", "microsecond", "nanosecond", "minute", "hour", "day");

    private OmeMetadata() {
    }

    /** The OME axis type of a jpkl axis name: space, time, channel, or null (none known). */
    static String type(String name, boolean colourAxis) {
        if (colourAxis) {
            return "channel";
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "x":
            case "y":
            case "z":
                return "space";
            case "t":
            case "time":
                return "time";
            case "c":
            case "ch":
            case "channel":
                return "channel";
            default:
                return null;
        }
    }

    /** A unit spelled as people do ("um", "micron", "sec") as OME-Zarr's UDUNITS name, or null when unknown. */
    static String unit(Object given) {
        if (!(given instanceof String)) {
            return null;
        }
        String u = ((String) given).strip().toLowerCase(Locale.ROOT);
        switch (u) {
            case "um": case "µm": case "μm": case "micron": case "microns": case "micrometre": case "micrometer": case "micrometers":
                return "micrometer";
            case "nm": case "nanometre": case "nanometer": case "nanometers":
                return "nanometer";
            case "mm": case "millimetre": case "millimeter": case "millimeters":
                return "millimeter";
            case "cm": case "centimetre": case "centimeter":
                return "centimeter";
            case "m": case "metre": case "meter": case "meters":
                return "meter";
            case "a": case "å": case "angstrom":
                return "angstrom";
            case "s": case "sec": case "secs": case "second": case "seconds":
                return "second";
            case "ms": case "msec": case "millisecond": case "milliseconds":
                return "millisecond";
            case "us": case "µs": case "microsecond": case "microseconds":
                return "microsecond";
            case "ns": case "nanosecond": case "nanoseconds":
                return "nanosecond";
            case "min": case "minute": case "minutes":
                return "minute";
            case "h": case "hr": case "hour": case "hours":
                return "hour";
            case "day": case "days":
                return "day";
            default:
                return LENGTH.containsKey(u) || TIME.contains(u) ? u : null;
        }
    }

    /**
     * The scale of every axis at level 0 from the metadata: {@code spacing[name]}, else
     * {@code pixel_size_um} for the y and x axes, else 1.
     */
    static double[] scales(List<String> names, int yAxis, int xAxis, Map<String, Object> metadata) {
        double[] scale = new double[names.size()];
        Object spacing = metadata.get(SPACING);
        Object pixel = metadata.get(PIXEL_SIZE_UM);
        for (int a = 0; a < scale.length; a++) {
            scale[a] = 1;
            if (spacing instanceof Map && positive(((Map<?, ?>) spacing).get(names.get(a)))) {
                scale[a] = ((Number) ((Map<?, ?>) spacing).get(names.get(a))).doubleValue();
            } else if ((a == yAxis || a == xAxis) && positive(pixel)) {
                scale[a] = ((Number) pixel).doubleValue();
            }
        }
        return scale;
    }

    private static boolean positive(Object o) {
        return o instanceof Number && ((Number) o).doubleValue() > 0 && Double.isFinite(((Number) o).doubleValue());
    }

    /** The {@code axes} list of an export: name, type where known, unit where the metadata gives one. */
    static JsonArray axes(List<String> names, int yAxis, int xAxis, int colourAxis, Map<String, Object> metadata) {
        Object spacing = metadata.get(SPACING);
        boolean xySpacing = spacing instanceof Map && (((Map<?, ?>) spacing).containsKey(names.get(yAxis))
                || ((Map<?, ?>) spacing).containsKey(names.get(xAxis)));
        String spaceUnit = unit(metadata.get(UNIT));
        if (spaceUnit == null && !xySpacing && positive(metadata.get(PIXEL_SIZE_UM))) {
            spaceUnit = "micrometer";
        }
        String timeUnit = unit(metadata.get(TIME_UNIT));
        JsonArray axes = new JsonArray();
        for (int a = 0; a < names.size(); a++) {
            JsonObject axis = new JsonObject();
            axis.add("name", new JsonPrimitive(names.get(a)));
            String type = type(names.get(a), a == colourAxis);
            if (type == null && (a == yAxis || a == xAxis)) {
                type = "space";
            }
            if (type != null) {
                axis.add("type", new JsonPrimitive(type));
            }
            if ("space".equals(type) && spaceUnit != null && LENGTH.containsKey(spaceUnit)) {
                axis.add("unit", new JsonPrimitive(spaceUnit));
            } else if ("time".equals(type) && timeUnit != null && TIME.contains(timeUnit)) {
                axis.add("unit", new JsonPrimitive(timeUnit));
            }
            axes.add(axis);
        }
        return axes;
    }

    /** One axis of an imported dataset. */
    static final class Axis {
        final String name;
        final String type;
        final String unit;

        Axis(String name, String type, String unit) {
            this.name = name;
            this.type = type;
            this.unit = unit;
        }
    }

    /**
     * Reads {@code axes} (0.4 objects, or 0.3 names), one per dimension, names unique.
     *
     * @throws JpklFormatException naming the file and the axis at fault
     */
    static Axis[] readAxes(JsonElement json, int ndim, String name) throws JpklFormatException {
        if (json == null || !json.isJsonArray()) {
            throw new JpklFormatException(name, "multiscales axes", (json == null ? "are missing" : json + " is not a list"));
        }
        JsonArray a = json.getAsJsonArray();
        if (a.size() != ndim) {
            throw new JpklFormatException(name, "multiscales axes", "list " + a.size() + " axes; the arrays have " + ndim);
        }
        Axis[] axes = new Axis[ndim];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ndim; i++) {
            JsonElement e = a.get(i);
            String axisName = null;
            String type = null;
            String unit = null;
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                axisName = e.getAsString();
            } else if (e.isJsonObject()) {
                JsonObject o = e.getAsJsonObject();
                axisName = string(o.get("name"));
                type = string(o.get("type"));
                unit = string(o.get("unit"));
            }
            if (axisName == null || axisName.isEmpty()) {
                throw new JpklFormatException(name, "multiscales axes", "axis " + i + " (" + e + ") has no name");
            }
            if (!seen.add(axisName)) {
                throw new JpklFormatException(name, "multiscales axes", "axis name '" + axisName + "' appears twice");
            }
            axes[i] = new Axis(axisName, type, unit);
        }
        return axes;
    }

    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    /**
     * The product of the {@code scale} transformations in {@code list} (one per dimension; 1 where
     * there are none); translations are ignored.
     *
     * @throws JpklFormatException for a scale of another length or a non-positive or non-numeric entry
     */
    static double[] scale(JsonElement list, int ndim, String name, String where) throws JpklFormatException {
        double[] scale = new double[ndim];
        java.util.Arrays.fill(scale, 1);
        if (list == null || list.isJsonNull()) {
            return scale;
        }
        if (!list.isJsonArray()) {
            throw new JpklFormatException(name, where, list + " is not a list of transformations");
        }
        for (JsonElement t : list.getAsJsonArray()) {
            if (!t.isJsonObject() || !"scale".equals(string(t.getAsJsonObject().get("type")))) {
                continue;
            }
            JsonElement s = t.getAsJsonObject().get("scale");
            if (s == null || !s.isJsonArray() || s.getAsJsonArray().size() != ndim) {
                throw new JpklFormatException(name, where, "scale " + s + " does not list one number per axis (" + ndim + ")");
            }
            for (int i = 0; i < ndim; i++) {
                JsonElement v = s.getAsJsonArray().get(i);
                double d = v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsDouble() : Double.NaN;
                if (!(d > 0) || !Double.isFinite(d)) {
                    throw new JpklFormatException(name, where, "scale " + s + ": entry " + i + " (" + v + ") is not a positive number");
                }
                scale[i] *= d;
            }
        }
        return scale;
    }

    /**
     * The jpkl calibration of imported axes: {@code spacing} for every axis with a unit or a scale
     * other than 1, {@code unit} when the spatial axes share one, {@code time_unit}, and
     * {@code pixel_size_um} when y and x have one length unit and one spacing.
     */
    static Map<String, Object> calibration(Axis[] axes, double[] scale, int yAxis, int xAxis) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> spacing = new LinkedHashMap<>();
        String spaceUnit = null;
        boolean oneSpaceUnit = true;
        for (int a = 0; a < axes.length; a++) {
            boolean space = "space".equals(axes[a].type) || a == yAxis || a == xAxis;
            if (scale[a] != 1 || axes[a].unit != null) {
                spacing.put(axes[a].name, scale[a]);
            }
            if (space) {
                if (spaceUnit == null && oneSpaceUnit) {
                    spaceUnit = axes[a].unit;
                }
                oneSpaceUnit &= java.util.Objects.equals(spaceUnit, axes[a].unit);
            }
            if ("time".equals(axes[a].type) && axes[a].unit != null) {
                out.put(TIME_UNIT, axes[a].unit);
            }
        }
        if (!spacing.isEmpty()) {
            out.put(SPACING, spacing);
        }
        if (oneSpaceUnit && spaceUnit != null) {
            out.put(UNIT, spaceUnit);
        }
        String yUnit = unit(axes[yAxis].unit);
        if (yUnit != null && yUnit.equals(unit(axes[xAxis].unit)) && LENGTH.containsKey(yUnit) && scale[yAxis] == scale[xAxis]) {
            out.put(PIXEL_SIZE_UM, scale[xAxis] * LENGTH.get(yUnit));
        }
        return out;
    }
}
