package org.jpkl.cli.input;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;
import org.jpkl.api.ContainerHeader;
import org.jpkl.cli.CliException;

/**
 * The {@code --axes} option: one name per axis; the axes named {@code y} and {@code x} form the
 * image plane, and the axis named by {@code --rgb-axis} (default {@code rgb}), if any, is the
 * colour axis of RGB planes (length 3). Every other axis is a key axis.
 *
 * <p>Stateless.
 */
public final class Axes {
    /** The default name of the colour axis. */
    public static final String DEFAULT_RGB_AXIS = "rgb";
    /** A plane side below this many pixels makes a default plane implausible (see {@link #implausiblePlane}). */
    public static final int MIN_PLAUSIBLE_SIDE = 8;

    private Axes() {
    }

    /** Axis names with the plane layout they imply. */
    public static final class Resolved {
        private final List<String> names;
        private final PlaneLayout layout;

        Resolved(List<String> names, PlaneLayout layout) {
            this.names = List.copyOf(names);
            this.layout = layout;
        }

        /** One name per axis. */
        public List<String> names() {
            return names;
        }

        /** The plane layout. */
        public PlaneLayout layout() {
            return layout;
        }
    }

    /**
     * Splits {@code t,z,y,x} into names.
     *
     * @throws CliException (usage) for an empty or repeated name
     */
    public static List<String> parse(String spec) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : spec.split(",", -1)) {
            String n = part.strip();
            if (n.isEmpty()) {
                throw CliException.usage("--axes " + spec + ": every axis needs a name (e.g. --axes t,z,y,x)");
            }
            if (!seen.add(n.toLowerCase(Locale.ROOT))) {
                throw CliException.usage("--axes " + spec + ": the name '" + n + "' appears twice");
            }
            names.add(n);
        }
        return names;
    }

    /** Which axes form the plane of an array given without {@code --axes}. */
    public enum Convention {
        /**
         * NumPy's (and tifffile's, napari's, Fiji's): the last two axes are the plane ({@code ..., y, x});
         * the names are {@code y, x}, {@code z, y, x}, {@code t, z, y, x}, and from 5 axes
         * {@code axis0, axis1, ..., y, x}. Never RGB.
         */
        NUMPY,
        /** JPkl's: axes 0 and 1 are the plane; the library's default names ({@code y, x, axis2, ...}). Never RGB. */
        JPKL
    }

    /** The default names of NumPy-ordered arrays of up to 4 axes, ending in y, x. */
    private static final List<String> NUMPY_NAMES = List.of("t", "z", "y", "x");

    /**
     * Names and layout of an array read as it is, in JPkl's layout when {@code names} is empty
     * ({@code sample:} stacks, generated in that layout).
     *
     * @param names the --axes names, or an empty list
     * @throws CliException (usage) if the names do not fit the shape or lack y or x
     */
    public static Resolved forArray(List<String> names, int[] shape, String rgbAxis) {
        return forArray(names, shape, rgbAxis, Convention.JPKL);
    }

    /**
     * Names and layout of an array read as it is (NumPy, raw): the --axes names, or without them
     * the {@code defaults} convention.
     *
     * @param names the --axes names, or an empty list
     * @throws CliException (usage) if the names do not fit the shape or lack y or x
     */
    public static Resolved forArray(List<String> names, int[] shape, String rgbAxis, Convention defaults) {
        if (shape.length < 2) {
            throw CliException.data("the input has shape " + Shapes.format(shape)
                    + "; jpkl stores arrays of at least 2 axes (an image plane y, x)");
        }
        if (names.isEmpty()) {
            return defaults(shape.length, defaults);
        }
        if (names.size() != shape.length) {
            throw CliException.usage("--axes " + String.join(",", names) + " names " + names.size() + " axes; the input has "
                    + shape.length + " (shape " + Shapes.format(shape) + ")");
        }
        int y = indexOf(names, "y");
        int x = indexOf(names, "x");
        if (y < 0 || x < 0) {
            throw CliException.usage("--axes " + String.join(",", names)
                    + ": name the image plane's axes y and x (e.g. --axes t,z,y,x or y,x,z)");
        }
        int c = indexOf(names, rgbAxis);
        if (c >= 0 && shape[c] != 3) {
            throw CliException.usage("--axes " + String.join(",", names) + ": the colour axis '" + names.get(c)
                    + "' must have length 3 (R, G, B); it has " + shape[c]
                    + (rgbAxis.equalsIgnoreCase(DEFAULT_RGB_AXIS) ? "; rename it if it is not a colour axis" : ""));
        }
        return new Resolved(names, c >= 0 ? PlaneLayout.of(y, x, c) : PlaneLayout.of(y, x));
    }

    private static Resolved defaults(int ndim, Convention convention) {
        if (convention == Convention.JPKL) {
            PlaneLayout layout = PlaneLayout.jpkl(false);
            return new Resolved(ContainerHeader.defaultAxisNames(ndim, layout), layout);
        }
        List<String> names = new ArrayList<>();
        if (ndim <= NUMPY_NAMES.size()) {
            names.addAll(NUMPY_NAMES.subList(NUMPY_NAMES.size() - ndim, NUMPY_NAMES.size()));
        } else {
            for (int a = 0; a < ndim - 2; a++) {
                names.add("axis" + a);
            }
            names.add("y");
            names.add("x");
        }
        return new Resolved(names, PlaneLayout.of(ndim - 2, ndim - 1));
    }

    /**
     * A warning for axes chosen by default that give an implausible image plane: a side below
     * {@value #MIN_PLAUSIBLE_SIDE} pixels, or fewer pixels per plane than planes (arrays of 3 or more
     * axes; with 2 the plane is the whole array either way). It says how to choose the axes.
     *
     * @param what the input, for the message
     * @return the warning, or empty if the plane looks like an image
     */
    public static Optional<String> implausiblePlane(String what, int[] shape, Resolved axes) {
        if (shape.length < 3) {
            return Optional.empty();
        }
        PlaneLayout l = axes.layout();
        long height = shape[l.yAxis()];
        long width = shape[l.xAxis()];
        long planes = new KeySpace(shape, l).sliceCount();
        String why;
        if (Math.min(height, width) < MIN_PLAUSIBLE_SIDE) {
            why = "a side below " + MIN_PLAUSIBLE_SIDE + " pixels";
        } else if (height * width < planes) {
            why = "fewer pixels per plane than planes";
        } else {
            return Optional.empty();
        }
        int n = shape.length;
        List<String> jpkl = new ArrayList<>(List.of("y", "x"));
        for (int a = 2; a < n; a++) {
            jpkl.add(a == 2 ? "z" : a == 3 ? "t" : "axis" + a);
        }
        StringBuilder hint = new StringBuilder("--layout jpkl (the first two axes are the plane) or --axes NAMES in stored order"
                + " (e.g. --axes " + String.join(",", jpkl) + ")");
        if (n >= 3 && shape[n - 1] == 3) {
            List<String> rgb = new ArrayList<>(defaults(n - 1, Convention.NUMPY).names());
            rgb.add(DEFAULT_RGB_AXIS);
            hint.append("; for RGB images (..., y, x, 3) give --axes ").append(String.join(",", rgb));
        }
        return Optional.of(what + ": without --axes the last two axes are the image plane (NumPy's order): shape "
                + Shapes.format(shape) + " with axes " + String.join(", ", axes.names()) + " gives " + planes + " plane(s) of "
                + height + " x " + width + ", " + why + "; if that is not the image, choose the axes with " + hint);
    }

    /** The position of {@code name} in {@code names}, ignoring case; -1 if absent. */
    static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
