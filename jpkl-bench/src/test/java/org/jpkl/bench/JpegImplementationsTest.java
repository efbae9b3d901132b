package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JpegImplementationsTest {
    @Test
    void theImageIoImplementationComesFirstAndIsNotTakenForTurbo() {
        List<JpegImplementations.Impl> found = JpegImplementations.find(getClass().getClassLoader(), Map.of("quality", "90"));
        assertTrue(found.size() == 1 || found.size() == 2, found.toString());
        JpegImplementations.Impl imageIo = found.get(0);
        assertTrue(imageIo.available(), imageIo.toString());
        assertFalse(imageIo.turbo, imageIo.toString());
        assertNotNull(imageIo.reported, "codec jpeg reports its implementation");
        assertTrue(imageIo.reported.contains("JPEGImageReader"), imageIo.reported);
        if (found.size() == 2) {
            JpegImplementations.Impl turbo = found.get(1);
            assertTrue(turbo.turbo, found.toString());
            if (!turbo.available()) {
                // Without libturbojpeg (a machine with only a JDK and Maven) the turbo row stays, unavailable, with the reason.
                assertTrue(turbo.unavailable.contains("TurboJPEG"), turbo.unavailable);
            }
        }
        assertEquals("JpegCodec[jpeg, backend=imageio]", imageIo.codec.toString(), "a registry of its own, configured by option");
        if (found.size() == 2) {
            assertEquals("JpegCodec[jpeg, backend=turbojpeg]", found.get(1).codec.toString());
        }
        assertNull(System.getProperty("jpkl.jpeg.backend"), "no system property is set");
    }

    @Test
    void anInstanceAskedForTurboIsTheTurboRowUnlessItRunsOnImageIo() {
        assertTrue(JpegImplementations.isTurbo("turbojpeg", "unavailable: backend turbojpeg was requested, but TurboJPEG is unavailable"));
        assertTrue(JpegImplementations.isTurbo("turbojpeg", null));
        assertTrue(JpegImplementations.isTurbo("imageio", "libjpeg-turbo TurboJPEG via JNA 5.18.1 (/usr/lib/libturbojpeg.so.0)"));
        assertFalse(JpegImplementations.isTurbo("turbojpeg", "javax.imageio reader com.sun.imageio.plugins.jpeg.JPEGImageReader"));
        assertFalse(JpegImplementations.isTurbo("imageio", "unavailable: something"));
    }

    @Test
    void turboIsRecognisedFromTheReportedImplementation() {
        assertTrue(JpegImplementations.mentionsTurbo("libjpeg-turbo TurboJPEG via JNA 5.18.1 (/usr/lib/libturbojpeg.so.0.2.0)"));
        assertTrue(JpegImplementations.mentionsTurbo("TurboJPEG unavailable: libturbojpeg.so.0 not found"));
        assertFalse(JpegImplementations.mentionsTurbo("javax.imageio reader com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader"
                + " (TwelveMonkeys 3.14.0); TurboJPEG unavailable: not found"));
        assertFalse(JpegImplementations.mentionsTurbo("reader com.sun.imageio.plugins.jpeg.JPEGImageReader"));
        assertFalse(JpegImplementations.mentionsTurbo(null));
    }
}
