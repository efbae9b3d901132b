/**
 * The lossless {@code png} slice codec, {@link org.jpkl.png.PngCodec}: uint8 and uint16 planes, grey
 * or RGB, each stored as a standard PNG any PNG reader opens. Parameters:
 * {@link org.jpkl.png.PngParams} (deflate level and {@link org.jpkl.png.PngFilter}; neither affects
 * decoding). Written with PNGJ; read by this package's strict reader, which checks every CRC and
 * that the zlib stream ends exactly with the image.
 *
 * <p>Audience: the codec is found through {@link java.util.ServiceLoader}; the public classes are its
 * id and parameters for programs that name them. Encoder and decoder classes are internal.
 *
 * <p>Conventions: the codec and its parameters are immutable and thread-safe; encoders and decoders
 * are one per thread and reuse their buffers. A refused stream leaves the destination untouched.
 */
package org.jpkl.png;
