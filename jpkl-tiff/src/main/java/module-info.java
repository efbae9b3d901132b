/**
 * Multi-page TIFF and other ImageIO stacks, read page by page and written ({@code org.jpkl.tiff}),
 * with ImageJ calibration. Its API names ImageIO types, hence {@code requires transitive java.desktop}.
 */
// TwelveMonkeys has no module descriptor but a stable Automatic-Module-Name.
@SuppressWarnings("requires-automatic")
module org.jpkl.tiff {
    requires transitive org.jpkl.core;
    requires transitive java.desktop;
    requires com.twelvemonkeys.imageio.tiff;
    // TIFFImageReaderSpi's superclasses live in TwelveMonkeys' core module; an automatic module
    // does not pass on its own dependencies.
    requires com.twelvemonkeys.imageio.core;

    exports org.jpkl.tiff;
}
