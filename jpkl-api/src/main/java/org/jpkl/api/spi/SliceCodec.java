package org.jpkl.api.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;

/**
 * A plugin that encodes one 2-D plane (grey or RGB) to bytes and back. Found with
 * {@link java.util.ServiceLoader} through a {@code META-INF/services/org.jpkl.api.spi.SliceCodec}
 * entry; see {@link SliceCodecs}.
 *
 * <p>Rules for implementers:
 * <ul>
 *   <li>The public no-argument constructor is cheap: no native library loading, no ImageIO plugin
 *       scanning, no I/O. Heavy parts load on first use; {@link #availability()} reports what is
 *       missing.</li>
 *   <li>{@link #id()} is stable forever (it is stored in files): lower case letters, digits,
 *       {@code .}, {@code _} and {@code -}.</li>
 *   <li>Parameters are declared once, as {@link ParamSpec}s in {@link #capabilities()}; {@link #params(Map)}
 *       validates through that schema and rejects unknown keys, naming the key and the allowed ones.</li>
 *   <li>Decoders validate untrusted input; see {@link SliceDecoder}.</li>
 *   <li>How the codec runs here (e.g. which native library) comes from {@link ProviderOptions}
 *       given when the registry is built ({@link #optionKeys()}, {@link #configure}), never from
 *       system properties or other JVM-wide state.</li>
 * </ul>
 *
 * <p>Thread safety: implementations must be thread-safe (and are usually stateless); the
 * encoders and decoders they create are used one per thread.
 */
public interface SliceCodec {
    /** The stable id stored in files, e.g. {@code "jpeg"}. */
    String id();

    /** What the codec encodes and its parameters. */
    CodecCapabilities capabilities();

    /**
     * Validates parameters given as strings (absent keys take their defaults). The default parses
     * them with the {@linkplain CodecCapabilities#schema() schema} of {@link #capabilities()} into
     * {@link TypedParams}; a codec with a parameter class of its own builds it from that schema's
     * typed values, so that validation, defaults and messages have one source.
     *
     * @throws IllegalArgumentException naming the codec, the key, the value and the allowed values,
     *     for an unknown key or a bad value
     */
    default CodecParams params(Map<String, String> values) {
        return capabilities().schema().parse(id(), values);
    }

