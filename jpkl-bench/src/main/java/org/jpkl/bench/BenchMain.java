package org.jpkl.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness ({@code bin/bench}): every figure is printed beside its baseline measured
 * in the same run, with the ratio, the goal and PASS/MISS (informational: the exit code never
 * depends on timing). Writes {@code bench.json} and {@code bench.md} to the output folder.
 *
 * <p>Method: one JVM; shared data made once; a whole-suite warm-up pass (every measured path runs
 * until compiled, nothing recorded; ImageIO needs it); then the measured pass, each section after
 * explicit collections. Figures and baselines are measured interleaved (alternating order), so
 * drift and JIT state affect both alike; the Python baselines run as a subprocess while the JVM is
 * idle. See docs/PERFORMANCE.md.
 *
 * <pre>
 * bin/bench [--quick] [--out DIR] [--work DIR] [--keep] [--python EXE | --no-python]
 *           [--codec ID] [--param KEY=VALUE]... [--only SECTION]
 * </pre>
 */
public final class BenchMain {
    /** Above this share of the CPUs taken by other processes, a section's figures count as disturbed. */
    static final double QUIET_SHARE = 0.05;
    private BenchMain() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args see the class comment; {@code --help} lists them
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean keep = false;
        boolean noPython = false;
        String python = null;
        Path out = Path.of("bench-results");
        Path work = null;
        String codec = "jpeg";
        Map<String, String> params = new LinkedHashMap<>();
        String only = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick":
                    quick = true;
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--no-python":
                    noPython = true;
                    break;
                case "--python":
                    python = value(args, ++i, a);
                    break;
                case "--out":
                    out = Path.of(value(args, ++i, a));
                    break;
                case "--work":
                    work = Path.of(value(args, ++i, a));
                    break;
                case "--codec":
                    codec = value(args, ++i, a);
                    break;
                case "--only":
                    only = value(args, ++i, a);
                    break;
                case "--param":
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        usage("--param needs KEY=VALUE, got '" + kv + "'");
                    }
                    params.put(kv.substring(0, eq), kv.substring(eq + 1));
                    break;
                case "--help":
                case "-h":
                    usage(null);
                    break;
                default:
                    usage("unknown argument '" + a + "'");
            }
        }
        if (codec.equals("jpeg")) {
            params.putIfAbsent("quality", "90");
        }
        Plan plan = quick ? Plan.quick() : Plan.full();
        Path workDir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("jpkl-bench");
        long start = System.nanoTime();
        int exit;
        try {
            exit = run(plan, workDir, out, python, noPython, codec, params, only);
        } finally {
            if (!keep) {
                deleteTree(workDir);
            }
        }
        System.out.printf(Locale.ROOT, "Total time %.0f s%n", (System.nanoTime() - start) / 1e9);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** @return the exit code: 0, or 2 when the codec cannot be used */
    private static int run(Plan plan, Path work, Path out, String python, boolean noPython, String codec, Map<String, String> params,
            String only) throws Exception {
        System.out.println("jpkl-bench " + (plan.quick ? "(quick)" : "(full)") + ": codec " + codec + " " + params + ", work dir " + work);
        long t0 = System.nanoTime();
        Fixtures f;
        try {
            f = new Fixtures(work, codec, params);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("jpkl-bench: cannot use codec '" + codec + "': " + e.getMessage());
            return 2;
        }
        System.out.printf(Locale.ROOT, "Data ready in %.1f s: peer stack %s raw, saved as %s (%s)%n", (System.nanoTime() - t0) / 1e9,
                Units.bytes(f.peerStack.byteSize()), f.peerFile.getFileName(), Units.bytes(Files.size(f.peerFile)));
        String implementation = JpegImplementations.reportedImplementation(f.codec);
        if (implementation != null) {
            System.out.println("Codec " + codec + " runs on: " + implementation);
        }
        PythonPeer peer = noPython ? null : PythonPeer.probe(python, work);
        PythonPeer usable = peer != null ? peer : PythonPeer.disabled();
        System.out.println("Python baselines: " + (usable.available() ? usable.interpreter() + " " + usable.versions()
                : "n/a (" + usable.unavailableReason().orElse("") + ")"));

        t0 = System.nanoTime();
        System.out.println("Warm-up pass (whole suite, nothing recorded) ...");
        runSections(f, Plan.warmupFor(plan), new Report(false), usable, only);
        System.out.printf(Locale.ROOT, "Warm-up pass took %.0f s. Measured pass:%n", (System.nanoTime() - t0) / 1e9);
        Report report = new Report(true);
        Map<String, Object> others = runSections(f, plan, report, usable, only);
        double worst = others.values().stream().filter(v -> v != null).mapToDouble(v -> (Double) v).max().orElse(Double.NaN);

        Map<String, Object> machine = MachineFacts.collect(f.jpkl1.codecs(), peer);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("mode", plan.quick ? "quick" : "full");
        config.put("codec", codec);
        config.put("params", params);
        machine.put("max_cpu_share_of_other_processes", Double.isNaN(worst) ? null : worst);
        config.put("peer_stack", "uint8 (512, 512, 10, 10, 4), gradient + Gaussian blob + stripes + N(0, 6) noise, seed "
                + Fixtures.SEED);
        String table = report.table();
        System.out.println();
        String quiet = Double.isNaN(worst) ? "unknown" : String.format(Locale.ROOT, "%.0f%%", 100 * worst)
                + (worst > QUIET_SHARE ? " (WARNING: the machine was not quiet; figures are disturbed)" : "");
        String facts = MachineFacts.summary(machine) + "\nOther processes' share of the CPUs during the measured pass (worst section): "
                + quiet;
        System.out.println(facts);
        System.out.println();
        System.out.println(table);
        Files.createDirectories(out);
        Path json = out.resolve(plan.quick ? "bench-quick.json" : "bench.json");
        report.writeJson(json, machine, config);
        Files.writeString(out.resolve(plan.quick ? "bench-quick.md" : "bench.md"), facts + "\n\n" + table);
        System.out.println("Wrote " + json.toAbsolutePath());
        return 0;
    }

    /** @return per section, the share of all CPUs' time that other processes used while its reported attempt ran */
    private static Map<String, Object> runSections(Fixtures f, Plan plan, Report report, PythonPeer python, String only)
            throws Exception {
        Map<String, Object> others = new LinkedHashMap<>();
        for (Map.Entry<String, Section> e : sections(f, plan, python).entrySet()) {
            if (only == null || e.getKey().startsWith(only)) {
                section(e.getKey(), plan, report, others, e.getValue());
            }
        }
        report.detail("cpu_share_of_other_processes", others);
        return others;
    }

    /** The sections by name, for {@code --only}: those whose name starts with its value run. */
    private static Map<String, Section> sections(Fixtures f, Plan plan, PythonPeer python) {
        Map<String, Section> all = new LinkedHashMap<>();
        all.put("peer stack and parallel scaling", r -> PeerStackSection.run(f, plan, r, python));
        all.put("read path: overhead, 10k file, cache, allocation", r -> ReadPathSection.run(f, plan, r));
        all.put("JPEG decode speed", r -> JpegDecodeSection.run(f, plan, r, python));
        all.put("open", r -> OpenSection.run(f, plan, r));
        all.put("remote open: requests and bytes over HTTP (nginx)", r -> RemoteOpenSection.run(f, plan, r));
        all.put("remote read: full read from S3 (S3Proxy), 1 vs 2 threads, vs local file", r -> RemoteReadSection.run(f, plan, r));
        all.put("tiled plane: region, whole plane, threads, size", r -> TiledPlaneSection.run(f, plan, r));
        all.put("scientific codecs: sqrt, lz4, bitshuffle vs zstd+shuffle", r -> ScientificCodecSection.run(f, plan, r));
        all.put("spark encode: local[2] vs local[1] and Jpkl.save (child JVM)", r -> SparkEncodeSection.run(f, plan, r));
        return all;
    }

    /** A section's body, recording into the report it is given. */
    private interface Section {
        void run(Report report) throws Exception;
    }

    /**
     * Runs a section; while other processes took more than {@link #QUIET_SHARE} of the CPUs during
     * it, runs it again (up to the plan's attempts) and reports the least disturbed attempt.
     */
    private static void section(String name, Plan plan, Report report, Map<String, Object> others, Section body)
            throws Exception {
        Report best = null;
        double bestShare = Double.POSITIVE_INFINITY;
        for (int attempt = 1; attempt <= plan.attempts; attempt++) {
            Measure.settle();
            Report r = report.attempt();
            long t0 = System.nanoTime();
            CpuShare cpu = CpuShare.now();
            body.run(r);
            double share = CpuShare.othersSince(cpu);
            String faults = CpuShare.faultsSince(cpu);
            System.out.printf(Locale.ROOT, "%s %s%s: %.1f s; other processes used %s of the CPUs%s%s%n",
                    plan.measured ? "measured" : "warmed up", name, attempt > 1 ? " (attempt " + attempt + ")" : "",
                    (System.nanoTime() - t0) / 1e9, Double.isNaN(share) ? "an unknown share" : String.format(Locale.ROOT, "%.0f%%",
                            100 * share), share > QUIET_SHARE ? " (disturbed)" : "", faults.isEmpty() ? "" : "; this JVM: " + faults);
            if (best == null || share < bestShare) {
                best = r;
                bestShare = share;
            }
            if (!(share > QUIET_SHARE)) {
                break;
            }
        }
        report.absorb(best);
        others.put(name, Double.isInfinite(bestShare) || Double.isNaN(bestShare) ? null : bestShare);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("jpkl-bench: " + problem);
        }
        System.err.println("usage: bin/bench [--quick] [--out DIR] [--work DIR] [--keep] [--python EXE | --no-python]\n"
                + "                 [--codec ID] [--param KEY=VALUE]...\n"
                + "  --quick      smoke run: same data, fewer repetitions; the tiled-plane section uses an 8,192-side plane\n"
                + "  --out DIR    where bench.json and bench.md go (default bench-results)\n"
                + "  --work DIR   where the temporary files go (default a new temp dir, deleted afterwards unless --keep)\n"
                + "  --python EXE interpreter for the Pillow/NumPy baselines (default /usr/bin/python3)\n"
                + "  --codec ID   codec of the stacks (default jpeg, with --param quality=90)\n"
                + "  --only NAME  run only the sections whose name starts with NAME (e.g. 'scientific')");
        System.exit(problem == null ? 0 : 2);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
