/**
 * The filtered byte pipeline shared by jpkl's own lossless codecs ({@code deflate} here and
 * {@code zstd} in jpkl-zstd): a {@link org.jpkl.deflate.pipeline.PlaneHeader}, the
 * {@link org.jpkl.deflate.PlaneFilter}s ({@link org.jpkl.deflate.pipeline.SampleFilter}) and one
 * compression library behind {@link org.jpkl.deflate.pipeline.ByteCompressor} and
 * {@link org.jpkl.deflate.pipeline.ByteDecompressor}. Support for jpkl's own byte codecs, not API:
 * it is public only so that jpkl-zstd can use it, and may change in any release.
 */
package org.jpkl.deflate.pipeline;
