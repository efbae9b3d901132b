/**
 * The library's entry point and user-facing types: {@link org.jpkl.Jpkl} (save arrays, open
 * containers, convert; holds one snapshot of codecs and serializers and an executor),
 * {@link org.jpkl.JpklArray} (an open container as a lazily decoded N-D array with NumPy indexing),
 * {@link org.jpkl.JpklWriter} (plane-by-plane writing with bounded memory), the immutable
 * {@link org.jpkl.WriteOptions} and {@link org.jpkl.OpenOptions}, the shared decoded-plane
 * {@link org.jpkl.SliceCache}, {@link org.jpkl.VerificationReport} and
 * {@link org.jpkl.MissingProviderException}.
 *
 * <p>Audience: public API for programs that read and write jpkl containers. Plugin authors need only
 * {@code jpkl-api}.
 *
 * <p>Conventions: {@code Jpkl}, {@code JpklArray} and {@code SliceCache} are thread-safe
 * (concurrent {@code get}s decode with their own decoders); a {@code JpklWriter} is one thread at a
 * time; options are immutable values built by single-threaded builders. Whoever opens a
 * {@code JpklArray} or {@code JpklWriter} closes it; a writer's output appears under its name only on
 * commit. Arrays returned by {@code get} belong to the caller.
 */
package org.jpkl;
