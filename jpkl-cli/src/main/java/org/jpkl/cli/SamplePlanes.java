package org.jpkl.cli;

import java.util.Arrays;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Selection;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;

/**
 * The planes a codec chooses parameters from ({@link SliceCodec#samplePlanes}, e.g. jpeg's
 * {@code huffman=optimized} tables), gathered in a first pass over an input that is then read again
 * for encoding, so that a streaming write binds the same parameters as {@code Jpkl.save} of the whole
 * array: {@link #bind} calls {@link SliceCodec#bindToArray} with an array of just these planes, in order.
 *
 * <p>Memory: the sample planes (at most as many as the codec names; 16 for jpeg).
 *
 * <p>Thread safety: not thread-safe; one reader thread.
 */
final class SamplePlanes {
    private final long[] numbers;
    private final PlaneSpec spec;
    private final Object samples;
    private final boolean[] seen;

    /**
     * The planes {@code codec} names for {@code params} and {@code sliceCount} planes of
     * {@code height x width} samples of {@code dtype} and {@code channels}.
     *
     * @param what the input, for messages
     * @throws CliException (usage) if the sample planes together do not fit in one Java array
     */
    SamplePlanes(SliceCodec codec, CodecParams params, long sliceCount, DType dtype, int height, int width, ChannelLayout channels,
            String what) {
        this.numbers = codec.samplePlanes(params, sliceCount).clone();
        this.seen = new boolean[numbers.length];
        if (numbers.length == 0) {
            this.spec = null;
            this.samples = null;
            return;
        }
        long total = (long) numbers.length * height * width * channels.samplesPerPixel();
        if (total > Selection.MAX_RESULT_ELEMENTS) {
            throw CliException.usage(what + ": codec '" + codec.id() + "' with " + params.toMap() + " chooses parameters from "
                    + numbers.length + " sample planes of " + height + "x" + width + " " + channels + ", more samples (" + total
                    + ") than one Java array holds; give those parameters' values yourself, or choose other settings");
        }
        this.spec = new PlaneSpec(dtype, height, width, channels);
        // The sample planes stacked in one buffer: plane i starts at sample i * spec.sampleCount().
        this.samples = PlaneBuffer.allocate(new PlaneSpec(dtype, numbers.length * height, width, channels)).array();
    }

    /** Whether the codec reads any plane to bind its parameters (if not, {@link #bind} returns them unchanged). */
    boolean needed() {
        return numbers.length > 0;
    }

    /** The slice numbers wanted, in increasing order. */
    long[] numbers() {
        return numbers.clone();
    }

    /** Offers plane {@code sliceNumber}; a copy is kept when it is one of the sample planes. */
    void offer(long sliceNumber, PlaneBuffer plane) {
        int i = Arrays.binarySearch(numbers, sliceNumber);
        if (i < 0) {
            return;
        }
        System.arraycopy(plane.array(), plane.offset(), samples, i * spec.sampleCount(), spec.sampleCount());
        seen[i] = true;
    }

    /**
     * {@code codec.bindToArray} with the sample planes, in order, as an array of as many slices.
     *
     * @throws IllegalStateException if a sample plane was not offered
     */
    CodecParams bind(SliceCodec codec, CodecParams params) {
        if (!needed()) {
            return params;
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                throw new IllegalStateException("sample plane " + numbers[i] + " was not read");
            }
        }
        NdArray array;
        PlaneLayout layout;
        if (spec.channels() == ChannelLayout.GREY) {
            array = NdArray.wrap(samples, spec.dtype(), numbers.length, spec.height(), spec.width());
            layout = PlaneLayout.of(1, 2);
        } else {
            array = NdArray.wrap(samples, spec.dtype(), numbers.length, spec.height(), spec.width(), spec.channels().samplesPerPixel());
            layout = PlaneLayout.of(1, 2, 3);
        }
        return codec.bindToArray(params, array, layout);
    }
}
