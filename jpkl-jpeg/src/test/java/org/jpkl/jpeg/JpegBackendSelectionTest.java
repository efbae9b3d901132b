package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.junit.jupiter.api.Test;

/**
 * How a {@link JpegCodec} chooses its backend: on first use, from its constructor argument or the
 * provider option {@value JpegCodec#OPTION_BACKEND}, logging the choice once. Runs whether or not
 * libturbojpeg is installed (the missing-library paths are {@link JpegTurboJpegMissingTest}'s).
 */
class JpegBackendSelectionTest {
    private static final PlaneSpec SPEC = new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY);
    private static final ClassLoader LOADER = JpegCodec.class.getClassLoader();

    private static boolean turboInstalled() {
        return TurboJpeg.unavailableReason().isEmpty();
    }

    private static JpegCodec loaded(Map<String, String> options) {
        return (JpegCodec) SliceCodecs.load(LOADER, ProviderOptions.of(options)).require(JpegCodec.ID);
    }

    @Test
    void theBackendComesFromTheProviderOptionAndIsChosenOnFirstUse() {
        JpegCodec codec = loaded(Map.of("jpeg.backend", " ImageIO "));
        assertEquals("JpegCodec[jpeg, backend=imageio]", codec.toString(), "nothing chosen yet, the request shown");
        assertEquals(JpegBackend.IMAGEIO, codec.backend());
        assertTrue(codec.implementation().startsWith("javax.imageio reader "), codec.implementation());
        assertFalse(codec.implementation().contains("TurboJPEG"), "imageio was asked for; no fallback note: " + codec.implementation());

        JpegCodec forcedTurbo = loaded(Map.of("jpeg.backend", "turbojpeg"));
        assertEquals(JpegBackend.TURBOJPEG, forcedTurbo.backend());
        assertEquals(turboInstalled(), forcedTurbo.availability().isAvailable(), forcedTurbo.availability().toString());

        assertEquals(turboInstalled() ? JpegBackend.TURBOJPEG : JpegBackend.IMAGEIO, loaded(Map.of("jpeg.backend", "auto")).backend());
        assertEquals(turboInstalled() ? JpegBackend.TURBOJPEG : JpegBackend.IMAGEIO, loaded(Map.of()).backend(), "auto by default");
    }

    @Test
    void configureReturnsANewInstanceAndLeavesTheOriginalAlone() {
        JpegCodec original = new JpegCodec(JpegBackend.IMAGEIO);
        JpegCodec turbo = original.configure(ProviderOptions.of(Map.of("jpeg.backend", "turbojpeg")));
        assertEquals("JpegCodec[jpeg, backend=imageio]", original.toString());
        assertEquals("JpegCodec[jpeg, backend=turbojpeg]", turbo.toString());
        JpegCodec library = original.configure(ProviderOptions.of(Map.of("jpeg.turbojpeg.library", " turbojpeg ")));
        assertEquals("JpegCodec[jpeg, backend=imageio]", library.toString(), "the backend is kept, the default library not shown");
        assertEquals(JpegBackend.IMAGEIO, original.backend());
        assertThrows(NullPointerException.class, () -> new JpegCodec(null));
        assertEquals(java.util.Set.of("jpeg.backend", "jpeg.turbojpeg.library"), original.optionKeys());
    }

    @Test
    void badOptionValuesAndKeysAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loaded(Map.of("jpeg.backend", "fastest")));
        assertEquals("provider option jpeg.backend ('fastest') must be one of [auto, turbojpeg, imageio]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loaded(Map.of("jpeg.turbojpeg.library", " ")));
        assertEquals("provider option jpeg.turbojpeg.library (' ') must name a library (a JNA library name such as turbojpeg,"
                + " or an absolute path)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loaded(Map.of("jpeg.bakend", "imageio")));
        assertEquals("provider option 'jpeg.bakend' is not known; codec 'jpeg' takes [jpeg.backend, jpeg.turbojpeg.library]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loaded(Map.of("jpg.backend", "imageio")));
        assertEquals("provider option 'jpg.backend' is not known: no codec takes options 'jpg.*'; options taken:"
                + " {jpeg=[jpeg.backend, jpeg.turbojpeg.library]}", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new JpegCodec().configure(ProviderOptions.of(Map.of("png.level", "9"))));
        assertEquals("provider option 'png.level' is not known; codec 'jpeg' takes [jpeg.backend, jpeg.turbojpeg.library]",
                e.getMessage());
    }

    @Test
    void aRegistryWithoutOptionsKeepsItsCodecs() {
        SliceCodecs plain = SliceCodecs.load(LOADER);
        assertSame(plain, plain.withOptions(ProviderOptions.empty()));
        SliceCodecs imageIo = plain.withOptions(ProviderOptions.of(Map.of("jpeg.backend", "imageio")));
        assertEquals(plain.ids(), imageIo.ids());
        assertEquals("JpegCodec[jpeg, backend=auto]", plain.require("jpeg").toString(), "the first snapshot is not changed");
        assertEquals("JpegCodec[jpeg, backend=imageio]", imageIo.require("jpeg").toString());
    }

    @Test
    void backendParsingNamesTheAllowedValues() {
        assertEquals(JpegBackend.TURBOJPEG, JpegBackend.parse(" TurboJPEG"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JpegBackend.parse("turbo"));
        assertEquals("JPEG backend ('turbo') must be one of [auto, turbojpeg, imageio]", e.getMessage());
    }

    @Test
    void discoveryChoosesNothingAndFirstUseLogsTheChoiceOnce() {
        try (CodecLog log = new CodecLog()) {
            SliceCodec discovered = SliceCodecs.load(LOADER).require(JpegCodec.ID);
            assertEquals("JpegCodec[jpeg, backend=auto]", discovered.toString());
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
            assertTrue(line.startsWith("codec 'jpeg' (backend auto (default)) uses " + codec.backend().text() + ": "
                    + codec.implementation()), line);
        }
        try (CodecLog log = new CodecLog()) {
            JpegCodec codec = loaded(Map.of("jpeg.backend", "imageio"));
            codec.availability();
            assertEquals("codec 'jpeg' (backend imageio from provider option jpeg.backend) uses imageio: " + codec.implementation(),
                    log.lines().get(0));
        }
    }
}
