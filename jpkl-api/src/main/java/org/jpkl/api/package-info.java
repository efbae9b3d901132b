/**
 * The array model every jpkl user and plugin author shares: {@link org.jpkl.api.NdArray} (an immutable
 * dense N-D array in C order over one primitive array), {@link org.jpkl.api.DType} and
 * {@link org.jpkl.api.ChannelLayout}, NumPy basic indexing ({@link org.jpkl.api.Index},
 * {@link org.jpkl.api.Selection}), the split of an array into encoded planes
 * ({@link org.jpkl.api.PlaneLayout}, {@link org.jpkl.api.KeySpace}, {@link org.jpkl.api.PlaneSpec},
 * {@link org.jpkl.api.PlaneBuffer}, {@link org.jpkl.api.PlaneAssembly}), what a container records
 * ({@link org.jpkl.api.ContainerHeader}, {@link org.jpkl.api.Metadata}, {@link org.jpkl.api.ProviderIds})
 * and the bad-data exception {@link org.jpkl.api.JpklFormatException}.
 *
 * <p>Audience: public API, for programs and plugin authors alike; this module has no dependencies.
 *
 * <p>Conventions: value types are immutable and thread-safe, validated in their constructors
 * (caller mistakes are {@link java.lang.IllegalArgumentException} or
 * {@link java.lang.NullPointerException} naming the argument and value). The exceptions are the
 * buffers codecs work on: a {@link org.jpkl.api.PlaneBuffer} wraps a caller-owned array without
 * copying and is not thread-safe. Slice numbers, offsets and element counts are {@code long}.
 */
package org.jpkl.api;
