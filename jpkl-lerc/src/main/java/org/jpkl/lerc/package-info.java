/**
 * The {@code lerc} slice codec, {@link org.jpkl.lerc.LercCodec}, registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: every dtype compressed by
 * Esri's LERC with a maximum absolute error {@code maxZError} (0: lossless for integers and floats),
 * NaN kept through LERC's validity mask; the library loads on first use.
 */
package org.jpkl.lerc;
