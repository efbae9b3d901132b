package org.jpkl.lz4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Factory;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.TestPlanes;
import org.jpkl.deflate.PlaneFilter;
import org.jpkl.deflate.pipeline.PlaneHeader;
import org.jpkl.deflate.testing.AbstractFilteredCodecTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code lz4} codec: the contract, the filters, block checks, levels and both lz4-java backends. */
class Lz4CodecTest extends AbstractFilteredCodecTest {
    @BeforeAll
    static void lz4JavaLoads() {
        assertTrue(new Lz4Codec().availability().isAvailable(), new Lz4Codec().availability().toString());
        System.out.println("lz4 backend: " + Lz4Library.BACKEND);
    }

    @Override
    protected SliceCodec codec() {
        return new Lz4Codec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("level", "9", "filter", "bitshuffle");
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("level", "18");
    }

    @Override
    protected String invalidParamsMessage() {
        return "level (18) must be an integer in [1, 17]";
    }

    @Override
    protected boolean entropyCoded() {
        return false;
    }

    /** A valid checksum and length around one LZ4 block of zeros that decompresses to the given size. */
    @Override
    protected byte[] bombPayload(int decompressedBytes) {
        byte[] zeros = new byte[decompressedBytes];
        byte[] block = LZ4Factory.safeInstance().fastCompressor().compress(zeros);
        CRC32C crc = new CRC32C();
        crc.update(zeros);
        return ByteBuffer.allocate(8 + block.length).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).putInt(block.length)
                .put(block).array();
    }

    @Test
    void defaultsAndLevels() throws Exception {
        assertEquals(Map.of("level", "1", "filter", "shuffle"), codec().params(Map.of()).toMap());
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 9, 7, ChannelLayout.RGB);
        PlaneBuffer plane = hardPlane(spec, 8);
        for (int level : new int[] {1, 2, 9, 17}) {
            roundTrip(codec().params(Map.of("level", Integer.toString(level), "filter", "bitshuffle")), plane);
        }
        assertEquals("codec 'lz4': level (0) must be an integer in [1, 17]",
                assertThrows(IllegalArgumentException.class, () -> codec().params(Map.of("level", "0"))).getMessage());
        PlaneBuffer camera = cameraPlane(256, 5);
        int fast = roundTrip(params(PlaneFilter.SHUFFLE), camera).length;
        int high = roundTrip(codec().params(Map.of("level", "9")), camera).length;
        assertTrue(high < fast, "HC " + high + " vs fast " + fast);
    }

    /** What the JNI backend writes the pure-Java one reads, and back: the fallback changes no file. */
    @Test
    void jniAndPureJavaBlocksAreInterchangeable() throws Exception {
        byte[] data = new byte[1 << 16];
        PlaneBuffer camera = cameraPlane(128, 2);
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(camera.shorts(), 0, 128 * 128);
        LZ4Factory java = LZ4Factory.safeInstance();
        LZ4Factory fastest = LZ4Factory.fastestInstance();
        for (LZ4Factory[] pair : new LZ4Factory[][] {{java, fastest}, {fastest, java}}) {
            byte[] block = pair[0].fastCompressor().compress(data);
            byte[] back = new byte[data.length];
            assertEquals(data.length, pair[1].safeDecompressor().decompress(block, 0, block.length, back, 0, back.length));
            assertTrue(Arrays.equals(data, back), pair[0] + " -> " + pair[1]);
        }
    }

    @Test
    void everyTruncationAndEveryBitFlipIsRefused() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 6, 5, ChannelLayout.GREY);
        CodecParams params = params(PlaneFilter.BITSHUFFLE);
        byte[] encoded = encode(params, TestPlanes.smooth(spec, 4, false, false));
        for (int n = 0; n < encoded.length; n++) {
            byte[] cut = Arrays.copyOf(encoded, n);
            assertThrows(JpklFormatException.class, () -> decode(params, spec, cut), "truncated to " + n);
        }
        // A flip is refused, or it hit a bit the LZ4 block format ignores (the match length of the last,
        // literals-only sequence) and the plane decodes exactly: never a different plane.
        PlaneBuffer original = decode(params, spec, encoded);
        int ignored = 0;
        for (int bit = 0; bit < encoded.length * 8; bit++) {
            byte[] bad = encoded.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                PlaneBuffer decoded = decode(params, spec, bad);
                assertTrue(rawBitsEqual(original, decoded), "bit " + bit + " flipped decodes to another plane");
                assertTrue(bit / 8 >= PlaneHeader.SIZE + 8, "bit " + bit + " of the header or prefix flipped unnoticed");
                ignored++;
            } catch (JpklFormatException expected) {
                // refused
            }
        }
        assertTrue(ignored <= 4, ignored + " flipped bits went unnoticed");
        byte[] cut = Arrays.copyOf(encoded, encoded.length - 1);
        int block = encoded.length - PlaneHeader.SIZE - 8;
        assertEquals("lz4: slice data: the data is truncated: the LZ4 block has " + block + " bytes, " + (block - 1) + " are stored",
                assertThrows(JpklFormatException.class, () -> decode(params, spec, cut)).getMessage());
        byte[] trailing = Arrays.copyOf(encoded, encoded.length + 2);
        assertEquals("lz4: slice data: 2 bytes of trailing data follow the LZ4 block",
                assertThrows(JpklFormatException.class, () -> decode(params, spec, trailing)).getMessage());
    }

    /**
     * Loads the codec in a class loader that has this module's, jpkl-deflate's and the API's classes
     * but not lz4-java: discovery, parameters and capabilities work, availability says what is
     * missing, and the factories refuse with that reason.
     */
    @Test
    void withoutLz4JavaTheCodecLoadsAndReportsItselfUnavailable() throws Exception {
        URL module = Lz4Codec.class.getProtectionDomain().getCodeSource().getLocation();
        URL api = SliceCodec.class.getProtectionDomain().getCodeSource().getLocation();
        URL deflate = PlaneFilter.class.getProtectionDomain().getCodeSource().getLocation();
        URL lz4Java = LZ4Factory.class.getProtectionDomain().getCodeSource().getLocation();
        assertFalse(module.equals(lz4Java) || api.equals(lz4Java) || deflate.equals(lz4Java));
        // Parent: the bootstrap loader, so that the test JVM's lz4-java is not seen (see ZstdCodecTest).
        try (URLClassLoader loader = new URLClassLoader(new URL[] {module, deflate, api}, null)) {
            Class<?> type = Class.forName(Lz4Codec.class.getName(), true, loader);
            Object codec = type.getConstructor().newInstance();
            assertEquals("lz4", type.getMethod("id").invoke(codec));
            Object params = type.getMethod("params", Map.class).invoke(codec, Map.of("level", "5"));
            assertEquals(Map.of("level", "5", "filter", "shuffle"), params.getClass().getMethod("toMap").invoke(params));
            String text = type.getMethod("availability").invoke(codec).toString();
            assertTrue(text.startsWith("unavailable: lz4-java is not on the class path or cannot load"), text);
            Class<?> specType = Class.forName(PlaneSpec.class.getName(), true, loader);
            Class<?> dtypeType = Class.forName(DType.class.getName(), true, loader);
            Class<?> layoutType = Class.forName(ChannelLayout.class.getName(), true, loader);
            Object spec = specType.getConstructor(dtypeType, int.class, int.class, layoutType).newInstance(
                    dtypeType.getField("UINT8").get(null), 4, 4, layoutType.getField("GREY").get(null));
            Class<?> paramsType = Class.forName(CodecParams.class.getName(), true, loader);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> type.getMethod("newDecoder", paramsType, specType).invoke(codec, params, spec));
            assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("lz4-java"),
                    String.valueOf(e.getCause()));
        }
    }
}
