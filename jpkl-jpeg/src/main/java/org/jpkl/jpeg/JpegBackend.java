package org.jpkl.jpeg;

import java.util.Locale;

/**
 * Which JPEG implementation a {@link JpegCodec} runs on. Both write standard JFIF JPEG slices of the
 * same format (same parameters, same mapping segment) that either one reads; they differ only in
 * speed and in what they need installed.
 *
 * <p>Thread safety: immutable.
 */
public enum JpegBackend {
    /**
     * {@link #TURBOJPEG} when libturbojpeg can be loaded, else {@link #IMAGEIO}; the choice is made on
     * first use and logged once (INFO), with the reason when TurboJPEG is unavailable.
     */
    AUTO("auto"),
    /**
     * libjpeg-turbo's TurboJPEG C API ({@code libturbojpeg.so.0}, Debian package {@code libturbojpeg0})
     * through JNA (the faster backend; figures in docs/PERFORMANCE.md). When the library cannot be loaded, a codec
     * that asks for this backend reports itself unavailable with the reason; it never falls back.
     */
    TURBOJPEG("turbojpeg"),
    /**
     * javax.imageio (the TwelveMonkeys JPEG plugin when it is on the class path, else the JDK's); needs
     * no native library beyond the JDK's own.
     */
    IMAGEIO("imageio");

    private final String text;

    JpegBackend(String text) {
        this.text = text;
    }

    /**
     * The lower-case name used by the provider option {@value JpegCodec#OPTION_BACKEND}: {@code auto},
     * {@code turbojpeg} or {@code imageio}.
     */
    public String text() {
        return text;
    }

    /**
     * The backend named {@code value} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static JpegBackend parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (JpegBackend b : values()) {
            if (b.text.equals(v)) {
                return b;
            }
        }
        throw new IllegalArgumentException("JPEG backend ('" + value + "') must be one of [auto, turbojpeg, imageio]");
    }
}
