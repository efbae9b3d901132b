/**
 * The lossless {@code zstd} slice codec, {@link org.jpkl.zstd.ZstdCodec}, registered for
 * {@link java.util.ServiceLoader} as an {@link org.jpkl.api.spi.SliceCodec}: every dtype, grey or
 * RGB, filtered with jpkl-deflate's {@link org.jpkl.deflate.PlaneFilter}s and compressed with
 * zstd-jni, whose native library loads on first use. Parameters: {@link org.jpkl.zstd.ZstdParams}.
 */
package org.jpkl.zstd;
