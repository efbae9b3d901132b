/**
 * Comparing codecs on one's own data: {@link org.jpkl.compare.CodecComparison} runs chosen (or
 * all) codecs over the same array and returns a {@link org.jpkl.compare.ComparisonReport} of size,
 * ratio, accuracy (exactness, max abs error, PSNR), throughput and slice-read latency, as a table or
 * JSON. {@link org.jpkl.compare.SampleStacks} generates microscopy-like stacks to try it on.
 */
package org.jpkl.compare;
