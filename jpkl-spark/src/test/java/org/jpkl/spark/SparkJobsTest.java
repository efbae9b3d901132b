package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.npy.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit entry point, run on the tests' local[2] session with the arguments docs/SPARK.md shows. */
class SparkJobsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SparkJobs.run(args, LocalSpark.shared(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void encodeThenStats() throws IOException {
        NdArray a = NdArray.generate(DType.UINT8, new int[] {3, 4, 5}, i -> (i / 20) * 10 + i % 20);
        Path npy = dir.resolve("in.npy");
        NpyWriter.write(a, npy);
        Path target = dir.resolve("out.jpkl");

        assertEquals(0, run("encode", "--codec", "zstd", "--param", "level=5", "--slices-per-task", "2", target.toString(), npy.toString()),
                err.toString(StandardCharsets.UTF_8));
        Path local = dir.resolve("local.jpkl");
        Jpkl.create().save(a, local, WriteOptions.builder().codec("zstd").param("level", "5").layout(PlaneLayout.of(1, 2)).build());
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(target));
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.matches(java.util.regex.Pattern.quote(target + ": 3 slices in 2 tasks: 3 chunks, ") + "\\d+ encoded bytes, \\d+\\.\\d\\d s\n"),
                report);

        out.reset();
        assertEquals(0, run("stats", "--slices-per-partition", "2", target.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("slice,count,nan_count,min,max,mean\n0,20,0,0.0,19.0,9.5\n1,20,0,10.0,29.0,19.5\n2,20,0,20.0,39.0,29.5\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badUsageExitsWith2AndOneLine() {
        assertEquals(2, run("encode", "--slices-per-task", "0", "a.jpkl", "b.npy"));
        assertEquals("jpkl-spark encode: --slices-per-task takes a number >= 1, not '0'\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run("convert"));
        assertEquals("jpkl-spark convert: unknown command 'convert'; usage: encode [--codec ID] [--param KEY=VALUE]... [--serializer ID]"
                + " [--slices-per-task N] [--plane-axes Y,X] [--storage-option KEY=VALUE]... [--job-folder PATH] TARGET INPUT... | stats"
                + " [--slices-per-partition N] [--storage-option KEY=VALUE]... CONTAINER\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run("encode", "--storage-option", "s3.endpoint", "a.jpkl", "b.npy"));
        assertEquals("jpkl-spark encode: --storage-option takes KEY=VALUE, e.g. s3.endpoint=http://127.0.0.1:9000, not 's3.endpoint'\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingInputExitsWith1NamingIt() {
        Path missing = dir.resolve("missing.npy");
        assertEquals(1, run("encode", dir.resolve("x.jpkl").toString(), missing.toString()));
        assertEquals("jpkl-spark encode: " + missing + "\n", err.toString(StandardCharsets.UTF_8));
    }
}
