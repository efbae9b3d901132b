package org.jpkl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jpkl.compare.Samples;

/**
 * The Spark encode rows (issue 16): {@code local[2]} vs {@code local[1]} (goal at least 1.6x), and
 * {@code local[2]} vs {@code Jpkl.save} with 2 threads on the same machine, in time and in CPU time,
 * and {@code local[1]} vs 1 thread in CPU time (the engine's overhead; no goal). Spark is a
 * {@code provided} dependency of {@code jpkl-spark} only, so the measurement
 * ({@code org.jpkl.spark.SparkEncodeBench}, a test class of {@code jpkl-spark}) runs in a JVM of
 * its own on {@code jpkl-spark}'s test class path, which its build writes to
 * {@code jpkl-spark/target/bench.classpath} with the JVM flags Spark needs on Java 17
 * ({@code target/spark-jvm.options}); the child prints its series, one line each. About 40 s on 2
 * quiet cores (96 planes, one warm-up round and 3 measured rounds; 1 in {@code --quick}). Without
 * those files (e.g. {@code jpkl-spark} not built) the rows say why. The child's CPU time counts as
 * this process's for the disturbance measure (it is waited for).
 */
final class SparkEncodeSection {
    /** The folder of the jpkl-spark module (bin/bench runs from the repository's root). */
    private static final String MODULE = System.getProperty("jpkl.bench.spark.module", "jpkl-spark");
    private static final int PLANES = 96;

    private SparkEncodeSection() {
    }

    static void run(Fixtures f, Plan plan, Report report) throws Exception {
        if (!plan.measured) {
            return; // the child JVM warms itself up
        }
        String data = PLANES + " x 512x512 uint16, deflate level 9";
        Optional<String> missing = problem(Path.of(MODULE));
        Map<String, List<Double>> s = null;
        String why = null;
        if (missing.isPresent()) {
            why = "skipped: " + missing.get();
        } else {
            try {
                s = measure(f.work.resolve("spark-encode"), plan.quick ? 1 : 3);
            } catch (IOException e) {
                why = "failed: " + e.getMessage();
            }
        }
        if (why != null) {
            System.err.println("jpkl-bench: Spark encode rows " + why);
        }
        report.add(Row.builder("spark_encode_local2_vs_local1", "Spark encode local[2] vs local[1] (" + data + ")", Units.SECONDS)
                .figure("local[2]", series(s, "wall_local2")).baseline("local[1]", series(s, "wall_local1")).speedup().atLeast(1.6)
                .note(why != null ? why : "SparkEncoder, default task sizes; ratio = speed-up; see the control row below").build());
        report.add(Row.builder("spark_encode_local2_vs_save2", "Spark encode local[2] vs Jpkl.save 2 threads: time", Units.SECONDS)
                .figure("local[2]", series(s, "wall_local2")).baseline("Jpkl.save, 2 threads", series(s, "wall_save2"))
                .note(why != null ? why : "the engine's overhead in time (Jpkl.save reads the .npy whole, then encodes)").build());
        report.add(Row.builder("spark_encode_cpu_local2_vs_save2", "Spark encode local[2] vs Jpkl.save 2 threads: CPU time", Units.SECONDS)
                .figure("local[2]", series(s, "cpu_local2")).baseline("Jpkl.save, 2 threads", series(s, "cpu_save2"))
                .note(why != null ? why : "the engine's overhead in CPU time of the whole JVM (tasks, driver, Spark, JIT, GC)").build());
        report.add(Row.builder("spark_encode_cpu_local1_vs_save1", "Spark encode local[1] vs Jpkl.save 1 thread: CPU time", Units.SECONDS)
                .figure("local[1]", series(s, "cpu_local1")).baseline("Jpkl.save, 1 thread", series(s, "cpu_save1"))
                .note(why != null ? why : "the same on one core (the driver and Spark's threads run beside the one task)").build());
        report.add(Row.builder("spark_encode_control_save2_vs_save1", "control: Jpkl.save 2 threads vs 1 (same data)", Units.SECONDS)
                .figure("2 threads", series(s, "wall_save2")).baseline("1 thread", series(s, "wall_save1")).speedup()
                .note(why != null ? why : "how much a second core gave the one-machine encode in the same run").build());
        if (s != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            s.forEach((k, v) -> details.put(k, v));
            report.detail("spark_encode_seconds", details);
        }
    }

    /** Why the child cannot run from the jpkl-spark module folder {@code module}, if it cannot. */
    static Optional<String> problem(Path module) {
        for (Path p : List.of(module.resolve("target/bench.classpath"), module.resolve("target/spark-jvm.options"),
                module.resolve("target/classes"), module.resolve("target/test-classes"))) {
            if (!Files.exists(p)) {
                return Optional.of(p.toAbsolutePath() + " is missing (build jpkl-spark: bin/bench does, with mvn install)");
            }
        }
        return Optional.empty();
    }

    private static Path classPathFile() {
        return Path.of(MODULE, "target", "bench.classpath");
    }

    private static Path optionsFile() {
        return Path.of(MODULE, "target", "spark-jvm.options");
    }

    private static Samples series(Map<String, List<Double>> s, String name) {
        return s == null || s.get(name) == null || s.get(name).isEmpty() ? null : Samples.of(s.get(name));
    }

    /** The child's lines {@code NAME v1 v2 ...} (seconds) as series by name; blank lines are skipped. */
    static Map<String, List<Double>> parse(List<String> lines) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String line : lines) {
            String[] w = line.trim().split("\\s+");
            if (w[0].isEmpty()) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (int i = 1; i < w.length; i++) {
                values.add(Double.parseDouble(w[i]));
            }
            series.put(w[0], List.copyOf(values));
        }
        return series;
    }

    /** Runs the child JVM and parses its lines {@code NAME v1 v2 ...}. */
    private static Map<String, List<Double>> measure(Path work, int rounds) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path module = Path.of(MODULE);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch")); // heap pages touched once at start (see CpuShare)
        command.addAll(Arrays.asList(Files.readString(optionsFile(), StandardCharsets.UTF_8).trim().split("\\s+")));
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, module.resolve("target/test-classes").toString(),
                module.resolve("target/classes").toString(), Files.readString(classPathFile(), StandardCharsets.UTF_8).trim()));
        command.addAll(List.of("org.jpkl.spark.SparkEncodeBench", "--planes", String.valueOf(PLANES), "--rounds", String.valueOf(rounds),
                work.toString()));
        Path out = work.resolve("child.out");
        Path log = work.resolve("child.log");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new IOException("the child JVM did not finish in 10 minutes; its log: " + log);
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new IOException("the child JVM exited with " + p.exitValue() + ": "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
        Map<String, List<Double>> series = parse(Files.readAllLines(out, StandardCharsets.UTF_8));
        System.out.printf(Locale.ROOT, "Spark encode: %d measured round(s) in a child JVM (%s)%n", rounds, module.toAbsolutePath());
        return series;
    }
}
