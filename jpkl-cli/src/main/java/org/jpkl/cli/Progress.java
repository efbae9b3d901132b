package org.jpkl.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on stderr, {@code encode: 120/400 slices (30%), 85.3 MB/s, ETA 0:12},
 * rewritten in place at most five times a second; silent when disabled (stderr is not a terminal,
 * or --quiet). MB/s counts raw (decoded) bytes.
 *
 * <p>Thread safety: not thread-safe; one writer thread.
 */
final class Progress {
    private static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final long bytesPerStep;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long done;
    private int lastLength;

    Progress(PrintStream err, boolean enabled, String label, long total, long bytesPerStep) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
        this.total = total;
        this.bytesPerStep = bytesPerStep;
        this.lastPrint = start;
    }

    /** The raw bytes of one plane of {@code h}: what one step of a whole-container pass counts for MB/s. */
    static long planeBytes(org.jpkl.api.ContainerHeader h) {
        return (long) h.shape()[h.layout().yAxis()] * h.shape()[h.layout().xAxis()] * h.layout().channels().samplesPerPixel()
                * h.dtype().byteSize();
    }

    /** One more slice done. */
    void step() {
        done++;
        if (enabled) {
            long now = System.nanoTime();
            if (now - lastPrint >= INTERVAL_NANOS) {
                lastPrint = now;
                print(now, false);
            }
        }
    }

    /** Slices done so far. */
    long done() {
        return done;
    }

    /** Seconds since the start. */
    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Raw megabytes per second so far. */
    double megabytesPerSecond() {
        double s = seconds();
        return s <= 0 ? 0 : done * (double) bytesPerStep / 1e6 / s;
    }

    /** Prints the final state and ends the line (if anything was shown). */
    void finish() {
        if (enabled) {
            print(System.nanoTime(), true);
            err.println();
        }
    }

    private void print(long now, boolean last) {
        double seconds = (now - start) / 1e9;
        double rate = seconds <= 0 ? 0 : done * (double) bytesPerStep / 1e6 / seconds;
        String eta = "";
        if (!last && done > 0 && total > done) {
            long remaining = Math.round(seconds / done * (total - done));
            eta = String.format(Locale.ROOT, ", ETA %d:%02d", remaining / 60, remaining % 60);
        }
        String line = String.format(Locale.ROOT, "%s: %d/%d slices (%d%%), %.1f MB/s%s", label, done, total,
                total == 0 ? 100 : done * 100 / total, rate, last ? String.format(Locale.ROOT, ", %.1f s", seconds) : eta);
        StringBuilder b = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            b.append(' ');
        }
        lastLength = line.length();
        err.print(b);
        err.flush();
    }
}
