package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.compare.Stopwatch;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.npy.NpyReader;
import org.jpkl.npy.NpyWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The performance rows of docs/SPARK.md, printed (no timing assertion): the distributed encode of a
 * {@code .npy} stack on {@code local[2]} vs {@code local[1]}, and vs {@code Jpkl.save} with 2 and 1
 * threads on the same machine, each the median of 3 runs after a warm-up, with the load average.
 * Opt-in, since it starts two Spark sessions of its own (stopping the shared one):
 * {@code mvn -B -o -pl jpkl-spark -am verify -Dtest=SparkEncodeBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Djpkl.spark.bench=true}
 * ({@code -Djpkl.spark.bench.planes=N} for another stack depth, default 96 planes of 512 x 512 uint16, deflate level 9: CPU-bound, so that the threads, not the disk, set the pace).
 */
class SparkEncodeBenchmark {
    @TempDir
    Path dir;

    @Test
    void localTwoVersusLocalOneVersusJpklSave() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("jpkl.spark.bench"), "benchmark skipped: run with -Djpkl.spark.bench=true");
        int planes = Integer.getInteger("jpkl.spark.bench.planes", 96);
        NdArray a = SparkEncoderTest.stack(planes, 512, 512);
        Path npy = dir.resolve("stack.npy");
        NpyWriter.write(a, npy);
        WriteOptions options = WriteOptions.builder().codec("deflate").param("level", "9").layout(PlaneLayout.of(1, 2)).build();
        StackFiles input = StackFiles.npy(npy, PlaneLayout.of(1, 2));
        List<String> rows = new ArrayList<>();
        rows.add("load average before: " + load());

        Path reference = dir.resolve("save.jpkl");
        Times save1 = median(() -> save(npy, reference, options, 1));
        Times save2 = median(() -> save(npy, reference, options, 2));
        Times spark1 = sparkMedian("local[1]", input, options);
        Times spark2 = sparkMedian("local[2]", input, options);
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(dir.resolve("spark.jpkl")));

        rows.add(String.format(Locale.ROOT, "%d planes 512x512 uint16 (%.0f MB), deflate level 9, .npy on local disk", planes,
                planes * 512 * 512 * 2 / 1e6));
        rows.add("Jpkl.save, 1 thread (npy read + encode): " + save1);
        rows.add(String.format(Locale.ROOT, "Jpkl.save, 2 threads: %s, %.2fx 1 thread", save2, save1.wall() / save2.wall()));
        rows.add("Spark local[1]: " + spark1);
        rows.add(String.format(Locale.ROOT, "Spark local[2]: %s, %.2fx local[1] (goal >= 1.6x)", spark2, spark1.wall() / spark2.wall()));
        rows.add(String.format(Locale.ROOT, "Spark local[2] vs Jpkl.save 2 threads: %.2fx the time, %.2fx the CPU (engine overhead)",
                spark2.wall() / save2.wall(), spark2.cpu() / save2.cpu()));
        rows.add("load average after: " + load());
        System.out.println("SPARK ENCODE BENCHMARK\n  " + String.join("\n  ", rows));
    }

    private Times sparkMedian(String master, StackFiles input, WriteOptions options) throws IOException {
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession s = LocalSpark.session(master);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.sparkContext());
            SparkEncoder encoder = SparkEncoder.builder().build();
            return median(() -> encoder.encode(sc, input, dir.resolve("spark.jpkl"), options));
        } finally {
            s.stop();
        }
    }

    private static void save(Path npy, Path target, WriteOptions options, int threads) throws IOException {
        try (NpyReader r = NpyReader.open(npy)) {
            Jpkl.builder().parallelism(threads).build().save(r.readAll(), target, options);
        }
    }

    /** Wall and process CPU seconds of one variant: medians of 3 runs after one warm-up. */
    private record Times(double wall, double cpu) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f s (process CPU %.2f s)", wall, cpu);
        }
    }

    private static Times median(Stopwatch.Work<IOException> run) throws IOException {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> cpu = new ArrayList<>();
        Stopwatch clock = Stopwatch.system();
        double wall = clock.passes(1, 3, () -> {
            long c0 = os.getProcessCpuTime();
            long nanos = clock.nanos(run);
            cpu.add((os.getProcessCpuTime() - c0) / 1e9);
            return nanos;
        }).median() / 1e9;
        return new Times(wall, org.jpkl.compare.Samples.of(cpu.subList(1, cpu.size())).median());
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.2f on %d cores", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }
}
