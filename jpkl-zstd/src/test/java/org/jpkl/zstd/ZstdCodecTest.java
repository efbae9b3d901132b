package org.jpkl.zstd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.testing.TestPlanes;
import org.jpkl.deflate.DeflateCodec;
import org.jpkl.deflate.PlaneFilter;
import org.jpkl.deflate.testing.AbstractFilteredCodecTest;
import org.jpkl.deflate.pipeline.PlaneHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code zstd} codec: the contract, the filters, frame checks and lazy native loading. */
class ZstdCodecTest extends AbstractFilteredCodecTest {
    @BeforeAll
    static void nativeLibraryLoads() {
        // On the build machines zstd-jni ships a native library; a failure here says why.
        assertTrue(new ZstdCodec().availability().isAvailable(), new ZstdCodec().availability().toString());
    }

    @Override
    protected SliceCodec codec() {
        return new ZstdCodec();
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("level", "3", "filter", "delta");
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("level", "23");
    }

    @Override
    protected String invalidParamsMessage() {
        return "level (23) must be an integer in [-7, 22]";
    }

    /** A frame that declares its (huge) content size. */
    @Override
    protected byte[] bombPayload(int decompressedBytes) {
        return Zstd.compress(new byte[decompressedBytes], 19);
    }

    @Test
    void frameThatHidesItsSizeIsStillBoundedByThePlane() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        CodecParams params = params(PlaneFilter.NONE);
        byte[] valid = encode(params, TestPlanes.smooth(spec, 1, false, false));
        byte[] payload;
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(19);
            ctx.setContentSize(false);
            payload = ctx.compress(new byte[32 << 20]);
        }
        assertEquals(-1, Zstd.getFrameContentSize(payload), "the frame must not declare its size for this test");
        byte[] bomb = Arrays.copyOf(valid, PlaneHeader.SIZE + payload.length);
        System.arraycopy(payload, 0, bomb, PlaneHeader.SIZE, payload.length);
        assertRefusedCheaply(params, spec, bomb);
    }

    @Test
    void secondFrameIsTrailingData() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 16, 16, ChannelLayout.GREY);
        CodecParams params = params(PlaneFilter.NONE);
        byte[] valid = encode(params, TestPlanes.smooth(spec, 1, false, false));
        byte[] extra = Zstd.compress(new byte[10], 1);
        byte[] bad = Arrays.copyOf(valid, valid.length + extra.length);
        System.arraycopy(extra, 0, bad, valid.length, extra.length);
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> decode(params, spec, bad));
        assertTrue(e.getMessage().contains(extra.length + " bytes of trailing data"), e.getMessage());
    }

    @Test
    void defaultsAndLevelRange() throws Exception {
        assertEquals(Map.of("level", "1", "filter", "shuffle"), codec().params(Map.of()).toMap());
        PlaneSpec spec = new PlaneSpec(DType.FLOAT64, 9, 7, ChannelLayout.RGB);
        PlaneBuffer plane = hardPlane(spec, 8);
        for (int level : new int[] {-7, -1, 0, 1, 3, 19, 22}) {
            roundTrip(codec().params(Map.of("level", Integer.toString(level), "filter", "delta")), plane);
        }
        assertEquals("codec 'zstd': level (-8) must be an integer in [-7, 22]",
                assertThrows(IllegalArgumentException.class, () -> codec().params(Map.of("level", "-8"))).getMessage());
    }

    /**
     * Loads the codec in a class loader that has this module's, jpkl-deflate's and the API's classes but not
     * zstd-jni: discovery, parameters and capabilities work, availability says what is missing, and
     * the factories refuse with that reason.
     */
    @Test
    void withoutZstdJniTheCodecLoadsAndReportsItselfUnavailable() throws Exception {
        URL module = ZstdCodec.class.getProtectionDomain().getCodeSource().getLocation();
        URL api = SliceCodec.class.getProtectionDomain().getCodeSource().getLocation();
        URL deflate = PlaneFilter.class.getProtectionDomain().getCodeSource().getLocation();
        URL zstdJni = Zstd.class.getProtectionDomain().getCodeSource().getLocation();
        assertFalse(module.equals(zstdJni) || api.equals(zstdJni) || deflate.equals(zstdJni));
        // Parent: the bootstrap loader. The platform loader would not do when the tests run on the module path:
        // the JDK's built-in loaders hand a class of a boot-layer module's package (org.jpkl.*, com.github.luben.*)
        // to that module's loader, so the codec would see the test JVM's zstd-jni.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {module, deflate, api}, null)) {
            Class<?> type = Class.forName(ZstdCodec.class.getName(), true, loader);
            Object codec = type.getConstructor().newInstance();
            assertEquals("zstd", type.getMethod("id").invoke(codec));
            Object params = type.getMethod("params", Map.class).invoke(codec, Map.of("level", "5"));
            assertEquals(Map.of("level", "5", "filter", "shuffle"), params.getClass().getMethod("toMap").invoke(params));
            Object availability = type.getMethod("availability").invoke(codec);
            String text = availability.toString();
            assertTrue(text.startsWith("unavailable") && text.contains("zstd-jni is not on the class path"), text);
            Class<?> specType = Class.forName(PlaneSpec.class.getName(), true, loader);
            Class<?> dtypeType = Class.forName(DType.class.getName(), true, loader);
            Class<?> layoutType = Class.forName(ChannelLayout.class.getName(), true, loader);
            Object spec = specType.getConstructor(dtypeType, int.class, int.class, layoutType).newInstance(
                    dtypeType.getField("UINT8").get(null), 4, 4, layoutType.getField("GREY").get(null));
            Class<?> paramsType = Class.forName(CodecParams.class.getName(), true, loader);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> type.getMethod("newEncoder", paramsType, specType).invoke(codec, params, spec));
            assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("zstd-jni"),
                    String.valueOf(e.getCause()));
        }
    }

    @Test
    void zstdStreamIsNotTakenForDeflate() throws Exception {
        PlaneSpec spec = new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY);
        byte[] encoded = encode(codec().params(Map.of()), TestPlanes.smooth(spec, 1, false, false));
        DeflateCodec deflate = new DeflateCodec();
        JpklFormatException e = assertThrows(JpklFormatException.class, () -> {
            try (SliceDecoder decoder = deflate.newDecoder(deflate.params(Map.of()), spec)) {
                decoder.decode(ByteBuffer.wrap(encoded), PlaneBuffer.allocate(spec));
            }
        });
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }
}
