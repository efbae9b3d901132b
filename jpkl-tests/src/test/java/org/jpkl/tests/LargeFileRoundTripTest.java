package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-GB round trip: streams a 5.4 GB uint8 stack (4096 x 4096 x 320 planes, raw codec)
 * to disk, then reads planes beyond 4 GiB back exactly. Needs ~6 GB free disk and a minute or two,
 * so it is off by default: {@code mvn -B verify -pl jpkl-tests -Djpkl.bigTests=true -Dtest=LargeFileRoundTripTest}.
 */
@EnabledIfSystemProperty(named = "jpkl.bigTests", matches = "true")
class LargeFileRoundTripTest {
    @TempDir
    Path dir;

    private static byte value(long plane, int pixel) {
        return (byte) (plane * 7 + pixel * 13);
    }

    @Test
    void aStackLargerThanFourGibibytesRoundTrips() throws IOException {
        Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());
        int side = 4096;
        int planes = 320;
        Path file = dir.resolve("big.jpkl");
        try (JpklWriter w = jpkl.newWriter(file, DType.UINT8, new int[] {side, side, planes},
                WriteOptions.builder().codec(IdentityCodec.ID).layout(PlaneLayout.jpkl(false)).build())) {
            PlaneBuffer plane = PlaneBuffer.allocate(w.header().planeSpec());
            byte[] b = plane.bytes();
            for (long n = 0; n < planes; n++) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = value(n, i);
                }
                w.write(n, plane);
            }
            w.commit();
        }
        assertTrue(Files.size(file) > (5L << 30), "file is over 5 GiB: " + Files.size(file));
        try (JpklArray stored = jpkl.open(file)) {
            for (long n : new long[] {0, 170, 319}) {
                NdArray got = stored.get(":, :, " + n);
                for (int i = 0; i < side * side; i += 4099) {
                    assertEquals(value(n, i) & 0xFF, got.getIntFlat(i), "plane " + n + " pixel " + i);
                }
            }
            assertTrue(stored.verify().isIntact());
        }
    }
}
