package org.jpkl.jpegxl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.junit.jupiter.api.Test;

/**
 * A libjxl that cannot be loaded (provider option {@code jpegxl.library} naming one that does not
 * exist, so the real loading code fails for real): the codec stays listed, unavailable with the
 * reason and the Debian package, and its factories refuse naming the reason. Runs everywhere (no
 * libjxl needed); the bound library is per codec instance, so this does not disturb other tests.
 */
class JpegXlMissingLibraryTest {
    @Test
    void aMissingLibraryIsReportedWithTheReasonAndTheFactoriesRefuse() {
        SliceCodec codec = SliceCodecs.load(JpegXlCodec.class.getClassLoader(),
                ProviderOptions.builder().put(JpegXlCodec.OPTION_LIBRARY, "nonexistent-jxl").build()).require(JpegXlCodec.ID);
        assertEquals("JpegXlCodec[jpegxl, library=nonexistent-jxl]", codec.toString());
        assertFalse(codec.availability().isAvailable());
        String reason = codec.availability().reason().orElseThrow();
        assertTrue(reason.startsWith("the libjxl library 'nonexistent-jxl' (named by provider option jpegxl.library) could not be loaded: "),
                reason);
        assertTrue(reason.endsWith("; install it (Debian/Ubuntu: apt-get install libjxl0.7)"), reason);
        assertFalse(reason.contains("resource path"), "without JNA's class path dump: " + reason);
        assertEquals("unavailable: " + reason, ((JpegXlCodec) codec).implementation());
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 4, 4, ChannelLayout.GREY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.newEncoder(codec.params(Map.of()), spec));
        assertEquals("codec 'jpegxl' is unavailable: " + reason, e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> codec.newDecoder(codec.params(Map.of()), spec));
        assertEquals("codec 'jpegxl' is unavailable: " + reason, e.getMessage());
    }

    @Test
    void aBlankLibraryOptionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JpegXlCodec().configure(ProviderOptions.builder().put(JpegXlCodec.OPTION_LIBRARY, " ").build()));
        assertEquals("provider option jpegxl.library (' ') must name a library (a name such as jxl, or an absolute path)", e.getMessage());
    }

    /** Where libjxl is installed, the implementation names its version and the file. */
    @Test
    void theImplementationNamesLibjxlVersionAndFile() {
        JpegXlTests.assumeJpegXl();
        String implementation = new JpegXlCodec().implementation();
        System.out.println("jpegxl uses " + implementation);
        assertTrue(implementation.matches("libjxl 0\\.\\d+\\.\\d+ via JNA \\S+ \\(.*libjxl\\.so.*\\)"), implementation);
    }
}
