/**
 * The two service provider interfaces and what surrounds them: {@link org.jpkl.api.spi.SliceCodec}
 * (one plane to bytes and back, with its {@link org.jpkl.api.spi.SliceEncoder}s,
 * {@link org.jpkl.api.spi.SliceDecoder}s, {@link org.jpkl.api.spi.CodecParams} and
 * {@link org.jpkl.api.spi.CodecCapabilities}) and {@link org.jpkl.api.spi.ContainerSerializer} (a
 * container's file layout, with its {@link org.jpkl.api.spi.ContainerReader}s and
 * {@link org.jpkl.api.spi.ContainerWriter}s); the immutable registries
 * {@link org.jpkl.api.spi.SliceCodecs} and {@link org.jpkl.api.spi.ContainerSerializers} that find them
 * with {@link java.util.ServiceLoader}; {@link org.jpkl.api.spi.ProviderOptions} and
 * {@link org.jpkl.api.spi.Availability}.
 *
 * <p>Audience: plugin authors (implement the interfaces, register them under
 * {@code META-INF/services}) and the library that calls them. The contract tests for implementations
 * are in this module's test-jar ({@code org.jpkl.api.testing}).
 *
 * <p>Conventions: providers are cheap to construct (no native loading, no I/O during discovery) and
 * thread-safe; parameters and capabilities are immutable; encoders, decoders, readers' streams and
 * writers are one per thread (a {@link org.jpkl.api.spi.ContainerReader} also serves concurrent slice
 * reads). Registries are snapshots, never global mutable state. Caller mistakes are
 * {@link java.lang.IllegalArgumentException}s naming the argument, value and allowed values; bad data
 * is an {@link java.io.IOException} (usually {@link org.jpkl.api.JpklFormatException}).
 */
package org.jpkl.api.spi;
