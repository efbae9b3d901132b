package org.jpkl.sqrt;

import java.util.concurrent.atomic.AtomicReference;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;

/**
 * Lossy codec {@code sqrt} for photon-counting cameras, after PYME's PZF format: each sample
 * {@code x} (in ADU) is quantised with steps proportional to its photon shot noise
 * <pre>  sigma(x) = sqrt(gain * (x - offset))</pre>
 * and the values are cut into levels, from the bottom up, as the widest runs of consecutive
 * integers that one decoded integer represents within {@code scale * sigma(x)} of every value of
 * the run (about {@code 2 * scale * sigma} values per level, as many as rounding
 * {@code sqrt(x - offset) / (scale * sqrt(gain))} gives, but with the integer rounding inside the
 * bound). The levels are predicted from each sample's left and upper neighbours (their mean; the same
 * channel for RGB) and the residuals are Huffman coded with one canonical code per plane.
 *
 * <p>Parameters (declared in its {@linkplain #capabilities() capabilities}, given as {@link TypedParams}):
 * <ul>
 *   <li>{@code offset}: the camera's baseline (dark level) in ADU, 0..65535 (default 0). Samples at
 *       or below it decode as {@code round(offset)}.</li>
 *   <li>{@code gain}: the camera's gain in ADU per photoelectron, 0.05..10000 (default 1). A signal
 *       of {@code S = (x - offset) / gain} electrons has shot noise {@code sigma = sqrt(gain * (x - offset))} ADU.</li>
 *   <li>{@code scale}: the largest error in units of that shot noise, 0.1..10 (default 0.5).</li>
 * </ul>
 *
 * <p>Error bound (checked on every sample by the tests; {@link #errorBound}): for {@code x >= offset},
 * <pre>  |x' - x| &lt;= scale * sigma(x)</pre>
 * exactly, the decoded value's rounding to an integer included (each level's value is the integer
 * that minimises the level's largest error in units of sigma). So at the default scale 0.5 the error
 * is at most half the shot noise. Samples below {@code offset} decode as {@code round(offset)}:
 * their error is {@code offset - x} rounded, read noise that the quantiser does not keep. The bound
 * holds only when {@code offset} and {@code gain} are the camera's: with a larger gain or a smaller
 * offset than the truth the levels are coarser than {@code scale} of the real noise. Streams of
 * format version 1 (square-root rounding, this codec's first week) still decode, within their bound
 * {@code scale * sigma + gain * scale^2 / 4 + 0.5}.
 *
 * <p>Dtypes: {@code uint8} and {@code uint16}, grey or RGB: the error model is one of photon counts
 * from integer cameras. Signed and float data have no shot-noise model to bound against; use an
 * absolute-tolerance codec for them.
 *
 * <p>Entropy coder: Huffman, as PZF, chosen by measurement on the generated camera-like uint16
 * planes at scale 0.5 (docs/CODECS.md): the predicted residuals have an entropy of about 2.5 bits,
 * which Huffman codes within a few percent (ratio about 6.2), while zstd level 1 on the same residuals
 * as bytes reached 5.4 and needs a native library; LZ4 has no entropy stage and does worse still.
 *
 * <p>Decoding checks the header (codec, version, dtype, layout, shape and the three parameters
 * exactly), that the code table is a valid prefix code, that the payload's length is exactly what
 * follows and matches its CRC-32C, and that every decoded sample is in range, before the
 * destination is written; anything else is a {@link org.jpkl.api.JpklFormatException}.
 *
 * <p>Thread safety: thread-safe; encoders and decoders are one per thread. The codec keeps the
 * quantiser tables it built last (immutable; building them takes about a millisecond of square
 * roots, as long as encoding a 512 x 512 plane), so that the encoders and decoders a writer or
 * reader makes for each thread or plane with the same dtype and parameters share them.
 */
public final class SqrtCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "sqrt";
    /** The camera baseline parameter (ADU). */
    public static final String OFFSET = "offset";
    /** The camera gain parameter (ADU per photoelectron). */
    public static final String GAIN = "gain";
    /** The step parameter (units of shot noise). */
    public static final String SCALE = "scale";

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder().lossless(false)
            .dtypes(DType.UINT8, DType.UINT16).channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param(OFFSET, ParamType.number(0, 65535), "0",
                    "camera baseline (dark level) in ADU, subtracted before the square root; samples below it decode as it")
            .param(GAIN, ParamType.number(0.05, 10000), "1",
                    "camera gain in ADU per photoelectron: shot noise of a sample x is sqrt(gain * (x - offset)) ADU")
            .param(SCALE, ParamType.number(0.1, 10), "0.5",
                    "largest error in units of shot noise: |error| <= scale * sqrt(gain * (x - offset)) ADU")
            .description("lossy: square-root quantisation bounded by a fraction of photon shot noise, then Huffman coding"
                    + " (PYME PZF-style); uint8/uint16; pure Java")
            .build();

    /** The quantiser built last; replaced by a newer one, never changed. */
    private final AtomicReference<SqrtQuantiser> lastQuantiser = new AtomicReference<>();

    /** A codec; cheap. */
    public SqrtCodec() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        return new SqrtEncoder(quantiser(params, spec));
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return new SqrtDecoder(quantiser(params, spec));
    }

    /** The quantiser of these parameters for planes of {@code spec}: the last one's tables where dtype and parameters match. */
    SqrtQuantiser quantiser(CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(ID, TypedParams.class, params);
        CAPABILITIES.requireSupported(ID, spec);
        double offset = p.doubleValue(OFFSET);
        double gain = p.doubleValue(GAIN);
        double scale = p.doubleValue(SCALE);
        SqrtQuantiser last = lastQuantiser.get();
        if (last != null && last.hasTablesOf(spec.dtype(), offset, gain, scale)) {
            return last.forPlanes(spec);
        }
        SqrtQuantiser built = new SqrtQuantiser(spec, offset, gain, scale);
        lastQuantiser.set(built);
        return built;
    }

    /**
     * The largest absolute error, in ADU, of a sample {@code x} decoded by this codec with these
     * parameters: {@code scale * sqrt(gain * (x - offset))} for {@code x >= offset}, and
     * {@code offset - x + 0.5} below it (such samples decode as {@code round(offset)}).
     */
    public static double errorBound(double x, double offset, double gain, double scale) {
        if (x < offset) {
            return offset - x + 0.5;
        }
        return scale * Math.sqrt(gain * (x - offset));
    }
}
