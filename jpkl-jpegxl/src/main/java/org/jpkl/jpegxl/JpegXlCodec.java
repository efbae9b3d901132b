package org.jpkl.jpegxl;

import java.util.Optional;

import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.jpkl.api.spi.support.NativeLibraryCodec;

/**
 * Codec {@code jpegxl}: JPEG XL (ISO/IEC 18181) by libjxl 0.7 (through JNA), for uint8, uint16 and
 * float32 planes, grey or RGB (samples interleaved).
 *
 * <p>Error model: {@code distance} 0 (the default) is lossless, bit for bit, for uint8 and uint16
 * (libjxl's modular mode with {@code uses_original_profile} and 8 or 16 bits per sample). float32
 * planes are refused at distance 0 ({@link IllegalArgumentException}): libjxl 0.7's lossless float32
 * mode (32 bits, 8 exponent bits) is not exact: measured with libjxl's own C API, planes with negative
 * values, -0 or NaN and thin planes (1 x 17) decode to other values at some or all efforts. A
 * {@code distance} above 0 is lossy with <b>no bound on any sample</b>: it is the target Butteraugli
 * distance of a perceptual model of the eye (1: visually lossless on a display; up to 25), applied
 * in libjxl's XYB colour space to samples taken as sRGB-encoded integers (the dtype's full scale is
 * white) or, for float32, as linear light after the plane is mapped to [0, 1] by its own smallest and
 * largest sample (stored with the slice, and the decoded samples clamped to them). Dark content (e.g.
 * 16-bit counts far below 65535) is therefore coarsened much more than bright content; measure with
 * {@code jpkl compare} before storing science data lossy. Lossy float32 planes must be finite (NaN and
 * infinities are refused, naming the first such sample). The capabilities say {@code lossless(false)}
 * because distances above 0 are lossy; {@link #isLossless} is true exactly at distance 0.
 *
 * <p>Stream: a {@link org.jpkl.api.spi.support.NativeSliceFrame} (the distance as its parameter;
 * mode {@value #MODE_LOSSLESS} lossless, {@value #MODE_LOSSY} lossy, {@value #MODE_LOSSY_FLOAT} lossy
 * float32 whose payload starts with the plane's smallest and largest sample as two little-endian
 * float64) around a bare JPEG XL codestream. The decoder checks the frame, then libjxl's basic info
 * (size, colour channels, extra channels, bits per sample, exponent bits, orientation, animation,
 * original profile) and the output size libjxl asks for against the expected plane before giving it
 * an output buffer of exactly the plane's size.
 *
 * <p>{@code effort} (1-9, default {@value #DEFAULT_EFFORT}) trades encoding time for size. Measured
 * lossless on a 16-bit camera-like 512 x 512 plane with libjxl 0.7.0 (docs/CODECS.md): effort 2 is
 * the fastest to encode and decode (its gradient predictor; effort 3's self-correcting predictor
 * decodes about half as fast) for 1.4 % less ratio than effort 3, and efforts 4-7 gain nothing more at
 * a quarter of the encoding speed or less.
 *
 * <p>The library loads on the first {@link #availability()}, {@link #newEncoder} or
 * {@link #newDecoder}; each instance logs one line naming it and its version. Provider option
 * {@value #OPTION_LIBRARY}: another library name or absolute path.
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread.
 */
public final class JpegXlCodec extends NativeLibraryCodec<Jxl.Api> {
    /** The codec id. */
    public static final String ID = "jpegxl";
    /** Provider option naming the libjxl library (a JNA name or an absolute path); default {@value Jxl#DEFAULT_LIBRARY}. */
    public static final String OPTION_LIBRARY = "jpegxl.library";
    /** "JPXL" as a little-endian int. */
    static final int MAGIC = 'J' | 'P' << 8 | 'X' << 16 | 'L' << 24;
    /** The largest distance libjxl 0.7 accepts. */
    static final double MAX_DISTANCE = 25;
    /** The default effort: speed first (see the class comment). */
    static final int DEFAULT_EFFORT = 2;
    /** Frame mode: lossless. */
    static final int MODE_LOSSLESS = 0;
    /** Frame mode: lossy integer samples. */
    static final int MODE_LOSSY = 1;
    /** Frame mode: lossy float32 samples mapped to [0, 1]; the payload starts with the window. */
    static final int MODE_LOSSY_FLOAT = 2;
    /** Bytes of the window (two float64) before a {@link #MODE_LOSSY_FLOAT} codestream. */
    static final int WINDOW_SIZE = 16;

