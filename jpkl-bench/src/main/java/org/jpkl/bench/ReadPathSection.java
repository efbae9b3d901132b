package org.jpkl.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.jpkl.JpklArray;
import org.jpkl.OpenOptions;
import org.jpkl.SliceCache;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;

/**
 * The read path against the decoder underneath it: framework overhead of {@code get}, a random
 * slice from a 10,000-slice file, cache hit against miss and the cache's byte budget, and bytes
 * allocated per {@code get}.
 */
final class ReadPathSection {
    static final int[] SHAPE_10K = {Fixtures.H, Fixtures.W, 100, 100};

    private ReadPathSection() {
    }

    static void run(Fixtures f, Plan plan, Report report) throws Exception {
        frameworkOverhead(f, plan, report);
        Measure.settle();
        randomReadFrom10k(f, plan, report);
        Measure.settle();
        cache(f, plan, report);
        Measure.settle();
        allocation(f, plan, report);
    }

    /** Per pass over all slices, each slice is read three ways in rotating order; a sample is one pass's mean per slice. */
    private static void frameworkOverhead(Fixtures f, Plan plan, Report report) throws Exception {
        String implementation = JpegImplementations.reportedImplementation(f.codec);
        boolean jpeg = f.codecId.equals("jpeg") && !JpegImplementations.mentionsTurbo(implementation);
        List<Double> get = new ArrayList<>();
        List<Double> codec = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        String readerName = null;
        String[] expressions = new String[Fixtures.PEER_SLICES];
        for (int n = 0; n < expressions.length; n++) {
            expressions[n] = Fixtures.peerSliceExpression(n);
        }
        try (JpklArray a = f.jpkl1.open(f.peerFile); SliceDecoder decoder = f.codec.newDecoder(a.codecParamsValue(), f.planeSpec);
             BareImageIoJpeg imageIo = jpeg ? new BareImageIoJpeg() : null) {
            readerName = imageIo == null ? null : imageIo.readerName();
            int planeBytes = f.planeSpec.sampleCount();
            for (int pass = 0; pass < plan.overheadPasses; pass++) {
                double[] sum = new double[3];
                for (int n = 0; n < Fixtures.PEER_SLICES; n++) {
                    int slice = n;
                    for (int k = 0; k < 3; k++) {
                        int variant = (n + pass + k) % 3;
                        if (variant == 0) {
                            sum[0] += Stopwatch.system().seconds(() -> Measure.consume(a.get(expressions[slice])));
                        } else if (variant == 1) {
                            sum[1] += Stopwatch.system().seconds(() -> {
                                byte[] out = new byte[planeBytes];
                                decoder.decode(ByteBuffer.wrap(f.encoded[slice]), PlaneBuffer.wrap(f.planeSpec, out, 0));
                                Measure.consume(out);
                            });
                        } else if (imageIo != null) {
                            sum[2] += Stopwatch.system().seconds(() -> {
                                byte[] out = new byte[planeBytes];
                                imageIo.decodeGrey(f.encoded[slice], out, Fixtures.W, Fixtures.H);
                                Measure.consume(out);
                            });
                        }
                    }
                }
                get.add(sum[0] / Fixtures.PEER_SLICES);
                codec.add(sum[1] / Fixtures.PEER_SLICES);
                bare.add(sum[2] / Fixtures.PEER_SLICES);
            }
        }
        report.add(Row.builder("framework_overhead", "framework overhead: get(one slice) from file vs codec decoder on the same bytes",
                Units.SECONDS).figure("get", Samples.of(get)).baseline("SliceDecoder.decode", Samples.of(codec)).atMost(1.10)
                .note("per slice, mean of a pass over all 400 slices of the peer stack (one sample per pass); both produce a new "
                        + "512x512 array; get includes the positional read, CRC32C check, selection and result assembly")
                .build());
        report.add(Row.builder("framework_overhead_bare", "framework overhead: get(one slice) vs bare ImageIO reader", Units.SECONDS)
                .figure("get", Samples.of(get)).baseline(readerName == null ? "bare ImageIO reader (only when the codec runs on "
                        + "ImageIO)" : "ImageReader.read", jpeg ? Samples.of(bare) : null).atMost(1.10)
                .note(jpeg ? "the stricter reading of 'the underlying decoder': " + readerName + " decoding into a BufferedImage "
                        + "whose raster wraps the destination array, from an ImageInputStream over the byte[]" : null)
                .build());
    }

