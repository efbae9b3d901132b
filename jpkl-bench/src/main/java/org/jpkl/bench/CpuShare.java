package org.jpkl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine's CPU time other processes took while a section ran (from Linux
 * {@code /proc/stat} and {@code /proc/self/stat}; this JVM's waited-for children, i.e. the Python
 * baselines, count as ours). Figures measured while others used a sizeable share are not to be
 * trusted; the harness prints the share per section.
 *
 * <p>Thread safety: immutable snapshot.
 */
final class CpuShare {
    private final long machineBusy;
    private final long machineTotal;
    private final long ours;

    private CpuShare(long machineBusy, long machineTotal, long ours) {
        this.machineBusy = machineBusy;
        this.machineTotal = machineTotal;
        this.ours = ours;
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
            return new CpuShare(busy, total, ours);
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
