/**
 * The {@code lerc} slice codec (every dtype, grey or RGB), a {@code SliceCodec} service provider; it
 * exports no package.
 *
 * <p>Engine: Esri's LERC 4 ({@code libLerc.so.4}) bound on first use through JNA's interface mapping
 * ({@code com.sun.jna}).
 */
// "requires-automatic": JNA has no module descriptor but a stable Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module org.jpkl.lerc {
    requires org.jpkl.api;
    requires com.sun.jna;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.lerc.LercCodec;
}
