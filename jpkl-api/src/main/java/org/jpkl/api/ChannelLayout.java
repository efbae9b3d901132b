package org.jpkl.api;

/**
 * How many samples each pixel of a plane has.
 *
 * <p>Thread safety: immutable.
 */
public enum ChannelLayout {
    /** One sample per pixel. */
    GREY(1),
    /** Three samples per pixel in R, G, B order (JPkl's colour axis of length 3). */
    RGB(3);

    private final int samples;

    ChannelLayout(int samples) {
        this.samples = samples;
    }

    /** Samples per pixel. */
    public int samplesPerPixel() {
        return samples;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
