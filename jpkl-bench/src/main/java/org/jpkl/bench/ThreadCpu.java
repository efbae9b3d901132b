package org.jpkl.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of a process's threads by kind (Linux {@code /proc/PID/task/TID/stat}): the thread's name
 * with digits replaced by {@code #}, so that a pool's threads add up ({@code GC Thread#},
 * {@code C2 CompilerThread#}, {@code qtp...}); includes the JVM's own threads, which the
 * {@code ThreadMXBean} does not list. Empty where /proc is not readable.
 *
 * <p>Thread safety: stateless.
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /** Milliseconds of CPU (user + system) per thread kind of process {@code pid}, so far. */
    static Map<String, Long> byName(long pid) {
        Map<String, Long> m = new TreeMap<>();
        long msPerTick = 10; // USER_HZ is 100 on Linux
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(close + 2).trim().split("\\s+");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                m.merge(name, ticks * msPerTick, Long::sum);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return m;
    }

    /** {@code now - before} per kind, kinds with no time dropped (threads that ended lose their time). */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> now) {
        Map<String, Long> d = new TreeMap<>();
        now.forEach((k, v) -> {
            long diff = v - before.getOrDefault(k, 0L);
            if (diff > 0) {
                d.put(k, diff);
            }
        });
        return d;
    }

    /** Milliseconds of CPU the JIT compiler threads of process {@code pid} took so far. */
    static long compilerMillis(long pid) {
        return byName(pid).entrySet().stream().filter(e -> e.getKey().contains("CompilerThre")).mapToLong(Map.Entry::getValue).sum();
    }
}
