package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.spi.ProviderOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider options are per {@link Jpkl} instance: two instances built at the same time in one JVM with
 * different {@value JpegCodec#OPTION_BACKEND} each run their own backend, and neither disturbs the
 * other (no JVM-wide setting is involved). Runs with or without libturbojpeg.
 */
class JpegProviderOptionsTest {
    @TempDir
    Path dir;

    @Test
    void twoInstancesInOneJvmEachUseTheirOwnBackendAtTheSameTime() throws Exception {
        boolean turbo = TurboJpeg.unavailableReason().isEmpty();
        List<String> backends = List.of("imageio", turbo ? "turbojpeg" : "auto", "imageio", turbo ? "turbojpeg" : "auto");
        CountDownLatch start = new CountDownLatch(backends.size());
        ExecutorService pool = Executors.newFixedThreadPool(backends.size());
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < backends.size(); i++) {
                String backend = backends.get(i);
                Path file = dir.resolve("s" + i + ".jpkl");
                results.add(pool.submit(() -> {
                    start.countDown();
                    start.await();
                    Jpkl jpkl = Jpkl.builder().providerOption("jpeg.backend", backend).parallelism(1).build();
                    JpegCodec codec = (JpegCodec) jpkl.codecs().require("jpeg");
                    NdArray array = NdArray.generate(DType.UINT8, new int[] {3, 16, 24}, k -> (k * 7) % 251);
                    jpkl.save(array, file, WriteOptions.builder().codec("jpeg").param("quality", 100).build());
                    try (JpklArray stored = jpkl.open(file)) {
                        assertEquals(3, stored.shape()[0]);
                    }
                    return codec.backend().text() + " " + codec.implementation();
                }));
            }
            String imageIo = "imageio javax.imageio reader ";
            String other = turbo ? "turbojpeg libjpeg-turbo TurboJPEG via JNA " : imageIo;
            for (int i = 0; i < backends.size(); i++) {
                String got = results.get(i).get();
                assertTrue(got.startsWith(backends.get(i).equals("imageio") ? imageIo : other), backends.get(i) + ": " + got);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void jpklRefusesAnUnknownOptionKeyNamingItAndTheKeysTaken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jpkl.builder().providerOption("jpeg.backnd", "imageio").build());
        assertEquals("provider option 'jpeg.backnd' is not known; codec 'jpeg' takes [jpeg.backend, jpeg.turbojpeg.library]",
                e.getMessage());
        Jpkl jpkl = Jpkl.builder().providerOptions(ProviderOptions.builder().put("jpeg.backend", "turbojpeg").build())
                .providerOption("jpeg.backend", "imageio").build();
        assertEquals(JpegBackend.IMAGEIO, ((JpegCodec) jpkl.codecs().require("jpeg")).backend(), "a later value replaces an earlier one");
        assertEquals("JpegCodec[jpeg, backend=auto]", Jpkl.create().codecs().require("jpeg").toString(),
                "another instance is not affected");
    }
}
