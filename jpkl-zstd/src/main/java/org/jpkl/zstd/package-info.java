/**
 * The lossless {@code zstd} slice codec, {@link org.jpkl.zstd.ZstdCodec}, registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: every dtype, grey or
 * RGB, filtered with jpkl-deflate's {@link org.jpkl.deflate.PlaneFilter}s and compressed with
 * zstd-jni, whose native library loads on first use. Parameters: {@code level} and {@code filter}, as
 * {@link org.jpkl.api.spi.TypedParams}.
 */
package org.jpkl.zstd;
