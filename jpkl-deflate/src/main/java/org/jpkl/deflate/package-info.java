/**
 * Lossless slice codecs built from one pipeline: a reversible {@link org.jpkl.deflate.PlaneFilter}
 * (none, byte shuffle, delta) over the little-endian samples, then a byte compressor, behind a
 * 16-byte plane header that lets a decoder refuse a plane of another codec, filter, dtype or shape
 * before decompressing. {@link org.jpkl.deflate.DeflateCodec} (id {@code deflate}, the JDK's zlib,
 * every dtype) and {@code ZstdCodec} (id {@code zstd}, zstd-jni) differ only in the compressor; each
 * has an immutable parameter record ({@link org.jpkl.deflate.DeflateParams}, {@code ZstdParams}).
 *
 * <p>Audience: the codecs are found through {@link java.util.ServiceLoader}; the public classes are
 * their ids, parameters and filters for programs that name them. The pipeline classes are internal.
 *
 * <p>Conventions: codecs and parameters are immutable and thread-safe; encoders, decoders,
 * compressors and decompressors are one per thread and keep their scratch buffers (and, for zstd,
 * native contexts until closed). Decoding never produces more than the plane's size and writes the
 * destination only after the whole stream checked out.
 */
package org.jpkl.deflate;
