package org.jpkl.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a container records about its array except the slices: shape, dtype, plane layout,
 * axis names, codec id and parameters, and user metadata. Serializers write it and read it back.
 *
 * <p>Validated on construction: at least 2 and at most {@link Shapes#MAX_NDIM} axes, no negative
 * length, total size within a long, a layout that fits the shape, a plane that fits in one Java
 * array, one unique non-empty name per axis, JSON-compatible metadata.
 *
 * <p>Thread safety: immutable.
 */
public final class ContainerHeader {
    private final int[] shape;
    private final DType dtype;
    private final PlaneLayout layout;
    private final List<String> axisNames;
    private final String codecId;
    private final Map<String, String> codecParams;
    private final Map<String, Object> metadata;
    private final KeySpace keySpace;

    /**
     * @param axisNames one name per axis, or an empty list for the defaults ({@link #defaultAxisNames})
     * @throws IllegalArgumentException naming the field and value at fault
     */
    public ContainerHeader(int[] shape, DType dtype, PlaneLayout layout, List<String> axisNames, String codecId,
                           Map<String, String> codecParams, Map<String, ?> metadata) {
        Objects.requireNonNull(shape, "shape");
        if (shape.length < 2 || shape.length > Shapes.MAX_NDIM) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " has " + shape.length
                    + " axes; a container needs 2 to " + Shapes.MAX_NDIM);
        }
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] < 0) {
                throw new IllegalArgumentException("shape " + Shapes.format(shape) + ": axis " + a + " has negative length " + shape[a]);
            }
        }
        Shapes.product(shape);
        this.shape = shape.clone();
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.keySpace = new KeySpace(this.shape, layout);
        planeSpec();
        this.axisNames = checkNames(axisNames, this.shape, layout);
        this.codecId = ProviderIds.check(codecId);
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Objects.requireNonNull(codecParams, "codecParams").entrySet()) {
            params.put(Objects.requireNonNull(e.getKey(), "codec parameter name"),
                    Objects.requireNonNull(e.getValue(), () -> "value of codec parameter '" + e.getKey() + "'"));
        }
        this.codecParams = Collections.unmodifiableMap(params);
        this.metadata = Metadata.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }

    /** The default axis names: {@code y}, {@code x}, {@code c} for the plane axes, {@code axis<i>} for the others. */
    public static List<String> defaultAxisNames(int ndim, PlaneLayout layout) {
        List<String> names = new ArrayList<>();
        for (int a = 0; a < ndim; a++) {
            if (a == layout.yAxis()) {
                names.add("y");
            } else if (a == layout.xAxis()) {
                names.add("x");
            } else if (layout.channelAxis().isPresent() && a == layout.channelAxis().getAsInt()) {
                names.add("c");
            } else {
                names.add("axis" + a);
            }
        }
        return names;
    }

    private static List<String> checkNames(List<String> names, int[] shape, PlaneLayout layout) {
        Objects.requireNonNull(names, "axisNames");
        if (names.isEmpty()) {
            return List.copyOf(defaultAxisNames(shape.length, layout));
        }
        if (names.size() != shape.length) {
            throw new IllegalArgumentException("axisNames " + names + " has " + names.size() + " names; shape "
                    + Shapes.format(shape) + " has " + shape.length + " axes");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("axisNames " + names + ": every name must be non-empty");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("axisNames " + names + ": name '" + n + "' appears twice");
            }
        }
        return List.copyOf(names);
    }

    /** The array's shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** Which axes form each encoded plane. */
    public PlaneLayout layout() {
        return layout;
    }

    /** One name per axis. */
    public List<String> axisNames() {
        return axisNames;
    }

    /** The codec that encoded every slice. */
    public String codecId() {
        return codecId;
    }

    /** The codec's parameters as stored. */
    public Map<String, String> codecParams() {
        return codecParams;
    }

    /** User metadata (JSON-compatible, unmodifiable). */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The key axes and slice numbering. */
    public KeySpace keySpace() {
        return keySpace;
    }

    /** Number of slices (planes). */
    public long sliceCount() {
        return keySpace.sliceCount();
    }

    /** Shape and dtype of one plane. */
    public PlaneSpec planeSpec() {
        return new PlaneSpec(dtype, shape[layout.yAxis()], shape[layout.xAxis()], layout.channels());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ContainerHeader)) {
            return false;
        }
        ContainerHeader h = (ContainerHeader) o;
        return java.util.Arrays.equals(shape, h.shape) && dtype == h.dtype && layout.equals(h.layout)
                && axisNames.equals(h.axisNames) && codecId.equals(h.codecId) && codecParams.equals(h.codecParams)
                && metadata.equals(h.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(shape), dtype, layout, axisNames, codecId, codecParams, metadata);
    }

    @Override
    public String toString() {
        return "ContainerHeader[shape=" + Shapes.format(shape) + ", dtype=" + dtype + ", layout " + layout + ", axes "
                + axisNames + ", codec " + codecId + codecParams + "]";
    }
}
