package org.jpkl.deflate.pipeline;

import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.jpkl.deflate.PlaneFilter;

/**
 * What the filtered codecs ({@code deflate}, {@code zstd}) share beyond the pipeline itself: their
 * capabilities and parameter schema ({@code level} and {@code filter}), and the checks and wiring
 * of {@code newEncoder}/{@code newDecoder}. A codec supplies its id, magic number, level range and
 * compression library.
 *
 * <p>Support for jpkl's own byte codecs ({@code deflate}, {@code zstd}), not API: it may change in any release.
 *
 * <p>Thread safety: stateless.
 */
public final class FilteredCodecs {
    /** The compression level parameter. */
    public static final String LEVEL = "level";
    /** The {@link PlaneFilter} parameter. */
    public static final String FILTER = "filter";
    /**
     * The largest raw plane a filtered codec encodes: its bytes, the filtered copy and the compressed
     * output must each fit in one Java array.
     */
    public static final long MAX_PLANE_BYTES = 2_000_000_000L;

    private FilteredCodecs() {
    }

    /**
     * Lossless capabilities for every dtype, grey or RGB, with the parameters {@code level} in
     * {@code [minLevel, maxLevel]} (default 1) and {@code filter} (default {@code shuffle}).
     */
    public static CodecCapabilities capabilities(int minLevel, int maxLevel, String levelDescription, String description) {
        return CodecCapabilities.builder().lossless(true).dtypes(DType.values()).channels(ChannelLayout.GREY, ChannelLayout.RGB)
                .param(LEVEL, ParamType.integer(minLevel, maxLevel), "1", levelDescription)
                .param(FILTER, ParamType.oneOf(java.util.Arrays.stream(PlaneFilter.values()).map(PlaneFilter::id).toArray(String[]::new)),
                        PlaneFilter.SHUFFLE.id(), "reversible transform before compression: none, shuffle (group bytes by significance),"
                                + " delta (horizontal differences, XOR for floats, then shuffle) or bitshuffle (group bits by"
                                + " significance: Blosc/HDF5 bit-plane transpose)")
                .description(description).build();
    }

    /**
     * An encoder for {@code codec}: header, filter and the compressor for the params' level.
     *
     * @throws IllegalArgumentException if the params are another codec's, or the plane is not supported or too large
     * @throws IllegalStateException if the codec is not available
     */
    public static SliceEncoder encoder(SliceCodec codec, int magic, CodecParams params, PlaneSpec spec,
            IntFunction<ByteCompressor> compressor) {
        TypedParams p = check(codec, params, spec);
        PlaneFilter filter = PlaneFilter.parse(p.text(FILTER));
        return new FilteredPlaneEncoder(spec, new PlaneHeader(codec.id(), magic, filter, spec), new SampleFilter(filter, spec),
                compressor.apply(p.intValue(LEVEL)));
    }

    /**
     * A decoder for {@code codec}.
     *
     * @throws IllegalArgumentException as {@link #encoder}
     * @throws IllegalStateException if the codec is not available
     */
    public static SliceDecoder decoder(SliceCodec codec, int magic, CodecParams params, PlaneSpec spec,
            Supplier<ByteDecompressor> decompressor) {
        TypedParams p = check(codec, params, spec);
        PlaneFilter filter = PlaneFilter.parse(p.text(FILTER));
        return new FilteredPlaneDecoder(spec, new PlaneHeader(codec.id(), magic, filter, spec), new SampleFilter(filter, spec),
                decompressor.get());
    }

    private static TypedParams check(SliceCodec codec, CodecParams params, PlaneSpec spec) {
        TypedParams p = CodecParams.requireOwn(codec.id(), TypedParams.class, params);
        codec.capabilities().requireSupported(codec.id(), spec);
        if (spec.byteSize() > MAX_PLANE_BYTES) {
            throw new IllegalArgumentException("plane " + spec + " has " + spec.byteSize() + " bytes; codec '" + codec.id()
                    + "' encodes planes of at most " + MAX_PLANE_BYTES + " bytes");
        }
        Availability availability = codec.availability();
        if (!availability.isAvailable()) {
            throw new IllegalStateException("codec '" + codec.id() + "' is not available: " + availability.reason().orElse(""));
        }
        return p;
    }
}
