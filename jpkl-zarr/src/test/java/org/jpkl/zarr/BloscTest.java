package org.jpkl.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jpkl.api.JpklFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blosc1 frames as numcodecs 0.11 (c-blosc 1.21) wrote them (stored in the test resources: split
 * and unsplit blocks, a leftover block, byte shuffle and none, lz4, lz4hc, zstd, zlib) decode to
 * exactly the values encoded; other internal codecs, the bit shuffle and damaged frames are
 * refused with messages naming them; our own Blosc-lz4 frames decode back.
 */
class BloscTest {
    /** The uint16 values of the u2 frames: (i // 3) % 1000 for i < 3000. */
    static byte[] u2() {
        ByteBuffer b = ByteBuffer.allocate(6000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 3000; i++) {
            b.putShort((short) ((i / 3) % 1000));
        }
        return b.array();
    }

    /** The float32 values of the f4 frame: i * 0.25 - 3 for i < 1000. */
    static byte[] f4() {
        ByteBuffer b = ByteBuffer.allocate(4000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 1000; i++) {
            b.putFloat(i * 0.25f - 3);
        }
        return b.array();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BloscTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lz4-shuffle-u2", "zstd-noshuffle-u2", "zlib-shuffle-u2"})
    void numcodecsFramesDecodeExactly(String name) throws IOException {
        byte[] frame = resource("blosc-" + name + ".bin");
        assertArrayEquals(u2(), Blosc.decode(frame, frame.length, 6000, name));
    }

    @Test
    void lz4hcFloatFrameDecodesExactly() throws IOException {
        byte[] frame = resource("blosc-lz4hc-shuffle-f4.bin");
        assertArrayEquals(f4(), Blosc.decode(frame, frame.length, 4000, "f4"));
    }

    @Test
    void otherCodecsAndTheBitShuffleAreRefusedByName() throws IOException {
        byte[] blosclz = resource("blosc-blosclz-u2.bin");
        assertEquals("c/0.0: chunk: Blosc internal codec 'blosclz' is not read by jpkl (lz4, lz4hc, zstd and zlib are)",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(blosclz, blosclz.length, 6000, "c/0.0")).getMessage());
        byte[] snappy = resource("blosc-snappy-u2.bin");
        assertEquals("c/0.0: chunk: Blosc internal codec 'snappy' is not read by jpkl (lz4, lz4hc, zstd and zlib are)",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(snappy, snappy.length, 6000, "c/0.0")).getMessage());
        byte[] bits = resource("blosc-lz4-bitshuffle-u2.bin");
        assertEquals("c/0.0: chunk: Blosc frame uses the bit shuffle, which jpkl does not read (byte shuffle or no shuffle only)",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(bits, bits.length, 6000, "c/0.0")).getMessage());
    }

    @Test
    void damagedFramesAreRefusedBeforeAllocatingWhatTheySay() throws IOException {
        byte[] frame = resource("blosc-lz4-shuffle-u2.bin");
        assertEquals("c: chunk: Blosc header holds 6000 bytes; the chunk has 5998",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(frame, frame.length, 5998, "c")).getMessage());
        assertEquals("c: chunk: Blosc header says the frame is 851 bytes; the chunk file has 850",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(frame, 850, 6000, "c")).getMessage());
        assertEquals("c: chunk: is 15 bytes, shorter than the 16-byte Blosc header",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(frame, 15, 6000, "c")).getMessage());
        byte[] huge = frame.clone();
        huge[4] = (byte) 0xff;
        huge[5] = (byte) 0xff;
        huge[6] = (byte) 0xff;
        huge[7] = (byte) 0x7f;
        assertEquals("c: chunk: Blosc header holds 2147483647 bytes; the chunk has 6000",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(huge, huge.length, 6000, "c")).getMessage());
        byte[] block = frame.clone();
        block[8] = 0;
        block[9] = 0;
        block[10] = 0;
        block[11] = 0;
        assertEquals("c: chunk: Blosc block size 0 is not in [1, 6000]",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(block, block.length, 6000, "c")).getMessage());
        byte[] offset = frame.clone();
        offset[16] = (byte) 0xff;
        offset[17] = (byte) 0xff;
        assertEquals("c: chunk: Blosc block 0 starts at 65535, outside the frame's data [20, 851)",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(offset, offset.length, 6000, "c")).getMessage());
        byte[] stream = frame.clone();
        stream[20] = (byte) 0xff;
        stream[21] = (byte) 0xff;
        assertEquals("c: chunk: Blosc block 0 stream 0 says 65535 bytes; 827 remain",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(stream, stream.length, 6000, "c")).getMessage());
        byte[] version = frame.clone();
        version[0] = 5;
        assertEquals("c: chunk: Blosc format version 5 is not 1 or 2 (Blosc1 frames; Blosc2 frames are not read)",
                assertThrows(JpklFormatException.class, () -> Blosc.decode(version, version.length, 6000, "c")).getMessage());
    }

    @Test
    void flippedBytesInAStreamAreRefusedNotDecodedToOtherValues() throws IOException {
        byte[] frame = resource("blosc-zlib-shuffle-u2.bin");
        int refused = 0;
        for (int i = 40; i < frame.length; i += 7) {
            byte[] bad = frame.clone();
            bad[i] ^= 0x5a;
            try {
                byte[] out = Blosc.decode(bad, bad.length, 6000, "c");
                // A flip inside a stored stream or zlib's slack may still decode; it must then be 6000 bytes.
                assertEquals(6000, out.length);
            } catch (JpklFormatException e) {
                refused++;
            }
        }
        assertEquals(true, refused > 0, "no damaged frame was refused");
    }

    @Test
    void ourBloscLz4FramesDecodeBackForEveryTypeSizeAndForIncompressibleData() throws IOException {
        byte[] u2 = u2();
        for (int typesize : new int[] {1, 2, 4, 8}) {
            byte[] frame = ChunkCodec.bloscLz4(u2, typesize, 5);
            assertEquals(typesize > 1 ? 0x31 : 0x30, frame[2] & 0xff);
            assertArrayEquals(u2, Blosc.decode(frame, frame.length, u2.length, "ours"));
        }
        byte[] noise = new byte[1000];
        new java.util.Random(3).nextBytes(noise);
        byte[] frame = ChunkCodec.bloscLz4(noise, 2, 5);
        assertEquals(Blosc.MEMCPYED, frame[2] & Blosc.MEMCPYED);
        assertEquals(1016, frame.length);
        assertArrayEquals(noise, Blosc.decode(frame, frame.length, 1000, "noise"));
        byte[] empty = ChunkCodec.bloscLz4(new byte[0], 2, 5);
        assertArrayEquals(new byte[0], Blosc.decode(empty, empty.length, 0, "empty"));
    }

    @Test
    void shuffleAndUnshuffleAreInverseWithARemainder() {
        byte[] data = new byte[23];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        byte[] shuffled = new byte[23];
        Blosc.shuffle(data, 0, 23, 4, shuffled, 0);
        assertArrayEquals(new byte[] {0, 4, 8, 12, 16, 1, 5, 9, 13, 17, 2, 6, 10, 14, 18, 3, 7, 11, 15, 19, 20, 21, 22}, shuffled);
        byte[] back = new byte[23];
        Blosc.unshuffle(shuffled, 23, 4, back, 0);
        assertArrayEquals(data, back);
        assertEquals(23, Arrays.copyOf(back, 23).length);
    }
}
