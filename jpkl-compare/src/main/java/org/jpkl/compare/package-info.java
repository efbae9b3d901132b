/**
 * Comparing codecs on one's own data: {@link org.jpkl.compare.CodecComparison} runs chosen (or
 * all) codecs over the same array and returns a {@link org.jpkl.compare.ComparisonReport} of size,
 * ratio, accuracy (exactness, max abs error, PSNR), throughput and slice-read latency, as a table or
 * JSON. {@link org.jpkl.compare.SampleStacks} generates microscopy-like stacks to try it on.
 * {@link org.jpkl.compare.Stopwatch} and {@link org.jpkl.compare.Samples} are the timing harness
 * shared with the benchmark; error figures come from {@link org.jpkl.api.ErrorMetrics}.
 *
 * <p>Audience: public API for programs and the command line's {@code compare}; it depends on
 * {@code jpkl-core}, not the other way round, so plugin authors never carry it.
 *
 * <p>Conventions: a comparison and its report are immutable (builders are one thread at a time);
 * runs may be started from several threads, but concurrent runs disturb each other's timings. A run
 * writes its trial files only into the folder it is given. Units are stated on
 * {@link org.jpkl.compare.CodecMeasurement}.
 */
package org.jpkl.compare;
