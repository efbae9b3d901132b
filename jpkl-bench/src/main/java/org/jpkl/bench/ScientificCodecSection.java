package org.jpkl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jpkl.Jpkl;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.compare.SampleStacks;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;

/**
 * Issue 17's scientific codecs on the generated camera-like uint16 stack ({@link SampleStacks#microscopy}:
 * 16 planes of 512 x 512, photon counts of about 100..4000 with shot noise, i.e. offset 0 and gain 1):
 * per-slice ratio, encode and decode speed with 2 threads (one encoder or decoder per thread, planes
 * split between them; a timed pass repeats the planes until it lasts at least 40 ms) of {@code sqrt}, {@code lz4}, the filters, {@code jpegls} and {@code jpegxl} (lossless), each beside per-slice
 * {@code zstd} + shuffle measured in the same run; for {@code sqrt} also its largest error in units of
 * shot noise, and its speed with 1 thread beside zstd + shuffle's with 1 thread. Codecs that are not installed or not available print n/a.
 */
final class ScientificCodecSection {
    static final int SIDE = 512;
    static final int PLANES = 16;
    static final int THREADS = 2;
    /** Samples of at least this many photoelectrons count for the error in units of shot noise. */
    static final double MIN_SIGNAL = 100;

    /** Per-thread CPU time: on a shared machine wall time measures the neighbours as much as the codec. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ScientificCodecSection() {
    }

    /** One codec configuration's figures; {@code maxSigmaError} is NaN where the codec is lossless at the settings measured. */
    private record Result(String label, long encodedBytes, Samples encodeMbps, Samples decodeMbps, Samples encodeCpuMbps,
            Samples decodeCpuMbps, double maxSigmaError) {
        boolean lossless() {
            return Double.isNaN(maxSigmaError);
        }
    }

