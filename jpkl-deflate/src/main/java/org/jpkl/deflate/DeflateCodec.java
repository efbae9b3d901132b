package org.jpkl.deflate;

import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.jpkl.deflate.pipeline.FilteredCodecs;

/**
 * Lossless codec {@code deflate}: every dtype, grey or RGB, as a small header plus a zlib stream
 * (deflate with an Adler-32 checksum) of the {@linkplain PlaneFilter filtered} little-endian
 * samples. Pure JDK ({@link java.util.zip.Deflater}/{@link java.util.zip.Inflater}), so it works
 * wherever Java does; prefer {@code zstd} when its native library is available: it is faster at a
 * similar ratio (figures in docs/PERFORMANCE.md, "Figures behind the codecs' choices").
 *
 * <p>Parameters (declared in its {@linkplain #capabilities() capabilities}, given as {@link TypedParams}):
 * {@code level} 0..9 (default 1; 0 stores) and
 * {@code filter} {@code none}, {@code shuffle} (default), {@code delta} or {@code bitshuffle}.
 *
 * <p>The stream is the JDK's zlib ({@code Deflater}/{@code Inflater} called directly, no stream
 * wrappers, no extra run-time dependency), so a plane compressed here is an ordinary zlib stream
 * that Python's {@code zlib} (the same library on Debian) reads. The defaults, level 1 and the
 * byte shuffle, were chosen by measurement on camera-like uint16 planes: the shuffle gave the best
 * ratio and speed on noisy data; delta helps smooth, low-noise planes but on noisy data mostly
 * spreads the noise; higher levels gained a few percent of size for much more encode time. The
 * figures, with where and how they were measured, are in docs/PERFORMANCE.md ("Figures behind the
 * codecs' choices").
 *
 * <p>Decoding never produces more than the plane's size: it inflates into a buffer of exactly that
 * size and fails with {@link org.jpkl.api.JpklFormatException} if the stream holds more or fewer
 * bytes, fails its checksum, has trailing data, or its header names another codec, filter, dtype or
 * shape. The destination is written only after the whole stream checked out.
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread.
 */
public final class DeflateCodec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "deflate";
    /** "JPKD" as a little-endian int. */
    private static final int MAGIC = 'J' | 'P' << 8 | 'K' << 16 | 'D' << 24;

    private static final CodecCapabilities CAPABILITIES = FilteredCodecs.capabilities(0, 9,
            "zlib level: 0 stores, 1 is fastest, 9 smallest (jpkl compare measures the trade-off on your data)",
            "lossless zlib deflate of filtered samples; every dtype; pure JDK");

    /** A codec; cheap, loads nothing. */
    public DeflateCodec() {
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
        return FilteredCodecs.encoder(this, MAGIC, params, spec, DeflateCompressor::new);
    }

    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return FilteredCodecs.decoder(this, MAGIC, params, spec, () -> new DeflateDecompressor(ID));
    }
}
