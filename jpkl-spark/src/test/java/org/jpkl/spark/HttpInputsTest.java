package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.testing.OptionalPieces;
import org.jpkl.http.LocalNginx;
import org.jpkl.npy.NpyWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed encode from inputs at http URLs served by Debian's nginx on loopback (skipped with a
 * message without nginx, failed under {@code CI=true}), on local[2], through the class path's http
 * provider with options given by {@link JpklFactory#oneThreadPerTask(Map)}.
 */
class HttpInputsTest {
    private static final PlaneLayout ZYX = PlaneLayout.of(1, 2);

    @TempDir
    static Path served;
    private static LocalNginx nginx;
    private static JavaSparkContext sc;
    private final Jpkl local = Jpkl.create();
    /** The storage options reach the driver's and every task's Jpkl (a larger first request here). */
    private final JpklFactory factory = JpklFactory.oneThreadPerTask(Map.of("http.head-bytes", "4096"));

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        OptionalPieces.require("nginx", LocalNginx.problem(), "nginx-light");
        nginx = LocalNginx.start(served);
        sc = LocalSpark.context();
    }

    @AfterAll
    static void stop() throws IOException {
        if (nginx != null) {
            nginx.close();
        }
    }

    private byte[] saved(NdArray a, WriteOptions options) throws IOException {
        Path f = dir.resolve("local.jpkl");
        local.save(a, f, options);
        return Files.readAllBytes(f);
    }

    private byte[] encoded(StackFiles input, long slicesPerTask, WriteOptions options) throws IOException {
        Path target = dir.resolve("spark.jpkl");
        SparkEncoder.builder().jpkl(factory).slicesPerTask(slicesPerTask).build().encode(sc, input, target, options);
        return Files.readAllBytes(target);
    }

    @Test
    void anNpyAtAUrlEncodesToTheContainerJpklSaveWrites() throws IOException {
        NdArray a = SparkEncoderTest.stack(13, 24, 30);
        NpyWriter.write(a, served.resolve("stack.npy"));
        WriteOptions options = WriteOptions.builder().codec("zstd").layout(ZYX).build();

        StackFiles input = StackFiles.npy(nginx.uri("/stack.npy"), ZYX, factory.create());
        assertArrayEquals(saved(a, options), encoded(input, 4, options));
    }

    @Test
    void pngsAtUrlsStackInTheOrderGivenAndAFolderUrlIsRefused() throws IOException {
        int h = 17;
        int w = 19;
        NdArray a = NdArray.generate(DType.UINT8, new int[] {3, h, w}, i -> (i * 31) % 251);
        byte[] samples = a.toByteArray();
        Path pngs = Files.createDirectories(served.resolve("pngs"));
        List<URI> urls = new java.util.ArrayList<>();
        for (int n = 0; n < 3; n++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, w, h, Arrays.copyOfRange(samples, n * h * w, (n + 1) * h * w));
            ImageIO.write(img, "png", pngs.resolve("p" + n + ".png").toFile());
            urls.add(nginx.uri("/pngs/p" + n + ".png"));
        }
        WriteOptions options = WriteOptions.builder().codec("deflate").layout(ZYX).build();

        StackFiles input = StackFiles.probe(sc, urls, factory);
        assertEquals(urls.stream().map(URI::toString).toList(), input.files());
        assertArrayEquals(saved(a, options), encoded(input, 2, options));

        URI folder = nginx.uri("/pngs/");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackFiles.of(List.of(folder), factory.create()));
        assertTrue(e.getMessage().startsWith("storage provider 'http' cannot list the folder '" + folder + "' ([http, https] URIs have"
                + " no listing): name its objects one by one; schemes listed: "), e.getMessage());
    }

    @Test
    void aMissingUrlAndATruncatedNpyAreRefusedNamingTheUrl() throws IOException {
        URI missing = nginx.uri("/missing.npy");
        FileNotFoundException notFound = assertThrows(FileNotFoundException.class,
                () -> StackFiles.npy(missing, ZYX, factory.create()));
        assertTrue(notFound.getMessage().startsWith(missing + ": no such object (HTTP 404"), notFound.getMessage());

        Path whole = dir.resolve("whole.npy");
        NpyWriter.write(SparkEncoderTest.stack(4, 8, 8), whole);
        byte[] npy = Files.readAllBytes(whole);
        Files.write(served.resolve("short.npy"), Arrays.copyOf(npy, npy.length - 1));
        URI shortUrl = nginx.uri("/short.npy");
        JpklFormatException truncated = assertThrows(JpklFormatException.class,
                () -> StackFiles.probe(sc, List.of(shortUrl), factory));
        assertEquals(shortUrl + ": data: has " + (npy.length - 1) + " bytes; shape (4, 8, 8) of uint16 needs " + npy.length
                + " (512 after the " + (npy.length - 512) + "-byte header); the file is truncated", truncated.getMessage());
    }

    @Test
    void sparkJobsEncodesAUrlWithStorageOptions() throws IOException {
        NdArray a = SparkEncoderTest.stack(5, 12, 10);
        NpyWriter.write(a, served.resolve("jobs.npy"));
        Path target = dir.resolve("jobs.jpkl");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = SparkJobs.run(new String[] {"encode", "--codec", "zstd", "--storage-option", "http.head-bytes=256",
            "--slices-per-task", "2", target.toString(), nginx.uri("/jobs.npy").toString()}, LocalSpark.shared(),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(saved(a, WriteOptions.builder().codec("zstd").layout(ZYX).build()), Files.readAllBytes(target));

        err.reset();
        status = SparkJobs.run(new String[] {"encode", "--storage-option", "http.head-bytes=0", target.toString(),
            nginx.uri("/jobs.npy").toString()}, LocalSpark.shared(), new java.io.PrintStream(out, true,
                java.nio.charset.StandardCharsets.UTF_8), new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1, status);
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("jpkl-spark encode: "), err.toString());
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("http.head-bytes"), err.toString());
    }
}
