package org.jpkl;

import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jpkl.Jpkl;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;

/** {@link ProviderOptions} and how registries hand them to codecs ({@link SliceCodecs#withOptions}). */
class ProviderOptionsTest {
    /** A codec taking the option {@code tuned.mode}; otherwise the identity codec. */
    private static final class Tuned implements SliceCodec {
        private final IdentityCodec inner = new IdentityCodec();
        final String mode;

        Tuned(String mode) {
            this.mode = mode;
        }

        @Override
        public String id() {
            return "tuned";
        }

        @Override
        public CodecCapabilities capabilities() {
            return inner.capabilities();
        }

        @Override
        public CodecParams params(Map<String, String> values) {
            return inner.params(values);
        }

        @Override
        public Set<String> optionKeys() {
            return Set.of("tuned.mode", "tuned.level");
        }

        @Override
        public SliceCodec configure(ProviderOptions options) {
            return new Tuned(options.get("tuned.mode").orElse(mode));
        }

        @Override
        public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
            return inner.newEncoder(params, spec);
        }

        @Override
        public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
            return inner.newDecoder(params, spec);
        }
    }

    @Test
    void optionsAreAnImmutableSortedValue() {
        Map<String, String> source = new HashMap<>(Map.of("b.x", "1", "a.y-z_2", "2"));
        ProviderOptions o = ProviderOptions.of(source);
        source.put("c.z", "3");
        assertEquals("{a.y-z_2=2, b.x=1}", o.toString());
        assertEquals(List.of("a.y-z_2", "b.x"), List.copyOf(o.keys()));
        assertThrows(UnsupportedOperationException.class, () -> o.toMap().put("d.e", "4"));
        assertEquals(o, ProviderOptions.builder().put("b.x", "0").put("a.y-z_2", "2").put("b.x", "1").build());
        assertEquals("{b.x=1}", o.only(Set.of("b.x", "q.r")).toString());
        assertSame(ProviderOptions.empty(), ProviderOptions.of(Map.of()));
        assertEquals("a", ProviderOptions.namespace("a.b.c"));
    }

    @Test
    void keysAndValuesAreChecked() {
        for (String bad : List.of("", "backend", ".x", "x.", "a..b", "Jpeg.backend", "a b.c")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProviderOptions.builder().put(bad, "v"));
            assertEquals("provider option key '" + bad + "' is not valid: use NAMESPACE.NAME, 1 to 128 of [a-z0-9._-]"
                    + " with non-empty dot-separated parts, e.g. jpeg.backend", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ProviderOptions.checkKey("a." + "b".repeat(127)));
        NullPointerException n = assertThrows(NullPointerException.class, () -> ProviderOptions.builder().put("a.b", null));
        assertEquals("value of provider option 'a.b'", n.getMessage());
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        assertThrows(NullPointerException.class, () -> ProviderOptions.of(nullKey));
    }

    @Test
    void aRegistryConfiguresTheCodecsThatTakeTheKeysAndRefusesOthers() {
        SliceCodecs codecs = SliceCodecs.of(new Tuned("plain"), new IdentityCodec());
        SliceCodecs fast = codecs.withOptions(ProviderOptions.of(Map.of("tuned.mode", "fast")));
        assertEquals("fast", ((Tuned) fast.require("tuned")).mode);
        assertEquals("plain", ((Tuned) codecs.require("tuned")).mode, "the first snapshot is unchanged");
        assertSame(codecs.require("test-identity"), fast.require("test-identity"), "codecs without options are kept");
        assertSame(codecs, codecs.withOptions(ProviderOptions.empty()));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codecs.withOptions(ProviderOptions.of(Map.of("tuned.mdoe", "fast"))));
        assertEquals("provider option 'tuned.mdoe' is not known; codec 'tuned' takes [tuned.level, tuned.mode]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> codecs.withOptions(ProviderOptions.of(Map.of("tund.mode", "fast"))));
        assertEquals("provider option 'tund.mode' is not known: no codec takes options 'tund.*'; options taken:"
                + " {tuned=[tuned.level, tuned.mode]}", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SliceCodecs.of(new IdentityCodec()).withOptions(ProviderOptions.of(Map.of("jpeg.backend", "imageio"))));
        assertEquals("provider option 'jpeg.backend' is not known: no codec takes options 'jpeg.*'; options taken: none", e.getMessage());
    }

    @Test
    void jpklPassesItsOptionsToItsOwnCodecsOnly() {
        SliceCodecs codecs = SliceCodecs.of(new Tuned("plain"));
        Jpkl a = Jpkl.builder().codecs(codecs).providerOption("tuned.mode", "a").build();
        Jpkl b = Jpkl.builder().codecs(codecs).providerOptions(ProviderOptions.of(Map.of("tuned.mode", "b"))).build();
        assertEquals("a", ((Tuned) a.codecs().require("tuned")).mode);
        assertEquals("b", ((Tuned) b.codecs().require("tuned")).mode);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jpkl.builder().codecs(codecs).providerOption("tuned.x", "1").build());
        assertEquals("provider option 'tuned.x' is not known; codec 'tuned' takes [tuned.level, tuned.mode]", e.getMessage());
    }
}
