package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.compare.Stopwatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints encode/decode throughput of both backends side by side on 1024x1024 camera-like planes (grey
 * and RGB uint8, grey uint16 through the 8-bit mapping), quality 90, and, when {@code /usr/bin/python3}
 * has Pillow, Pillow on the very same bytes (decode) and samples (encode), run as a subprocess.
 * MB/s = raw plane bytes / 10^6 per second; median of 5 runs of at least 100 ms each, the backends
 * alternating run by run, after a warm-up of every operation (ImageIO needs one). Only prints: no
 * timing assertions (the PSNR check only guards against measuring a broken codec).
 */
class JpegThroughputTest {
    private static final int SIZE = 1024;
    private static final long WARM_UP_NANOS = 300_000_000L;
    private static final long RUN_NANOS = 100_000_000L;
    private static final int RUNS = 5;
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** One measured operation. */
    private interface Op {
        void run() throws IOException;
    }

    @Test
    void printsThroughputOfBothBackendsAndPillow(@TempDir Path dir) throws IOException, InterruptedException {
        List<JpegCodec> codecs = new ArrayList<>(List.of(new JpegCodec(JpegBackend.IMAGEIO)));
        String turboProblem = TurboJpeg.unavailableReason().orElse(null);
        if (turboProblem == null) {
            codecs.add(new JpegCodec(JpegBackend.TURBOJPEG));
        }
        PlaneBuffer grey = CameraPlanes.uint8(CameraPlanes.greyCounts(SIZE, SIZE, 12345), SIZE, SIZE, ChannelLayout.GREY);
        PlaneBuffer rgb = CameraPlanes.uint8(CameraPlanes.rgbCounts(SIZE, SIZE, 54321), SIZE, SIZE, ChannelLayout.RGB);
        PlaneBuffer u16 = CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(SIZE, SIZE, 12345), SIZE, SIZE, ChannelLayout.GREY);
        Map<String, Op[]> rows = new LinkedHashMap<>();
        Map<String, Long> rawBytes = new LinkedHashMap<>();
        List<AutoCloseable> resources = new ArrayList<>();
        StringBuilder quality = new StringBuilder();
        Map<String, byte[]> pillowInputs = new LinkedHashMap<>();
        try {
            for (PlaneBuffer plane : List.of(grey, rgb, u16)) {
                PlaneSpec spec = plane.spec();
                String name = spec.dtype() + " " + spec.channels();
                Op[] encodes = new Op[codecs.size()];
                Op[] decodes = new Op[codecs.size()];
                for (int c = 0; c < codecs.size(); c++) {
                    JpegCodec codec = codecs.get(c);
                    SliceEncoder encoder = codec.newEncoder(codec.params(Map.of()), spec);
                    SliceDecoder decoder = codec.newDecoder(codec.params(Map.of()), spec);
                    resources.add(encoder);
                    resources.add(decoder);
                    byte[] encoded = encoder.encode(plane);
                    PlaneBuffer out = PlaneBuffer.allocate(spec);
                    decoder.decode(ByteBuffer.wrap(encoded), out);
                    ErrorMetrics errors = ErrorMetrics.between(plane, out);
                    double psnr = spec.dtype() == DType.UINT8 ? errors.psnrOverDtypePeak() : errors.psnrOverDataRange();
                    assertTrue(psnr >= 35, codec.backend() + " " + spec + ": PSNR " + psnr);
                    quality.append(String.format(Locale.ROOT, "  %-9s %s: %d bytes, ratio %.2f, PSNR %.2f dB (peak %s)%n",
                            codec.backend().text(), spec, encoded.length, spec.byteSize() / (double) encoded.length, psnr,
                            spec.dtype() == DType.UINT8 ? "255" : "data range"));
                    encodes[c] = () -> encoder.encode(plane);
                    decodes[c] = () -> decoder.decode(ByteBuffer.wrap(encoded), out);
                    if (spec.dtype() == DType.UINT8) {
                        pillowInputs.put(spec.channels() == ChannelLayout.GREY ? "grey" : "rgb", encoded);
                    }
                }
                rows.put("encode " + name, encodes);
                rows.put("decode " + name, decodes);
                rawBytes.put("encode " + name, spec.byteSize());
                rawBytes.put("decode " + name, spec.byteSize());
            }
            for (Op[] ops : rows.values()) {
                for (Op op : ops) {
                    time(op, WARM_UP_NANOS);
                }
            }
            Map<String, double[]> mbPerSecond = new LinkedHashMap<>();
            for (Map.Entry<String, Op[]> row : rows.entrySet()) {
                Op[] ops = row.getValue();
                double[][] perOp = new double[ops.length][RUNS];
                for (int r = 0; r < RUNS; r++) {
                    for (int i = 0; i < ops.length; i++) {
                        int c = r % 2 == 0 ? i : ops.length - 1 - i; // A B, then B A
                        perOp[c][r] = time(ops[c], RUN_NANOS);
                    }
                }
                double[] speeds = new double[ops.length];
                for (int c = 0; c < ops.length; c++) {
                    Arrays.sort(perOp[c]);
                    speeds[c] = rawBytes.get(row.getKey()) / perOp[c][RUNS / 2] * 1e3;
                }
                mbPerSecond.put(row.getKey(), speeds);
            }
            Map<String, Double> pillow = new LinkedHashMap<>();
            String pillowVersion = pillow(dir, grey, rgb, pillowInputs, pillow, quality);

            StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "jpeg throughput, %dx%d camera planes, quality 90,"
                    + " MB/s (raw bytes / 10^6 / s, median of %d runs >= %d ms), Java %s:%n", SIZE, SIZE, RUNS, RUN_NANOS / 1_000_000,
                    System.getProperty("java.version")));
            for (JpegCodec codec : codecs) {
                report.append(String.format(Locale.ROOT, "  %-9s = %s%n", codec.backend().text(), codec.implementation()));
            }
            if (turboProblem != null) {
                report.append("  turbojpeg = n/a: ").append(turboProblem).append('\n');
            }
            report.append("  pillow    = ").append(pillowVersion).append('\n');
            report.append(String.format(Locale.ROOT, "  %-22s %9s %9s %9s %15s%n", "", "imageio", "turbojpeg", "pillow",
                    "turbo/imageio"));
            for (Map.Entry<String, double[]> row : mbPerSecond.entrySet()) {
                double[] s = row.getValue();
                Double p = pillow.get(row.getKey());
                report.append(String.format(Locale.ROOT, "  %-22s %9.1f %9s %9s %15s%n", row.getKey(), s[0],
                        s.length > 1 ? String.format(Locale.ROOT, "%.1f", s[1]) : "n/a",
                        p == null ? "n/a" : String.format(Locale.ROOT, "%.1f", p),
                        s.length > 1 ? String.format(Locale.ROOT, "%.2fx", s[1] / s[0]) : "n/a"));
            }
            System.out.print(report.append(quality));
        } finally {
            for (AutoCloseable c : resources) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }

    /** Runs {@code op} repeatedly for at least {@code nanos}; returns nanoseconds per run (the shared harness). */
    private static double time(Op op, long nanos) throws IOException {
        return Stopwatch.system().nanosPerRun(nanos, op::run);
    }

    /** Pillow's speeds, timed the same way: save(quality=90) of the same samples, open + load of our bytes. */
    private static final String PILLOW_SCRIPT = String.join("\n",
            "import io, sys, time, PIL, PIL.features",
            "from PIL import Image",
            "d, size = sys.argv[1], int(sys.argv[2])",
            "def timed(f, nanos):",
            "    start = time.perf_counter_ns(); runs = 0",
            "    while True:",
            "        f(); runs += 1; now = time.perf_counter_ns()",
            "        if now - start >= nanos: return (now - start) / runs",
            "print('version Pillow %s (libjpeg-turbo %s), %s' % (PIL.__version__, PIL.features.version('libjpeg_turbo'),"
                    + " sys.executable))",
            "for name, mode, spp in (('grey', 'L', 1), ('rgb', 'RGB', 3)):",
            "    raw = open(d + '/' + name + '.raw', 'rb').read()",
            "    jpeg = open(d + '/' + name + '.jpg', 'rb').read()",
            "    image = Image.frombytes(mode, (size, size), raw)",
            "    def enc(): image.save(io.BytesIO(), 'JPEG', quality=90)",
            "    def dec():",
            "        im = Image.open(io.BytesIO(jpeg)); im.load()",
            "    for label, f in (('encode', enc), ('decode', dec)):",
            "        timed(f, " + WARM_UP_NANOS + ")",
            "        runs = sorted(timed(f, " + RUN_NANOS + ") for _ in range(" + RUNS + "))",
            "        print(label, name, len(raw) / runs[len(runs) // 2] * 1e3)",
            "    out = io.BytesIO(); image.save(out, 'JPEG', quality=90)",
            "    print('size', name, len(out.getvalue()), int(out.getvalue()[20:] == jpeg[20:]))",
            "");

    /**
     * Fills {@code speeds} (row name to MB/s) from Pillow, adds Pillow's q90 sizes to {@code quality}
     * (and whether its stream equals ours after the 20-byte SOI + JFIF APP0) and returns its version,
     * or "n/a: why".
     */
    private static String pillow(Path dir, PlaneBuffer grey, PlaneBuffer rgb, Map<String, byte[]> jpegs, Map<String, Double> speeds,
            StringBuilder quality) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return "n/a: no " + PYTHON;
        }
        Files.write(dir.resolve("grey.raw"), grey.bytes());
        Files.write(dir.resolve("rgb.raw"), rgb.bytes());
        Files.write(dir.resolve("grey.jpg"), jpegs.get("grey"));
        Files.write(dir.resolve("rgb.jpg"), jpegs.get("rgb"));
        Path script = dir.resolve("pillow_speed.py");
        Files.writeString(script, PILLOW_SCRIPT);
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), dir.toString(), Integer.toString(SIZE))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return "n/a: " + PYTHON + " with Pillow failed: " + output.lines().reduce((a, b) -> b).orElse("");
        }
        String version = "n/a";
        StringBuilder sizes = new StringBuilder();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("version")) {
                version = line.trim().substring("version ".length());
            } else if (f[0].equals("size")) {
                sizes.append(String.format(Locale.ROOT, "  pillow    uint8 %s q90: %s bytes, %s after the JFIF segment%n", f[1], f[2],
                        f[3].equals("1") ? "the same bytes as ours" : "NOT the same bytes as ours"));
            } else if (f.length == 3) {
                speeds.put(f[0] + " uint8 " + f[1], Double.parseDouble(f[2]));
            }
        }
        quality.append(sizes);
        return version + " (decodes the bytes of the last backend above)";
    }
}
