package org.jpkl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random NumPy basic-indexing expressions over a shape, for comparing a container's {@code get}
 * with the same selection on an in-memory array: per axis an integer (negative ones included, some
 * out of range), {@code :}, or a slice with random bounds (beyond the axis on both sides, or omitted)
 * and a step of either sign, small or large (so that steps cross tile boundaries). Stateless.
 */
public final class RandomSelections {
    private RandomSelections() {
    }

    /**
     * One expression, e.g. {@code "-3, 5:-40:-17, :"}.
     *
     * @param maxStep the largest absolute step of a "large" step (small steps are 1 to 3)
     */
    public static String expression(Random rnd, int[] shape, int maxStep) {
        List<String> items = new ArrayList<>();
        for (int n : shape) {
            items.add(index(rnd, n, maxStep));
        }
        return String.join(", ", items);
    }

    private static String index(Random rnd, int n, int maxStep) {
        switch (rnd.nextInt(5)) {
            case 0:
                return Integer.toString(rnd.nextInt(2 * n) - n);
            case 1:
                return ":";
            default:
                int step = (rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(rnd.nextBoolean() ? 3 : maxStep));
                String start = rnd.nextInt(4) == 0 ? "" : Integer.toString(rnd.nextInt(2 * n + 4) - n - 2);
                String stop = rnd.nextInt(4) == 0 ? "" : Integer.toString(rnd.nextInt(2 * n + 4) - n - 2);
                return start + ":" + stop + ":" + step;
        }
    }
}
