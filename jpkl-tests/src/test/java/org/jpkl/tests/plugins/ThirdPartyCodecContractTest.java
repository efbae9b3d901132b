package org.jpkl.tests.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.testing.AbstractSliceCodecTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codec contract (the api test-jar's {@link AbstractSliceCodecTest}) run on the third-party
 * codec as its author would: built separately, loaded through a fresh {@link URLClassLoader}.
 */
class ThirdPartyCodecContractTest extends AbstractSliceCodecTest {
    @TempDir
    static Path jars;

    private static URLClassLoader loader;

    @BeforeAll
    static void buildThePluginJar() throws IOException {
        loader = PluginJars.loader(PluginJars.build("rle-codec", jars));
    }

    @AfterAll
    static void closeTheLoader() throws IOException {
        loader.close();
    }

    @Override
    protected SliceCodec codec() {
        try {
            return loader.loadClass("com.example.rle.RleCodec").asSubclass(SliceCodec.class).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the plugin jar has no usable com.example.rle.RleCodec", e);
        }
    }

    @Override
    protected Map<String, String> sampleParams() {
        return Map.of("min-run", "2");
    }

    @Override
    protected double maxAbsError(DType dtype, ChannelLayout channels) {
        return 0;
    }

    @Override
    protected Map<String, String> invalidParams() {
        return Map.of("min-run", "130");
    }

    @Override
    protected String invalidParamsMessage() {
        return "codec 'example-rle': min-run (130) must be an integer in [2, 129]";
    }

    @Test
    void theCodecUnderTestComesFromThePluginJar() {
        assertSame(loader, codec().getClass().getClassLoader());
        assertEquals("example-rle", codec().id());
    }
}
