package org.jpkl.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.TestPlanes;
import org.jpkl.deflate.testing.AbstractFilteredCodecTest;
import org.jpkl.deflate.pipeline.PlaneHeader;
import org.junit.jupiter.api.Test;

/** The {@code deflate} codec: the contract, the filters, and zlib stream checks. */
class DeflateCodecTest extends AbstractFilteredCodecTest {
    @Override
    protected SliceCodec codec() {
        return new DeflateCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("level", "6", "filter", "delta");
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("level", "10");
    }

    @Override
    protected String invalidParamsMessage() {
        return "level (10) must be an integer in [0, 9]";
    }

    @Override
    protected byte[] bombPayload(int decompressedBytes) {
        return zlib(new byte[decompressedBytes], 9);
    }

    private static byte[] zlib(byte[] data, int level) {
        Deflater deflater = new Deflater(level);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    @Test
    void defaultsAreLevelOneAndShuffle() {
        assertEquals(Map.of("level", "1", "filter", "shuffle"), codec().params(Map.of()).toMap());
        assertEquals(codec().params(Map.of("level", "1", "filter", "SHUFFLE")), codec().params(Map.of()));
    }

    @Test
    void everyLevelRoundTripsAndOutOfRangeLevelsAreRejected() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 20, 20, ChannelLayout.GREY);
        PlaneBuffer plane = hardPlane(spec, 4);
        for (int level = 0; level <= 9; level++) {
            roundTrip(codec().params(Map.of("level", Integer.toString(level))), plane);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec().params(Map.of("level", "-1")));
        assertEquals("codec 'deflate': level (-1) must be an integer in [0, 9]", e.getMessage());
    }

    @Test
    void streamThatEndsEarlyIsRefused() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        CodecParams params = codec().params(Map.of("filter", "none"));
        byte[] valid = encode(params, TestPlanes.smooth(spec, 1, false, false));
        byte[] shortStream = zlib(new byte[255], 6); // a complete, valid stream one byte short of the plane
        byte[] bad = Arrays.copyOf(valid, PlaneHeader.SIZE + shortStream.length);
        System.arraycopy(shortStream, 0, bad, PlaneHeader.SIZE, shortStream.length);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(params, spec, bad));
        assertTrue(e.getMessage().contains("ended after 255 of the plane's 256 bytes"), e.getMessage());
        byte[] longStream = zlib(new byte[257], 6);
        byte[] bad2 = Arrays.copyOf(valid, PlaneHeader.SIZE + longStream.length);
        System.arraycopy(longStream, 0, bad2, PlaneHeader.SIZE, longStream.length);
        e = assertThrows(JpklFormatException.class, () -> decode(params, spec, bad2));
        assertTrue(e.getMessage().contains("more than the plane's 256 bytes"), e.getMessage());
    }
}
