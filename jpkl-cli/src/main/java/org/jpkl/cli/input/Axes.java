package org.jpkl.cli.input;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;
import org.jpkl.api.spi.ContainerHeader;
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

    /**
     * Names and layout of an array read as it is (NumPy, raw): without names, JPkl's layout (y, x =
     * axes 0, 1, no colour axis) and the library's default names.
     *
     * @param names the --axes names, or an empty list
     * @throws CliException (usage) if the names do not fit the shape or lack y or x
     */
    public static Resolved forArray(List<String> names, int[] shape, String rgbAxis) {
        if (shape.length < 2) {
            throw CliException.data("the input has shape " + Shapes.format(shape)
                    + "; jpkl stores arrays of at least 2 axes (an image plane y, x)");
        }
        if (names.isEmpty()) {
            PlaneLayout layout = PlaneLayout.jpkl(false);
            return new Resolved(ContainerHeader.defaultAxisNames(shape.length, layout), layout);
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
