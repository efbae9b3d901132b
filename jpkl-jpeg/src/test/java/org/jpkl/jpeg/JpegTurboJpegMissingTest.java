package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.ErrorMetrics;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What happens when libturbojpeg cannot be loaded. Runs in its own JVM (the surefire execution
 * {@code turbojpeg-missing} in this module's pom, marked by {@code -Djpkl.test.turbojpeg-missing=true}),
 * so that no other test has bound TurboJPEG before; its codecs get the provider option
 * {@code jpeg.turbojpeg.library=nonexistent-lib}, so the real loading code fails for real:
 * a requested TurboJPEG backend is unavailable with the reason, {@code auto} falls back to ImageIO and
 * says so (in {@link JpegCodec#implementation()} and one log line), and ImageIO keeps working.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JpegTurboJpegMissingTest {
    private static final String MISSING = "nonexistent-lib";
    private static final String MARK = "jpkl.test.turbojpeg-missing";

    @BeforeAll
    static void onlyInItsOwnJvm() {
        Assumptions.assumeTrue(Boolean.getBoolean(MARK), "runs only in the surefire execution 'turbojpeg-missing' (-D" + MARK + "=true)");
    }

    private static JpegCodec codec(String backend) {
        ProviderOptions.Builder options = ProviderOptions.builder().put(JpegCodec.OPTION_LIBRARY, MISSING);
        if (backend != null) {
            options.put(JpegCodec.OPTION_BACKEND, backend);
        }
        return (JpegCodec) SliceCodecs.load(JpegCodec.class.getClassLoader(), options.build()).require(JpegCodec.ID);
    }

    /**
     * Runs first in this fresh JVM: ServiceLoader discovery, the constructor and {@code params} start no
     * native code (JNA's stub {@code libjnidispatch} is not mapped into the process, per
     * {@code /proc/self/maps}); the first {@code availability()} call does start it (to look for the library).
     */
    @Test
    @Order(1)
    void discoveryStartsNoNativeCodeAndFirstUseDoes() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps");
        JpegCodec codec = codec(null);
        codec.params(Map.of("quality", "80"));
        assertEquals("JpegCodec[jpeg, backend=auto, library=nonexistent-lib]", codec.toString());
        assertFalse(jnaStubMapped(maps), "JNA started during discovery");
        codec.availability();
        assertTrue(jnaStubMapped(maps), "the first use tries to load libturbojpeg through JNA");
    }

    /**
     * Whether JNA's native stub is mapped: {@code libjnidispatch.so}, or the copy JNA unpacks from its
     * jar, {@code .../jna<digits>.tmp} (shown as deleted once loaded).
     */
    private static boolean jnaStubMapped(Path maps) throws IOException {
        return Files.readString(maps).lines().anyMatch(l -> l.contains("jnidispatch") || l.matches(".*/jna[0-9]*\\.tmp( \\(deleted\\))?"));
    }

    @Test
    @Order(2)
    void theLibraryIsReportedMissingWithTheReason() {
        String reason = TurboJpeg.unavailableReason(MISSING).orElseThrow();
        System.out.println("TurboJPEG unavailable: " + reason);
        assertTrue(reason.startsWith("the TurboJPEG library 'nonexistent-lib' (named by provider option jpeg.turbojpeg.library) could not"
                + " be loaded: "), reason);
        assertTrue(reason.endsWith("(Debian/Ubuntu: apt-get install libturbojpeg0)"), reason);
        assertTrue(reason.contains("libnonexistent-lib.so: cannot open shared object file") || !reason.contains("resource path"),
                "the loader's own message, without JNA's class path dump: " + reason);
    }

    @Test
    void aRequestedTurboJpegBackendIsUnavailableAndNeverFallsBack() {
        JpegCodec codec = new JpegCodec(JpegBackend.TURBOJPEG).configure(ProviderOptions.of(Map.of(JpegCodec.OPTION_LIBRARY, MISSING)));
        try (CodecLog log = new CodecLog()) {
            assertFalse(codec.availability().isAvailable());
            String reason = codec.availability().reason().orElseThrow();
            assertTrue(reason.startsWith("backend turbojpeg was requested, but TurboJPEG is unavailable: the TurboJPEG library"
                    + " 'nonexistent-lib'"), reason);
            assertTrue(reason.endsWith("(ImageIO is not used instead; request backend auto or imageio for that)"), reason);
            assertEquals(JpegBackend.TURBOJPEG, codec.backend());
            assertEquals("unavailable: " + reason, codec.implementation());
            PlaneSpec spec = new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.newEncoder(codec.params(Map.of()), spec));
            assertEquals("codec 'jpeg' is unavailable: " + reason, e.getMessage());
            e = assertThrows(IllegalStateException.class, () -> codec.newDecoder(codec.params(Map.of()), spec));
            assertEquals("codec 'jpeg' is unavailable: " + reason, e.getMessage());
            assertEquals(List.of(Level.WARNING), log.levels(), log.lines().toString());
            assertEquals("codec 'jpeg' (backend turbojpeg requested by JpegCodec(JpegBackend.TURBOJPEG)) is unavailable: " + reason,
                    log.lines().get(0));
        }
        JpegCodec byOption = codec("turbojpeg");
        assertEquals(JpegBackend.TURBOJPEG, byOption.backend());
        assertFalse(byOption.availability().isAvailable(), "the option forces TurboJPEG just as the constructor does");
    }

    @Test
    void autoFallsBackToImageIoSaysWhyOnceAndWorks() throws IOException {
        try (CodecLog log = new CodecLog()) {
            SliceCodec discovered = codec(null);
            assertEquals(List.of(), log.lines(), "discovery chooses nothing");
            JpegCodec codec = (JpegCodec) discovered;
            assertTrue(codec.availability().isAvailable());
            assertEquals(JpegBackend.IMAGEIO, codec.backend());
            String implementation = codec.implementation();
            assertTrue(implementation.startsWith("javax.imageio reader com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader"),
                    implementation);
            assertTrue(implementation.contains("; TurboJPEG unavailable: the TurboJPEG library 'nonexistent-lib'"), implementation);

            PlaneBuffer plane = CameraPlanes.uint8(CameraPlanes.rgbCounts(40, 56, 9), 40, 56, ChannelLayout.RGB);
            byte[] bytes;
            try (SliceEncoder e = codec.newEncoder(codec.params(Map.of()), plane.spec())) {
                bytes = e.encode(plane);
            }
            PlaneBuffer out = PlaneBuffer.allocate(plane.spec());
            try (SliceDecoder d = codec.newDecoder(codec.params(Map.of()), plane.spec())) {
                d.decode(ByteBuffer.wrap(bytes), out);
            }
            assertTrue(ErrorMetrics.between(plane, out).psnr(255) > 30);
            JpegCodec imageIo = new JpegCodec(JpegBackend.IMAGEIO);
            try (SliceEncoder e = imageIo.newEncoder(imageIo.params(Map.of()), plane.spec())) {
                assertArrayEquals(e.encode(plane), bytes, "the fallback is the ImageIO backend");
            }

            List<String> autoLines = log.lines().stream().filter(l -> l.contains("(backend auto")).toList();
            assertEquals(1, autoLines.size(), "one line for the auto instance: " + log.lines());
            assertEquals(List.of(Level.INFO, Level.INFO), log.levels(), "and one for the imageio instance: " + log.lines());
            String line = autoLines.get(0);
            System.out.println("logged: " + line);
            assertEquals("codec 'jpeg' (backend auto (default)) uses imageio: " + implementation, line);
        }
    }
}
