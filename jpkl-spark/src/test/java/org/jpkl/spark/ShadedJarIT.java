package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.testing.ChildJvm;
import org.jpkl.npy.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar docs/SPARK.md ships, run as {@code spark-submit} runs it: in a JVM of its own with
 * Spark's jars and nothing else of jpkl's (no Gson either: the jar's is relocated), on
 * {@code local[2]}; the container it writes is the one {@code Jpkl.save} writes.
 */
class ShadedJarIT {
    @TempDir
    Path dir;

    @Test
    void theShadedJarEncodesOnSparksClassPath() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("jpkl.spark.jar"));
        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertTrue(z.stream().noneMatch(e -> e.getName().startsWith("com/google/gson/")), "Gson is relocated");
            assertTrue(z.getEntry("org/jpkl/spark/shaded/gson/Gson.class") != null);
            assertTrue(z.stream().noneMatch(e -> e.getName().startsWith("org/apache/spark/")), "Spark is not shaded in");
        }
        NdArray a = SparkEncoderTest.stack(6, 32, 40);
        Path npy = dir.resolve("in.npy");
        NpyWriter.write(a, npy);
        Path out = dir.resolve("out.jpkl");

        List<String> command = new ArrayList<>();
        command.add(ChildJvm.java());
        command.addAll(Arrays.asList(System.getProperty("jpkl.spark.opens").trim().split("\\s+")));
        command.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1", "-cp", jar + File.pathSeparator + sparkClassPath(),
                "org.jpkl.spark.SparkJobs", "encode", "--codec", "zstd", "--slices-per-task", "2", out.toString(), npy.toString()));
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM finished");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(out + ": 6 slices in 3 tasks: 6 chunks, "), output);

        Path local = dir.resolve("local.jpkl");
        Jpkl.create().save(a, local, WriteOptions.builder().codec("zstd").layout(PlaneLayout.of(1, 2)).build());
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(out));
    }

    /** This JVM's class path without jpkl's modules (the reactor's target folders) and Gson: Spark and its dependencies. */
    private static String sparkClassPath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty() && !entry.contains(File.separator + "target" + File.separator) && !entry.endsWith("target" + File.separator + "classes")
                    && !entry.contains(File.separator + "gson" + File.separator)) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }
}
