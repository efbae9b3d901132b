/**
 * The {@code zfp} slice codec (float32 and float64 planes, grey or RGB), a {@code SliceCodec} service
 * provider; it exports no package.
 *
 * <p>Engine: LLNL's libzfp ({@code libzfp.so.1}) bound on first use through JNA's interface mapping
 * ({@code com.sun.jna}).
 */
// "requires-automatic": JNA has no module descriptor but a stable Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module org.jpkl.zfp {
    requires org.jpkl.api;
    requires com.sun.jna;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.zfp.ZfpCodec;
}
