package org.jpkl.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneAssembly;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Selection;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;

/**
 * The Python JPkl peer's four operations on the same (512, 512, 10, 10, 4) stack: encode and save,
 * a random single slice, {@code x[:, :, k, m]} (4 slices) and the full decode, with 1 and 2 threads;
 * the Python peer runs on the same raw bytes, the same keys and the same repetitions, half of them
 * before jpkl's measurements and half after, its samples pooled: the machine's speed drifts for
 * seconds at a time (a peer run 720-884 ms per save in one run, 652-704 in the next), and a peer
 * measured only after jpkl compared one period with another. In the same process the Python jpkl
 * reader ({@code python/jpkl}) reads the same single slices from this section's jpkl file.
 * The 1- and 2-thread figures also give the parallel-scaling rows.
 */
final class PeerStackSection {
    /** Planes per grouped scatter in the kernel figures (the library's group for these planes in {@code get}). */
    private static final int GROUP = 8;
    /** Planes per grouped gather in the kernel figures (the library's group for these planes in {@code save}: 32 within 8 MB). */
    private static final int GATHER_GROUP = 32;
    /** Issue 20's goals: jpkl on 1 thread vs the peer, jpkl on 2 threads vs the peer on 1, and the 2 vs 1 thread speed-up. */
    private static final double ONE_THREAD_GOAL = 0.95;
    private static final double TWO_THREADS_GOAL = 0.55;
    private static final double SCALING_GOAL = 1.8;

    private PeerStackSection() {
    }

