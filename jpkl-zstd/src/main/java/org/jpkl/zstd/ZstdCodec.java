package org.jpkl.zstd;

import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.jpkl.deflate.PlaneFilter;
import org.jpkl.deflate.pipeline.FilteredCodecs;

/**
 * Lossless codec {@code zstd}: every dtype, grey or RGB, as a small header plus one zstd frame
 * (with content size and XXH64 checksum) of the {@linkplain PlaneFilter filtered} little-endian
 * samples, through zstd-jni ({@code com.github.luben:zstd-jni}), called directly: Commons
 * Compress's zstd streams only wrap zstd-jni's own streams, while zstd-jni's one-shot context API
 * needs no stream buffers and lets the decoder check the frame's size before decompressing.
 *
 * <p>Parameters (declared in its {@linkplain #capabilities() capabilities}, given as {@link TypedParams}):
 * {@code level} -7..22 (default 1) and {@code filter}
 * {@code none}, {@code shuffle} (default), {@code delta} or {@code bitshuffle}.
 *
 * <p>The defaults, level 1 and the byte shuffle, were chosen by measurement on camera-like uint16
 * planes: zstd codes each 128 KiB block's literals with one Huffman table, so the shuffle pays once
 * the plane's low and high bytes land in different blocks; on noisy data delta adds work and
 * spreads the noise; level 1 was as fast as the negative levels and compressed better, higher
 * levels gained a few percent for several times the encode time. The figures, with where and how
 * they were measured, are in docs/PERFORMANCE.md ("Figures behind the codecs' choices").
 *
 * <p>zstd-jni needs a native library. This class never touches zstd-jni when constructed or
 * discovered: the library loads on the first {@link #availability()}, {@link #newEncoder} or
 * {@link #newDecoder}, and if it cannot load, {@link #availability()} says why and the factories
 * throw {@link IllegalStateException}.
 *
 * <p>Decoding checks the header, that the input is exactly one complete frame, and that the size
 * the frame declares is the plane's before decompressing, and never writes more than the plane's
 * size; anything else is a {@link org.jpkl.api.JpklFormatException}.
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread and hold
 * native contexts until closed.
 */
public final class ZstdCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "zstd";
    /** "JPKZ" as a little-endian int. */
    private static final int MAGIC = 'J' | 'P' << 8 | 'K' << 16 | 'Z' << 24;

    /** The largest level accepted (zstd's "ultra" maximum); the smallest is {@value #MIN_LEVEL}. */
    static final int MAX_LEVEL = 22;
    /** The smallest (fastest) level accepted. */
    static final int MIN_LEVEL = -7;

    private static final CodecCapabilities CAPABILITIES = FilteredCodecs.capabilities(MIN_LEVEL, MAX_LEVEL,
            "zstd level: negative is faster, higher is smaller and slower; 0 means zstd's default (3)",
            "lossless zstd of filtered samples; every dtype; needs zstd-jni's native library");

    /** A codec; cheap, touches no zstd-jni class. */
    public ZstdCodec() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPABILITIES;
    }

    /** Loads zstd-jni's native library on first call; unavailable, with the reason, if it cannot load. */
    @Override
    public Availability availability() {
        return ZstdLibrary.AVAILABILITY;
    }

    /**
     * @throws IllegalStateException if zstd-jni is not available, with the reason
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        return FilteredCodecs.encoder(this, MAGIC, params, spec, ZstdCompressor::new);
    }

    /**
     * @throws IllegalStateException if zstd-jni is not available, with the reason
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return FilteredCodecs.decoder(this, MAGIC, params, spec, () -> new ZstdDecompressor(ID));
    }
}
