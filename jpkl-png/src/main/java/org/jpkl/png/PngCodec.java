package org.jpkl.png;

import java.util.Map;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Lossless codec {@code png}: uint8 and uint16 planes, grey or RGB, each stored as a standard PNG
 * (16-bit samples big-endian, as PNG requires) that any PNG reader opens.
 *
 * <p>Parameters ({@link PngParams}): {@code level} 0..9 and {@code filter}
 * ({@link PngFilter}); defaults level 1, filter up.
 *
 * <p>Implementation (chosen by measurement on camera-like planes; the figures, with where and how
 * they were measured, are in docs/PERFORMANCE.md, "Figures behind the codecs' choices"):
 * <ul>
 *   <li>Writing: PNGJ ({@code ar.com.hjg:pngj}), rows handed over straight from the plane's array,
 *       with the chosen filter (the JDK's ImageIO writer leaves every row unfiltered).</li>
 *   <li>Reading: this module's own strict reader on {@link java.util.zip.Inflater} (the JDK's
 *       zlib), the only one of the three candidates that checks every CRC and that the zlib stream
 *       ends exactly with the image; see {@code PngPlaneDecoder}. It reads any standard
 *       non-interlaced PNG of the expected size, bit depth and colour type, e.g. ImageIO's.</li>
 *   <li>Defaults: filter up (close to the best ratio, decodes fastest because its inverse
 *       vectorises) and level 1, the fastest level that compresses (higher levels gained a few
 *       percent of size for several times the encode time).</li>
 * </ul>
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread.
 */
public final class PngCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "png";

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder().lossless(true)
            .dtypes(DType.UINT8, DType.UINT16).channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param(PngParams.LEVEL, Integer.toString(PngParams.DEFAULT_LEVEL),
                    "integer in [" + PngParams.MIN_LEVEL + ", " + PngParams.MAX_LEVEL + "]",
                    "deflate level: 0 stores, 1 is fastest, 9 smallest")
            .param(PngParams.FILTER, PngParams.DEFAULT_FILTER.id(), "one of " + PngFilter.allowedNames(),
                    "PNG row prediction before deflate")
            .description("lossless standard PNG; uint8/uint16 grey or RGB").build();

    /** A codec; cheap, loads nothing. */
    public PngCodec() {
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
    public PngParams params(Map<String, String> values) {
        return PngParams.parse(values);
    }

    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        PngParams p = own(params);
        checkSpec(spec);
        return new PngPlaneEncoder(spec, p);
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        own(params);
        checkSpec(spec);
        return new PngPlaneDecoder(spec);
    }

    private static PngParams own(CodecParams params) {
        if (!(params instanceof PngParams)) {
            throw new IllegalArgumentException("codec '" + ID + "' needs its own parameters, got "
                    + (params == null ? "null" : "parameters of codec '" + params.codecId() + "'"));
        }
        return (PngParams) params;
    }

    private static void checkSpec(PlaneSpec spec) {
        if (!CAPABILITIES.supports(spec.dtype(), spec.channels())) {
            throw new IllegalArgumentException("codec '" + ID + "' cannot encode " + spec.dtype() + " " + spec.channels()
                    + " planes; it supports dtypes " + CAPABILITIES.dtypes() + " and channels " + CAPABILITIES.channels());
        }
        rawImageBytes(spec);
    }

    /** PNG bit depth for a supported dtype. */
    static int bitDepth(DType dtype) {
        return dtype == DType.UINT8 ? 8 : 16;
    }

    /** PNG colour type: 0 grey, 2 truecolour. */
    static int colourType(ChannelLayout channels) {
        return channels == ChannelLayout.GREY ? 0 : 2;
    }

    /**
     * Bytes of the image's filtered rows (one filter byte per row plus the samples).
     *
     * @throws IllegalArgumentException if that does not fit in a Java array
     */
    static int rawImageBytes(PlaneSpec spec) {
        long bytes = spec.height() * (1 + spec.width() * (long) spec.channels().samplesPerPixel() * (bitDepth(spec.dtype()) / 8));
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("plane " + spec + " needs " + bytes + " bytes of PNG rows; codec '" + ID
                    + "' handles at most " + (Integer.MAX_VALUE - 8));
        }
        return (int) bytes;
    }
}
