package org.jpkl.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jpkl.compare.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The performance rows of docs/SPARK.md, printed (no timing assertion): {@link SparkEncodeBench}'s
 * measurements (the distributed encode on {@code local[2]} vs {@code local[1]}, and vs
 * {@code Jpkl.save} with 2 and 1 threads; medians of 3 alternated rounds after a warm-up round),
 * with the load average. {@code bin/bench} prints the same rows. Opt-in, since it starts Spark
 * sessions of its own (stopping the shared one):
 * {@code mvn -B -o -pl jpkl-spark -am verify -Dtest=SparkEncodeBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Djpkl.spark.bench=true}
 * ({@code -Djpkl.spark.bench.planes=N} for another stack depth, default 96 planes of 512 x 512 uint16, deflate level 9).
 */
class SparkEncodeBenchmark {
    @TempDir
    Path dir;

    @Test
    void localTwoVersusLocalOneVersusJpklSave() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("jpkl.spark.bench"), "benchmark skipped: run with -Djpkl.spark.bench=true");
        int planes = Integer.getInteger("jpkl.spark.bench.planes", 96);
        String loadBefore = load();
        Map<String, List<Double>> s = SparkEncodeBench.measure(dir, planes, 3);
        double save1 = median(s, "wall_save1");
        double save2 = median(s, "wall_save2");
        double spark1 = median(s, "wall_local1");
        double spark2 = median(s, "wall_local2");
        System.out.println("SPARK ENCODE BENCHMARK\n  " + String.join("\n  ",
                "load average before: " + loadBefore,
                String.format(Locale.ROOT, "%d planes 512x512 uint16 (%.0f MB), deflate level 9, .npy on local disk", planes,
                        planes * 512 * 512 * 2 / 1e6),
                "Jpkl.save, 1 thread (npy read + encode): " + times(s, "save1"),
                String.format(Locale.ROOT, "Jpkl.save, 2 threads: %s, %.2fx 1 thread", times(s, "save2"), save1 / save2),
                "Spark local[1]: " + times(s, "local1"),
                String.format(Locale.ROOT, "Spark local[2]: %s, %.2fx local[1] (goal >= 1.6x)", times(s, "local2"), spark1 / spark2),
                String.format(Locale.ROOT, "Spark local[2] vs Jpkl.save 2 threads: %.2fx the time, %.2fx the CPU (engine overhead)",
                        spark2 / save2, median(s, "cpu_local2") / median(s, "cpu_save2")),
                "load average after: " + load()));
    }

    private static double median(Map<String, List<Double>> series, String name) {
        return Samples.of(series.get(name)).median();
    }

    private static String times(Map<String, List<Double>> series, String variant) {
        return String.format(Locale.ROOT, "%.2f s (process CPU %.2f s)", median(series, "wall_" + variant), median(series, "cpu_" + variant));
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.2f on %d cores", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }
}
