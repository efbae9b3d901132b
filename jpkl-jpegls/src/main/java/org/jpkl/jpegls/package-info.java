/**
 * The {@code jpegls} slice codec, {@link org.jpkl.jpegls.JpegLsCodec}, registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: JPEG-LS (ISO 14495-1,
 * the medical-imaging standard for lossless ratio) by CharLS, lossless or near-lossless ({@code near}
 * = the largest absolute error), for 8- and 16-bit grey and RGB planes; the library loads on first use.
 */
package org.jpkl.jpegls;
