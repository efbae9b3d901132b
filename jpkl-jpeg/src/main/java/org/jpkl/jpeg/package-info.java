/**
 * The default JPEG slice codec, {@link org.jpkl.jpeg.JpegCodec} (id {@code jpeg}), registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: uint8 grey and RGB planes
 * as plain JPEG, other dtypes mapped to 8 bits with a per-slice window stored in the slice.
 * Parameters: {@link org.jpkl.jpeg.JpegParams}. Two implementations of the same format
 * ({@link org.jpkl.jpeg.JpegBackend}): libjpeg-turbo's TurboJPEG through JNA when libturbojpeg is
 * installed, else javax.imageio (TwelveMonkeys plugin preferred), or the one named by the provider
 * option {@code jpeg.backend} (and the TurboJPEG library by {@code jpeg.turbojpeg.library}), per
 * registry, no system property read; chosen on first use, logged, and reported by {@link org.jpkl.jpeg.JpegCodec#backend()} and {@link org.jpkl.jpeg.JpegCodec#implementation()}.
 *
 * <p>Audience: the codec is found through {@link java.util.ServiceLoader}; {@code JpegCodec},
 * {@code JpegParams} and {@code JpegBackend} are public for programs that name them. Engines,
 * mapping and stream classes are internal.
 *
 * <p>Conventions: the codec and its parameters are immutable and thread-safe (its backend is chosen
 * once per instance, lazily); encoders and decoders are one per thread and own their engines and
 * native buffers until closed.
 */
package org.jpkl.jpeg;
