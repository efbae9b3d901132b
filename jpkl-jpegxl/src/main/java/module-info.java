/**
 * The {@code jpegxl} slice codec (uint8, uint16 and float32 planes, grey or RGB), a {@code SliceCodec}
 * service provider; it exports no package.
 *
 * <p>Engine: libjxl 0.7 ({@code libjxl.so.0.7}) bound on first use through JNA's interface mapping
 * ({@code com.sun.jna}).
 */
// "requires-automatic": JNA has no module descriptor but a stable Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module org.jpkl.jpegxl {
    requires org.jpkl.api;
    requires com.sun.jna;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.jpegxl.JpegXlCodec;
}
