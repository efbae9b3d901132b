package org.jpkl.tests.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jpkl.Jpkl;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.compare.CodecComparison;
import org.jpkl.compare.CodecMeasurement;
import org.jpkl.compare.ComparisonReport;
import org.jpkl.compare.ComparisonRow;
import org.jpkl.compare.InputStatistics;
import org.jpkl.compare.SampleStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures of docs/CODECS.md's ratio table for the error-bounded float codecs, measured in one run
 * with {@link CodecComparison}: on the generated microscopy stack as float32 (16 planes of 256 x 256,
 * {@link SampleStacks#microscopy}), lossless zstd (default: shuffle, level 1) against zfp reversible
 * and zfp with an absolute tolerance of 1e-3 of the data's range. Printed, never asserted as timings;
 * asserted: the bound holds on every sample (the comparison's max abs error is over all samples of
 * the file read back), and the lossless rows are exact. Skipped (failed under CI) without libzfp.
 */
class ScientificCodecRatioReportTest {
    @TempDir
    Path dir;

    @Test
    void floatCodecsAtAToleranceOfOneThousandthOfTheRange() throws IOException {
        Jpkl jpkl = Jpkl.create();
        OptionalPieces.require("libzfp", jpkl.codecs().require("zfp").availability().reason(), "libzfp1");
        NdArray stack = SampleStacks.microscopy(DType.FLOAT32, 1, 256, 256, 16);
        double range = InputStatistics.of(stack).range();
        double tolerance = 1e-3 * range;
        String zfpAccuracy = "zfp:mode=accuracy,tolerance=" + tolerance;
        ComparisonReport report = CodecComparison.builder(jpkl).codec("zstd").codec("zfp").codec(zfpAccuracy).warmups(1).repeats(3)
                .sliceReads(0).build().run(stack, dir);
        System.out.printf(Locale.ROOT, "float32 microscopy stack 256x256x16, range %.4g, tolerance %.4g%n", range, tolerance);
        System.out.print(report.toTable());
        CodecMeasurement zstd = measured(report.row("zstd"));
        CodecMeasurement reversible = measured(report.row("zfp"));
        CodecMeasurement accuracy = measured(report.rows().get(2).measurement());
        assertTrue(zstd.exact() && reversible.exact(), "the lossless rows are exact");
        assertTrue(accuracy.maxAbsError() <= tolerance, "max abs error " + accuracy.maxAbsError() + " > tolerance " + tolerance);
        System.out.printf(Locale.ROOT, "| zfp reversible | %.2f | %.2fx | 0 | %.0f | %.0f |%n", reversible.ratio(),
                reversible.ratio() / zstd.ratio(), reversible.encodeMBps(), reversible.decodeMBps());
        System.out.printf(Locale.ROOT, "| zfp accuracy, tolerance 1e-3 x range | %.2f | %.2fx | %.3g (%.2f of the tolerance) | %.0f | %.0f |%n",
                accuracy.ratio(), accuracy.ratio() / zstd.ratio(), accuracy.maxAbsError(), accuracy.maxAbsError() / tolerance,
                accuracy.encodeMBps(), accuracy.decodeMBps());
        System.out.printf(Locale.ROOT, "| zstd (shuffle, level 1) | %.2f | 1.00x | 0 | %.0f | %.0f |%n", zstd.ratio(), zstd.encodeMBps(),
                zstd.decodeMBps());
    }

    private static CodecMeasurement measured(Optional<?> row) {
        Object o = row.orElseThrow();
        if (o instanceof ComparisonRow r) {
            assertEquals(ComparisonRow.Status.MEASURED, r.status(), r.toString());
            return r.measurement().orElseThrow();
        }
        return (CodecMeasurement) o;
    }
}
