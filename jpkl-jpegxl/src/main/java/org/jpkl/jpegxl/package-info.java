/**
 * The {@code jpegxl} slice codec, {@link org.jpkl.jpegxl.JpegXlCodec}, registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: JPEG XL (ISO/IEC 18181)
 * by libjxl, lossless ({@code distance} 0, the default) or lossy ({@code distance} = the target
 * Butteraugli distance), for 8- and 16-bit grey and RGB planes and float32 planes; the library loads
 * on first use.
 */
package org.jpkl.jpegxl;
