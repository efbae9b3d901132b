package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.testing.SparseJpklFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slice endpoint on a file of 2^32 + 2^16 JPEG slices (a sparse 86 GB file): the key in the URL
 * names the slice served, on both sides of 2^31 and 2^32, stored and decoded alike.
 */
class ViewerHugeSliceCountTest {
    @TempDir
    Path dir;

    private static final int SIDE = 8;

    private static int valueOf(int i) {
        return 20 + 30 * i;
    }

    @Test
    void theSliceUrlServesTheSliceItsKeyNames() throws Exception {
        SparseJpklFiles.assumeSparseFiles(dir);
        Jpkl jpkl = Jpkl.create();
        SliceCodec jpeg = SliceCodecs.load().require("jpeg");
        CodecParams params = jpeg.params(Map.of("quality", "95"));
        int[] dims = SparseJpklFiles.HUGE_KEY_DIMS;
        ContainerHeader h = new ContainerHeader(new int[] {SIDE, SIDE, dims[0], dims[1]}, DType.UINT8, PlaneLayout.jpkl(false),
                List.of(), "jpeg", params.toMap(), Map.of());
        long[] numbers = SparseJpklFiles.ACROSS_INT_LIMITS;
        Map<Long, byte[]> slices = new LinkedHashMap<>();
        for (int i = 0; i < numbers.length; i++) {
            byte[] flat = new byte[SIDE * SIDE];
            java.util.Arrays.fill(flat, (byte) valueOf(i));
            slices.put(numbers[i], jpeg.newEncoder(params, h.planeSpec()).encode(PlaneBuffer.wrap(h.planeSpec(), flat, 0)));
        }
        Path file = SparseJpklFiles.write(dir.resolve("huge.jpkl"), h, slices);

        try (ViewerServer server = ViewerServer.builder(jpkl).files(List.of(file)).build()) {
            URI base = server.start();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (int i = 0; i < numbers.length; i++) {
                long n = numbers[i];
                String key = (n / dims[1]) + "/" + (n % dims[1]);
                HttpResponse<byte[]> stored = client.send(HttpRequest.newBuilder(base.resolve("/api/files/0/slice/" + key))
                        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, stored.statusCode(), "slice " + n + ": " + new String(stored.body(), "UTF-8"));
                assertEquals(Long.toString(n), stored.headers().firstValue("X-Jpkl-Slice").orElse(""), "slice number header");
                assertArrayEquals(slices.get(n), stored.body(), "stored bytes of slice " + n + " (key " + key + ")");

                HttpResponse<byte[]> raw = client.send(HttpRequest.newBuilder(base.resolve("/api/files/0/slice/" + key
                        + "?format=raw")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, raw.statusCode(), "raw slice " + n);
                assertEquals(SIDE * SIDE, raw.body().length);
                for (byte b : raw.body()) {
                    assertEquals(valueOf(i), b & 0xFF, 1.0, "decoded sample of slice " + n);
                }
            }
        }
    }
}
