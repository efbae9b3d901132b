package org.jpkl.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.container.JpklFileSerializer;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.api.testing.RestrictedCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecComparisonTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec(), new QuantizingCodec(),
            new RestrictedCodec("test-float-only", -1, DType.FLOAT32), new RestrictedCodec("test-fails-encode", 0, DType.UINT8),
            QuantizingCodec.brokenDecoder("test-broken-decoder"), QuantizingCodec.unavailable("test-unavailable", "libfoo.so not found")),
            ContainerSerializers.of(new JpklFileSerializer()));

    private final NdArray stack = SampleStacks.microscopy(DType.UINT8, 3, 24, 32, 3, 2);

    private CodecComparison.Builder quick() {
        return CodecComparison.builder(jpkl).warmups(0).repeats(1).sliceReads(4);
    }

    @Test
    void identityIsExactAndTheQuantizerHasTheErrorItsStepImplies() throws IOException {
        ComparisonReport report = quick().codec("test-identity").codec("test-quantize:step=8").build().run(stack, dir);
        assertEquals(2, report.rows().size());
        assertEquals(6, report.sliceCount());
        assertEquals(stack.byteSize(), report.rawBytes());
        InputStatistics stats = InputStatistics.of(stack);
        assertEquals(stats.max() - stats.min(), report.psnrPeak());
        assertTrue(report.psnrPeak() < 255, "the sample does not use the whole uint8 range: " + stats);
        assertEquals(255.0, stats.dtypePeak());

        CodecMeasurement id = report.row("test-identity").orElseThrow().measurement().orElseThrow();
        assertTrue(report.row("test-identity").get().declaredLossless());
        assertTrue(id.exact());
        assertEquals(0.0, id.maxAbsError());
        assertEquals(Double.POSITIVE_INFINITY, id.psnr());
        assertEquals(6L * (16 + 24 * 32), id.payloadBytes(), "identity stores a 16-byte header and the raw samples per plane");
        assertTrue(id.compressedBytes() > id.payloadBytes(), "the file adds a header and an index: " + id.compressedBytes());
        assertEquals(stack.byteSize() / (double) id.compressedBytes(), id.ratio(), 1e-12);
        assertEquals(Map.of(), id.storedParams());

        ComparisonRow qRow = report.row("test-quantize:step=8").orElseThrow();
        assertFalse(qRow.declaredLossless());
        assertFalse(qRow.breaksLosslessPromise());
        CodecMeasurement q = qRow.measurement().orElseThrow();
        assertFalse(q.exact());
        assertEquals(Map.of("step", "8"), q.storedParams());
        double expectedMax = 0;
        double sum = 0;
        for (int i = 0; i < stack.size(); i++) {
            double v = stack.getDoubleFlat(i);
            double d = Math.abs(v - QuantizingCodec.quantize(v, 8, DType.UINT8));
            expectedMax = Math.max(expectedMax, d);
            sum += d * d;
        }
        assertEquals(expectedMax, q.maxAbsError());
        assertTrue(q.maxAbsError() > 0 && q.maxAbsError() <= 4, "rounding to multiples of 8 errs by at most 4: " + q.maxAbsError());
        double range = report.psnrPeak();
        assertEquals(10 * Math.log10(range * range / (sum / stack.size())), q.psnr(), 1e-9, "PSNR against the data's range");
        assertEquals(10 * Math.log10(255.0 * 255 / (sum / stack.size())), q.psnrDtypePeak(), 1e-9, "PSNR against uint8's 255");
        double mean = 0;
        for (int i = 0; i < stack.size(); i++) {
            mean += stack.getDoubleFlat(i) / stack.size();
        }
        double variance = 0;
        for (int i = 0; i < stack.size(); i++) {
            variance += (stack.getDoubleFlat(i) - mean) * (stack.getDoubleFlat(i) - mean) / stack.size();
        }
        assertEquals(Math.sqrt(variance), stats.std(), 1e-9);
        assertEquals(expectedMax / Math.sqrt(variance), q.maxAbsErrorOverStd(), 1e-9);
        assertEquals(0.0, id.maxAbsErrorOverStd());

        for (CodecMeasurement m : List.of(id, q)) {
            for (double mbps : new double[] {m.encodeMBps(), m.decodeMBps(), m.saveMBps(), m.loadMBps()}) {
                assertTrue(mbps > 0 && Double.isFinite(mbps), "throughput " + mbps);
            }
            assertTrue(m.sliceReadMillis() >= 0 && Double.isFinite(m.sliceReadMillis()), "slice read " + m.sliceReadMillis());
        }
        System.out.print(report.toTable());
    }

    @Test
    void codecsThatCannotTakeTheArrayAreSkippedWithTheReason() throws IOException {
        ComparisonReport report = quick().codec("test-float-only").codec("test-unavailable").codec("test-identity").build()
                .run(stack, dir);
        ComparisonRow floatOnly = report.row("test-float-only").orElseThrow();
        assertEquals(ComparisonRow.Status.SKIPPED, floatOnly.status());
        assertTrue(floatOnly.measurement().isEmpty());
        String reason = floatOnly.reason().orElseThrow();
        assertTrue(reason.contains("cannot encode uint8") && reason.contains("float32"), reason);
        ComparisonRow unavailable = report.row("test-unavailable").orElseThrow();
        assertEquals(ComparisonRow.Status.SKIPPED, unavailable.status());
        assertTrue(unavailable.reason().orElseThrow().contains("libfoo.so not found"), unavailable.reason().get());
        assertTrue(report.row("test-identity").orElseThrow().isMeasured());
        assertEquals(List.of(report.row("test-identity").get()), report.measuredRows());
        String table = report.toTable();
        assertTrue(table.contains("skipped: cannot encode uint8"), table);
        assertTrue(table.contains("skipped: not available here: libfoo.so not found"), table);
    }

    /** A codec that takes the dtype but refuses the settings for these planes (jpegxl: float32 at distance 0) is skipped, not failed. */
    @Test
    void settingsACodecRefusesForThesePlanesAreSkippedWithItsReason() throws IOException {
        ComparisonReport report = quick().codec("test-quantize:step=300").codec("test-identity").build().run(stack, dir);
        ComparisonRow refused = report.row("test-quantize:step=300").orElseThrow();
        assertEquals(ComparisonRow.Status.SKIPPED, refused.status(), refused.toString());
        assertEquals("refuses these settings for uint8 grey planes: codec 'test-quantize': step (300) is above the largest uint8 value",
                refused.reason().orElseThrow());
        assertTrue(report.row("test-identity").orElseThrow().isMeasured());
    }

    @Test
    void failingCodecsAreReportedNamingTheStepAndTheOthersStillRun() throws IOException {
        List<String> progress = new ArrayList<>();
        ComparisonReport report = quick().codec("test-broken-decoder").codec("test-fails-encode").codec("test-identity")
                .progress(progress::add).build().run(stack, dir);
        ComparisonRow broken = report.row("test-broken-decoder").orElseThrow();
        assertEquals(ComparisonRow.Status.FAILED, broken.status());
        String reason = broken.reason().orElseThrow();
        assertTrue(reason.startsWith("decode of slice (0, 0): JpklFormatException") && reason.contains("simulated corrupt stream"), reason);
        ComparisonRow failsEncode = report.row("test-fails-encode").orElseThrow();
        assertEquals(ComparisonRow.Status.FAILED, failsEncode.status());
        assertTrue(failsEncode.reason().orElseThrow().startsWith("encode: IOException: simulated encoder failure"),
                failsEncode.reason().get());
        assertTrue(report.row("test-identity").orElseThrow().isMeasured());
        assertEquals("[1/3] test-broken-decoder", progress.get(0));
        assertTrue(progress.stream().anyMatch(l -> l.contains("test-fails-encode failed: encode")), progress.toString());
        assertTrue(report.toTable().contains("failed: decode of slice (0, 0)"), report.toTable());
    }

    @Test
    void withoutChosenCodecsEveryCodecRunsWithItsDefaults() {
        CodecComparison all = CodecComparison.builder(jpkl).build();
        List<CodecSpec> expected = new ArrayList<>();
        for (String id : jpkl.codecs().ids()) {
            expected.add(CodecSpec.of(id));
        }
        assertEquals(expected, all.codecs());
        CodecComparison mixed = CodecComparison.builder(jpkl).codec("test-quantize:step=8").codec("test-identity").allCodecs().build();
        assertEquals(CodecSpec.parse("test-quantize:step=8"), mixed.codecs().get(0));
        assertEquals(CodecSpec.of("test-identity"), mixed.codecs().get(1));
        assertEquals(jpkl.codecs().ids().size() + 1, mixed.codecs().size(), "test-identity is not repeated: " + mixed.codecs());
        assertTrue(mixed.codecs().contains(CodecSpec.of("test-quantize")));
    }

    @Test
    void losslessGoesByTheParametersUsedNotByWhatTheCodecDeclaresForEverySetting() throws IOException {
        ComparisonReport report = quick().codec("test-quantize:step=1").codec("test-quantize:step=8").build().run(stack, dir);
        ComparisonRow exact = report.row("test-quantize:step=1").orElseThrow();
        assertEquals(List.of(true, true), List.of(exact.declaredLossless(), exact.measurement().orElseThrow().exact()));
        assertFalse(report.row("test-quantize:step=8").orElseThrow().declaredLossless());

        List<CodecSpec> expected = new ArrayList<>();
        for (String id : jpkl.codecs().ids()) {
            if (!id.equals("test-quantize")) {
                expected.add(CodecSpec.of(id));
            }
        }
        assertEquals(expected, CodecComparison.builder(jpkl).losslessOnly().build().codecs(), "test-quantize's default step 4 is lossy");
        assertEquals(List.of(CodecSpec.parse("test-quantize:step=1")),
                CodecComparison.builder(jpkl).losslessOnly().codec("test-quantize:step=1").build().codecs());
        IllegalArgumentException lossy = assertThrows(IllegalArgumentException.class,
                () -> CodecComparison.builder(jpkl).losslessOnly().codec("test-quantize:step=2").build());
        assertEquals("codec spec 'test-quantize:step=2' is lossy at these parameters, but only lossless codecs are to be compared;"
                + " drop it or give it exact settings", lossy.getMessage());
    }

    @Test
    void unknownCodecsBadParametersAndRepeatsFailAtBuildNamingTheSpec() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CodecComparison.builder(jpkl).codec("jp2:quality=3").build());
        assertTrue(unknown.getMessage().contains("codec spec 'jp2:quality=3'") && unknown.getMessage().contains("No SliceCodec with id 'jp2'")
                && unknown.getMessage().contains("test-identity"), unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CodecComparison.builder(jpkl).codec("test-quantize:step=0").build());
        assertTrue(bad.getMessage().contains("codec spec 'test-quantize:step=0'") && bad.getMessage().contains("codec 'test-quantize': step (0) must be an integer in [1, 1000]"),
                bad.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> CodecComparison.builder(jpkl).codec("test-identity").codec(CodecSpec.of("test-identity")).build());
        assertTrue(twice.getMessage().contains("'test-identity' is given twice"), twice.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CodecComparison.builder(jpkl).repeats(0))
                .getMessage().contains("repeats (0) must be >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CodecComparison.builder(jpkl).warmups(-1))
                .getMessage().contains("warmups (-1) must be >= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CodecComparison.builder(jpkl).sliceReads(-2))
                .getMessage().contains("sliceReads (-2) must be >= 0"));
    }

    @Test
    void filesAreDeletedUnlessKeptAndKeepTheBaseLayoutNamesAndMetadata() throws IOException {
        NdArray tzyx = NdArray.generate(DType.UINT16, new int[] {2, 3, 10, 12}, flat -> (flat * 37) % 65536);
        WriteOptions base = WriteOptions.builder().codec("test-quantize").param("step", 99).layout(PlaneLayout.of(2, 3))
                .axisNames("t", "z", "y", "x").metadata("origin", "test").build();
        Path scratch = dir.resolve("scratch");
        ComparisonReport report = quick().codec("test-identity").build().run(tzyx, base, scratch);
        assertEquals(6, report.sliceCount());
        assertEquals(PlaneLayout.of(2, 3), report.layout());
        assertEquals(719 * 37 - 0.0, report.psnrPeak(), "the data's range (0 to 719 * 37), not uint16's 65535");
        assertEquals(65535.0, report.statistics().dtypePeak());
        assertTrue(report.row("test-identity").orElseThrow().measurement().orElseThrow().exact());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count(), "files are deleted after each codec");
        }

        quick().codec("test-identity").codec("test-quantize:step=2").keepFiles(true).build().run(tzyx, base, scratch);
        try (JpklArray kept = jpkl.open(scratch.resolve("compare-02-test-quantize.jpkl"))) {
            assertEquals("test-quantize", kept.codecId());
            assertEquals(Map.of("step", "2"), kept.codecParams(), "the spec's parameters, not the base options'");
            assertEquals(List.of("t", "z", "y", "x"), kept.axisNames());
            assertEquals(PlaneLayout.of(2, 3), kept.layout());
            assertEquals(Map.of("origin", "test"), kept.metadata());
        }
        assertTrue(Files.exists(scratch.resolve("compare-01-test-identity.jpkl")));

        IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
                () -> quick().codec("test-identity").build().run(tzyx, base.toBuilder().serializer("zip").build(), scratch));
        assertTrue(format.getMessage().contains("'zip'"), format.getMessage());
        IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
                () -> quick().codec("test-identity").build().run(tzyx, WriteOptions.builder().layout(PlaneLayout.of(0, 1, 2)).build(), scratch));
        assertTrue(layout.getMessage().contains("colour axis"), layout.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> quick().codec("test-identity").build().run(NdArray.zeros(DType.UINT8, 4, 4, 0), scratch));
        assertTrue(empty.getMessage().contains("has no planes"), empty.getMessage());
    }

    @Test
    void floatsUseTheDataRangeAsPeakAndKeepSpecialValues() throws IOException {
        float[] data = new float[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = -2.5f + i * 0.5f;
        }
        data[5] = Float.NaN;
        data[6] = Float.POSITIVE_INFINITY;
        NdArray floats = NdArray.wrapFloat32(data, 3, 4, 2);
        ComparisonReport report = quick().codec("test-identity").codec("test-quantize").build().run(floats, dir);
        double finiteMax = -2.5 + 23 * 0.5;
        assertEquals(finiteMax + 2.5, report.psnrPeak());
        CodecMeasurement m = report.row("test-identity").orElseThrow().measurement().orElseThrow();
        assertTrue(m.exact());
        assertEquals(0.0, m.maxAbsError());
        assertTrue(report.row("test-quantize").orElseThrow().reason().orElseThrow().contains("cannot encode float32"));
        ComparisonReport flat = quick().codec("test-identity").build().run(NdArray.zeros(DType.UINT16, 3, 4, 2), dir);
        CodecMeasurement exactFlat = flat.row("test-identity").orElseThrow().measurement().orElseThrow();
        assertEquals(0.0, flat.psnrPeak(), "flat data: range 0");
        assertEquals(0.0, exactFlat.maxAbsErrorOverStd(), "exact is 0 even when the standard deviation is 0");
        assertEquals(Double.POSITIVE_INFINITY, exactFlat.psnr());
    }

    @Test
    void throughputsAreRawBytesOverTheMedianOfTheTimedPasses() throws IOException {
        long[] now = {0};
        Stopwatch fake = Stopwatch.withClock(() -> now[0] += 1_000_000); // every timed interval lasts exactly 1 ms
        ComparisonReport report = CodecComparison.builder(jpkl).warmups(1).repeats(3).sliceReads(5).clock(fake)
                .codec("test-identity").build().run(stack, dir);
        CodecMeasurement m = report.row("test-identity").orElseThrow().measurement().orElseThrow();
        // 4,608 raw bytes; encode and decode time 6 planes of 1 ms each per pass, save and load 1 ms per pass
        assertEquals(4608, report.rawBytes());
        assertEquals(4608e3 / 6e6, m.encodeMBps(), 1e-12);
        assertEquals(4608e3 / 6e6, m.decodeMBps(), 1e-12);
        assertEquals(4608e3 / 1e6, m.saveMBps(), 1e-12);
        assertEquals(4608e3 / 1e6, m.loadMBps(), 1e-12);
        assertEquals(1.0, m.sliceReadMillis(), 1e-12);
    }

    @Test
    void jsonHoldsEveryRowAndFigure() throws IOException {
        ComparisonReport report = quick().codec("test-identity").codec("test-quantize:step=8").codec("test-float-only").build()
                .run(stack, dir);
        JsonObject root = JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertEquals("uint8", root.getAsJsonObject("input").get("dtype").getAsString());
        assertEquals("[24,32,3,2]", root.getAsJsonObject("input").getAsJsonArray("shape").toString());
        assertEquals(6, root.getAsJsonObject("input").get("slices").getAsInt());
        assertEquals(1, root.getAsJsonObject("settings").get("repeats").getAsInt());
        assertEquals(report.psnrPeak(), root.get("psnr_peak").getAsDouble());
        assertEquals(255, root.get("psnr_dtype_peak").getAsInt());
        assertEquals(report.statistics().std(), root.get("data_std").getAsDouble());
        JsonArray rows = root.getAsJsonArray("rows");
        assertEquals(3, rows.size());
        JsonObject identity = rows.get(0).getAsJsonObject();
        assertEquals("measured", identity.get("status").getAsString());
        assertTrue(identity.get("exact").getAsBoolean());
        assertTrue(identity.get("psnr_db").isJsonNull(), "infinite PSNR is null");
        JsonObject q = rows.get(1).getAsJsonObject();
        assertEquals("8", q.getAsJsonObject("params").get("step").getAsString());
        CodecMeasurement m = report.row("test-quantize:step=8").orElseThrow().measurement().orElseThrow();
        assertEquals(m.psnr(), q.get("psnr_db").getAsDouble());
        assertEquals(m.psnrDtypePeak(), q.get("psnr_dtype_peak_db").getAsDouble());
        assertEquals(m.maxAbsErrorOverStd(), q.get("max_abs_error_over_std").getAsDouble());
        assertEquals(m.compressedBytes(), q.get("compressed_bytes").getAsLong());
        assertEquals(m.encodeMBps(), q.get("encode_mbps").getAsDouble());
        JsonObject skipped = rows.get(2).getAsJsonObject();
        assertEquals("skipped", skipped.get("status").getAsString());
        assertTrue(skipped.get("reason").getAsString().contains("cannot encode uint8"));
        assertFalse(skipped.has("exact"));
    }

    @Test
    void jsonIsWrittenByGsonSoAnyTextSurvivesTheRoundTrip() throws IOException {
        String reason = "lib \"f\u00f6\u00f6\" at C:\\jpkl\\x\n\ttab\u0001\u001f \u2713 \ud83d\udd2c </script> & 'q'";
        Jpkl odd = Jpkl.of(SliceCodecs.of(new IdentityCodec(), QuantizingCodec.unavailable("test-unavailable", reason)),
                ContainerSerializers.of(new JpklFileSerializer()));
        ComparisonReport report = CodecComparison.builder(odd).warmups(0).repeats(1).sliceReads(0)
                .codec("test-unavailable").codec("test-identity").build().run(stack, dir);
        String json = report.toJson();
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        JsonArray rows = root.getAsJsonArray("rows");
        assertEquals("not available here: " + reason, rows.get(0).getAsJsonObject().get("reason").getAsString());
        assertTrue(json.contains("f\u00f6\u00f6") && json.contains("\u2713 \ud83d\udd2c </script> & 'q'"),
                "non-ASCII and HTML characters are written as they are: " + json);
        JsonObject identity = rows.get(1).getAsJsonObject();
        assertTrue(identity.get("reason").isJsonNull(), "a measured row has a null reason");
        assertTrue(identity.get("slice_read_ms").isJsonNull(), "no slice reads: null, not NaN");
        assertEquals("{}", identity.get("params").toString());
        assertEquals(255, root.get("psnr_dtype_peak").getAsJsonPrimitive().getAsNumber().intValue());
        assertTrue(json.contains("\"psnr_dtype_peak\": 255,"), "integral figures have no fraction: " + json);
        assertTrue(json.endsWith("}\n"), json);
    }

    @Test
    void tableHasOneLinePerCodecUnderTheInputAndMethodLines() throws IOException {
        ComparisonReport report = quick().codec("test-identity").codec("test-quantize:step=8").build().run(stack, dir);
        String[] lines = report.toTable().split("\n");
        assertEquals(5, lines.length, report.toTable());
        assertTrue(lines[0].startsWith("input: uint8 (24, 32, 3, 2), layout y=0, x=1, 6 planes, 4,608 raw bytes"), lines[0]);
        InputStatistics stats = report.statistics();
        assertTrue(lines[1].startsWith("PSNR: peak = the data's range " + (long) stats.range() + " (max " + (long) stats.max() + " - min "
                + (long) stats.min() + "); PSNR uint8: peak = the dtype's range 255; err/std: max abs error / the data's standard deviation ")
                && lines[1].contains("medians of 1 run after 0 warm-ups"), lines[1]);
        assertTrue(lines[2].startsWith("codec") && lines[2].contains("max err  err/std  PSNR dB  PSNR uint8 dB")
                && lines[2].endsWith("slice ms"), lines[2]);
        assertTrue(lines[3].startsWith("test-identity  defaults") && lines[3].contains(" inf "), lines[3]);
        assertTrue(lines[4].startsWith("test-quantize  step=8"), lines[4]);
        assertEquals(lines[2].length(), lines[3].length(), "columns are aligned");
    }
}
