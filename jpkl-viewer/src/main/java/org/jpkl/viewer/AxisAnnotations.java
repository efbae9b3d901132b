package org.jpkl.viewer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what the container's metadata says about a key axis, for the slider labels. Two sources,
 * the first that applies wins:
 * <ol>
 *   <li>the viewer's convention, {@code metadata.axes.NAME}: an object with optional {@code unit}
 *       (text), {@code scale} and {@code origin} (numbers: position {@code i} is
 *       {@code origin + i * scale}) and {@code values} (one number or text per index, e.g. channel
 *       names or time stamps; ignored unless its length is the axis size);</li>
 *   <li>ImageJ's description kept by the TIFF importer, {@code metadata.tiff.imagej}: {@code spacing}
 *       and {@code unit} for an axis named {@code z}, {@code finterval} (seconds) for {@code t}.</li>
 * </ol>
 * Anything malformed is ignored: labels are a convenience, never a reason to refuse a file.
 *
 * <p>Thread safety: stateless.
 */
final class AxisAnnotations {
    private AxisAnnotations() {
    }

    /** The keys {@code unit}, {@code scale}, {@code origin}, {@code values} that apply (possibly none). */
    static Map<String, Object> of(Map<String, Object> metadata, String axisName, int size) {
        Map<String, Object> out = new LinkedHashMap<>();
        Object axes = metadata.get("axes");
        if (axes instanceof Map) {
            Object entry = ((Map<?, ?>) axes).get(axisName);
            if (entry instanceof Map) {
                Map<?, ?> e = (Map<?, ?>) entry;
                putText(out, "unit", e.get("unit"));
                putNumber(out, "scale", e.get("scale"));
                putNumber(out, "origin", e.get("origin"));
                Object values = e.get("values");
                if (values instanceof List && ((List<?>) values).size() == size && allScalars((List<?>) values)) {
                    out.put("values", new ArrayList<>((List<?>) values));
                }
                return out;
            }
        }
        Object tiff = metadata.get("tiff");
        Object imagej = tiff instanceof Map ? ((Map<?, ?>) tiff).get("imagej") : null;
        if (imagej instanceof Map) {
            Map<?, ?> ij = (Map<?, ?>) imagej;
            String lower = axisName.toLowerCase(Locale.ROOT);
            if (lower.equals("z") && ij.get("spacing") instanceof Number) {
                putNumber(out, "scale", ij.get("spacing"));
                putText(out, "unit", ij.get("unit"));
            } else if (lower.equals("t") && ij.get("finterval") instanceof Number) {
                putNumber(out, "scale", ij.get("finterval"));
                out.put("unit", "s");
            }
        }
        return out;
    }

    private static void putText(Map<String, Object> out, String key, Object value) {
        if (value instanceof String) {
            out.put(key, value);
        }
    }

    private static void putNumber(Map<String, Object> out, String key, Object value) {
        if (value instanceof Number && Double.isFinite(((Number) value).doubleValue())) {
            out.put(key, ((Number) value).doubleValue());
        }
    }

    private static boolean allScalars(List<?> values) {
        for (Object v : values) {
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                return false;
            }
        }
        return true;
    }
}
