package org.jpkl.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.spi.StorageProviders;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Not a test but a measurement, run on request ({@code -Djpkl.s3.measure=true}): a full read of a
 * 400-slice container from S3Proxy on 1 and 2 threads, and from the local file; prints requests,
 * bytes and times (best of 3). Asserts only that the data read is right.
 */
@EnabledIfSystemProperty(named = "jpkl.s3.measure", matches = "true")
class S3ThroughputMeasure {
    @TempDir
    Path folder;

    @Test
    void fullReadOnOneAndTwoThreads() throws Exception {
        try (S3Server server = S3Server.start(Files.createDirectory(folder.resolve("store")))) {
            server.client().createBucket(b -> b.bucket("measure"));
            NdArray array = NdArray.generate(DType.UINT8, new int[] {256, 256, 400}, i -> (double) (Long.hashCode(i * 0x9E3779B97F4A7C15L) & 0xFF));
            URI uri = URI.create("s3://measure/stack.jpkl");
            Path local = folder.resolve("stack.jpkl");
            WriteOptions options = WriteOptions.builder().codec("deflate").build();
            Jpkl writer = jpkl(server, 2);
            writer.save(array, uri, options);
            writer.save(array, local, options);
            double[] best = new double[3];
            for (int threads = 1; threads <= 2; threads++) {
                Jpkl jpkl = jpkl(server, threads);
                best[threads] = Double.MAX_VALUE;
                for (int run = 0; run < 3; run++) {
                    RemoteObjectSource source = (RemoteObjectSource) jpkl.storage().open(uri);
                    long t0 = System.nanoTime();
                    try (JpklArray a = jpkl.open(source)) {
                        long atOpen = source.requests();
                        NdArray all = a.get(":");
                        double s = (System.nanoTime() - t0) / 1e9;
                        best[threads] = Math.min(best[threads], s);
                        assertEquals(array, all);
                        System.out.printf("s3 %d thread(s): open %d requests; full read %d requests, %d bytes of %d, %.3f s%n",
                                threads, atOpen, source.requests(), source.bytesFetched(), source.size(), s);
                    }
                }
            }
            double bestLocal = Double.MAX_VALUE;
            for (int run = 0; run < 3; run++) {
                long t0 = System.nanoTime();
                try (JpklArray a = jpkl(server, 2).open(local)) {
                    a.get(":");
                }
                bestLocal = Math.min(bestLocal, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("400 slices of 256x256 uint8 (deflate): s3 1 thread %.3f s, 2 threads %.3f s (%.2fx); local file 2 threads %.3f s"
                    + " (s3 2 threads / local = %.1fx)%n", best[1], best[2], best[1] / best[2], bestLocal, best[2] / bestLocal);
        }
    }

    private static Jpkl jpkl(S3Server server, int threads) {
        return Jpkl.builder().parallelism(threads)
                .storage(StorageProviders.of(new S3StorageProvider(S3Server.credentials())))
                .storageOption("s3.endpoint", server.endpoint().toString()).build();
    }
}
