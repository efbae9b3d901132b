package org.jpkl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine's CPU time other processes took while a section ran (from Linux
 * {@code /proc/stat} and {@code /proc/self/stat}; this JVM's waited-for children, i.e. the Python
 * baselines, count as ours). Figures measured while others used a sizeable share are not to be
 * trusted; the harness prints the share per section, and this JVM's minor page faults and system
 * CPU time, which show a section paying for memory touched the first time: without
 * {@code -XX:+AlwaysPreTouch} (bin/bench sets it) the rounds during which G1 grows the young
 * generation into never-used pages took 10,000 to 13,000 minor faults and 160 to 220 ms of system
 * time per save of the peer stack (about 600 and 10 ms otherwise), the same save 1.4x slower.
 *
 * <p>Thread safety: immutable snapshot.
 */
final class CpuShare {
    private final long machineBusy;
    private final long machineTotal;
    private final long ours;
    /** This JVM's minor page faults (its own threads). */
    private final long minorFaults;
    /** This JVM's system CPU time in clock ticks (its own threads). */
    private final long systemTicks;

    private CpuShare(long machineBusy, long machineTotal, long ours, long minorFaults, long systemTicks) {
        this.machineBusy = machineBusy;
        this.machineTotal = machineTotal;
        this.ours = ours;
        this.minorFaults = minorFaults;
        this.systemTicks = systemTicks;
    }

    /** A snapshot, or null where /proc is not readable (not Linux). */
    static CpuShare now() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            long total = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            long ours = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new CpuShare(busy, total, ours, Long.parseLong(f[7]), Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * This JVM's minor page faults and system CPU time since {@code start}, e.g.
     * {@code "612 minor page faults, 0.01 s system CPU"}, or an empty string if unknown (clock ticks
     * taken as 100 per second, Linux's USER_HZ).
     */
    static String faultsSince(CpuShare start) {
        CpuShare end = now();
        if (start == null || end == null) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "%d minor page faults, %.2f s system CPU", end.minorFaults - start.minorFaults,
                (end.systemTicks - start.systemTicks) / 100.0);
    }

    /** The share (0..1) of all CPUs' time used by other processes since {@code start}, or NaN if unknown. */
    static double othersSince(CpuShare start) {
        CpuShare end = now();
        if (start == null || end == null || end.machineTotal <= start.machineTotal) {
            return Double.NaN;
        }
        long others = (end.machineBusy - start.machineBusy) - (end.ours - start.ours);
        return Math.max(0, others) / (double) (end.machineTotal - start.machineTotal);
    }
}
