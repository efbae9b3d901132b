/**
 * The {@code jpegls} slice codec (uint8 and uint16 planes, grey or RGB), a {@code SliceCodec} service
 * provider; it exports no package.
 *
 * <p>Engine: CharLS 2 ({@code libcharls.so.2}) bound on first use through JNA's interface mapping
 * ({@code com.sun.jna}).
 */
// "requires-automatic": JNA has no module descriptor but a stable Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module org.jpkl.jpegls {
    requires org.jpkl.api;
    requires com.sun.jna;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.jpegls.JpegLsCodec;
}
