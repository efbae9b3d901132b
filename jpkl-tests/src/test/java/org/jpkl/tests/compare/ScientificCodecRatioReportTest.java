package org.jpkl.tests.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jpkl.Jpkl;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.tests.NativeCodecs;
import org.jpkl.compare.CodecComparison;
import org.jpkl.compare.CodecMeasurement;
import org.jpkl.compare.ComparisonReport;
import org.jpkl.compare.ComparisonRow;
import org.jpkl.compare.InputStatistics;
import org.jpkl.compare.SampleStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of docs/CODECS.md's ratio tables for the native-library codecs, each table measured in
 * one run with {@link CodecComparison} (one thread, 1 warm-up, median of 3) on the generated
 * microscopy stack ({@link SampleStacks#microscopy}, 16 planes of 256 x 256):
 * <ul>
 *   <li>float32: lossless zstd (default: shuffle, level 1) against the error-bounded codecs at an
 *       absolute tolerance of 1e-3 of the data's range, and their lossless modes;</li>
 *   <li>uint16 (camera-like counts): per-slice zstd + shuffle against the lossless modes of the others.</li>
 * </ul>
 * Printed as Markdown rows, never asserted as timings; asserted: the bound holds on every sample (the
 * comparison's max abs error is over every sample of the file read back) and lossless rows are exact.
 * Skipped (failed under CI) when a codec's library is missing.
 */
class ScientificCodecRatioReportTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    @Test
    void floatCodecsAtAToleranceOfOneThousandthOfTheRange() throws IOException {
        NdArray stack = SampleStacks.microscopy(DType.FLOAT32, 1, 256, 256, 16);
        double range = InputStatistics.of(stack).range();
        double tolerance = 1e-3 * range;
        List<String> bounded = List.of("zfp:mode=accuracy,tolerance=" + tolerance, "lerc:maxZError=" + tolerance);
        List<String> lossless = List.of("zfp", "lerc");
        ComparisonReport report = run(stack, bounded, lossless);
        System.out.printf(Locale.ROOT, "float32 microscopy stack 256x256x16, range %.4g, tolerance %.4g%n", range, tolerance);
        for (String spec : bounded) {
            CodecMeasurement m = measured(report, spec);
            assertTrue(m.maxAbsError() <= tolerance, spec + ": max abs error " + m.maxAbsError() + " > tolerance " + tolerance);
        }
        print(report, tolerance);
    }

    @Test
    void losslessCodecsOnSixteenBitCameraLikeData() throws IOException {
        NdArray stack = SampleStacks.microscopy(DType.UINT16, 1, 256, 256, 16);
        ComparisonReport report = run(stack, List.of(), List.of("lerc", "jpegls", "jpegxl"));
        System.out.println("uint16 microscopy stack 256x256x16 (camera-like counts)");
        print(report, 0);
    }

    /** Compares zstd (the baseline, first), the bounded specs and the lossless ones, after checking their libraries load. */
    private ComparisonReport run(NdArray stack, List<String> bounded, List<String> lossless) throws IOException {
        List<String> specs = new ArrayList<>(List.of("zstd"));
        specs.addAll(bounded);
        specs.addAll(lossless);
        CodecComparison.Builder b = CodecComparison.builder(jpkl).warmups(1).repeats(3).sliceReads(0);
        for (String spec : specs) {
            String id = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
            NativeCodecs.require(jpkl.codecs().require(id));
            b.codec(spec);
        }
        ComparisonReport report = b.build().run(stack, dir);
        System.out.print(report.toTable());
        for (String spec : lossless) {
            assertTrue(measured(report, spec).exact(), spec + " is lossless");
        }
        assertTrue(measured(report, "zstd").exact());
        return report;
    }

    private static CodecMeasurement measured(ComparisonReport report, String spec) {
        ComparisonRow row = report.rows().stream().filter(r -> r.spec().toString().equals(spec)).findFirst().orElseThrow(
                () -> new AssertionError("no row " + spec + " in " + report.rows()));
        assertEquals(ComparisonRow.Status.MEASURED, row.status(), row.toString());
        return row.measurement().orElseThrow();
    }

    /** One Markdown row per codec: spec, ratio, ratio / zstd's, max abs error (and its share of the tolerance), encode and decode MB/s. */
    private static void print(ComparisonReport report, double tolerance) {
        double zstd = measured(report, "zstd").ratio();
        for (ComparisonRow row : report.rows()) {
            CodecMeasurement m = row.measurement().orElseThrow();
            String error = m.maxAbsError() == 0 ? "0" : tolerance > 0
                    ? String.format(Locale.ROOT, "%.3g (%.2f of the tolerance)", m.maxAbsError(), m.maxAbsError() / tolerance)
                    : String.format(Locale.ROOT, "%.3g", m.maxAbsError());
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2fx | %s | %.0f | %.0f |%n", row.spec(), m.ratio(), m.ratio() / zstd, error,
                    m.encodeMBps(), m.decodeMBps());
        }
    }
}
