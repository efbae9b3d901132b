package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jpkl.api.spi.ProviderOptions;
import org.junit.jupiter.api.Test;

/**
 * Provider options on the command line: {@code --codec-option KEY=VALUE}, and the system properties
 * {@code -Djpkl.jpeg.backend} and {@code -Djpkl.jpeg.turbojpeg.library} honoured as their defaults.
 */
class CodecOptionsTest {
    private static final String MISSING_TURBO = "; NOT AVAILABLE here: backend turbojpeg was requested, but TurboJPEG is unavailable:"
            + " the TurboJPEG library 'nonexistent-lib' "; // then why: not found, or (in a JVM that loaded the real one already) JNA binds one

    private static boolean jpegUnavailable(Cli.Result r) {
        return r.outText().lines().anyMatch(l -> l.strip().startsWith("jpeg ") && l.contains(MISSING_TURBO));
    }

    private static String jpegLine(Cli.Result r) {
        return r.outText().lines().filter(l -> l.strip().startsWith("jpeg ")).findFirst().orElse(r.toString());
    }

    @Test
    void codecOptionsReachTheCodec() {
        Cli.Result r = ok(Cli.run("codecs", "--codec-option", "jpeg.backend=turbojpeg",
                "--codec-option", "jpeg.turbojpeg.library=nonexistent-lib"));
        assertTrue(jpegUnavailable(r), jpegLine(r));
        r = ok(Cli.run("-v", "--codec-option", "jpeg.backend=imageio", "codecs"));
        assertFalse(jpegLine(r).contains("NOT AVAILABLE"), jpegLine(r));
        assertTrue(r.err().contains("codec options: {jpeg.backend=imageio}"), r.toString());
    }

    @Test
    void theSystemPropertiesStayDefaultsOfTheCommandLine() {
        String backend = System.getProperty("jpkl.jpeg.backend");
        String library = System.getProperty("jpkl.jpeg.turbojpeg.library");
        System.setProperty("jpkl.jpeg.backend", "turbojpeg");
        System.setProperty("jpkl.jpeg.turbojpeg.library", "nonexistent-lib");
        try {
            Cli.Result byProperty = ok(Cli.run("codecs"));
            assertTrue(jpegUnavailable(byProperty), "the properties reach the codec: " + jpegLine(byProperty));
            Cli.Result r = ok(Cli.run("codecs", "--codec-option", "jpeg.backend=imageio"));
            assertFalse(jpegLine(r).contains("NOT AVAILABLE"), "--codec-option replaces the property's value: " + jpegLine(r));
            System.setProperty("jpkl.jpeg.backend", "fastest");
            fails(Cli.run("codecs"), 2, "jpkl codecs: codec options {jpeg.backend=fastest, jpeg.turbojpeg.library=nonexistent-lib}:"
                    + " provider option jpeg.backend ('fastest') must be one of [auto, turbojpeg, imageio]");
        } finally {
            restore("jpkl.jpeg.backend", backend);
            restore("jpkl.jpeg.turbojpeg.library", library);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheKey() {
        fails(Cli.run("codecs", "--codec-option", "jpeg.bakend=imageio"), 2,
                "jpkl codecs: codec options {jpeg.bakend=imageio}: provider option 'jpeg.bakend' is not known;"
                        + " codec 'jpeg' takes [jpeg.backend, jpeg.turbojpeg.library]");
        fails(Cli.run("codecs", "--codec-option", "backend=imageio"), 2,
                "jpkl codecs: --codec-option backend=imageio: provider option key 'backend' is not valid: use NAMESPACE.NAME");
    }

    @Test
    void propertiesAreTranslatedAndOptionsWin() {
        Map<String, String> props = Map.of("jpkl.jpeg.backend", "imageio", "jpkl.jpeg.turbojpeg.library", " ", "other", "x");
        assertEquals(ProviderOptions.of(Map.of("jpeg.backend", "imageio")), JpklCommand.providerOptions(props::get, Map.of()),
                "blank properties are absent");
        assertEquals(ProviderOptions.of(Map.of("jpeg.backend", "auto")),
                JpklCommand.providerOptions(props::get, Map.of("jpeg.backend", "auto")));
    }
}
