package org.jpkl.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;

/**
 * Finds the JPEG implementations to compare, ImageIO and libjpeg-turbo, through what codec
 * {@code jpeg} documents: its backend is chosen per instance from the provider option
 * {@value #BACKEND_OPTION} ({@code imageio}, {@code turbojpeg} or {@code auto}), and it reports what
 * it runs on through its public {@code implementation()} (looked up by name, so the harness does not
 * depend on the codec's classes). One registry is built per backend, with that option; nothing
 * JVM-wide is changed, so other threads building codecs meanwhile are not affected. An
 * implementation that cannot run here (libturbojpeg missing) is kept with the reason, so the table
 * prints "n/a" with it; a codec that takes no backend option gives one implementation.
 *
 * <p>Thread safety: stateless; {@link #find} may run on any thread.
 */
final class JpegImplementations {
    /** The provider option codec {@code jpeg} takes its backend from. */
    static final String BACKEND_OPTION = "jpeg.backend";

    private JpegImplementations() {
    }

    /** One way to decode JPEG slices. */
    static final class Impl {
        final String name;
        final SliceCodec codec;
        final Map<String, String> params;
        final boolean turbo;
        /** What the codec says it runs on (its {@code implementation()}), or null. */
        final String reported;
        /** Why it cannot run here, or null. */
        final String unavailable;

        Impl(String name, SliceCodec codec, Map<String, String> params, boolean turbo, String reported, String unavailable) {
            this.name = name;
            this.codec = codec;
            this.params = params;
            this.turbo = turbo;
            this.reported = reported;
            this.unavailable = unavailable;
        }

        boolean available() {
            return unavailable == null;
        }

        CodecParams codecParams() {
            return codec.params(params);
        }

        @Override
        public String toString() {
            return name + (reported == null ? "" : " (" + reported + ")") + (available() ? "" : ", unavailable: " + unavailable);
        }
    }

    /**
     * The ImageIO implementation and the turbo one, each only if codec {@code jpeg} provides it (an
     * older codec without backends gives one implementation, classified by what it reports).
     */
    static List<Impl> find(ClassLoader loader, Map<String, String> params) {
        List<Impl> found = new ArrayList<>();
        SliceCodecs plain = SliceCodecs.load(loader);
        Impl imageIo = load(plain, "imageio", params);
        Impl turbo = load(plain, "turbojpeg", params);
        if (imageIo != null) {
            found.add(imageIo);
        }
        if (turbo != null && (imageIo == null || !String.valueOf(turbo.reported).equals(String.valueOf(imageIo.reported)))) {
            found.add(turbo);
        }
        found.sort((a, b) -> Boolean.compare(a.turbo, b.turbo));
        return found;
    }

    private static Impl load(SliceCodecs plain, String backend, Map<String, String> params) {
        Optional<SliceCodec> codec = plain.find("jpeg");
        if (codec.isEmpty()) {
            return null;
        }
        if (codec.get().optionKeys().contains(BACKEND_OPTION)) {
            codec = plain.withOptions(ProviderOptions.of(Map.of(BACKEND_OPTION, backend))).find("jpeg");
        }
        codec.get().availability();
        return describe(backend, codec.get(), params);
    }

    private static Impl describe(String name, SliceCodec codec, Map<String, String> params) {
        String reported = reportedImplementation(codec);
        boolean turbo = isTurbo(name, reported);
        try {
            if (!codec.availability().isAvailable()) {
                return new Impl(name, codec, params, turbo, reported, codec.availability().reason().orElse("unavailable"));
            }
            codec.newDecoder(codec.params(params), new PlaneSpec(DType.UINT8, 8, 8, ChannelLayout.GREY)).close();
            return new Impl(name, codec, params, turbo, reported, null);
        } catch (RuntimeException | LinkageError e) {
            return new Impl(name, codec, params, turbo, reported, e.toString());
        }
    }

    /** The codec's own {@code public String implementation()}, when it has one. */
    static String reportedImplementation(SliceCodec codec) {
        try {
            Method m = codec.getClass().getMethod("implementation");
            return m.getReturnType() == String.class ? (String) m.invoke(codec) : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Whether an instance loaded for {@code backend} is the TurboJPEG implementation: it says so, or it
     * was asked for backend {@code turbojpeg} and does not say it runs on ImageIO instead (an instance
     * whose TurboJPEG library is missing reports only why it is unavailable, and is still the turbo
     * row of the table, shown as "n/a" with that reason).
     */
    static boolean isTurbo(String backend, String reported) {
        if (mentionsTurbo(reported)) {
            return true;
        }
        return "turbojpeg".equals(backend)
                && (reported == null || !reported.toLowerCase(Locale.ROOT).startsWith("javax.imageio"));
    }

    /**
     * Whether an implementation description names libjpeg-turbo's TurboJPEG API (not merely ImageIO
     * running on a libjpeg-turbo build, which a description might also mention).
     */
    static boolean mentionsTurbo(String text) {
        if (text == null) {
            return false;
        }
        String t = text.toLowerCase(Locale.ROOT);
        int fallback = t.indexOf("unavailable");
        String head = fallback < 0 ? t : t.substring(0, fallback);
        return head.contains("turbojpeg") && !head.startsWith("javax.imageio");
    }
}