    private static void randomReadFrom10k(Fixtures f, Plan plan, Report report) throws Exception {
        Path file = f.file("10k.jpkl", SHAPE_10K, f.encoded);
        List<Double> get = new ArrayList<>();
        List<Double> memory = new ArrayList<>();
        Random random = new Random(11);
        try (JpklArray a = f.jpkl1.open(file); SliceDecoder decoder = f.codec.newDecoder(a.codecParamsValue(), f.planeSpec)) {
            int planeBytes = f.planeSpec.sampleCount();
            for (int i = 0; i < plan.randomReads; i++) {
                int n = random.nextInt(10_000);
                String e = ":, :, " + n / 100 + ", " + n % 100;
                ByteBuffer bytes = a.readEncodedSlice(n);
                Stopwatch.Work<Exception> fromFile = () -> Measure.consume(a.get(e));
                Stopwatch.Work<Exception> fromMemory = () -> {
                    byte[] out = new byte[planeBytes];
                    decoder.decode(bytes.duplicate(), PlaneBuffer.wrap(f.planeSpec, out, 0));
                    Measure.consume(out);
                };
                if (i % 2 == 0) {
                    get.add(Stopwatch.system().seconds(fromFile));
                    memory.add(Stopwatch.system().seconds(fromMemory));
                } else {
                    memory.add(Stopwatch.system().seconds(fromMemory));
                    get.add(Stopwatch.system().seconds(fromFile));
                }
            }
        }
        report.add(Row.builder("random_read_10k", "random single-slice get from a 10,000-slice file vs decoding its bytes in memory",
                Units.SECONDS).figure("get", Samples.of(get)).baseline("SliceDecoder on bytes in memory", Samples.of(memory)).atMost(1.2)
                .note("(512, 512, 100, 100) u8 file of " + fileSizeText(file) + ", page cache warm (just written), checksums "
                        + "verified; median of " + plan.randomReads + " random slices, spread per call")
                .build());
    }

    private static void cache(Fixtures f, Plan plan, Report report) throws Exception {
        SliceCache cache = SliceCache.withBudget(16L << 20);
        List<Double> miss = new ArrayList<>();
        List<Double> hit = new ArrayList<>();
        Random random = new Random(13);
        try (JpklArray a = f.jpkl1.open(f.peerFile, OpenOptions.builder().cache(cache).build())) {
            for (int i = 0; i < plan.cachePairs; i++) {
                String e = Fixtures.peerSliceExpression(random.nextInt(Fixtures.PEER_SLICES));
                cache.clear();
                miss.add(Stopwatch.system().seconds(() -> Measure.consume(a.get(e))));
                hit.add(Stopwatch.system().seconds(() -> Measure.consume(a.get(e))));
            }
        }
        report.add(Row.builder("cache_hit_vs_miss", "cache: repeated slice, hit vs miss", Units.SECONDS)
                .figure("hit", Samples.of(hit)).baseline("miss", Samples.of(miss)).speedup().atLeast(20)
                .note("get(one slice) right after cache.clear() (miss), then again (hit); ratio = miss / hit").build());

        long budget = 8_000_000L;
        long gets = plan.cachePairs * 4L;
        SliceCache single = SliceCache.withBudget(budget);
        long maxSingle = 0;
        Random r1 = new Random(19);
        try (JpklArray a = f.jpkl1.open(f.peerFile, OpenOptions.builder().cache(single).build())) {
            for (long i = 0; i < gets; i++) {
                Measure.consume(a.get(workingSetExpression(i, r1)));
                maxSingle = Math.max(maxSingle, single.cachedBytes());
            }
        }
        report.add(Row.builder("cache_budget_1t", "cache: most decoded bytes held vs budget, 1 thread", Units.BYTES)
                .figure("max held", Samples.of(maxSingle)).baseline("budget", Samples.of(budget)).atMost(1.0)
                .note(gets + " gets (single slices from a 60-slice working set, every 4th a 4-slice x[:, :, k, m]) on a 1-thread "
                        + "instance; SliceCache.cachedBytes() read after every get; hits " + single.hits() + ", misses " + single.misses())
                .build());

        SliceCache shared = SliceCache.withBudget(budget);
        AtomicLong maxSeen = new AtomicLong();
        try (JpklArray a = f.jpkl2.open(f.peerFile, OpenOptions.builder().cache(shared).build())) {
            Thread[] readers = new Thread[2];
            Throwable[] failure = new Throwable[1];
            for (int t = 0; t < readers.length; t++) {
                Random r = new Random(17 + t);
                readers[t] = new Thread(() -> {
                    try {
                        for (long i = 0; i < gets; i++) {
                            Measure.consume(a.get(workingSetExpression(i, r)));
                            maxSeen.accumulateAndGet(shared.cachedBytes(), Math::max);
                        }
                    } catch (Exception | Error ex) {
                        synchronized (failure) {
                            failure[0] = ex;
                        }
                    }
                }, "cache-reader-" + t);
                readers[t].start();
            }
            for (Thread t : readers) {
                t.join();
            }
            if (failure[0] != null) {
                throw new IllegalStateException("cache reader failed", failure[0]);
            }
        }
        report.add(Row.builder("cache_budget_2t", "cache: most decoded bytes held vs budget, 2 threads", Units.BYTES)
                .figure("max held", Samples.of(maxSeen.get())).baseline("budget", Samples.of(budget)).atMost(1.0)
                .note("the same gets from 2 threads at once on a 2-thread instance, cachedBytes() read after every get while the "
                        + "other thread works; hits " + shared.hits() + ", misses " + shared.misses()).build());
    }

