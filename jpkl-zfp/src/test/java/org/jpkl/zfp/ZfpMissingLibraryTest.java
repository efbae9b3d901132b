package org.jpkl.zfp;

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
 * A zfp library that cannot be loaded (provider option {@code zfp.library} naming one that does not
 * exist, so the real loading code fails for real): the codec stays listed, unavailable with the
 * reason and the Debian package, and its factories refuse naming the reason. Runs everywhere (no
 * libzfp needed); the bound library is per codec instance, so this does not disturb other tests.
 */
class ZfpMissingLibraryTest {
    @Test
    void aMissingLibraryIsReportedWithTheReasonAndTheFactoriesRefuse() {
        SliceCodec codec = SliceCodecs.load(ZfpCodec.class.getClassLoader(),
                ProviderOptions.builder().put(ZfpCodec.OPTION_LIBRARY, "nonexistent-zfp").build()).require(ZfpCodec.ID);
        assertEquals("ZfpCodec[zfp, library=nonexistent-zfp]", codec.toString());
        assertFalse(codec.availability().isAvailable());
        String reason = codec.availability().reason().orElseThrow();
        assertTrue(reason.startsWith("the zfp library 'nonexistent-zfp' (named by provider option zfp.library) could not be loaded: "),
                reason);
        assertTrue(reason.endsWith("; install it (Debian/Ubuntu: apt-get install libzfp1)"), reason);
        assertFalse(reason.contains("resource path"), "without JNA's class path dump: " + reason);
        assertEquals("unavailable: " + reason, ((ZfpCodec) codec).implementation());
        PlaneSpec spec = new PlaneSpec(DType.FLOAT32, 4, 4, ChannelLayout.GREY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.newEncoder(codec.params(Map.of()), spec));
        assertEquals("codec 'zfp' is unavailable: " + reason, e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> codec.newDecoder(codec.params(Map.of()), spec));
        assertEquals("codec 'zfp' is unavailable: " + reason, e.getMessage());
    }

    @Test
    void aBlankLibraryOptionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ZfpCodec().configure(ProviderOptions.builder().put(ZfpCodec.OPTION_LIBRARY, " ").build()));
        assertEquals("provider option zfp.library (' ') must name a library (a name such as zfp, or an absolute path)", e.getMessage());
    }

    /** Where libzfp is installed, the implementation names zfp's version and the file. */
    @Test
    void theImplementationNamesZfpsVersionAndFile() {
        ZfpTests.assumeZfp();
        String implementation = new ZfpCodec().implementation();
        System.out.println("zfp uses " + implementation);
        assertTrue(implementation.matches("zfp version 1\\.\\d+\\.\\d+ .* via JNA \\S+ \\(.*libzfp\\.so.*\\)"), implementation);
    }
}
