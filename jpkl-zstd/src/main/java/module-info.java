/**
 * The lossless {@code zstd} slice codec (zstd-jni, whose native library loads on first use), a
 * {@code SliceCodec} service provider built on jpkl-deflate's filter pipeline; the module exports no
 * package.
 */
module org.jpkl.zstd {
    requires org.jpkl.api;
    requires org.jpkl.deflate;
    requires com.github.luben.zstd_jni;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.zstd.ZstdCodec;
}
