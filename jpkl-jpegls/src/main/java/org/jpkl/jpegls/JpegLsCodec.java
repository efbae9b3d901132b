package org.jpkl.jpegls;

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
 * Codec {@code jpegls}: JPEG-LS (ISO/IEC 14495-1) by CharLS 2 (libcharls through JNA), for uint8 and
 * uint16 planes, grey or RGB (sample-interleaved, no colour transform), the medical-imaging standard
 * for lossless ratio.
 *
 * <p>Error model: {@code near} 0 (the default) is lossless; {@code near} N keeps every sample within
 * N of the original ({@code |decoded - original| <= near}, JPEG-LS's near-lossless mode). JPEG-LS
 * allows {@code near} up to half the largest sample value, capped at 255: so at most 127 for uint8
 * (a larger value is refused by {@link #newEncoder}, naming the limit). The capabilities say
 * {@code lossless(false)} because {@code near} above 0 is lossy.
 *
 * <p>Stream: a {@link org.jpkl.api.spi.support.NativeSliceFrame} ({@code near} as its parameter)
 * around a complete JPEG-LS stream; the decoder checks the frame, that the stream starts with SOI and
 * ends with EOI (CharLS 2.4.1 loops forever on a scan that runs to the end of its buffer without EOI,
 * as {@code JpegLsHostileInputTest} found), then CharLS's reading of the
 * stream's header (size, bits per sample, components, near, the destination size) against the
 * expected plane before CharLS decodes into a buffer of exactly the plane's size.
 *
 * <p>The library loads on the first {@link #availability()}, {@link #newEncoder} or
 * {@link #newDecoder}; each instance logs one line naming it and its version. Provider option
 * {@value #OPTION_LIBRARY}: another library name or absolute path.
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread.
 */
public final class JpegLsCodec extends NativeLibraryCodec<CharLs.Api> {
    /** The codec id. */
    public static final String ID = "jpegls";
    /** Provider option naming the CharLS library (a JNA name or an absolute path); default {@value CharLs#DEFAULT_LIBRARY}. */
    public static final String OPTION_LIBRARY = "jpegls.library";
    /** "JPLS" as a little-endian int. */
    static final int MAGIC = 'J' | 'P' << 8 | 'L' << 16 | 'S' << 24;
    /** The largest {@code near} JPEG-LS allows. */
    static final int MAX_NEAR = 255;

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder()
            .lossless(false)
            .dtypes(DType.UINT8, DType.UINT16)
            .channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param("near", ParamType.integer(0, MAX_NEAR), "0",
                    "largest absolute error per sample; 0: lossless (at most 127 for uint8)")
            .description("JPEG-LS (CharLS via JNA): lossless or near-lossless, 8/16-bit; needs libcharls2")
            .build();

    private static final Library<CharLs.Api> LIBRARY = new Library<>("CharLS", CharLs.DEFAULT_LIBRARY, "libcharls2", CharLs::bind);

    /** The codec with the default library; cheap, loads nothing. */
    public JpegLsCodec() {
        this(null);
    }

    private JpegLsCodec(String library) {
        super(ID, CAPABILITIES, LIBRARY, library);
    }

    @Override
    protected JpegLsCodec withLibrary(String library) {
        return new JpegLsCodec(library);
    }

    /** The largest {@code near} JPEG-LS allows for a dtype: half its largest value, at most 255. */
    static int maxNear(DType dtype) {
        return (int) Math.min(MAX_NEAR, dtype.maxValue() / 2);
    }

    /**
     * @throws IllegalArgumentException if {@code near} is above {@link #maxNear} for the plane's dtype
     * @throws IllegalStateException if CharLS cannot be loaded, with the reason
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(ID, TypedParams.class, params);
        capabilities().requireSupported(ID, spec);
        int near = p.intValue("near");
        if (near > maxNear(spec.dtype())) {
            throw new IllegalArgumentException("codec 'jpegls': near (" + near + ") must be at most " + maxNear(spec.dtype()) + " for "
                    + spec.dtype() + " planes (JPEG-LS allows half the largest sample value)");
        }
        return new JpegLsEncoder(api(), spec, near);
    }

    /** Exact when {@code near} is 0 (the default). */
    @Override
    public boolean isLossless(CodecParams params) {
        return CodecParams.requireOwn(ID, TypedParams.class, params).intValue("near") == 0;
    }

    /**
     * @throws IllegalStateException if CharLS cannot be loaded, with the reason
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        CodecParams.requireOwn(ID, TypedParams.class, params);
        capabilities().requireSupported(ID, spec);
        return new JpegLsDecoder(api(), spec);
    }
}
