package org.jpkl.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.jpkl.compare.Samples;
import org.jpkl.s3.S3StorageProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A full read from S3 (issue 16): {@code get(":")} of a 400-slice container (256 x 256 uint8,
 * deflate, 7.6 MB) from S3Proxy on loopback, on 2 threads vs 1 (goal at least 1.7x), and against
 * the same container read from the local file on 2 threads (reported).
 *
 * <p>S3Proxy (runtime dependency {@code org.gaul:s3proxy}, with jclouds' filesystem store in the
 * work folder) runs as a child JVM started from this JVM's class path ({@code bin/bench} runs the
 * harness on the class path; S3Proxy and its dependencies are not modules), so its CPU time is
 * measured apart from ours. It shares the machine's cores with this JVM, as a store on loopback
 * must. Without S3Proxy on the class path the rows say why.
 *
 * <p>Method: warm-up rounds of the three reads until neither JVM's JIT compilers are busy (at most
 * 10 rounds, 4 under {@code --quick}), then rounds of the three reads in alternating order; the
 * times are medians. Per read the section also records the CPU
 * time of this JVM (process CPU, all threads) and of S3Proxy, which waiting for a busy machine
 * affects less than wall-clock time.
 */
final class RemoteReadSection {
    static final int SIDE = 256;
    static final int SLICES = 400;
    private static final String ACCESS_KEY = "jpkl-bench-access";
    private static final String SECRET_KEY = "jpkl-bench-secret";
    private static final String BUCKET = "bench";
    private static final String S3PROXY_MAIN = "org.gaul.s3proxy.Main";
    /** Extra JVM flags for the S3Proxy child (e.g. a flight recording), split at spaces. */
    static final String SERVER_JVM_PROPERTY = "jpkl.bench.s3proxy.jvm";

    private RemoteReadSection() {
    }

