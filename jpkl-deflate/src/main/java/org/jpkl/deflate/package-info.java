/**
 * The lossless {@code deflate} codec: a reversible {@link org.jpkl.deflate.PlaneFilter} (none, byte
 * shuffle, delta, bitshuffle) over the little-endian samples, then the JDK's zlib, behind a 16-byte plane header
 * that lets a decoder refuse a plane of another codec, filter, dtype or shape before decompressing.
 * Every dtype, grey or RGB. The filter pipeline itself is in {@code org.jpkl.deflate.pipeline}, which
 * jpkl's {@code zstd} codec (module {@code jpkl-zstd}) reuses with another byte compressor.
 *
 * <p>Audience: the codec is found through {@link java.util.ServiceLoader} by its id; the public
 * classes are its id and the filters, for programs that name them. Parameters are declared once in
 * the codec's typed schema ({@code jpkl codecs} lists them).
 *
 * <p>Conventions: the codec is immutable and thread-safe; encoders, decoders, compressors and
 * decompressors are one per thread and keep their scratch buffers. Decoding never produces more than
 * the plane's size and writes the destination only after the whole stream checked out.
 */
package org.jpkl.deflate;
