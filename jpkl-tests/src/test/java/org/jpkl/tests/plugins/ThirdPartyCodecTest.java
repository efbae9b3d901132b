package org.jpkl.tests.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.MissingProviderException;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A codec shipped by a third party as its own jar ({@code com.example.rle.RleCodec}, id
 * {@code example-rle}), picked by id at run time: files written with it need it to be read, the
 * error without it names it, and a new {@link Jpkl} over a class loader with the jar reads them.
 */
class ThirdPartyCodecTest {
    private static final String ID = "example-rle";

    @TempDir
    static Path jars;

    private static URLClassLoader withJar;
    private static final ClassLoader WITHOUT_JAR = ThirdPartyCodecTest.class.getClassLoader();

    @TempDir
    Path dir;

    @BeforeAll
    static void buildThePluginJar() throws IOException {
        withJar = PluginJars.loader(PluginJars.build("rle-codec", jars));
    }

    @AfterAll
    static void closeTheLoader() throws IOException {
        withJar.close();
    }

    /** A label image stack (z, y, x): background 0 and a few rectangles per plane, so runs are long. */
    static NdArray labels(int planes, int h, int w) {
        return NdArray.generate(DType.UINT16, new int[] {planes, h, w}, flat -> {
            int z = (int) (flat / ((long) h * w));
            int y = (int) (flat / w % h);
            int x = (int) (flat % w);
            for (int cell = 1; cell <= 5; cell++) {
                int x0 = (cell * 23 + z * 3) % (w - 12);
                int y0 = (cell * 17 + z * 2) % (h - 10);
                if (x >= x0 && x < x0 + 12 && y >= y0 && y < y0 + 10) {
                    return 1000 * cell + z;
                }
            }
            return 0;
        });
    }

    @Test
    void thePluginIsNotOnTheTestClassPathOnlyInItsJar() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.rle.RleCodec", false, WITHOUT_JAR));
        assertFalse(Jpkl.create(WITHOUT_JAR).codecs().ids().contains(ID), "the test class path has no example-rle");
        SliceCodec codec = Jpkl.create(withJar).codecs().require(ID);
        assertSame(withJar, codec.getClass().getClassLoader());
        assertEquals("com.example.rle.RleCodec", codec.getClass().getName());
        assertTrue(codec.capabilities().lossless());
        assertEquals(Map.of("min-run", "3"), codec.params(Map.of()).toMap());
    }

    @Test
    void writtenWithTheJarRefusedWithoutItNamingTheCodecReadableWithIt() throws IOException {
        NdArray stack = labels(4, 48, 64);
        Path file = dir.resolve("labels.jpkl");
        Jpkl plugged = Jpkl.create(withJar);
        plugged.save(stack, file, WriteOptions.builder().codec(ID).param("min-run", 4).layout(PlaneLayout.of(1, 2))
                .axisNames("z", "y", "x").build());
        assertTrue(Files.size(file) * 10 < stack.byteSize(), "runs compress labels well: " + Files.size(file));

        Jpkl plain = Jpkl.create(WITHOUT_JAR);
        MissingProviderException missing = assertThrows(MissingProviderException.class, () -> plain.open(file));
        assertEquals(ID, missing.providerId());
        assertEquals(plain.codecs().ids(), missing.availableIds());
        String message = missing.getMessage();
        assertTrue(message.contains(file.toString()) && message.contains("needs codec 'example-rle'")
                && message.contains("available: " + plain.codecs().ids()) && message.contains("Jpkl.create(classLoader)"), message);

        try (JpklArray stored = Jpkl.create(withJar).open(file)) {
            assertEquals(ID, stored.codecId());
            assertEquals(Map.of("min-run", "4"), stored.codecParams());
            assertEquals(stack, stored.get("..."), "lossless: every value back");
            assertEquals(stack.get("2, 10:30, ::3"), stored.get("2, 10:30, ::3"));
            assertTrue(stored.verify().isIntact(), "every slice decodes");
        }
    }

    @Test
    void writingWithAnAbsentCodecFailsNamingItAndTheAvailableOnes() {
        Jpkl plain = Jpkl.create(WITHOUT_JAR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.save(labels(1, 16, 16), dir.resolve("x.jpkl"), WriteOptions.builder().codec(ID).build()));
        assertTrue(e.getMessage().contains("No SliceCodec with id 'example-rle'; available: " + plain.codecs().ids()), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.jpkl")));
    }

    @Test
    void eachClassLoaderGetsItsOwnSnapshotAndNothingIsCachedStatically() throws IOException {
        Jpkl before = Jpkl.create(WITHOUT_JAR);
        Jpkl with = Jpkl.create(withJar);
        Jpkl after = Jpkl.create(WITHOUT_JAR);
        assertTrue(with.codecs().ids().contains(ID));
        assertFalse(before.codecs().ids().contains(ID));
        assertFalse(after.codecs().ids().contains(ID), "loading through the plugin loader left nothing behind");
        assertFalse(SliceCodecs.load(WITHOUT_JAR).ids().contains(ID));
        try (URLClassLoader second = PluginJars.loader(PluginJars.codeLocation(with.codecs().require(ID).getClass()))) {
            SliceCodec again = Jpkl.create(second).codecs().require(ID);
            assertNotSame(with.codecs().require(ID).getClass(), again.getClass(), "a new loader gives new classes, not a cached instance");
        }
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(withJar);
        try {
            assertTrue(Jpkl.create().codecs().ids().contains(ID), "Jpkl.create() scans the context class loader");
        } finally {
            thread.setContextClassLoader(context);
        }
        assertEquals(before.codecs().ids(), Jpkl.create(WITHOUT_JAR).codecs().ids());
    }
}
