/**
 * The default JPEG slice codec, {@link org.jpkl.jpeg.JpegCodec} (id {@code jpeg}), registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: uint8 grey and RGB planes
 * as plain JPEG through javax.imageio (TwelveMonkeys plugin preferred), other dtypes mapped to 8 bits
 * with a per-slice window stored in the slice. Parameters: {@link org.jpkl.jpeg.JpegParams}.
 */
package org.jpkl.jpeg;
