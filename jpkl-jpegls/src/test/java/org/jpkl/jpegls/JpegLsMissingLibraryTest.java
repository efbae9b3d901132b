package org.jpkl.jpegls;

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
 * A CharLS library that cannot be loaded (provider option {@code jpegls.library} naming one that does not
 * exist, so the real loading code fails for real): the codec stays listed, unavailable with the
 * reason and the Debian package, and its factories refuse naming the reason. Runs everywhere (no
 * CharLS needed); the bound library is per codec instance, so this does not disturb other tests.
 */
class JpegLsMissingLibraryTest {
    @Test
    void aMissingLibraryIsReportedWithTheReasonAndTheFactoriesRefuse() {
        SliceCodec codec = SliceCodecs.load(JpegLsCodec.class.getClassLoader(),
                ProviderOptions.builder().put(JpegLsCodec.OPTION_LIBRARY, "nonexistent-charls").build()).require(JpegLsCodec.ID);
        assertEquals("JpegLsCodec[jpegls, library=nonexistent-charls]", codec.toString());
        assertFalse(codec.availability().isAvailable());
        String reason = codec.availability().reason().orElseThrow();
        assertTrue(reason.startsWith("the CharLS library 'nonexistent-charls' (named by provider option jpegls.library) could not be loaded: "),
                reason);
        assertTrue(reason.endsWith("; install it (Debian/Ubuntu: apt-get install libcharls2)"), reason);
        assertFalse(reason.contains("resource path"), "without JNA's class path dump: " + reason);
        assertEquals("unavailable: " + reason, ((JpegLsCodec) codec).implementation());
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 4, 4, ChannelLayout.GREY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.newEncoder(codec.params(Map.of()), spec));
        assertEquals("codec 'jpegls' is unavailable: " + reason, e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> codec.newDecoder(codec.params(Map.of()), spec));
        assertEquals("codec 'jpegls' is unavailable: " + reason, e.getMessage());
    }

    @Test
    void aBlankLibraryOptionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JpegLsCodec().configure(ProviderOptions.builder().put(JpegLsCodec.OPTION_LIBRARY, " ").build()));
        assertEquals("provider option jpegls.library (' ') must name a library (a name such as charls, or an absolute path)", e.getMessage());
    }

    /** Where CharLS is installed, the implementation names its version and the file. */
    @Test
    void theImplementationNamesCharLsVersionAndFile() {
        JpegLsTests.assumeJpegLs();
        String implementation = new JpegLsCodec().implementation();
        System.out.println("jpegls uses " + implementation);
        assertTrue(implementation.matches("CharLS 2\\.\\d+\\.\\d+ via JNA \\S+ \\(.*libcharls\\.so.*\\)"), implementation);
    }
}
