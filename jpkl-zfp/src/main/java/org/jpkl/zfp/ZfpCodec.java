package org.jpkl.zfp;

import java.util.Locale;
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
 * Codec {@code zfp}: float32 and float64 planes, grey (a 2-D zfp field) or RGB (a 3-D field, channels
 * fastest), compressed by LLNL's zfp (libzfp 1.0 through JNA) in one of its four modes:
 * <ul>
 *   <li>{@code reversible} (default): lossless, bit for bit, NaN, infinities, -0.0 and subnormals
 *       included;</li>
 *   <li>{@code accuracy}: fixed accuracy, every sample within {@code tolerance} (an absolute error in
 *       the data's units) of the original;</li>
 *   <li>{@code precision}: {@code precision} bit planes per block (a relative error, no absolute bound);</li>
 *   <li>{@code rate}: {@code rate} bits per value, a fixed size (no error bound).</li>
 * </ul>
 * The lossy modes refuse a plane holding NaN or an infinity ({@link IllegalArgumentException} naming
 * the first such sample): zfp's block transform is undefined on them. int32 is not offered: zfp's
 * integer path assumes 30-bit values and would silently wrap others.
 *
 * <p>Stream: a {@link org.jpkl.api.spi.support.NativeSliceFrame} (mode, parameter, payload length
 * and CRC-32, checked in Java) around zfp's own stream (no zfp header). The decoder uses the frame's
 * mode and parameter, checks the stream is no longer than {@code zfp_stream_maximum_size} for them,
 * hands zfp a zero-padded buffer that size (zfp's bit reader does not check bounds, and never reads
 * more than that bound) and requires zfp to consume exactly the stream.
 *
 * <p>The library loads on the first {@link #availability()}, {@link #newEncoder} or
 * {@link #newDecoder}, never during discovery; each instance logs one line naming it and its version.
 * Provider option {@value #OPTION_LIBRARY}: another library name or absolute path.
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread.
 */
public final class ZfpCodec extends NativeLibraryCodec<Zfp.Api> {
    /** The codec id. */
    public static final String ID = "zfp";
    /** Provider option naming the zfp library (a JNA name or an absolute path); default {@value Zfp#DEFAULT_LIBRARY}. */
    public static final String OPTION_LIBRARY = "zfp.library";
    /** "JPZF" as a little-endian int. */
    static final int MAGIC = 'J' | 'P' << 8 | 'Z' << 16 | 'F' << 24;
    /** The smallest tolerance accepted. */
    static final double MIN_TOLERANCE = 1e-300;
    /** The largest tolerance accepted. */
    static final double MAX_TOLERANCE = 1e300;
    /** The smallest rate accepted, in bits per value. */
    static final double MIN_RATE = 1;
    /** The largest rate accepted, in bits per value. */
    static final double MAX_RATE = 64;

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder()
            .lossless(false)
            .dtypes(DType.FLOAT32, DType.FLOAT64)
            .channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param("mode", ParamType.oneOf("reversible", "accuracy", "precision", "rate"), "reversible",
                    "reversible: lossless; accuracy: |error| <= tolerance; precision: bit planes kept; rate: bits per value")
            .param("tolerance", ParamType.number(MIN_TOLERANCE, MAX_TOLERANCE), "0.001",
                    "mode accuracy: the largest absolute error, in the data's units")
            .param("precision", ParamType.integer(1, 64), "24", "mode precision: bit planes kept per block")
            .param("rate", ParamType.number(MIN_RATE, MAX_RATE), "16", "mode rate: bits per value (fixed size)")
            .description("zfp (libzfp via JNA): floats, lossless or error-bounded; needs libzfp1")
            .build();

    private static final Library<Zfp.Api> LIBRARY = new Library<>("zfp", Zfp.DEFAULT_LIBRARY, "libzfp1", Zfp::bind);

    /** The codec with the default library; cheap, loads nothing. */
    public ZfpCodec() {
        this(null);
    }

    private ZfpCodec(String library) {
        super(ID, CAPABILITIES, LIBRARY, library);
    }

    @Override
    protected ZfpCodec withLibrary(String library) {
        return new ZfpCodec(library);
    }

    /**
     * @throws IllegalStateException if libzfp cannot be loaded, with the reason
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        ZfpMode.Setting setting = setting(params, spec);
        return new ZfpEncoder(api(), setting, spec);
    }

    /** Exact in mode {@code reversible} (the default). */
    @Override
    public boolean isLossless(CodecParams params) {
        return CodecParams.requireOwn(ID, TypedParams.class, params).text("mode").equals("reversible");
    }

    /**
     * @throws IllegalStateException if libzfp cannot be loaded, with the reason
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        setting(params, spec);
        return new ZfpDecoder(api(), spec);
    }

    private ZfpMode.Setting setting(CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(ID, TypedParams.class, params);
        capabilities().requireSupported(ID, spec);
        ZfpMode mode = ZfpMode.valueOf(p.text("mode").toUpperCase(Locale.ROOT));
        double parameter;
        switch (mode) {
            case ACCURACY:
                parameter = p.doubleValue("tolerance");
                break;
            case PRECISION:
                parameter = p.intValue("precision");
                break;
            case RATE:
                parameter = p.doubleValue("rate");
                break;
            default:
                parameter = 0;
                break;
        }
        return new ZfpMode.Setting(mode, parameter);
    }
}
