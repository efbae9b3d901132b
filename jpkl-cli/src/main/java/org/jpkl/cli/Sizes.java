package org.jpkl.cli;

import java.util.Locale;

/** Human-readable byte counts and ratios for text output. Stateless. */
final class Sizes {
    private Sizes() {
    }

    /** E.g. {@code 1,234,567 bytes (1.2 MB)}. */
    static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d bytes (%s)", n, compact(n));
    }

    /** E.g. {@code 1.2 MB}, decimal units. */
    static String compact(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** raw / stored, or 0 when stored is 0. */
    static double ratio(long raw, long stored) {
        return stored <= 0 ? 0 : raw / (double) stored;
    }
}
