package org.jpkl.api;

import java.util.Objects;

/**
 * The shape and element type of one encoded plane: height x width x samples-per-pixel of a dtype,
 * stored row-major with samples interleaved (HWC), as codecs consume and produce them.
 *
 * <p>Thread safety: immutable.
 */
public final class PlaneSpec {
    private final DType dtype;
    private final int height;
    private final int width;
    private final ChannelLayout channels;

    /**
     * @throws IllegalArgumentException if height or width is below 1, or the plane has more than
     *     {@link Selection#MAX_RESULT_ELEMENTS} samples
     */
    public PlaneSpec(DType dtype, int height, int width, ChannelLayout channels) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.channels = Objects.requireNonNull(channels, "channels");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("plane height (" + height + ") and width (" + width + ") must be >= 1");
        }
        long samples = (long) height * width * channels.samplesPerPixel();
        if (samples > Selection.MAX_RESULT_ELEMENTS) {
            throw new IllegalArgumentException("plane " + height + "x" + width + "x" + channels.samplesPerPixel()
                    + " has " + samples + " samples; at most " + Selection.MAX_RESULT_ELEMENTS + " are supported");
        }
        this.height = height;
        this.width = width;
    }

    /** Element type. */
    public DType dtype() {
        return dtype;
    }

    /** Rows. */
    public int height() {
        return height;
    }

    /** Columns. */
    public int width() {
        return width;
    }

    /** GREY or RGB. */
    public ChannelLayout channels() {
        return channels;
    }

    /** height x width x samples per pixel. */
    public int sampleCount() {
        return height * width * channels.samplesPerPixel();
    }

    /** Bytes of the raw plane: {@code sampleCount() * dtype().byteSize()}. */
    public long byteSize() {
        return (long) sampleCount() * dtype.byteSize();
    }

    /** The plane's NumPy shape: {@code [h, w]} or {@code [h, w, 3]}. */
    public int[] shape() {
        return channels == ChannelLayout.GREY ? new int[] {height, width} : new int[] {height, width, channels.samplesPerPixel()};
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PlaneSpec)) {
            return false;
        }
        PlaneSpec p = (PlaneSpec) o;
        return p.dtype == dtype && p.height == height && p.width == width && p.channels == channels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, height, width, channels);
    }

    /** E.g. {@code uint8 512x512 rgb}. */
    @Override
    public String toString() {
        return dtype + " " + height + "x" + width + " " + channels;
    }
}
