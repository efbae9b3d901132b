package org.jpkl.tests.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.compare.CodecComparison;
import org.jpkl.compare.CodecMeasurement;
import org.jpkl.compare.ComparisonReport;
import org.jpkl.compare.ComparisonRow;
import org.jpkl.compare.SampleStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every codec on the class path, plus JPEG at qualities 95 and 50, over the same generated
 * microscopy-like 8-bit and 16-bit stacks: the facts that must hold whatever the machine, and the
 * table (printed, not asserted on timings).
 */
class CodecComparisonOnStacksTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    private ComparisonReport compare(NdArray stack) throws IOException {
        CodecComparison comparison = CodecComparison.builder(jpkl).codec("jpeg:quality=95").codec("jpeg:quality=50").allCodecs()
                .warmups(1).repeats(2).sliceReads(8).build();
        ComparisonReport report = comparison.run(stack, WriteOptions.builder().axisNames("y", "x", "z").build(), dir);
        System.out.println(report.toTable());
        return report;
    }

    @Test
    void eightBitStack() throws IOException {
        NdArray stack = SampleStacks.microscopy(DType.UINT8, 11, 128, 160, 8);
        ComparisonReport report = compare(stack);
        assertFactsHold(report, stack);
        CodecMeasurement q95 = report.row("jpeg:quality=95").orElseThrow().measurement().orElseThrow();
        assertTrue(q95.psnr() >= 40, "JPEG quality 95 on 8-bit microscopy-like data: PSNR " + q95.psnr());
    }

    @Test
    void sixteenBitStack() throws IOException {
        NdArray stack = SampleStacks.microscopy(DType.UINT16, 12, 128, 160, 8);
        assertFactsHold(compare(stack), stack);
    }

    private void assertFactsHold(ComparisonReport report, NdArray stack) {
        assertEquals(stack.byteSize(), report.rawBytes());
        assertEquals(stack.dtype().maxValue(), report.statistics().dtypePeak());
        assertEquals(report.statistics().max() - report.statistics().min(), report.psnrPeak(), "PSNR against the data's range");
        Set<String> ids = new TreeSet<>();
        for (ComparisonRow row : report.rows()) {
            ids.add(row.codecId());
            assertFalse(row.status() == ComparisonRow.Status.FAILED, "every codec's output decodes: " + row);
            SliceCodec codec = jpkl.codecs().require(row.codecId());
            CodecCapabilities caps = codec.capabilities();
            boolean canRun = codec.availability().isAvailable() && caps.supports(stack.dtype(), ChannelLayout.GREY);
            assertEquals(canRun, row.isMeasured(), "measured exactly when available and able to take the stack: " + row);
            if (!canRun) {
                String reason = row.reason().orElseThrow();
                assertTrue(reason.startsWith("not available here") || reason.contains("cannot encode " + stack.dtype()), reason);
                continue;
            }
            CodecMeasurement m = row.measurement().orElseThrow();
            // Lossless at the settings compared, not only in every setting: jpegls near 0, lerc maxZError 0, zfp reversible count.
            assertEquals(codec.isLossless(codec.params(row.params())), row.declaredLossless(), row.toString());
            if (row.declaredLossless()) {
                assertTrue(m.exact(), "a codec lossless at these settings returns the stack exactly: " + row);
                assertEquals(0.0, m.maxAbsError(), row.toString());
                assertEquals(Double.POSITIVE_INFINITY, m.psnr(), row.toString());
                if (caps.lossless()) {
                    assertTrue(m.ratio() > 1, "a lossless codec compresses this stack at all: " + row + " ratio " + m.ratio());
                }
            } else {
                assertTrue(m.maxAbsError() > 0 && Double.isFinite(m.psnr()), "a lossy codec errs a little: " + row);
            }
            assertEquals(stack.byteSize() / (double) m.compressedBytes(), m.ratio(), 1e-9);
            assertTrue(m.payloadBytes() > 0 && m.payloadBytes() < m.compressedBytes(), "slices plus container overhead: " + row);
            for (double figure : new double[] {m.encodeMBps(), m.decodeMBps(), m.saveMBps(), m.loadMBps(), m.sliceReadMillis()}) {
                assertTrue(figure > 0 && Double.isFinite(figure), "every speed is measured: " + row + " " + figure);
            }
        }
        assertEquals(new TreeSet<>(jpkl.codecs().ids()), ids, "every codec on the class path has a row");

        CodecMeasurement q95 = report.row("jpeg:quality=95").orElseThrow().measurement().orElseThrow();
        CodecMeasurement q50 = report.row("jpeg:quality=50").orElseThrow().measurement().orElseThrow();
        assertTrue(q95.psnr() > q50.psnr(), "quality 95 is more accurate than 50: " + q95.psnr() + " vs " + q50.psnr() + " dB");
        assertTrue(q95.compressedBytes() > q50.compressedBytes(),
                "quality 95 costs more bytes than 50: " + q95.compressedBytes() + " vs " + q50.compressedBytes());
        assertEquals("95", q95.storedParams().get("quality"));
        assertEquals("50", q50.storedParams().get("quality"));
    }
}