    /** Mostly single slices from the first 60, every 4th get a 4-slice x[:, :, k, m]: more than an 8 MB cache holds. */
    private static String workingSetExpression(long i, Random r) {
        return i % 4 == 3 ? ":, :, " + r.nextInt(10) + ", " + r.nextInt(10) : Fixtures.peerSliceExpression(r.nextInt(60));
    }

    private static void allocation(Fixtures f, Plan plan, Report report) throws Exception {
        if (Measure.allocatedBytes() < 0) {
            report.add(Row.builder("alloc_single", "allocation per get(one slice)", Units.BYTES)
                    .note("this JVM does not count allocated bytes per thread").build());
            return;
        }
        int planeBytes = f.planeSpec.sampleCount();
        List<Double> single = new ArrayList<>();
        List<Double> singleExpected = new ArrayList<>();
        List<Double> multi = new ArrayList<>();
        List<Double> multiExpected = new ArrayList<>();
        List<Double> codec = new ArrayList<>();
        String[] expressions = new String[Fixtures.PEER_SLICES];
        for (int n = 0; n < expressions.length; n++) {
            expressions[n] = Fixtures.peerSliceExpression(n);
        }
        String[] multiExpressions = new String[100];
        for (int km = 0; km < 100; km++) {
            multiExpressions[km] = ":, :, " + km / 10 + ", " + km % 10;
        }
        try (JpklArray a = f.jpkl1.open(f.peerFile); SliceDecoder decoder = f.codec.newDecoder(a.codecParamsValue(), f.planeSpec)) {
            PlaneBuffer reused = PlaneBuffer.allocate(f.planeSpec);
            for (int i = 0; i < plan.allocationGets; i++) {
                int n = i % Fixtures.PEER_SLICES;
                long before = Measure.allocatedBytes();
                NdArray r = a.get(expressions[n]);
                long after = Measure.allocatedBytes();
                Measure.consume(r);
                single.add((double) (after - before));
                singleExpected.add((double) planeBytes + f.encoded[n].length);

                int km = i % 100;
                before = Measure.allocatedBytes();
                r = a.get(multiExpressions[km]);
                after = Measure.allocatedBytes();
                Measure.consume(r);
                multi.add((double) (after - before));
                long encodedBytes = 0;
                for (int c = 0; c < 4; c++) {
                    encodedBytes += f.encoded[km * 4 + c].length;
                }
                multiExpected.add(4.0 * planeBytes + encodedBytes);

                ByteBuffer bytes = ByteBuffer.wrap(f.encoded[n]);
                before = Measure.allocatedBytes();
                decoder.decode(bytes, reused);
                after = Measure.allocatedBytes();
                codec.add((double) (after - before));
            }
        }
        report.add(Row.builder("alloc_single", "allocation per get(one slice)", Units.BYTES)
                .figure("allocated", Samples.of(single)).baseline("result + encoded bytes read", Samples.of(singleExpected))
                .atMost(1.5).note("ThreadMXBean.getCurrentThreadAllocatedBytes around each get on a 1-thread instance (all work "
                        + "on the measuring thread), no cache; median of " + plan.allocationGets + " gets").build());
        report.add(Row.builder("alloc_multi", "allocation per get x[:, :, k, m] (4 slices)", Units.BYTES)
                .figure("allocated", Samples.of(multi)).baseline("result + encoded bytes read", Samples.of(multiExpected))
                .atMost(1.5).note("the 4 planes are strided in the result, so they are decoded into one scratch plane and "
                        + "scattered").build());
        report.add(Row.builder("alloc_codec", "allocation per codec decode into a caller's buffer (diagnostic)", Units.BYTES)
                .figure("allocated", Samples.of(codec)).baseline("one decoded plane", Samples.of(planeBytes))
                .note("what the codec allocates internally per decode into a reused buffer; 0 would be ideal").build());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("plane_bytes", planeBytes);
        report.detail("allocation", d);
    }

    private static String fileSizeText(Path file) {
        try {
            return Units.bytes(java.nio.file.Files.size(file));
        } catch (java.io.IOException e) {
            return "unknown size";
        }
    }
}
