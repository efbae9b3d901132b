package org.jpkl.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.PlaneLayout;
import org.jpkl.compare.Stopwatch;
import org.jpkl.npy.NpyReader;
import org.jpkl.npy.NpyWriter;

/**
 * The measurements of the Spark encode rows (docs/SPARK.md, docs/PERFORMANCE.md): a {@code .npy}
 * stack of {@code planes} 512 x 512 uint16 planes ({@link SparkEncoderTest#stack}), {@code deflate}
 * level 9 (CPU-bound, so that the cores, not the disk, set the pace), encoded by
 * {@link SparkEncoder} on {@code local[1]} and {@code local[2]} and by {@code Jpkl.save} (reading
 * the {@code .npy} whole, then encoding) with 1 and 2 threads. Wall time and this JVM's CPU time
 * (every thread: tasks, driver, Spark, JIT, GC) of each encode.
 *
 * <p>Method: one warm-up round, then {@code rounds} measured rounds, each of which runs every
 * variant once, alternating: a new Spark session on {@code local[1]} encodes once untimed (the
 * session's first job) and once timed, then one on {@code local[2]} likewise, then
 * {@code Jpkl.save} with 1 and 2 threads. So drift and JIT state affect all variants alike. The
 * containers are checked byte for byte against {@code Jpkl.save}'s.
 *
 * <p>Used by {@link SparkEncodeBenchmark} (JUnit, opt-in) and run by {@code bin/bench}'s Spark
 * section in a JVM of its own on Spark's class path: {@code main} prints one line per series,
 * {@code NAME v1 v2 ...} (seconds), for the harness to parse.
 */
final class SparkEncodeBench {
    /** The series, in the order printed. */
    static final List<String> SERIES = List.of("wall_local1", "wall_local2", "wall_save1", "wall_save2",
            "cpu_local1", "cpu_local2", "cpu_save1", "cpu_save2");

    private SparkEncodeBench() {
    }

    /**
     * {@code SparkEncodeBench [--planes N] [--rounds R] DIR}: measures in DIR (made if absent; its
     * files are left for the caller to delete) and prints the series.
     */
    public static void main(String[] args) throws IOException {
        int planes = 96;
        int rounds = 3;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--planes" -> planes = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> dir = Path.of(args[i]);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("usage: SparkEncodeBench [--planes N] [--rounds R] DIR");
        }
        Map<String, List<Double>> series = measure(Files.createDirectories(dir), planes, rounds);
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            StringBuilder line = new StringBuilder(e.getKey());
            for (double v : e.getValue()) {
                line.append(' ').append(String.format(Locale.ROOT, "%.4f", v));
            }
            System.out.println(line);
        }
        System.out.flush();
        // Spark's non-daemon threads are stopped with the sessions; exit at once all the same.
        System.exit(0);
    }

    /** The series ({@link #SERIES}), {@code rounds} values each, in seconds. */
    static Map<String, List<Double>> measure(Path dir, int planes, int rounds) throws IOException {
        Path npy = dir.resolve("stack.npy");
        NpyWriter.write(SparkEncoderTest.stack(planes, 512, 512), npy);
        WriteOptions options = WriteOptions.builder().codec("deflate").param("level", "9").layout(PlaneLayout.of(1, 2)).build();
        StackFiles input = StackFiles.npy(npy, PlaneLayout.of(1, 2));
        Path reference = dir.resolve("save.jpkl");
        Path spark = dir.resolve("spark.jpkl");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        SERIES.forEach(s -> series.put(s, new ArrayList<>()));
        for (int round = 0; round <= rounds; round++) {
            boolean record = round > 0;
            for (String master : List.of("local[1]", "local[2]")) {
                double[] t = sparkEncode(master, input, spark, options);
                String v = master.equals("local[1]") ? "local1" : "local2";
                add(series, record, v, t);
                check(reference, spark, round, npy, options);
            }
            for (int threads = 1; threads <= 2; threads++) {
                int n = threads;
                double[] t = timed(() -> {
                    try (NpyReader r = NpyReader.open(npy)) {
                        Jpkl.builder().parallelism(n).build().save(r.readAll(), reference, options);
                    }
                });
                add(series, record, "save" + threads, t);
            }
        }
        return series;
    }

    private static void add(Map<String, List<Double>> series, boolean record, String variant, double[] wallAndCpu) {
        if (record) {
            series.get("wall_" + variant).add(wallAndCpu[0]);
            series.get("cpu_" + variant).add(wallAndCpu[1]);
        }
    }

    /** Checks the Spark container against {@code Jpkl.save}'s (written first if absent). */
    private static void check(Path reference, Path spark, int round, Path npy, WriteOptions options) throws IOException {
        if (!Files.exists(reference)) {
            try (NpyReader r = NpyReader.open(npy)) {
                Jpkl.create().save(r.readAll(), reference, options);
            }
        }
        if (!Arrays.equals(Files.readAllBytes(reference), Files.readAllBytes(spark))) {
            throw new IllegalStateException("round " + round + ": the Spark encode " + spark + " differs from Jpkl.save's " + reference);
        }
    }

    /** A new session on {@code master}: one untimed encode (the session's first job), then one timed. */
    private static double[] sparkEncode(String master, StackFiles input, Path target, WriteOptions options) throws IOException {
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession s = LocalSpark.session(master);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.sparkContext());
            SparkEncoder encoder = SparkEncoder.builder().build();
            encoder.encode(sc, input, target, options);
            return timed(() -> encoder.encode(sc, input, target, options));
        } finally {
            s.stop();
        }
    }

    /** Wall and process CPU seconds of {@code work}. */
    private static double[] timed(Stopwatch.Work<IOException> work) throws IOException {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        double wall = Stopwatch.system().seconds(work);
        return new double[] {wall, (os.getProcessCpuTime() - c0) / 1e9};
    }
}
