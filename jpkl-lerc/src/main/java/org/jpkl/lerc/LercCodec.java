package org.jpkl.lerc;

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
 * Codec {@code lerc}: every dtype, grey or RGB (LERC's {@code nDepth} = 3, samples interleaved),
 * compressed by Esri's LERC 4 (libLerc through JNA), the raster codec of GDAL and ArcGIS.
 *
 * <p>Error model: every finite sample is decoded within {@code maxZError} of the original
 * ({@code |decoded - original| <= maxZError}). {@code maxZError} 0 (the default) is lossless: for
 * integer dtypes LERC uses 0.5, which after rounding is exact; float samples are kept bit for bit.
 * NaN is kept through LERC's validity mask: a pixel whose samples are all NaN is marked invalid and
 * decoded as NaN (Java's canonical NaN: the payload bits are not kept); an RGB pixel with only some
 * NaN samples, and infinities, cannot be stored and are refused ({@link IllegalArgumentException}
 * naming the first such sample). Hence {@code lossless(false)} in the capabilities, although
 * {@code maxZError} 0 keeps every finite value exactly. LERC quantises float32 samples in double
 * precision and rounds the result to float, which can exceed maxZError by up to half a float ulp
 * (measured by {@code LercBoundTest}: 0.002014 for maxZError 0.0019995 near 745); float32 planes are
 * therefore given half the maxZError, so that the rounded result stays within it (the nearest float to
 * y is no farther from y than the original float x, so |x - float(y)| <= 2 |x - y|).
 *
 * <p>Stream: a {@link org.jpkl.api.spi.support.NativeSliceFrame} (maxZError as its parameter) around
 * the LERC blob; the decoder checks the frame, then LERC's own description of the blob
 * ({@code lerc_getBlobInfo}: type, depth, size, bands, masks, blob size) against the expected plane
 * before decoding into a buffer of the plane's size.
 *
 * <p>The library loads on the first {@link #availability()}, {@link #newEncoder} or
 * {@link #newDecoder}; each instance logs one line naming it. Provider option {@value #OPTION_LIBRARY}:
 * another library name or absolute path.
 *
 * <p>Lossless float32 planes (maxZError 0) are stored as their int32 bit patterns: LERC 4.0's lossless
 * float32 path writes blobs that depend on the thread it runs on (each decodes exactly, but a plane
 * must always encode to the same bytes: files are compared and slices copied by their bytes).
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread.
 */
public final class LercCodec extends NativeLibraryCodec<Lerc.Api> {
    /** The codec id. */
    public static final String ID = "lerc";
    /** Provider option naming the LERC library (a JNA name or an absolute path); default {@value Lerc#DEFAULT_LIBRARY}. */
    public static final String OPTION_LIBRARY = "lerc.library";
    /** "JPLC" as a little-endian int. */
    static final int MAGIC = 'J' | 'P' << 8 | 'L' << 16 | 'C' << 24;
    /** The largest maxZError accepted. */
    static final double MAX_Z_ERROR = 1e300;

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder()
            .lossless(false)
            .dtypes(DType.values())
            .channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param("maxZError", ParamType.number(0, MAX_Z_ERROR), "0",
                    "largest absolute error, in the data's units; 0: lossless (NaN kept via the mask, infinities refused)")
            .description("LERC (libLerc via JNA): every dtype, |error| <= maxZError, 0 lossless; needs liblerc4")
            .build();

    private static final Library<Lerc.Api> LIBRARY = new Library<>("LERC", Lerc.DEFAULT_LIBRARY, "liblerc4", Lerc::bind);

    /** The codec with the default library; cheap, loads nothing. */
    public LercCodec() {
        this(null);
    }

    private LercCodec(String library) {
        super(ID, CAPABILITIES, LIBRARY, library);
    }

    @Override
    protected LercCodec withLibrary(String library) {
        return new LercCodec(library);
    }

    /**
     * @throws IllegalStateException if libLerc cannot be loaded, with the reason
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(ID, TypedParams.class, params);
        capabilities().requireSupported(ID, spec);
        return new LercEncoder(api(), spec, p.doubleValue("maxZError"));
    }

    /** Exact when {@code maxZError} is 0 (the default). */
    @Override
    public boolean isLossless(CodecParams params) {
        return CodecParams.requireOwn(ID, TypedParams.class, params).doubleValue("maxZError") == 0;
    }

    /**
     * @throws IllegalStateException if libLerc cannot be loaded, with the reason
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        CodecParams.requireOwn(ID, TypedParams.class, params);
        capabilities().requireSupported(ID, spec);
        return new LercDecoder(api(), spec);
    }
}
