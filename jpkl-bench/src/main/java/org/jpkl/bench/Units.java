package org.jpkl.bench;

import java.util.Locale;

/** Human-readable values for the table: seconds, bytes and rates. Stateless. */
final class Units {
    /** Seconds; printed as s, ms or µs. */
    static final String SECONDS = "s";
    /** Bytes; printed as B, kB or MB (powers of 1000). */
    static final String BYTES = "B";
    /** Raw (decoded) megabytes (10^6 bytes) per second. */
    static final String MB_PER_S = "MB/s";

    private Units() {
    }

    static String format(double value, String unit) {
        switch (unit) {
            case SECONDS:
                return seconds(value);
            case BYTES:
                return bytes(value);
            case MB_PER_S:
                return String.format(Locale.ROOT, "%.0f MB/s", value);
            default:
                return String.format(Locale.ROOT, "%.3g %s", value, unit);
        }
    }

    static String seconds(double s) {
        if (s >= 1) {
            return String.format(Locale.ROOT, "%.2f s", s);
        }
        if (s >= 1e-3) {
            return String.format(Locale.ROOT, s >= 0.1 ? "%.0f ms" : s >= 0.01 ? "%.1f ms" : "%.2f ms", s * 1e3);
        }
        return String.format(Locale.ROOT, "%.0f µs", s * 1e6);
    }

    static String bytes(double b) {
        if (b >= 1e6) {
            return String.format(Locale.ROOT, "%.2f MB", b / 1e6);
        }
        if (b >= 1e4) {
            return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }
}