    /**
     * Whether two parameter sets given as strings (e.g. a container's stored map and the wanted
     * one; absent keys take their defaults) encode every plane of this dtype and layout to the same
     * bytes, judged by {@link CodecParams#encodingParams}: then encoded slices can be copied from one
     * to the other unchanged. False if either set is not valid for this codec.
     */
    default boolean encodesAlike(Map<String, String> a, Map<String, String> b, DType dtype, ChannelLayout channels) {
        try {
            return params(a).encodingParams(dtype, channels).equals(params(b).encodingParams(dtype, channels));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The {@link ProviderOptions} keys this codec takes, e.g. {@code jpeg.backend}; by convention in
     * the namespace of its id. The default is none. A registry refuses any key that no codec
     * declares, naming it and the keys declared.
     */
    default Set<String> optionKeys() {
        return Set.of();
    }

    /**
     * This codec with these options applied, as an instance of its own; this instance is not changed.
     * Called by {@link SliceCodecs#withOptions} with the options whose keys are in
     * {@link #optionKeys()} (only when there is at least one). Must stay cheap, as the constructor: no
     * native library loading and no I/O; a value that cannot work is reported on first use through
     * {@link #availability()}, a value that is malformed may be refused here.
     *
     * @param options options whose keys are all in {@link #optionKeys()}
     * @return the configured codec, with the same {@link #id()} (the default returns {@code this})
     * @throws IllegalArgumentException naming the key, the value and the allowed values, for a
     *     malformed value
     */
    default SliceCodec configure(ProviderOptions options) {
        return this;
    }

    /** Whether the codec can run here; checked on first use, never in the constructor. */
    default Availability availability() {
        return Availability.available();
    }

    /**
     * Fixes the parameters that depend on the whole array, e.g. a global intensity window computed
     * from all of the array's values. {@code Jpkl.save} calls it (through
     * {@link #bindToArray(CodecParams, NdArray, PlaneLayout)}, which defaults to it) with the whole array
     * before encoding and stores the returned parameters; streaming writers, which never see the whole array, do not
     * call it, so {@link #newEncoder} must refuse parameters that still need binding, saying so.
     *
     * @param params parameters from {@link #params(Map)} of this codec
     * @param array the whole array about to be encoded
     * @return parameters with every data-dependent choice fixed (the default returns {@code params})
     */
    default CodecParams bindToArray(CodecParams params, NdArray array) {
        return params;
    }

    /**
     * As {@link #bindToArray(CodecParams, NdArray)}, knowing which axes of the array are the planes'
     * (needed by codecs that choose something from sample planes, e.g. JPEG's optimised Huffman
     * tables); {@code Jpkl.save} calls this one. The default ignores the layout.
     *
     * @param layout the plane layout the array will be written with
     */
    default CodecParams bindToArray(CodecParams params, NdArray array, PlaneLayout layout) {
        return bindToArray(params, array);
    }

    /**
     * The slice numbers of the planes that {@link #bindToArray(CodecParams, NdArray, PlaneLayout)}
     * reads to fix {@code params} (for example the sample planes from which jpeg's
     * {@code huffman=optimized} builds its tables), in increasing order; empty (the default) when it
     * reads none plane by plane. A streaming writer that can read its input twice gathers just these
     * planes first, in this order, as an array of {@code length} slices, and binds with it:
     * {@code bindToArray} of that array must return what {@code bindToArray} of the whole array
     * returns (so, applied to an array of only as many planes as it names, the choice must name them all).
     * Parameters that need the value range are bound separately ({@link #bindToRange}).
     *
     * @param params parameters from {@link #params(Map)} of this codec
     * @param sliceCount the number of planes of the whole array
     */
    default long[] samplePlanes(CodecParams params, long sliceCount) {
        return new long[0];
    }

    /**
     * The most bytes one encoded plane of {@code spec} may take: readers refuse a stored slice
     * that claims more before allocating anything for it (a damaged or hostile file may declare any
     * length), and writers refuse an encoding that exceeds it, so whatever is written can be read.
     *
     * <p>The default, {@value #DEFAULT_BOUND_FACTOR} x the raw plane ({@link PlaneSpec#byteSize()})
     * plus {@value #DEFAULT_BOUND_SLACK} bytes, covers every codec whose output is at most a few times
     * the raw samples plus a header: baseline JPEG's entropy coding cannot exceed about 3.3 bytes per
     * 8-bit sample (uint8 noise at quality 100 takes under 3), PNG's and run-length coding's worst is
     * 2 bytes per byte. A codec that can produce more must override this; one with a tighter guarantee
     * may return it. {@code AbstractSliceCodecTest} checks smooth and noise planes against it.
     *
     * @param params parameters from {@link #params(Map)} of this codec
     * @return a positive bound in bytes (may exceed what a container can hold; containers apply
     *     their own limit too)
     */
    default long maxEncodedBytes(CodecParams params, PlaneSpec spec) {
        return DEFAULT_BOUND_FACTOR * spec.byteSize() + DEFAULT_BOUND_SLACK;
    }

    /** The factor of the default {@link #maxEncodedBytes}. */
    long DEFAULT_BOUND_FACTOR = 4;

    /** The constant part of the default {@link #maxEncodedBytes}, in bytes (room for headers and tables). */
    long DEFAULT_BOUND_SLACK = 64 << 10;

    /**
     * Whether slices encoded with {@code params} (this codec's, from {@link #params}) decode to exactly
     * the input, sample for sample. The default is {@code capabilities().lossless()}. A codec that is
     * lossy in some settings ({@code lossless(false)}) overrides it to say which settings are exact
     * (for example JPEG-LS with {@code near} 0), so that tools do not label an exact file lossy. It
     * must be {@code true} whenever {@code capabilities().lossless()} is.
     */
    default boolean isLossless(CodecParams params) {
        return capabilities().lossless();
    }

    /**
     * Why {@code params} cannot encode planes of {@code dtype} and {@code channels} although the codec
     * takes such planes in other settings (for example {@code jpegxl} refuses float32 at distance 0),
     * or empty when they can. Must be cheap (no native code) and agree with {@link #newEncoder}, which
     * throws an {@link IllegalArgumentException} with this message for such planes; tools use it to
     * choose and label codecs without creating an encoder. The default is empty.
     */
    default Optional<String> refusal(CodecParams params, DType dtype, ChannelLayout channels) {
        return Optional.empty();
    }

    /**
     * Whether {@code params} still depend on whole-array statistics for planes of {@code dtype}, so
     * that a streaming writer cannot use them until they are bound: then {@link #newEncoder} refuses
     * them, and a caller that can read its data twice computes the range in a first pass and calls
     * {@link #bindToRange}. The default is {@code false}.
     */
    default boolean needsValueRange(CodecParams params, DType dtype) {
        return false;
    }

    /**
     * As {@link #bindToArray}, from statistics known beforehand instead of the whole array: fixes
     * the parameters that depend on the array's values from their range. A streaming writer uses
     * it after a first pass over its input. {@code bindToArray} of the same array returns the same
     * parameters.
     *
     * @param params parameters from {@link #params(Map)} of this codec
     * @param dtype the array's dtype
     * @param min the smallest value of the whole array (unsigned dtypes read unsigned); finite
     * @param max the largest value, {@code >= min}; finite
     * @return parameters with every data-dependent choice fixed (the default returns {@code params})
     * @throws IllegalArgumentException if min or max is not finite or {@code min > max}
     */
    default CodecParams bindToRange(CodecParams params, DType dtype, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("value range [" + min + ", " + max + "] must be finite with min <= max");
        }
        return params;
    }

    /**
     * An encoder for planes of {@code spec}.
     *
     * @param params parameters from {@link #params(Map)} of this codec
     * @throws IllegalArgumentException if the codec cannot encode {@code spec}'s dtype or channel
     *     layout, or the params belong to another codec
     * @throws IllegalStateException if the codec is not {@linkplain #availability() available}
     */
    SliceEncoder newEncoder(CodecParams params, PlaneSpec spec);

    /**
     * A decoder for planes of {@code spec}.
     *
     * @throws IllegalArgumentException as for {@link #newEncoder}
     * @throws IllegalStateException if the codec is not available
     */
    SliceDecoder newDecoder(CodecParams params, PlaneSpec spec);
}
