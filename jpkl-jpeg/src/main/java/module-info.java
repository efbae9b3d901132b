/**
 * The {@code jpeg} slice codec (uint8 planes, grey or RGB), a {@code SliceCodec} service provider;
 * it exports its package to the benchmark only.
 *
 * <p>Engines: libjpeg-turbo's TurboJPEG bound at run time through JNA ({@code com.sun.jna}, direct
 * mapping of package-private native methods: JNA only reads their declarations, so no package is
 * opened), or ImageIO ({@code java.desktop}) with the TwelveMonkeys JPEG plugin preferred when
 * ImageIO's registry has it.
 */
// "module": org.jpkl.bench, the target of the qualified export, is built after this module.
// "requires-automatic": JNA and TwelveMonkeys have no module descriptor but a stable Automatic-Module-Name.
@SuppressWarnings({"module", "requires-automatic"})
module org.jpkl.jpeg {
    requires org.jpkl.api;
    requires java.desktop;
    requires com.sun.jna;
    // Not referenced in code: ImageIO finds its reader and writer as services. Required so that the
    // plugin is resolved on the module path as it is on the class path.
    requires com.twelvemonkeys.imageio.jpeg;

    // The benchmark names the engine of each measured row with JpegCodec's public implementation(),
    // looked up reflectively (it has no compile-time dependency on this module).
    exports org.jpkl.jpeg to org.jpkl.bench;

    provides org.jpkl.api.spi.SliceCodec with org.jpkl.jpeg.JpegCodec;
}
