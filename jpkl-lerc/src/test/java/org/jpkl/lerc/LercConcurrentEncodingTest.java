package org.jpkl.lerc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.testing.NativeStreamFuzz;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Encoders on four threads write the same bytes as one thread alone: LERC 4.0's lossless float32 path
 * writes thread-dependent blobs (this test failed with it, as CodecSerializerMatrixTest did when
 * {@code Jpkl.save} encoded float32 planes in parallel), so lossless float32 planes go through LERC's
 * integer path as their bit patterns.
 */
class LercConcurrentEncodingTest {
    private static final LercCodec CODEC = new LercCodec();

    @BeforeEach
    void needsLerc() {
        LercTests.assumeLerc();
    }

    @Test
    void parallelEncodingsEqualSerialOnes() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 13, 17, ChannelLayout.GREY);
        CodecParams p = CODEC.params(Map.of());
        List<PlaneBuffer> planes = new ArrayList<>();
        List<byte[]> reference = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            planes.add(TestPlanes.smooth(spec, i, false, false));
            reference.add(NativeStreamFuzz.encode(CODEC, p, planes.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 100; k++) {
                        int i = (first + k) % planes.size();
                        assertArrayEquals(reference.get(i), NativeStreamFuzz.encode(CODEC, p, planes.get(i)), "plane " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