    static void run(Fixtures f, Plan plan, Report report, PythonPeer python) throws Exception {
        Random random = new Random(7);
        int[] singles = new int[plan.singleGets];
        for (int i = 0; i < singles.length; i++) {
            singles[i] = random.nextInt(Fixtures.PEER_SLICES);
        }
        int[][] multis = new int[plan.multiGets][];
        for (int i = 0; i < multis.length; i++) {
            multis[i] = new int[] {random.nextInt(10), random.nextInt(10)};
        }
        int firstReps = (plan.stackReps + 1) / 2;
        PeerResult peerBefore = plan.measured ? runPython(f, firstReps, python, Arrays.copyOf(singles, singles.length / 2),
                Arrays.copyOf(multis, multis.length / 2)) : null;
        Path out1 = f.work.resolve("encode-1t.jpkl");
        Path out2 = f.work.resolve("encode-2t.jpkl");
        List<Double> encode1 = new ArrayList<>();
        List<Double> encode2 = new ArrayList<>();
        for (int rep = 0; rep < plan.stackReps; rep++) {
            boolean oneFirst = rep % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                boolean one = (turn == 0) == oneFirst;
                Jpkl jpkl = one ? f.jpkl1 : f.jpkl2;
                Path target = one ? out1 : out2;
                System.gc();
                (one ? encode1 : encode2).add(Stopwatch.system().seconds(() -> jpkl.save(f.peerStack, target, f.writeOptions)));
            }
        }
        long fileBytes = Files.size(out1);
        List<Double> gather = new ArrayList<>();
        List<Double> gatherGrouped = new ArrayList<>();
        List<Double> scatter = new ArrayList<>();
        List<Double> scatterGrouped = new ArrayList<>();
        PlaneBuffer[] planes = new PlaneBuffer[GATHER_GROUP];
        for (int j = 0; j < GATHER_GROUP; j++) {
            planes[j] = PlaneBuffer.allocate(f.planeSpec);
        }
        PlaneBuffer[] scatterPlanes = Arrays.copyOf(planes, GROUP);
        PlaneLayout layout = PlaneLayout.jpkl(false);
        for (int rep = 0; rep < plan.stackReps; rep++) {
            boolean oneFirst = rep % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                boolean one = (turn == 0) == oneFirst;
                (one ? gather : gatherGrouped).add(Stopwatch.system().seconds(() -> {
                    for (int n = 0; n < Fixtures.PEER_SLICES; n += GATHER_GROUP) {
                        int count = Math.min(GATHER_GROUP, Fixtures.PEER_SLICES - n);
                        if (one) {
                            for (int j = 0; j < count; j++) {
                                f.peerStack.copyPlane(layout, n + j, planes[j]);
                            }
                        } else {
                            f.peerStack.copyPlanes(layout, n, count == GATHER_GROUP ? planes : Arrays.copyOf(planes, count));
                        }
                    }
                    Measure.consume(planes[0].bytes());
                }));
                PlaneAssembly assembly = new PlaneAssembly(Selection.resolve("...", Fixtures.PEER_SHAPE), DType.UINT8, layout);
                (one ? scatter : scatterGrouped).add(Stopwatch.system().seconds(() -> {
                    for (int n = 0; n < Fixtures.PEER_SLICES; n += GROUP) {
                        if (one) {
                            for (int j = 0; j < GROUP; j++) {
                                assembly.scatter(n + j, scatterPlanes[j]);
                            }
                        } else {
                            assembly.scatter(n, scatterPlanes);
                        }
                    }
                }));
                Measure.consume(assembly.result());
            }
        }
        Files.deleteIfExists(out1);
        Files.deleteIfExists(out2);

        List<Double> full1 = new ArrayList<>();
        List<Double> full2 = new ArrayList<>();
        List<Double> single = new ArrayList<>();
        List<Double> multi1 = new ArrayList<>();
        List<Double> multi2 = new ArrayList<>();
        try (JpklArray a1 = f.jpkl1.open(f.peerFile); JpklArray a2 = f.jpkl2.open(f.peerFile)) {
            for (int rep = 0; rep < plan.stackReps; rep++) {
                boolean oneFirst = rep % 2 == 0;
                for (int turn = 0; turn < 2; turn++) {
                    boolean one = (turn == 0) == oneFirst;
                    JpklArray a = one ? a1 : a2;
                    System.gc();
                    (one ? full1 : full2).add(Stopwatch.system().seconds(() -> Measure.consume(a.get("..."))));
                }
            }
            System.gc();
            for (int n : singles) {
                String e = Fixtures.peerSliceExpression(n);
                single.add(Stopwatch.system().seconds(() -> Measure.consume(a2.get(e))));
            }
            for (int i = 0; i < multis.length; i++) {
                String e = ":, :, " + multis[i][0] + ", " + multis[i][1];
                boolean oneFirst = i % 2 == 0;
                for (int turn = 0; turn < 2; turn++) {
                    boolean one = (turn == 0) == oneFirst;
                    JpklArray a = one ? a1 : a2;
                    (one ? multi1 : multi2).add(Stopwatch.system().seconds(() -> Measure.consume(a.get(e))));
                }
            }
        }
        if (!plan.measured) {
            return;
        }

        PeerResult peer = PeerResult.pooled(peerBefore, runPython(f, plan.stackReps - firstReps, python,
                Arrays.copyOfRange(singles, singles.length / 2, singles.length), Arrays.copyOfRange(multis, multis.length / 2, multis.length)));
        String stack = "(512, 512, 10, 10, 4) u8, 400 slices";
        String py = "Python peer (Pillow)";
        report.add(Row.builder("peer_encode_1t", "peer stack: encode + save, 1 thread", Units.SECONDS)
                .figure("jpkl", Samples.of(encode1)).baseline(py, peer.encode).atMost(ONE_THREAD_GOAL)
                .note("encode and save " + stack + " at the codec's quality, fsync included on both sides; goals (issue 20): 1 thread <= "
                        + ONE_THREAD_GOAL + " of the peer, 2 threads <= " + TWO_THREADS_GOAL + " of the peer on 1 thread, on every peer row"
                        + (peer.unavailable == null ? "" : "; Python peer n/a: " + peer.unavailable)).build());
        report.add(Row.builder("peer_encode_2t", "peer stack: encode + save, 2 threads", Units.SECONDS)
                .figure("jpkl", Samples.of(encode2)).baseline(py + ", 1 thread", peer.encode).atMost(TWO_THREADS_GOAL).build());
        report.add(Row.builder("peer_single", "peer stack: random single-slice get x[:, :, k, m, c]", Units.SECONDS)
                .figure("jpkl", Samples.of(single)).baseline(py, peer.single).atMost(ONE_THREAD_GOAL)
                .note("median over " + singles.length + " random slices (same keys on both sides); spread is per call").build());
        report.add(Row.builder("python_reader_single", "peer stack from Python: random single slice, jpkl file vs JPkl pickle",
                Units.SECONDS).figure("Python jpkl reader", peer.pythonReader).baseline(py, peer.single).atMost(1.0)
                .note("python/jpkl reading the jpkl file above (index, CRC32C on, Pillow decode) vs the peer's pickled JPEG, same "
                        + "keys; goal (parity with the peer) is this harness's" + (peer.pythonReaderUnavailable == null ? ""
                        : "; Python jpkl reader n/a: " + peer.pythonReaderUnavailable)).build());
        report.add(Row.builder("peer_multi_1t", "peer stack: x[:, :, k, m] (4 slices), 1 thread", Units.SECONDS)
                .figure("jpkl", Samples.of(multi1)).baseline(py, peer.multi).atMost(ONE_THREAD_GOAL).build());
        report.add(Row.builder("peer_multi_2t", "peer stack: x[:, :, k, m] (4 slices), 2 threads", Units.SECONDS)
                .figure("jpkl", Samples.of(multi2)).baseline(py + ", 1 thread", peer.multi).atMost(TWO_THREADS_GOAL).build());
        report.add(Row.builder("peer_full_1t", "peer stack: full decode x[...], 1 thread", Units.SECONDS)
                .figure("jpkl", Samples.of(full1)).baseline(py, peer.full).atMost(ONE_THREAD_GOAL).build());
        report.add(Row.builder("peer_full_2t", "peer stack: full decode x[...], 2 threads", Units.SECONDS)
                .figure("jpkl", Samples.of(full2)).baseline(py + ", 1 thread", peer.full).atMost(TWO_THREADS_GOAL).build());
        report.add(Row.builder("peer_file_size", "peer stack: file size", Units.BYTES)
                .figure("jpkl", Samples.of(fileBytes)).baseline("Python peer pickle", peer.fileBytes == null ? null
                        : Samples.of(peer.fileBytes)).note("same pixels and quality; the jpkl file adds a header, an index and "
                                + "a CRC32C per slice").build());
        report.add(Row.builder("scaling_encode", "parallel scaling: encode + save, 2 threads vs 1", Units.SECONDS)
                .figure("2 threads", Samples.of(encode2)).baseline("1 thread", Samples.of(encode1)).speedup().atLeast(SCALING_GOAL)
                .note("ratio = 1-thread time / 2-thread time (speed-up); goal (issue 20) >= " + SCALING_GOAL).build());
        report.add(Row.builder("scaling_decode", "parallel scaling: full decode, 2 threads vs 1", Units.SECONDS)
                .figure("2 threads", Samples.of(full2)).baseline("1 thread", Samples.of(full1)).speedup().atLeast(SCALING_GOAL).build());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("jpkl_file_bytes", fileBytes);
        d.put("python_file_bytes", peer.fileBytes);
        d.put("python", peer.unavailable == null ? "ran" : peer.unavailable);
        d.put("save_plane_gather_s_median", Samples.of(gather).median());
        d.put("save_plane_gather_grouped_s_median", Samples.of(gatherGrouped).median());
        d.put("save_plane_gather_note", "all 400 planes out of the (h, w, k, m, c) array on one thread: NdArray.copyPlane one plane "
                + "at a time vs NdArray.copyPlanes in groups of " + GATHER_GROUP + " (what Jpkl.save does), alternately in the same loop");
        d.put("decode_plane_scatter_s_median", Samples.of(scatter).median());
        d.put("decode_plane_scatter_grouped_s_median", Samples.of(scatterGrouped).median());
        d.put("decode_plane_scatter_note", "all 400 planes into the x[...] result on one thread: PlaneAssembly.scatter one plane at a "
                + "time vs in groups of " + GROUP + " (what JpklArray.get does), alternately in the same loop");
        System.out.println("  (plane gather of all 400 planes, one by one / in groups of " + GATHER_GROUP + ": "
                + Units.seconds(Samples.of(gather).median()) + " / " + Units.seconds(Samples.of(gatherGrouped).median())
                + "; plane scatter into x[...], one by one / in groups of " + GROUP + ": " + Units.seconds(Samples.of(scatter).median()) + " / "
                + Units.seconds(Samples.of(scatterGrouped).median()) + ")");
        report.detail("peer_stack", d);
    }

    /** The Python peer's samples, or nulls with the reason it could not run. */
    private static final class PeerResult {
        Samples encode;
        Samples single;
        Samples multi;
        Samples full;
        Samples pythonReader;
        Double fileBytes;
        String unavailable;
        String pythonReaderUnavailable;

        /** The samples of two runs together; the first run's reasons when it could not run. */
        static PeerResult pooled(PeerResult a, PeerResult b) {
            if (a.unavailable != null || b.unavailable != null) {
                return a.unavailable != null ? a : b;
            }
            System.out.printf(java.util.Locale.ROOT, "  Python peer, medians before / after jpkl's measurements: encode %s / %s, single %s / %s,"
                    + " x[:, :, k, m] %s / %s, full decode %s / %s%n", Units.seconds(a.encode.median()), Units.seconds(b.encode.median()),
                    Units.seconds(a.single.median()), Units.seconds(b.single.median()), Units.seconds(a.multi.median()),
                    Units.seconds(b.multi.median()), Units.seconds(a.full.median()), Units.seconds(b.full.median()));
            PeerResult r = new PeerResult();
            r.encode = join(a.encode, b.encode);
            r.single = join(a.single, b.single);
            r.multi = join(a.multi, b.multi);
            r.full = join(a.full, b.full);
            r.pythonReader = a.pythonReader == null || b.pythonReader == null ? null : join(a.pythonReader, b.pythonReader);
            r.pythonReaderUnavailable = a.pythonReaderUnavailable != null ? a.pythonReaderUnavailable : b.pythonReaderUnavailable;
            r.fileBytes = b.fileBytes;
            return r;
        }

        private static Samples join(Samples a, Samples b) {
            double[] v = Arrays.copyOf(a.values(), a.count() + b.count());
            System.arraycopy(b.values(), 0, v, a.count(), b.count());
            return Samples.of(v);
        }
    }

    /** One run of the Python peer: {@code reps} encodes and full decodes, and these gets. */
    private static PeerResult runPython(Fixtures f, int reps, PythonPeer python, int[] singles, int[][] multis) {
        PeerResult r = new PeerResult();
        if (!python.available()) {
            r.unavailable = python.unavailableReason().orElse("");
            return r;
        }
        if (!f.codecId.equals("jpeg")) {
            r.unavailable = "the Python peer writes JPEG; this run uses codec " + f.codecId;
            return r;
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("raw", f.peerRaw.toString());
        spec.put("shape", Fixtures.PEER_SHAPE);
        spec.put("quality", Integer.parseInt(f.codecParams.getOrDefault("quality", "90")));
        spec.put("pickle", f.work.resolve("peer.pkl").toString());
        spec.put("encode_reps", reps);
        spec.put("decode_reps", reps);
        List<int[]> singleKeys = new ArrayList<>();
        for (int n : singles) {
            singleKeys.add(new int[] {n / 40, n / 4 % 10, n % 4});
        }
        spec.put("single_keys", singleKeys);
        Path reader = Path.of("python", "jpkl", "__init__.py");
        if (Files.isRegularFile(reader)) { // bin/bench runs from the repository's root
            spec.put("jpkl_python", reader.getParent().getParent().toAbsolutePath().toString());
            spec.put("jpkl_file", f.peerFile.toAbsolutePath().toString());
        } else {
            r.pythonReaderUnavailable = reader + " not found (run from the repository's root)";
        }
        spec.put("multi_keys", Arrays.asList(multis));
        try {
            JsonObject o = python.run("peer", spec);
            r.encode = samples(o.getAsJsonArray("encode_s"));
            r.single = samples(o.getAsJsonArray("single_s"));
            r.multi = samples(o.getAsJsonArray("multi_s"));
            r.full = samples(o.getAsJsonArray("full_decode_s"));
            r.fileBytes = o.get("file_bytes").getAsDouble();
            if (o.has("jpkl_single_s")) {
                r.pythonReader = samples(o.getAsJsonArray("jpkl_single_s"));
            } else if (r.pythonReaderUnavailable == null) {
                r.pythonReaderUnavailable = o.has("jpkl_error") ? o.get("jpkl_error").getAsString() : "no answer";
            }
        } catch (IOException e) {
            r.unavailable = "Python peer failed: " + e.getMessage();
            System.out.println("  " + r.unavailable);
        }
        return r;
    }

    static Samples samples(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return Samples.of(v);
    }
}
