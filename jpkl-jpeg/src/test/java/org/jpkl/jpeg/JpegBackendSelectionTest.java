package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a {@link JpegCodec} chooses its backend: on first use, from its constructor argument or the
 * system property {@value JpegCodec#BACKEND_PROPERTY}, logging the choice once. Runs whether or not
 * libturbojpeg is installed (the missing-library paths are {@link JpegTurboJpegMissingTest}'s).
 */
class JpegBackendSelectionTest {
    private static final PlaneSpec SPEC = new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY);
    private final String saved = System.getProperty(JpegCodec.BACKEND_PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (saved == null) {
            System.clearProperty(JpegCodec.BACKEND_PROPERTY);
        } else {
            System.setProperty(JpegCodec.BACKEND_PROPERTY, saved);
        }
    }

    private static boolean turboInstalled() {
        return TurboJpeg.unavailableReason().isEmpty();
    }

    @Test
    void theNoArgCodecReadsThePropertyOnFirstUseNotInItsConstructor() {
        System.clearProperty(JpegCodec.BACKEND_PROPERTY);
        JpegCodec codec = new JpegCodec();
        assertEquals("JpegCodec[jpeg, backend=property jpkl.jpeg.backend]", codec.toString(), "nothing chosen yet");
        System.setProperty(JpegCodec.BACKEND_PROPERTY, " ImageIO ");
        assertEquals(JpegBackend.IMAGEIO, codec.backend(), "the property set after construction counts");
        assertEquals("JpegCodec[jpeg, backend=imageio]", codec.toString());
        System.setProperty(JpegCodec.BACKEND_PROPERTY, "turbojpeg");
        assertEquals(JpegBackend.IMAGEIO, codec.backend(), "chosen once per instance");
        assertTrue(codec.implementation().startsWith("javax.imageio reader "), codec.implementation());
        assertFalse(codec.implementation().contains("TurboJPEG"), "imageio was asked for; no fallback note: " + codec.implementation());

        JpegCodec forcedTurbo = new JpegCodec();
        assertEquals(JpegBackend.TURBOJPEG, forcedTurbo.backend());
        assertEquals(turboInstalled(), forcedTurbo.availability().isAvailable(), forcedTurbo.availability().toString());

        System.setProperty(JpegCodec.BACKEND_PROPERTY, "auto");
        assertEquals(turboInstalled() ? JpegBackend.TURBOJPEG : JpegBackend.IMAGEIO, new JpegCodec().backend());
    }

    @Test
    void anExplicitBackendIgnoresTheProperty() {
        System.setProperty(JpegCodec.BACKEND_PROPERTY, "turbojpeg");
        JpegCodec codec = new JpegCodec(JpegBackend.IMAGEIO);
        assertEquals("JpegCodec[jpeg, backend=imageio]", codec.toString());
        assertEquals(JpegBackend.IMAGEIO, codec.backend());
        assertTrue(codec.availability().isAvailable());
        System.setProperty(JpegCodec.BACKEND_PROPERTY, "imageio");
        assertEquals(turboInstalled() ? JpegBackend.TURBOJPEG : JpegBackend.IMAGEIO, new JpegCodec(JpegBackend.AUTO).backend());
        assertThrows(NullPointerException.class, () -> new JpegCodec(null));
    }

    @Test
    void anInvalidPropertyMakesTheCodecUnavailableNamingIt() {
        System.setProperty(JpegCodec.BACKEND_PROPERTY, "fastest");
        JpegCodec codec = new JpegCodec();
        String expected = "system property jpkl.jpeg.backend ('fastest') must be one of [auto, turbojpeg, imageio]";
        assertEquals(expected, codec.availability().reason().orElse(""));
        assertEquals(JpegBackend.AUTO, codec.backend());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.newEncoder(codec.params(Map.of()), SPEC));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> codec.newDecoder(codec.params(Map.of()), SPEC));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        // Parameters need no backend.
        assertEquals("90", codec.params(Map.of()).toMap().get("quality"));
    }

    @Test
    void backendParsingNamesTheAllowedValues() {
        assertEquals(JpegBackend.TURBOJPEG, JpegBackend.parse(" TurboJPEG"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JpegBackend.parse("turbo"));
        assertEquals("JPEG backend ('turbo') must be one of [auto, turbojpeg, imageio]", e.getMessage());
    }

    @Test
    void discoveryChoosesNothingAndFirstUseLogsTheChoiceOnce() {
        System.clearProperty(JpegCodec.BACKEND_PROPERTY);
        try (CodecLog log = new CodecLog()) {
            SliceCodec discovered = SliceCodecs.load(JpegCodec.class.getClassLoader()).require(JpegCodec.ID);
            assertEquals("JpegCodec[jpeg, backend=property jpkl.jpeg.backend]", discovered.toString());
            assertEquals(List.of(), log.lines(), "discovery logs nothing: it chooses nothing");
            JpegCodec codec = (JpegCodec) discovered;
            codec.availability();
            codec.implementation();
            codec.newDecoder(codec.params(Map.of()), SPEC).close();
            codec.newEncoder(codec.params(Map.of()), SPEC).close();
            assertEquals(1, log.lines().size(), "one line per instance: " + log.lines());
            assertEquals(Level.INFO, log.levels().get(0));
            String line = log.lines().get(0);
            System.out.println("logged: " + line);
            assertTrue(line.startsWith("codec 'jpeg' (backend auto, system property jpkl.jpeg.backend unset) uses "
                    + codec.backend().text() + ": " + codec.implementation()), line);
        }
    }
}
