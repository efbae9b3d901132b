package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.TestPlanes;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;
import org.junit.jupiter.api.Test;

/**
 * Compares the lossless codecs, found on the class path as users find them, on a realistic
 * 16-bit stack and prints a table: codec, parameters, ratio, encode and decode MB/s (raw bytes,
 * one thread, after warm-up). Timings are printed, never asserted; asserted are only facts that
 * must hold on such data: every round trip is exact, and deflate's shuffle and delta filters beat
 * no filter.
 *
 * <p>The stack: 8 planes of 512x512 uint16 camera-like counts, a gradient plus Gaussian blobs that
 * drift from plane to plane, scaled to 100..4000 counts, with Poisson noise (normal approximation,
 * sigma = sqrt(mean)), as in the project's codec baselines.
 */
class LosslessRatioReportTest {
    private static final int PLANES = 8;
    private static final int SIZE = 512;
    private static final PlaneSpec SPEC = new PlaneSpec(DType.UINT16, SIZE, SIZE, ChannelLayout.GREY);

    private static List<PlaneBuffer> cameraStack() {
        Random random = new Random(20261123);
        double[][] blobs = new double[8][];
        for (int b = 0; b < blobs.length; b++) {
            blobs[b] = new double[] {random.nextDouble() * SIZE, random.nextDouble() * SIZE, 10 + random.nextDouble() * 90,
                0.2 + 0.8 * random.nextDouble()};
        }
        List<PlaneBuffer> stack = new ArrayList<>();
        for (int z = 0; z < PLANES; z++) {
            double[] field = new double[SIZE * SIZE];
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int y = 0, i = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++, i++) {
                    double v = 0.3 * x / (SIZE - 1.0) + 0.15 * y / (SIZE - 1.0);
                    for (double[] g : blobs) {
                        double dx = x - g[0] - 3 * z;
                        double dy = y - g[1] + 2 * z;
                        v += g[3] * Math.exp(-(dx * dx + dy * dy) / (2 * g[2] * g[2]));
                    }
                    field[i] = v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            PlaneBuffer plane = PlaneBuffer.allocate(SPEC);
            short[] s = plane.shorts();
            for (int i = 0; i < s.length; i++) {
                double mean = 100 + 3900 * (field[i] - min) / (max - min);
                s[i] = (short) Math.max(0, Math.min(65535, Math.round(mean + Math.sqrt(mean) * random.nextGaussian())));
            }
            stack.add(plane);
        }
        return stack;
    }

    /** One configuration's figures. */
    private static final class Row {
        final String codec;
        final Map<String, String> params;
        final long encodedBytes;
        final double encodeMbps;
        final double decodeMbps;
        final boolean exact;

        Row(String codec, Map<String, String> params, long encodedBytes, double encodeMbps, double decodeMbps, boolean exact) {
            this.codec = codec;
            this.params = params;
            this.encodedBytes = encodedBytes;
            this.encodeMbps = encodeMbps;
            this.decodeMbps = decodeMbps;
            this.exact = exact;
        }

        double ratio() {
            return PLANES * SPEC.byteSize() / (double) encodedBytes;
        }
    }

    private static Row measure(SliceCodec codec, Map<String, String> values, List<PlaneBuffer> stack) throws IOException {
        CodecParams params = codec.params(values);
        long raw = PLANES * SPEC.byteSize();
        try (SliceEncoder encoder = codec.newEncoder(params, SPEC); SliceDecoder decoder = codec.newDecoder(params, SPEC)) {
            byte[][] encoded = new byte[PLANES][];
            List<PlaneBuffer> decoded = new ArrayList<>();
            for (int z = 0; z < PLANES; z++) {
                decoded.add(PlaneBuffer.allocate(SPEC));
            }
            // 3 untimed passes let the JIT compile both paths; the fastest of 3 timed passes is reported.
            Stopwatch clock = Stopwatch.system();
            Samples encodeNanos = clock.repeat(3, 3, () -> {
                for (int z = 0; z < PLANES; z++) {
                    encoded[z] = encoder.encode(stack.get(z));
                }
            });
            Samples decodeNanos = clock.repeat(3, 3, () -> {
                for (int z = 0; z < PLANES; z++) {
                    decoder.decode(ByteBuffer.wrap(encoded[z]), decoded.get(z));
                }
            });
            long total = 0;
            boolean exact = true;
            for (int z = 0; z < PLANES; z++) {
                total += encoded[z].length;
                exact &= TestPlanes.bitEqual(stack.get(z), decoded.get(z));
            }
            return new Row(codec.id(), params.toMap(), total, Stopwatch.megabytesPerSecond(raw, encodeNanos.min()),
                    Stopwatch.megabytesPerSecond(raw, decodeNanos.min()), exact);
        }
    }

    @Test
    void losslessCodecsOnACameraLikeSixteenBitStack() throws IOException {
        SliceCodecs codecs = SliceCodecs.load(getClass().getClassLoader());
        List<PlaneBuffer> stack = cameraStack();
        Map<String, Row> rows = new LinkedHashMap<>();
        List<Map<String, String>> pngConfigs = List.of(Map.of(), Map.of("level", "6", "filter", "adaptive"));
        for (Map<String, String> values : pngConfigs) {
            Row row = measure(codecs.require("png"), values, stack);
            rows.put("png " + row.params, row);
        }
        for (String id : List.of("deflate", "zstd")) {
            SliceCodec codec = codecs.require(id);
            if (!codec.availability().isAvailable()) {
                System.out.println(id + " skipped: " + codec.availability());
                continue;
            }
            for (String filter : List.of("none", "shuffle", "delta")) {
                Row row = measure(codec, Map.of("filter", filter), stack);
                rows.put(id + " " + filter, row);
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%nLossless codecs on %d planes of uint16 %dx%d camera-like data (%.1f MB raw), "
                + "one thread, best of 3 passes after 3 warm-up passes:%n", PLANES, SIZE, SIZE, PLANES * SPEC.byteSize() / 1e6));
        table.append(String.format(Locale.ROOT, "%-8s %-30s %7s %12s %12s %s%n", "codec", "params", "ratio", "encode MB/s",
                "decode MB/s", "exact"));
        for (Row row : rows.values()) {
            table.append(String.format(Locale.ROOT, "%-8s %-30s %7.3f %12.1f %12.1f %s%n", row.codec, row.params, row.ratio(),
                    row.encodeMbps, row.decodeMbps, row.exact));
        }
        System.out.println(table);
        for (Row row : rows.values()) {
            assertTrue(row.exact, row.codec + " " + row.params + " is not exact");
        }
        Row none = rows.get("deflate none");
        assertTrue(rows.get("deflate shuffle").encodedBytes < none.encodedBytes, table.toString());
        assertTrue(rows.get("deflate delta").encodedBytes < none.encodedBytes, table.toString());
    }
}
