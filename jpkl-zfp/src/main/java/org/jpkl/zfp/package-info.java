/**
 * The {@code zfp} slice codec, {@link org.jpkl.zfp.ZfpCodec}, registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: float32 and float64
 * planes compressed by libzfp in its reversible (lossless), fixed-accuracy (absolute error bound),
 * fixed-precision or fixed-rate mode; the library loads on first use.
 */
package org.jpkl.zfp;
