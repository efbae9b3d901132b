/**
 * The lossless {@code deflate} (JDK) and {@code zstd} (zstd-jni) slice codecs, {@code SliceCodec}
 * service providers; the module exports no package.
 */
module org.jpkl.deflate {
    requires org.jpkl.api;
    requires com.github.luben.zstd_jni;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.deflate.DeflateCodec, org.jpkl.deflate.ZstdCodec;
}
