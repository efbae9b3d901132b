package org.jpkl.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;

/**
 * JPEG decode speed, one thread, of each JPEG implementation found (ImageIO and, once it exists,
 * libjpeg-turbo) against each other and against Pillow decoding the very same bytes in a
 * subprocess. Two image sets: the 400 grey 512 x 512 slices of the peer stack, and 8 RGB
 * 1024 x 1024 planes (4:2:0), where ImageIO is known to be slowest.
 */
final class JpegDecodeSection {
    private static final int RGB_SIDE = 1024;
    private static final int RGB_PLANES = 8;

    private JpegDecodeSection() {
    }

    /** One set of JPEG images that every decoder decodes. */
    private static final class ImageSet {
        final String key;
        final String title;
        final PlaneSpec spec;
        final byte[][] images;

        ImageSet(String key, String title, PlaneSpec spec, byte[][] images) {
            this.key = key;
            this.title = title;
            this.spec = spec;
            this.images = images;
        }

        long rawBytes() {
            return spec.byteSize() * images.length;
        }
    }

    static void run(Fixtures f, Plan plan, Report report, PythonPeer python) throws Exception {
        Map<String, String> params = f.codecId.equals("jpeg") ? f.codecParams : Map.of("quality", "90");
        List<JpegImplementations.Impl> impls = JpegImplementations.find(JpegDecodeSection.class.getClassLoader(), params);
        JpegImplementations.Impl jdk = impls.stream().filter(i -> !i.turbo && i.available()).findFirst().orElse(null);
        JpegImplementations.Impl turbo = impls.stream().filter(i -> i.turbo && i.available()).findFirst().orElse(null);
        JpegImplementations.Impl writer = jdk != null ? jdk : turbo;
        List<ImageSet> sets = new ArrayList<>();
        if (writer != null) {
            if (f.codecId.equals("jpeg")) {
                sets.add(new ImageSet("grey", "grey 512x512 (peer slices)", f.planeSpec, f.encoded));
            }
            PlaneSpec rgb = new PlaneSpec(DType.UINT8, RGB_SIDE, RGB_SIDE, ChannelLayout.RGB);
            if (writer.codec.capabilities().supports(DType.UINT8, ChannelLayout.RGB)) {
                byte[][] images = new byte[RGB_PLANES][];
                try (SliceEncoder encoder = writer.codec.newEncoder(writer.codecParams(), rgb)) {
                    for (int n = 0; n < RGB_PLANES; n++) {
                        byte[] samples = SyntheticPlanes.rgbPlane(Fixtures.SEED, Fixtures.SIGMA, RGB_SIDE, RGB_SIDE, n);
                        images[n] = encoder.encode(PlaneBuffer.wrap(rgb, samples, 0));
                    }
                }
                sets.add(new ImageSet("rgb", "RGB 1024x1024", rgb, images));
            }
        }
        Map<String, Map<String, Samples>> java = new LinkedHashMap<>();
        for (ImageSet set : sets) {
            Map<String, Samples> bySet = new LinkedHashMap<>();
            for (JpegImplementations.Impl impl : new JpegImplementations.Impl[] {jdk, turbo}) {
                if (impl != null) {
                    bySet.put(impl.name, decodeRates(impl, set, plan));
                }
            }
            java.put(set.key, bySet);
        }
        if (!plan.measured) {
            return;
        }
        Map<String, Samples> pillow = new LinkedHashMap<>();
        Map<String, Object> pillowLoadOnly = new LinkedHashMap<>();
        String pillowNote = null;
        if (!python.available()) {
            pillowNote = python.unavailableReason().orElse("");
        } else if (!sets.isEmpty()) {
            try {
                JsonObject o = python.run("jpeg", pythonSpec(f.work.resolve("jpeg-sets.bin"), sets, plan));
                for (ImageSet set : sets) {
                    JsonObject s = o.getAsJsonObject(set.key);
                    pillow.put(set.key, PeerStackSection.samples(s.getAsJsonArray("to_array_mb_s")));
                    pillowLoadOnly.put(set.key, PeerStackSection.samples(s.getAsJsonArray("load_only_mb_s")).median());
                }
            } catch (IOException e) {
                pillowNote = "Pillow failed: " + e.getMessage();
            } finally {
                Files.deleteIfExists(f.work.resolve("jpeg-sets.bin"));
            }
        }
        String missingTurbo = "codec jpeg reports no usable libjpeg-turbo implementation: "
                + (impls.isEmpty() ? "no jpeg codec" : impls.toString());
        List<ImageSet> shown = sets.isEmpty() ? List.of(new ImageSet("grey", "grey 512x512", f.planeSpec, new byte[0][])) : sets;
        for (ImageSet set : shown) {
            Map<String, Samples> bySet = java.getOrDefault(set.key, Map.of());
            Samples jdkRate = jdk == null ? null : bySet.get(jdk.name);
            Samples turboRate = turbo == null ? null : bySet.get(turbo.name);
            Samples pillowRate = pillow.get(set.key);
            report.add(Row.builder("jpeg_decode_" + set.key + "_jdk_vs_pillow", "JPEG decode " + set.title + ": JDK (ImageIO) vs Pillow",
                    Units.MB_PER_S).figure("ImageIO", jdkRate)
                    .baseline("Pillow", pillowRate)
                    .note(set == shown.get(0) ? "1 thread, raw MB/s (decoded bytes / 10^6 / s), decoding the same bytes into an "
                            + "array (Java: SliceDecoder into a reused buffer; Pillow: np.asarray(Image.open(BytesIO(b))))"
                            + (pillowNote == null ? "" : "; Pillow n/a: " + pillowNote) : null)
                    .build());
            report.add(Row.builder("jpeg_decode_" + set.key + "_turbo_vs_jdk", "JPEG decode " + set.title + ": turbo vs JDK (ImageIO)",
                    Units.MB_PER_S).figure("turbo", turboRate).baseline("ImageIO", jdkRate)
                    .note(set != shown.get(0) ? null : turbo == null ? missingTurbo
                            : "turbo: " + turbo.reported + "; ImageIO: " + (jdk == null ? "n/a" : jdk.reported)).build());
            report.add(Row.builder("jpeg_decode_" + set.key + "_turbo_vs_pillow", "JPEG decode " + set.title + ": turbo vs Pillow",
                    Units.MB_PER_S).figure("turbo", turboRate).baseline("Pillow", pillowRate).atLeast(1.0).build());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("implementations", impls.stream().map(Object::toString).toArray());
        d.put("pillow_load_only_mb_s", pillowLoadOnly);
        d.put("pillow", pillowNote == null ? "ran" : pillowNote);
        Map<String, Object> sizes = new LinkedHashMap<>();
        for (ImageSet set : sets) {
            long encoded = 0;
            for (byte[] b : set.images) {
                encoded += b.length;
            }
            sizes.put(set.key, Map.of("images", set.images.length, "raw_bytes", set.rawBytes(), "encoded_bytes", encoded));
        }
        d.put("sets", sizes);
        report.detail("jpeg_decode", d);
    }

    /** MB/s of one implementation on one set: each repetition decodes the whole set, looped to at least the plan's seconds. */
    private static Samples decodeRates(JpegImplementations.Impl impl, ImageSet set, Plan plan) throws Exception {
        try (SliceDecoder decoder = impl.codec.newDecoder(impl.codecParams(), set.spec)) {
            PlaneBuffer destination = PlaneBuffer.allocate(set.spec);
            Stopwatch.Work<Exception> pass = () -> {
                for (byte[] image : set.images) {
                    decoder.decode(ByteBuffer.wrap(image), destination);
                }
                Measure.consume(destination.bytes());
            };
            double one = Stopwatch.system().seconds(pass);
            int loops = (int) Math.max(1, Math.ceil(plan.decodeRepSeconds / one));
            Stopwatch.Work<Exception> rep = () -> {
                for (int i = 0; i < loops; i++) {
                    pass.run();
                }
            };
            // MB/s = raw bytes x loops / 10^6 / (nanos / 10^9)
            return Stopwatch.system().repeat(plan.decodeWarmupReps, plan.decodeReps, rep).inverted(set.rawBytes() * (double) loops * 1e3);
        }
    }

    private static Map<String, Object> pythonSpec(Path data, List<ImageSet> sets, Plan plan) throws IOException {
        Map<String, Object> setSpecs = new LinkedHashMap<>();
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(data)) {
            for (ImageSet set : sets) {
                long[] offsets = new long[set.images.length];
                int[] lengths = new int[set.images.length];
                for (int i = 0; i < set.images.length; i++) {
                    out.write(set.images[i]);
                    offsets[i] = offset;
                    lengths[i] = set.images[i].length;
                    offset += lengths[i];
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("offsets", offsets);
                s.put("lengths", lengths);
                s.put("raw_bytes_each", set.spec.byteSize());
                setSpecs.put(set.key, s);
            }
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("data", data.toString());
        spec.put("sets", setSpecs);
        spec.put("reps", plan.decodeReps);
        spec.put("warmup_reps", plan.decodeWarmupReps);
        spec.put("min_seconds", plan.decodeRepSeconds);
        return spec;
    }
}
