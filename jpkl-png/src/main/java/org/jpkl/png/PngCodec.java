package org.jpkl.png;

import java.util.Arrays;
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
 * Lossless codec {@code png}: uint8 and uint16 planes, grey or RGB, each stored as a standard PNG
 * (16-bit samples big-endian, as PNG requires) that any PNG reader opens.
 *
 * <p>Parameters (declared in its {@linkplain #capabilities() capabilities}, given as {@link TypedParams}):
 * {@code level} 0..9 and {@code filter}
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

    private static final String LEVEL = "level";
    private static final String FILTER = "filter";

    private static final CodecCapabilities CAPABILITIES = CodecCapabilities.builder().lossless(true)
            .dtypes(DType.UINT8, DType.UINT16).channels(ChannelLayout.GREY, ChannelLayout.RGB)
            .param(LEVEL, ParamType.integer(0, 9), "1", "deflate level: 0 stores, 1 is fastest, 9 smallest")
            .param(FILTER, ParamType.oneOf(Arrays.stream(PngFilter.values()).map(PngFilter::id).toArray(String[]::new)),
                    PngFilter.UP.id(), "PNG row prediction before deflate")
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
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(ID, TypedParams.class, params);
        checkSpec(spec);
        return new PngPlaneEncoder(spec, p.intValue(LEVEL), PngFilter.parse(p.text(FILTER)));
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        CodecParams.requireOwn(ID, TypedParams.class, params);
        checkSpec(spec);
        return new PngPlaneDecoder(spec);
    }

    private static void checkSpec(PlaneSpec spec) {
        CAPABILITIES.requireSupported(ID, spec);
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
