package org.jpkl.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.support.NativeSliceFrame;

/**
 * Hostile input for codecs whose slices are a {@link NativeSliceFrame} around a native library's
 * stream: every truncation and every single-byte change is refused with a {@link JpklFormatException}
 * before the library runs, and streams that pass the frame's checks but are garbage (random bytes,
 * a real stream's bytes shuffled or cut, framed with a correct CRC) reach the library and give a
 * {@code JpklFormatException} or a plane, never another exception or a crash of the JVM.
 *
 * <p>Thread safety: stateless.
 */
public final class NativeStreamFuzz {
    private NativeStreamFuzz() {
    }

    /** Encodes {@code plane} with {@code params}. */
    public static byte[] encode(SliceCodec codec, CodecParams params, PlaneBuffer plane) throws IOException {
        try (SliceEncoder e = codec.newEncoder(params, plane.spec())) {
            return e.encode(plane);
        }
    }

    /**
     * Two fresh encoders (fresh native buffers) write the same bytes for {@code plane}: a native
     * library that leaves bytes of its output buffer unwritten would make them differ, and files
     * written twice would then differ (which breaks copying encoded slices between containers).
     */
    public static void assertFreshEncodersAgree(SliceCodec codec, CodecParams params, PlaneBuffer plane) throws IOException {
        byte[] first = encode(codec, params, plane);
        // Leave garbage in freed native memory between the two, as a long-running writer would.
        try (SliceEncoder e = codec.newEncoder(params, plane.spec())) {
            e.encode(TestPlanes.noise(plane.spec(), 99));
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, encode(codec, params, plane),
                "two fresh encoders of " + codec.id() + " " + params.toMap() + " wrote different bytes for the same " + plane.spec() + " plane");
    }

    /** Runs every check on the slice {@code good}, an encoding of a plane of {@code spec} with {@code params}. */
    public static void check(SliceCodec codec, CodecParams params, PlaneSpec spec, byte[] good, long seed) throws IOException {
        try (SliceDecoder d = codec.newDecoder(params, spec)) {
            PlaneBuffer out = PlaneBuffer.allocate(spec);
            d.decode(ByteBuffer.wrap(good), out);
            for (int n = 0; n < good.length; n++) {
                refused(d, spec, Arrays.copyOf(good, n), "truncated to " + n + " bytes");
            }
            Random rnd = new Random(seed);
            for (int i = 0; i < good.length; i++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 + rnd.nextInt(255));
                refused(d, spec, bad, "byte " + i + " changed");
            }
            byte[] longer = Arrays.copyOf(good, good.length + 1);
            refused(d, spec, longer, "one trailing byte");
            int magic = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt();
            NativeSliceFrame frame = NativeSliceFrame.read(ByteBuffer.wrap(good), magic, codec.id(), spec);
            int payload = good.length - NativeSliceFrame.SIZE;
            for (int round = 0; round < 200; round++) {
                byte[] stream;
                switch (round % 4) {
                    case 0: // random bytes of the real length
                        stream = new byte[payload];
                        rnd.nextBytes(stream);
                        break;
                    case 1: // the real stream cut short
                        stream = Arrays.copyOfRange(good, NativeSliceFrame.SIZE, NativeSliceFrame.SIZE + rnd.nextInt(payload + 1));
                        break;
                    case 2: // the real stream with a few bytes changed
                        stream = Arrays.copyOfRange(good, NativeSliceFrame.SIZE, good.length);
                        for (int k = 0; k < 1 + rnd.nextInt(4) && stream.length > 0; k++) {
                            stream[rnd.nextInt(stream.length)] ^= (byte) (1 + rnd.nextInt(255));
                        }
                        break;
                    default: // random bytes of a random length up to twice the real one
                        stream = new byte[rnd.nextInt(2 * payload + 2)];
                        rnd.nextBytes(stream);
                        break;
                }
                byte[] framed = new byte[NativeSliceFrame.SIZE + stream.length];
                System.arraycopy(stream, 0, framed, NativeSliceFrame.SIZE, stream.length);
                NativeSliceFrame.write(framed, magic, spec, frame.mode(), frame.parameter());
                try {
                    d.decode(ByteBuffer.wrap(framed), PlaneBuffer.allocate(spec));
                } catch (JpklFormatException expected) {
                    // refused: fine
                } catch (RuntimeException e) {
                    fail("a framed garbage stream (round " + round + ", " + stream.length + " bytes) gave " + e, e);
                }
            }
            d.decode(ByteBuffer.wrap(good), out);
            PlaneBuffer again = PlaneBuffer.allocate(spec);
            try (SliceDecoder fresh = codec.newDecoder(params, spec)) {
                fresh.decode(ByteBuffer.wrap(good), again);
            }
            assertEquals(true, TestPlanes.bitEqual(again, out), "the decoder still decodes good slices after the garbage");
        }
    }

    private static void refused(SliceDecoder d, PlaneSpec spec, byte[] bad, String what) {
        assertThrows(JpklFormatException.class, () -> d.decode(ByteBuffer.wrap(bad), PlaneBuffer.allocate(spec)), what);
    }
}