    static void run(Fixtures f, Plan plan, Report report) throws Exception {
        if (!plan.measured) {
            return; // the section warms itself up: the child JVM lives for one run of the section
        }
        String missing = missingS3Proxy();
        if (missing != null) {
            String why = "skipped: " + missing;
            System.err.println("jpkl-bench: remote read rows " + why);
            report.add(Row.builder("remote_read_s3_threads", "full read 400 slices from S3 (S3Proxy): 2 threads vs 1", Units.SECONDS)
                    .speedup().atLeast(1.7).note(why).build());
            return;
        }
        NdArray array = NdArray.generate(DType.UINT8, new int[] {SIDE, SIDE, SLICES},
                i -> (double) (Long.hashCode(i * 0x9E3779B97F4A7C15L) & 0xFF));
        WriteOptions options = WriteOptions.builder().codec("deflate").build();
        Path local = f.work.resolve("remote-read.jpkl");
        f.jpkl2.save(array, local, options);
        Path store = f.work.resolve("s3proxy-store");
        Files.createDirectories(store.resolve(BUCKET)); // jclouds' filesystem store: a bucket is a folder
        URI uri = URI.create("s3://" + BUCKET + "/remote-read.jpkl");
        try (Server server = Server.start(f.work, store)) {
            Jpkl s3one = client(server, 1);
            Jpkl s3two = client(server, 2);
            s3two.save(array, uri, options);
            Read[] kinds = {
                new Read("s3_1_thread", () -> s3Read(s3one, uri)),
                new Read("s3_2_threads", () -> s3Read(s3two, uri)),
                new Read("local_2_threads", () -> localRead(f.jpkl2, local)),
            };
            int requests = plan.quick ? 200 : 1500;
            warmRequests(s3one, uri, requests);
            warmRequests(s3two, uri, requests);
            int warmups = warmUp(kinds, server, plan.quick ? 4 : 10);
            int rounds = plan.quick ? 5 : 7;
            Map<String, Long> ours0 = ThreadCpu.byName(ProcessHandle.current().pid());
            Map<String, Long> theirs0 = ThreadCpu.byName(server.process.pid());
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < kinds.length; i++) {
                    kinds[r % 2 == 0 ? i : kinds.length - 1 - i].once(server, true);
                }
            }
            Map<String, Long> oursByThread = ThreadCpu.since(ours0, ThreadCpu.byName(ProcessHandle.current().pid()));
            Map<String, Long> theirsByThread = ThreadCpu.since(theirs0, ThreadCpu.byName(server.process.pid()));
            System.out.println("  CPU ms by thread over the measured rounds: ours " + oursByThread + "; S3Proxy " + theirsByThread);
            Read one = kinds[0];
            Read two = kinds[1];
            Read file = kinds[2];
            String conditions = String.format(Locale.ROOT, "%d x %d x %d uint8, deflate, %s; S3Proxy %s in a child JVM on loopback (same cores);"
                    + " %d requests and %s per S3 read; medians of %d alternated rounds after %d warm-up rounds", SIDE, SIDE, SLICES,
                    Units.bytes(Files.size(local)), server.version, two.requests, Units.bytes(two.bytes), rounds, warmups);
            report.add(Row.builder("remote_read_s3_threads", "full read 400 slices from S3 (S3Proxy): 2 threads vs 1", Units.SECONDS)
                    .figure("2 threads", Samples.of(two.wall)).baseline("1 thread", Samples.of(one.wall)).speedup().atLeast(1.7)
                    .note(conditions).build());
            report.add(Row.builder("remote_read_s3_vs_local", "full read 400 slices, 2 threads: S3 (S3Proxy) vs local file", Units.SECONDS)
                    .figure("S3", Samples.of(two.wall)).baseline("local file", Samples.of(file.wall))
                    .note("ratio = how many times longer the read from S3Proxy takes").build());
            // CPU times tick in 10 ms: per read, the mean over the rounds is finer than a median
            report.add(Row.builder("remote_read_s3_cpu", "full read 400 slices, 2 threads: CPU time, S3 (ours + S3Proxy's) vs local file",
                    Units.SECONDS).figure("ours + S3Proxy", Samples.of(mean(two.cpu) + mean(two.serverCpu)))
                    .baseline("local file", Samples.of(mean(file.cpu)))
                    .note(String.format(Locale.ROOT, "CPU per read, means of the rounds: ours %s + S3Proxy %s on 2 threads, %s + %s on 1",
                            Units.seconds(mean(two.cpu)), Units.seconds(mean(two.serverCpu)), Units.seconds(mean(one.cpu)),
                            Units.seconds(mean(one.serverCpu)))).build());
            Map<String, Object> details = new LinkedHashMap<>();
            for (Read k : kinds) {
                details.put(k.name, k.json());
            }
            details.put("conditions", conditions);
            details.put("cpu_ms_by_thread_ours", oursByThread);
            details.put("cpu_ms_by_thread_s3proxy", theirsByThread);
            report.detail("remote_read", details);
        }
    }

    /**
     * Rounds of the three reads until neither JVM's JIT compilers took more than 20 ms in a round
     * (both then run compiled code; without this the compilers took as much CPU as S3Proxy's
     * request handling in the measured rounds), at most {@code maxRounds}.
     *
     * @return the rounds run
     */
    private static int warmUp(Read[] kinds, Server server, int maxRounds) throws IOException {
        for (int r = 1; ; r++) {
            long ours = ThreadCpu.compilerMillis(ProcessHandle.current().pid());
            long theirs = ThreadCpu.compilerMillis(server.process.pid());
            for (Read k : kinds) {
                k.once(server, false);
            }
            long oursNow = ThreadCpu.compilerMillis(ProcessHandle.current().pid()) - ours;
            long theirsNow = ThreadCpu.compilerMillis(server.process.pid()) - theirs;
            if (r >= 2 && oursNow <= 20 && theirsNow <= 20 || r >= maxRounds) {
                return r;
            }
        }
    }

    /**
     * {@code count} ranged reads of 64 KiB through {@code jpkl}'s S3 client, so both JVMs compile
     * their request paths before the rounds: a full read makes only about 11 requests, and without
     * this both JIT compilers were still busy after 40 rounds of reads (about 25 ms of S3Proxy's CPU
     * per read went to its compiler, as much as to serving the read), which a long-running store
     * and client do not pay.
     */
    private static void warmRequests(Jpkl jpkl, URI uri, int count) throws IOException {
        try (RandomAccessSource source = jpkl.storage().open(uri)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 << 10);
            long span = source.size() - buffer.capacity();
            for (int i = 0; i < count; i++) {
                buffer.clear();
                source.readFully((i * 0x9E3779B97F4A7C15L >>> 1) % span, buffer);
            }
        }
    }

    /** Null when S3Proxy can be started from this JVM's class path, else why not. */
    private static String missingS3Proxy() {
        try {
            Class.forName(S3PROXY_MAIN, false, RemoteReadSection.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException e) {
            return "S3Proxy (" + S3PROXY_MAIN + ") is not on the class path; run the harness with bin/bench";
        }
    }

    private static Jpkl client(Server server, int threads) {
        return Jpkl.builder().parallelism(threads)
                .storage(StorageProviders.of(new S3StorageProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))))
                .storageOption("s3.endpoint", server.endpoint).build();
    }

    /** @return {requests, bytes} of the read */
    private static long[] s3Read(Jpkl jpkl, URI uri) throws IOException {
        RemoteObjectSource source = (RemoteObjectSource) jpkl.storage().open(uri);
        try (JpklArray a = jpkl.open(source)) {
            Measure.consume(a.get(":"));
            return new long[] {source.requests(), source.bytesFetched()};
        }
    }

    private static long[] localRead(Jpkl jpkl, Path file) throws IOException {
        try (JpklArray a = jpkl.open(file)) {
            Measure.consume(a.get(":"));
            return new long[] {0, 0};
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** CPU time of this JVM so far (all threads), in seconds, or NaN where unknown. */
    private static double ownCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** One kind of full read and its samples. */
    private static final class Read {
        final String name;
        final Body body;
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();
        final List<Double> serverCpu = new ArrayList<>();
        long requests;
        long bytes;

        Read(String name, Body body) {
            this.name = name;
            this.body = body;
        }

        void once(Server server, boolean record) throws IOException {
            double server0 = server.cpuSeconds();
            double cpu0 = ownCpuSeconds();
            long t0 = System.nanoTime();
            long[] counts = body.read();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu1 = ownCpuSeconds();
            double server1 = server.cpuSeconds();
            if (record) {
                wall.add(seconds);
                cpu.add(cpu1 - cpu0);
                serverCpu.add(server1 - server0);
                requests = counts[0];
                bytes = counts[1];
            }
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wall_seconds", wall);
            m.put("cpu_seconds", cpu);
            m.put("s3proxy_cpu_seconds", serverCpu);
            m.put("requests", requests);
            m.put("bytes_fetched", bytes);
            return m;
        }
    }

    /** A full read; returns {requests, bytes fetched}. */
    private interface Body {
        long[] read() throws IOException;
    }

    /** S3Proxy in a child JVM, on a loopback port, checking V4 signatures against the fixed credentials. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final String endpoint;
        final String version;
        /** Stops S3Proxy if the harness is stopped (Ctrl-C, kill) before {@link #close}. */
        private final Thread stopOnExit;

        private Server(Process process, String endpoint, String version) {
            this.process = process;
            this.endpoint = endpoint;
            this.version = version;
            this.stopOnExit = new Thread(process::destroyForcibly, "stop S3Proxy");
            Runtime.getRuntime().addShutdownHook(stopOnExit);
        }

        static Server start(Path work, Path store) throws IOException, InterruptedException {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            String endpoint = "http://127.0.0.1:" + port;
            Properties p = new Properties();
            p.setProperty("s3proxy.endpoint", endpoint);
            p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            p.setProperty("s3proxy.identity", ACCESS_KEY);
            p.setProperty("s3proxy.credential", SECRET_KEY);
            p.setProperty("jclouds.provider", "filesystem");
            p.setProperty("jclouds.identity", "identity");
            p.setProperty("jclouds.credential", "credential");
            p.setProperty("jclouds.filesystem.basedir", store.toString());
            Path config = work.resolve("s3proxy.conf");
            try (var out = Files.newBufferedWriter(config)) {
                p.store(out, "jpkl-bench: S3Proxy for the remote read rows");
            }
            Path log = work.resolve("s3proxy.log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch")); // heap pages touched once at start (see CpuShare)
            String extra = System.getProperty(SERVER_JVM_PROPERTY, "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), S3PROXY_MAIN, "--properties", config.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("S3Proxy exited with status " + process.exitValue() + " before listening on " + endpoint
                            + "; its output: " + tail(log));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new IOException("S3Proxy did not listen on " + endpoint + " within 60 s; its output: " + tail(log));
                    }
                    Thread.sleep(50);
                }
            }
            return new Server(process, endpoint, s3ProxyVersion());
        }

        /** S3Proxy's CPU time so far, in seconds (NaN where the system does not tell). */
        double cpuSeconds() {
            return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        }

        private static String tail(Path log) throws IOException {
            String s = Files.exists(log) ? Files.readString(log) : "";
            return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
        }

        @Override
        public void close() throws InterruptedException {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** S3Proxy's version from its jar's manifest. */
    private static String s3ProxyVersion() {
        try {
            Package p = Class.forName(S3PROXY_MAIN, false, RemoteReadSection.class.getClassLoader()).getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            return v == null ? "(version unknown)" : v;
        } catch (ClassNotFoundException e) {
            return "(version unknown)";
        }
    }
}
