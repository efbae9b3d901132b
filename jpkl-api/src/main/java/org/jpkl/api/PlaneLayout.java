package org.jpkl.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which axes of an array form the encoded image plane: the y (height) axis, the x (width) axis and
 * an optional colour axis of length 3 (RGB). Every other axis is a <em>key</em> axis; each key tuple
 * addresses one plane, encoded on its own.
 *
 * <p>The default is JPkl's layout, {@code images[h, w, (rgb), d1, d2, ...]}: {@link #jpkl(boolean)}.
 * Microscopy data laid out as {@code t, c, z, y, x} uses {@code PlaneLayout.of(3, 4)}.
 *
 * <p>Thread safety: immutable.
 */
public final class PlaneLayout {
    private final int yAxis;
    private final int xAxis;
    private final int channelAxis;

    private PlaneLayout(int yAxis, int xAxis, int channelAxis) {
        if (yAxis < 0 || xAxis < 0 || channelAxis < -1) {
            throw new IllegalArgumentException("plane axes must be >= 0: y=" + yAxis + ", x=" + xAxis
                    + (channelAxis == -1 ? "" : ", channel=" + channelAxis));
        }
        if (yAxis == xAxis || yAxis == channelAxis || xAxis == channelAxis) {
            throw new IllegalArgumentException("plane axes must be distinct: y=" + yAxis + ", x=" + xAxis
                    + (channelAxis == -1 ? "" : ", channel=" + channelAxis));
        }
        this.yAxis = yAxis;
        this.xAxis = xAxis;
        this.channelAxis = channelAxis;
    }

    /** JPkl's layout: y = axis 0, x = axis 1, and when {@code rgb}, the colour axis 2. */
    public static PlaneLayout jpkl(boolean rgb) {
        return new PlaneLayout(0, 1, rgb ? 2 : -1);
    }

    /** A grey plane on the given y and x axes. */
    public static PlaneLayout of(int yAxis, int xAxis) {
        return new PlaneLayout(yAxis, xAxis, -1);
    }

    /** An RGB plane on the given y, x and colour axes. */
    public static PlaneLayout of(int yAxis, int xAxis, int channelAxis) {
        if (channelAxis < 0) {
            throw new IllegalArgumentException("channelAxis must be >= 0, got " + channelAxis);
        }
        return new PlaneLayout(yAxis, xAxis, channelAxis);
    }

    /** The y (height, row) axis. */
    public int yAxis() {
        return yAxis;
    }

    /** The x (width, column) axis. */
    public int xAxis() {
        return xAxis;
    }

    /** The colour axis (length 3), empty for grey planes. */
    public OptionalInt channelAxis() {
        return channelAxis < 0 ? OptionalInt.empty() : OptionalInt.of(channelAxis);
    }

    /** GREY or RGB. */
    public ChannelLayout channels() {
        return channelAxis < 0 ? ChannelLayout.GREY : ChannelLayout.RGB;
    }

    /** Whether {@code axis} belongs to the plane (y, x or colour). */
    public boolean isPlaneAxis(int axis) {
        return axis == yAxis || axis == xAxis || axis == channelAxis;
    }

    /** The key axes of an array with {@code ndim} axes, in increasing order. */
    public int[] keyAxes(int ndim) {
        List<Integer> keys = new ArrayList<>();
        for (int a = 0; a < ndim; a++) {
            if (!isPlaneAxis(a)) {
                keys.add(a);
            }
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Checks this layout against a shape.
     *
     * @throws IllegalArgumentException if an axis is out of range, the colour axis is not of length 3,
     *     or the plane is empty
     */
    public void validate(int[] shape) {
        int ndim = shape.length;
        int max = Math.max(Math.max(yAxis, xAxis), channelAxis);
        if (max >= ndim) {
            throw new IllegalArgumentException("layout " + this + " needs at least " + (max + 1) + " axes; shape "
                    + Shapes.format(shape) + " has " + ndim);
        }
        if (channelAxis >= 0 && shape[channelAxis] != 3) {
            throw new IllegalArgumentException("layout " + this + ": the colour axis " + channelAxis
                    + " must have length 3 (RGB), shape " + Shapes.format(shape) + " has " + shape[channelAxis]);
        }
        if (shape[yAxis] < 1 || shape[xAxis] < 1) {
            throw new IllegalArgumentException("layout " + this + ": planes must be at least 1x1, shape "
                    + Shapes.format(shape) + " has height " + shape[yAxis] + " and width " + shape[xAxis]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlaneLayout && ((PlaneLayout) o).yAxis == yAxis && ((PlaneLayout) o).xAxis == xAxis
                && ((PlaneLayout) o).channelAxis == channelAxis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(yAxis, xAxis, channelAxis);
    }

    /** E.g. {@code y=0, x=1, channel=2}. */
    @Override
    public String toString() {
        return "y=" + yAxis + ", x=" + xAxis + (channelAxis < 0 ? "" : ", channel=" + channelAxis);
    }
}
