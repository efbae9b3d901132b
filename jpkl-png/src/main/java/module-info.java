/**
 * The {@code png} slice codec (uint8 and uint16 planes), a {@code SliceCodec} service provider; it
 * exports no package.
 *
 * <p>PNGJ ({@code ar.com.hjg:pngj}) has neither a module descriptor nor an
 * {@code Automatic-Module-Name}, so it is required by the name derived from its file name,
 * {@code pngj}: a name that may change if PNGJ ever declares one.
 */
@SuppressWarnings("requires-automatic")
module org.jpkl.png {
    requires org.jpkl.api;
    requires pngj;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.png.PngCodec;
}