    /** Why float32 planes are refused at distance 0. */
    static final String FLOAT_LOSSLESS_REFUSED = "codec 'jpegxl' cannot encode float32 planes losslessly (distance 0): libjxl 0.7's"
            + " lossless float32 mode is not exact (measured: negative values, -0, NaN and 1 x 17 planes decode to other values);"
            + " give a distance above 0, or use a lossless float codec (zstd, lerc, zfp mode=reversible)";

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder()
            .lossless(false)
            .dtypes(DType.UINT8, DType.UINT16, DType.FLOAT32)
            .channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param("distance", ParamType.number(0, MAX_DISTANCE), "0",
                    "0: lossless (default; uint8/uint16 only, float32 needs a distance above 0); above 0: lossy, the target"
                            + " Butteraugli (perceptual) distance, 1 visually lossless; no bound on any sample")
            .param("effort", ParamType.integer(1, 9), Integer.toString(DEFAULT_EFFORT),
                    "encoder effort: higher is slower and usually smaller")
            .description("JPEG XL (libjxl via JNA): lossless (distance 0) or perceptual lossy, 8/16-bit and float32; needs libjxl0.7")
            .build();

    private static final Library<Jxl.Api> LIBRARY = new Library<>("libjxl", Jxl.DEFAULT_LIBRARY, "libjxl0.7", Jxl::bind);

    /** The codec with the default library; cheap, loads nothing. */
    public JpegXlCodec() {
        this(null);
    }

    private JpegXlCodec(String library) {
        super(ID, CAPABILITIES, LIBRARY, library);
    }

    @Override
    protected JpegXlCodec withLibrary(String library) {
        return new JpegXlCodec(library);
    }

    /** The frame mode of planes of {@code dtype} at {@code distance} (float32 planes are never lossless: -1 then). */
    static int mode(DType dtype, double distance) {
        if (dtype == DType.FLOAT32) {
            return distance == 0 ? -1 : MODE_LOSSY_FLOAT;
        }
        return distance == 0 ? MODE_LOSSLESS : MODE_LOSSY;
    }

    /**
     * @throws IllegalArgumentException for float32 planes at distance 0 ({@link #FLOAT_LOSSLESS_REFUSED})
     * @throws IllegalStateException if libjxl cannot be loaded, with the reason
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(ID, TypedParams.class, params);
        capabilities().requireSupported(ID, spec);
        refusal(p, spec.dtype(), spec.channels()).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        return new JpegXlEncoder(api(), spec, p.doubleValue("distance"), p.intValue("effort"));
    }

    /** float32 planes at distance 0 ({@link #FLOAT_LOSSLESS_REFUSED}). */
    @Override
    public Optional<String> refusal(CodecParams params, DType dtype, ChannelLayout channels) {
        double distance = CodecParams.requireOwn(ID, TypedParams.class, params).doubleValue("distance");
        return distance == 0 && dtype == DType.FLOAT32 ? Optional.of(FLOAT_LOSSLESS_REFUSED) : Optional.empty();
    }

    /** Exact when {@code distance} is 0 (the default). */
    @Override
    public boolean isLossless(CodecParams params) {
        return CodecParams.requireOwn(ID, TypedParams.class, params).doubleValue("distance") == 0;
    }

    /**
     * @throws IllegalStateException if libjxl cannot be loaded, with the reason
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        CodecParams.requireOwn(ID, TypedParams.class, params);
        capabilities().requireSupported(ID, spec);
        return new JpegXlDecoder(api(), spec);
    }
}
