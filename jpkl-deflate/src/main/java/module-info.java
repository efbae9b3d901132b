/**
 * The lossless {@code deflate} slice codec (the JDK's zlib), a {@code SliceCodec} service provider.
 * Exports the codec's id and its {@code PlaneFilter}s for programs that name them; the filter
 * pipeline is exported to jpkl's own {@code zstd} and {@code lz4} codecs only.
 */
@SuppressWarnings("module") // org.jpkl.zstd and org.jpkl.lz4 are built after this module
module org.jpkl.deflate {
    requires org.jpkl.api;

    exports org.jpkl.deflate;
    exports org.jpkl.deflate.pipeline to org.jpkl.zstd, org.jpkl.lz4;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.deflate.DeflateCodec;
}
