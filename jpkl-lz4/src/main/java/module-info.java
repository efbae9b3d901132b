/**
 * The speed-first lossless {@code lz4} slice codec (lz4-java's JNI binding, falling back to its pure
 * Java implementation), a {@code SliceCodec} service provider built on jpkl-deflate's filter
 * pipeline; the module exports no package.
 */
// "requires-automatic": lz4-java has no module descriptor but a stable Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module org.jpkl.lz4 {
    requires org.jpkl.api;
    requires org.jpkl.deflate;
    requires org.lz4.java;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.lz4.Lz4Codec;
}