    static void run(Fixtures f, Plan plan, Report report) throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, SIDE, SIDE, ChannelLayout.GREY);
        short[] stack = SampleStacks.microscopy(DType.UINT16, Fixtures.SEED, SIDE, SIDE, PLANES).toShortArray();
        List<PlaneBuffer> planes = new ArrayList<>();
        for (int k = 0; k < PLANES; k++) {
            short[] s = new short[SIDE * SIDE];
            for (int p = 0; p < s.length; p++) {
                s[p] = stack[p * PLANES + k];
            }
            planes.add(PlaneBuffer.wrap(spec, s, 0));
        }
        long raw = spec.byteSize() * PLANES;
        int repeats = plan.measured ? (plan.quick ? 3 : 7) : 2;
        Jpkl jpkl = f.jpkl1;
        String[][] configs = {
            {"zstd", "level=1,filter=shuffle"}, {"zstd", "level=1,filter=bitshuffle"}, {"deflate", "level=1,filter=shuffle"},
            {"deflate", "level=1,filter=bitshuffle"}, {"lz4", "level=1,filter=shuffle"}, {"lz4", "level=1,filter=bitshuffle"},
            {"lz4", "level=9,filter=bitshuffle"}, {"jpegls", "near=0"},
            {"jpegxl", "distance=0,effort=2"}, {"sqrt", "offset=0,gain=1,scale=0.5"}};
        Map<String, Result> results = new LinkedHashMap<>();
        Map<String, Result> single = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (String[] c : configs) {
                SliceCodec codec = jpkl.codecs().find(c[0]).filter(x -> x.availability().isAvailable()).orElse(null);
                String label = c[0] + " " + c[1];
                results.put(label, codec == null ? null : measure(label, codec, params(codec, c[1]), planes, repeats, pool, THREADS));
            }
            for (String[] c : new String[][] {configs[0], configs[configs.length - 1]}) {
                SliceCodec codec = jpkl.codecs().find(c[0]).filter(x -> x.availability().isAvailable()).orElse(null);
                String label = c[0] + " " + c[1];
                single.put(label, codec == null ? null : measure(label, codec, params(codec, c[1]), planes, repeats, pool, 1));
            }
        } finally {
            pool.shutdown();
        }
        if (!plan.measured) {
            return;
        }
        Result base = results.get("zstd level=1,filter=shuffle");
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, Result> e : results.entrySet()) {
            Result r = e.getValue();
            Map<String, Object> d = new LinkedHashMap<>();
            if (r != null) {
                d.put("encoded_bytes", r.encodedBytes);
                d.put("ratio", (double) raw / r.encodedBytes);
                d.put("encode_mb_per_s_2_threads", r.encodeMbps.median());
                d.put("decode_mb_per_s_2_threads", r.decodeMbps.median());
                d.put("encode_mb_per_s_2_threads_by_cpu_time", r.encodeCpuMbps.median());
                d.put("decode_mb_per_s_2_threads_by_cpu_time", r.decodeCpuMbps.median());
                if (!Double.isNaN(r.maxSigmaError)) {
                    d.put("max_error_in_shot_noise_sigma", r.maxSigmaError);
                }
            }
            Result one = single.get(e.getKey());
            if (one != null) {
                d.put("encode_mb_per_s_1_thread", one.encodeMbps.median());
                d.put("decode_mb_per_s_1_thread", one.decodeMbps.median());
                d.put("encode_mb_per_s_1_thread_by_cpu_time", one.encodeCpuMbps.median());
                d.put("decode_mb_per_s_1_thread_by_cpu_time", one.decodeCpuMbps.median());
            }
            details.put(e.getKey(), d);
            if (r == null || r == base) {
                continue;
            }
            String id = "sci_" + e.getKey().replaceAll("[^a-z0-9]+", "_");
            String lossless = r.lossless() ? " (lossless)" : "";
            report.add(Row.builder(id + "_size", r.label + lossless + ": per-slice size of the camera-like uint16 stack", Units.BYTES)
                    .figure(r.label, Samples.of(r.encodedBytes))
                    .baseline("zstd+shuffle", base == null ? null : Samples.of(base.encodedBytes))
                    .note(String.format(Locale.ROOT, "ratio to raw %.2f; zstd+shuffle %.2f", (double) raw / r.encodedBytes,
                            base == null ? Double.NaN : (double) raw / base.encodedBytes)).build());
            report.add(Row.builder(id + "_decode", r.label + ": decode speed, 2 threads", Units.MB_PER_S)
                    .figure(r.label, r.decodeMbps).baseline("zstd+shuffle", base == null ? null : base.decodeMbps).build());
            report.add(Row.builder(id + "_cpu", r.label + ": encode / decode speed by CPU time, 2 threads", Units.MB_PER_S)
                    .figure("encode", r.encodeCpuMbps).baseline("decode", r.decodeCpuMbps)
                    .note(base == null ? "" : String.format(Locale.ROOT, "zstd+shuffle by CPU time: encode %.0f, decode %.0f MB/s",
                            base.encodeCpuMbps.median(), base.decodeCpuMbps.median())).build());
        }
        Result sqrt = results.get("sqrt offset=0,gain=1,scale=0.5");
        if (sqrt != null) {
            report.add(Row.builder("sci_sqrt_ratio", "sqrt scale 0.5: compression ratio (raw / encoded), goal >= 6", Units.BYTES)
                    .figure("raw", Samples.of(raw)).baseline("sqrt", Samples.of(sqrt.encodedBytes)).atLeast(6).build());
            report.add(Row.builder("sci_sqrt_error", "sqrt scale 0.5: largest error in shot-noise sigma (signal >= 100 e-), goal <= 0.5",
                    "sigma").figure("max |error| / sigma", Samples.of(sqrt.maxSigmaError)).baseline("goal", Samples.of(0.5))
                    .atMost(1.0).note("bound: scale * sigma = 0.5 sigma (docs/CODECS.md)").build());
            report.add(Row.builder("sci_sqrt_encode_cpu", "sqrt scale 0.5: encode speed by CPU time (raw / CPU seconds per thread),"
                    + " 2 threads, goal >= 800 MB/s", Units.MB_PER_S).figure("sqrt", sqrt.encodeCpuMbps).baseline("goal", Samples.of(800))
                    .atLeast(1.0).note("what 2 threads reach with a core each; wall-clock figure below").build());
            report.add(Row.builder("sci_sqrt_encode", "sqrt scale 0.5: encode speed, 2 threads, goal >= 800 MB/s", Units.MB_PER_S)
                    .figure("sqrt", sqrt.encodeMbps).baseline("goal", Samples.of(800)).atLeast(1.0)
                    .note(base == null ? "" : String.format(Locale.ROOT, "zstd+shuffle encodes at %.0f MB/s",
                            base.encodeMbps.median())).build());
            Result one = single.get("sqrt offset=0,gain=1,scale=0.5");
            Result baseOne = single.get("zstd level=1,filter=shuffle");
            report.add(Row.builder("sci_sqrt_encode_cpu_1_thread", "sqrt scale 0.5: encode speed by CPU time, 1 thread",
                    Units.MB_PER_S).figure("sqrt", one.encodeCpuMbps).baseline("zstd+shuffle", baseOne == null ? null
                    : baseOne.encodeCpuMbps).note(String.format(Locale.ROOT, "wall clock: sqrt %.0f, zstd+shuffle %s MB/s; decode by"
                    + " CPU time: sqrt %.0f, zstd+shuffle %s MB/s", one.encodeMbps.median(), baseOne == null ? "n/a"
                    : String.format(Locale.ROOT, "%.0f", baseOne.encodeMbps.median()), one.decodeCpuMbps.median(),
                    baseOne == null ? "n/a" : String.format(Locale.ROOT, "%.0f", baseOne.decodeCpuMbps.median()))).build());
        }
        report.detail("scientific_codecs", details);
    }

    private static CodecParams params(SliceCodec codec, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String kv : text.split(",")) {
            int eq = kv.indexOf('=');
            map.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return codec.params(map);
    }

    /** Rounds per timed pass, from one round's wall time: enough for {@link #MIN_PASS_NANOS}, at most 16. */
    private static int rounds(long oneRoundNanos) {
        return (int) Math.max(1, Math.min(16, (MIN_PASS_NANOS + oneRoundNanos - 1) / Math.max(1, oneRoundNanos)));
    }

    /** One thread's share of a pass: the planes {@code first}, {@code first + threads}, ... */
    private interface Share {
        void run(int first) throws Exception;
    }

    /**
     * Runs {@code share} on each of {@code threads} threads at once and records the pass's rate
     * by wall time and by CPU time (raw bytes over the threads' mean CPU time).
     */
    private static void timedPass(ExecutorService pool, int threads, long raw, List<Double> wallRates, List<Double> cpuRates,
            Share share, int rounds) throws Exception {
        long t0 = System.nanoTime();
        List<Future<Long>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            jobs.add(pool.submit(() -> {
                long cpu0 = CPU.getCurrentThreadCpuTime();
                for (int round = 0; round < rounds; round++) {
                    share.run(first);
                }
                return CPU.getCurrentThreadCpuTime() - cpu0;
            }));
        }
        long cpu = 0;
        for (Future<Long> job : jobs) {
            cpu += job.get();
        }
        wallRates.add(Stopwatch.megabytesPerSecond(raw, System.nanoTime() - t0));
        cpuRates.add(Stopwatch.megabytesPerSecond(raw, cpu / (double) threads));
    }

    /** A timed pass lasts at least about this long (the planes are encoded several times over when one round is shorter). */
    static final long MIN_PASS_NANOS = 40_000_000L;

    private static Result measure(String label, SliceCodec codec, CodecParams params, List<PlaneBuffer> planes, int repeats,
            ExecutorService pool, int threads) throws Exception {
        PlaneSpec spec = planes.get(0).spec();
        byte[][] encoded = new byte[planes.size()][];
        PlaneBuffer[] decoded = new PlaneBuffer[planes.size()];
        for (int k = 0; k < decoded.length; k++) {
            decoded[k] = PlaneBuffer.allocate(spec);
        }
        Share encode = first -> {
            try (SliceEncoder encoder = codec.newEncoder(params, spec)) {
                for (int k = first; k < planes.size(); k += threads) {
                    encoded[k] = encoder.encode(planes.get(k));
                }
            }
        };
        Share decode = first -> {
            try (SliceDecoder decoder = codec.newDecoder(params, spec)) {
                for (int k = first; k < planes.size(); k += threads) {
                    decoder.decode(ByteBuffer.wrap(encoded[k]), decoded[k]);
                }
            }
        };
        // One untimed round of each sets how many rounds a timed pass holds: a pass of a few milliseconds
        // would measure waking the pool's threads as much as the codec.
        long t0 = System.nanoTime();
        timedPass(pool, threads, 1, new ArrayList<>(), new ArrayList<>(), encode, 1);
        int encodeRounds = rounds(System.nanoTime() - t0);
        t0 = System.nanoTime();
        timedPass(pool, threads, 1, new ArrayList<>(), new ArrayList<>(), decode, 1);
        int decodeRounds = rounds(System.nanoTime() - t0);
        long raw = spec.byteSize() * planes.size();
        List<Double> encodeRates = new ArrayList<>();
        List<Double> encodeCpuRates = new ArrayList<>();
        List<Double> decodeRates = new ArrayList<>();
        List<Double> decodeCpuRates = new ArrayList<>();
        for (int rep = 0; rep < repeats; rep++) {
            timedPass(pool, threads, raw * encodeRounds, encodeRates, encodeCpuRates, encode, encodeRounds);
        }
        for (int rep = 0; rep < repeats; rep++) {
            timedPass(pool, threads, raw * decodeRounds, decodeRates, decodeCpuRates, decode, decodeRounds);
        }
        long bytes = 0;
        boolean exact = codec.isLossless(params);
        double worst = exact ? Double.NaN : 0;
        for (int k = 0; k < planes.size(); k++) {
            bytes += encoded[k].length;
            short[] a = planes.get(k).shorts();
            short[] b = decoded[k].shorts();
            for (int i = 0; i < a.length; i++) {
                int x = a[i] & 0xFFFF;
                int y = b[i] & 0xFFFF;
                if (exact) {
                    if (x != y) {
                        throw new IllegalStateException(label + " is not lossless: plane " + k + " sample " + i + " " + x + " -> " + y);
                    }
                } else if (x >= MIN_SIGNAL) {
                    worst = Math.max(worst, Math.abs(y - x) / Math.sqrt(x));
                }
            }
        }
        return new Result(label, bytes, Samples.of(encodeRates), Samples.of(decodeRates), Samples.of(encodeCpuRates),
                Samples.of(decodeCpuRates), worst);
    }
}
