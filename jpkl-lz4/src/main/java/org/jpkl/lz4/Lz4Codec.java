package org.jpkl.lz4;

import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.jpkl.deflate.pipeline.FilteredCodecs;

/**
 * Speed-first lossless codec {@code lz4}: every dtype, grey or RGB, as the filtered codecs' plane
 * header, a CRC-32C of the filtered little-endian samples, the block's length and one LZ4 block of
 * them, through lz4-java
 * ({@code at.yawk.lz4:lz4-java}, the maintained fork; {@code org.lz4:lz4-java} 1.8.0 has known CVEs).
 *
 * <p>Parameters (declared in its {@linkplain #capabilities() capabilities}, given as {@link TypedParams}):
 * {@code level} 1..17 (default 1: LZ4's fast compressor; 2..17: LZ4 HC at that level, smaller and
 * much slower to encode, as fast to decode) and {@code filter} {@code none}, {@code shuffle}
 * (default), {@code delta} or {@code bitshuffle}.
 *
 * <p>Backend: lz4-java's JNI binding (its bundled native LZ4) when it loads, else its pure-Java safe
 * implementation; {@link #availability()} is always available when lz4-java is on the path and its
 * {@code toString} names the backend in use. Only the bounds-checked ("safe") decompressor is used,
 * with the plane's size as the output limit.
 *
 * <p>LZ4 blocks carry no checksum, so the CRC-32C (Castagnoli, as the JDK computes it) of the filtered
 * bytes and the block's length precede it; decoding fails with {@link org.jpkl.api.JpklFormatException} if the block
 * is malformed, would yield other than the plane's size, or the checksum differs.
 *
 * <p>Thread safety: immutable and thread-safe; encoders and decoders are one per thread.
 */
public final class Lz4Codec implements SliceCodec {
    /** The codec id. */
    public static final String ID = "lz4";
    /** "JPK4" as a little-endian int. */
    private static final int MAGIC = 'J' | 'P' << 8 | 'K' << 16 | '4' << 24;
    /** The largest level: LZ4 HC's maximum. */
    static final int MAX_LEVEL = 17;

    private static final CodecCapabilities CAPABILITIES = FilteredCodecs.capabilities(1, MAX_LEVEL,
            "1: LZ4's fast compressor; 2..17: LZ4 HC at that level (smaller, much slower to encode, as fast to decode)",
            "lossless LZ4 of filtered samples, speed first; every dtype; lz4-java (JNI, else pure Java)");

    /** A codec; cheap, touches no lz4-java class. */
    public Lz4Codec() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CodecCapabilities capabilities() {
        return CAPABILITIES;
    }

    /** Probes lz4-java on first call; its text names the backend (JNI or pure Java). */
    @Override
    public Availability availability() {
        return Lz4Library.AVAILABILITY;
    }

    /**
     * @throws IllegalStateException if lz4-java is not available, with the reason
     */
    @Override
    public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
        return FilteredCodecs.encoder(this, MAGIC, params, spec, Lz4Compressor::new);
    }

    /**
     * @throws IllegalStateException if lz4-java is not available, with the reason
     */
    @Override
    public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
        return FilteredCodecs.decoder(this, MAGIC, params, spec, () -> new Lz4Decompressor(ID));
    }
}
