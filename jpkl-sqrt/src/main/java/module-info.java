/**
 * The lossy {@code sqrt} slice codec (PYME PZF-style square-root quantisation bounded by a fraction
 * of photon shot noise, then Huffman coding), pure Java, a {@code SliceCodec} service provider.
 * Exports the codec's id and error bound for programs that name them.
 */
module org.jpkl.sqrt {
    requires org.jpkl.api;

    exports org.jpkl.sqrt;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.sqrt.SqrtCodec;
}
