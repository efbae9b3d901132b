package org.jpkl.lerc;

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
 * A LERC library that cannot be loaded (provider option {@code lerc.library} naming one that does not
 * exist, so the real loading code fails for real): the codec stays listed, unavailable with the
 * reason and the Debian package, and its factories refuse naming the reason. Runs everywhere (no
 * libLerc needed); the bound library is per codec instance, so this does not disturb other tests.
 */
class LercMissingLibraryTest {
    @Test
    void aMissingLibraryIsReportedWithTheReasonAndTheFactoriesRefuse() {
        SliceCodec codec = SliceCodecs.load(LercCodec.class.getClassLoader(),
                ProviderOptions.builder().put(LercCodec.OPTION_LIBRARY, "nonexistent-lerc").build()).require(LercCodec.ID);
        assertEquals("LercCodec[lerc, library=nonexistent-lerc]", codec.toString());
        assertFalse(codec.availability().isAvailable());
        String reason = codec.availability().reason().orElseThrow();
        assertTrue(reason.startsWith("the LERC library 'nonexistent-lerc' (named by provider option lerc.library) could not be loaded: "),
                reason);
        assertTrue(reason.endsWith("; install it (Debian/Ubuntu: apt-get install liblerc4)"), reason);
        assertFalse(reason.contains("resource path"), "without JNA's class path dump: " + reason);
        assertEquals("unavailable: " + reason, ((LercCodec) codec).implementation());
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 4, 4, ChannelLayout.GREY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.newEncoder(codec.params(Map.of()), spec));
        assertEquals("codec 'lerc' is unavailable: " + reason, e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> codec.newDecoder(codec.params(Map.of()), spec));
        assertEquals("codec 'lerc' is unavailable: " + reason, e.getMessage());
    }

    @Test
    void aBlankLibraryOptionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LercCodec().configure(ProviderOptions.builder().put(LercCodec.OPTION_LIBRARY, " ").build()));
        assertEquals("provider option lerc.library (' ') must name a library (a name such as Lerc, or an absolute path)", e.getMessage());
    }

    /** Where libLerc is installed, the implementation names the LERC blob version and the file. */
    @Test
    void theImplementationNamesTheBlobVersionAndFile() {
        LercTests.assumeLerc();
        String implementation = new LercCodec().implementation();
        System.out.println("lerc uses " + implementation);
        assertTrue(implementation.matches("LERC \\(blob version \\d+\\) via JNA \\S+ \\(.*libLerc\\.so.*\\)"), implementation);
    }
}
