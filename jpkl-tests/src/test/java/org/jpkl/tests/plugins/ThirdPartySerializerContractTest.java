package org.jpkl.tests.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.testing.AbstractContainerSerializerTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serializer contract (the api test-jar's {@link AbstractContainerSerializerTest}) run on the
 * third-party serializer as its author would: built separately with its codec, loaded through a
 * fresh {@link URLClassLoader}.
 */
class ThirdPartySerializerContractTest extends AbstractContainerSerializerTest {
    @TempDir
    static Path jars;

    private static URLClassLoader loader;

    @BeforeAll
    static void buildThePluginJars() throws IOException {
        loader = PluginJars.loader(PluginJars.build("textraw-serializer", jars), PluginJars.build("rle-codec", jars));
    }

    @AfterAll
    static void closeTheLoader() throws IOException {
        loader.close();
    }

    @Override
    protected ContainerSerializer serializer() {
        try {
            return loader.loadClass("com.example.textraw.TextRawSerializer").asSubclass(ContainerSerializer.class).getConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the plugin jar has no usable com.example.textraw.TextRawSerializer", e);
        }
    }

    @Override
    protected String codecId() {
        return "example-rle";
    }

    @Override
    protected Map<String, String> codecParams() {
        return Map.of("min-run", "2");
    }

    @Override
    protected String missingSliceMessage() {
        return "slice (0, 1) was never written";
    }

    @Test
    void theSerializerUnderTestComesFromThePluginJar() {
        assertSame(loader, serializer().getClass().getClassLoader());
        assertEquals("example-textraw", serializer().id());
    }
}
